/** The editor's small inputs: every one names its draft field (`data-field`) and shows its issues. */
import { useEffect, useState, type ReactNode } from 'react';
import type { DraftPath, DraftValidation } from '../../../shared/editor/index.ts';
import { issuesAt } from '../../../shared/editor/index.ts';
import { IconClose } from '../components/icons.tsx';

export function FieldIssues({ validation, path }: { validation: DraftValidation; path: DraftPath }) {
  const issues = issuesAt(validation, path);
  if (issues.length === 0) return null;
  return (
    <ul className="ed-issues" data-issues-for={path}>
      {issues.map((issue, i) => (
        <li key={i} className={`ed-issue ed-issue-${issue.severity}`} data-testid="field-issue">
          {issue.message}
        </li>
      ))}
    </ul>
  );
}

function invalid(validation: DraftValidation, path: DraftPath): boolean {
  return issuesAt(validation, path).some((i) => i.severity === 'error');
}

export function TextField({
  path,
  label,
  value,
  onChange,
  validation,
  placeholder,
  mono = true,
  className = '',
}: {
  path: DraftPath;
  label: string;
  value: string;
  onChange: (value: string) => void;
  validation: DraftValidation;
  placeholder?: string;
  mono?: boolean;
  className?: string;
}) {
  return (
    <div className={`ed-control ${className}`}>
      <input
        className={`ed-input ${mono ? 'mono' : ''}`}
        data-field={path}
        aria-label={label}
        aria-invalid={invalid(validation, path)}
        placeholder={placeholder}
        value={value}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldIssues validation={validation} path={path} />
    </div>
  );
}

/** Comma-separated values (`In`/`NotIn`): keeps what is typed, hands the split list up. */
export function ListField({
  path,
  label,
  values,
  onChange,
  validation,
  placeholder,
}: {
  path: DraftPath;
  label: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  validation: DraftValidation;
  placeholder?: string;
}) {
  const split = (t: string): string[] => (t.trim() === '' ? [] : t.split(',').map((v) => v.trim()));
  const [text, setText] = useState(values.join(', '));
  useEffect(() => {
    setText((t) => (JSON.stringify(split(t)) === JSON.stringify(values) ? t : values.join(', ')));
  }, [values]);
  const paths = [path, ...values.map((_, i) => `${path}[${i}]`)];
  return (
    <div className="ed-control">
      <input
        className="ed-input mono"
        data-field={path}
        aria-label={label}
        aria-invalid={paths.some((p) => invalid(validation, p))}
        placeholder={placeholder}
        value={text}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          onChange(split(e.target.value));
        }}
      />
      {paths.map((p) => (
        <FieldIssues key={p} validation={validation} path={p} />
      ))}
    </div>
  );
}

export function SelectField<T extends string>({
  path,
  label,
  value,
  options,
  onChange,
  validation,
}: {
  path: DraftPath;
  label: string;
  value: T;
  options: readonly { readonly value: T; readonly label: string }[];
  onChange: (value: T) => void;
  validation?: DraftValidation;
}) {
  return (
    <div className="ed-control ed-control-select">
      <select
        className="ed-select"
        data-field={path}
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value as T)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {validation !== undefined && <FieldIssues validation={validation} path={path} />}
    </div>
  );
}

export function RemoveButton({
  label,
  onClick,
  testId,
}: {
  label: string;
  onClick: () => void;
  testId?: string;
}) {
  return (
    <button
      type="button"
      className="icon-button ed-remove"
      aria-label={label}
      title={label}
      data-testid={testId}
      onClick={onClick}
    >
      <IconClose />
    </button>
  );
}

export function AddButton({
  children,
  onClick,
  testId,
}: {
  children: ReactNode;
  onClick: () => void;
  testId?: string;
}) {
  return (
    <button type="button" className="ed-add" data-testid={testId} onClick={onClick}>
      + {children}
    </button>
  );
}

/** A two- or three-way choice as a row of pills (radio semantics). */
export function Choice<T extends string>({
  path,
  label,
  value,
  options,
  onChange,
}: {
  path: DraftPath;
  label: string;
  value: T;
  options: readonly { readonly value: T; readonly label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <div className="ed-choice" role="radiogroup" aria-label={label} data-choice={path}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={value === o.value}
          className={value === o.value ? 'active' : ''}
          data-value={o.value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
