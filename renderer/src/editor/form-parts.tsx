/**
 * The parts both policy forms (NetworkPolicy and ClusterNetworkPolicy) are built from: list edits,
 * a label selector editor, a list of strings, an "any or only these" list, a port range, a
 * description and the shell of an ordered rule list. One place, so that both forms look and answer the
 * keyboard alike and a fix lands in both.
 */
import { Fragment, type ComponentType, type ReactNode } from 'react';
import type { DraftValidation, ExpressionDraft, SelectorDraft } from '../../../shared/editor/index.ts';
import type { Protocol, SelectorOperator } from '../../../shared/model/snapshot.ts';
import {
  AddButton,
  Choice,
  FieldIssues,
  ListField,
  RemoveButton,
  SelectField,
  TextField,
} from './fields.tsx';

export type Direction = 'ingress' | 'egress';

export function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}
export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** A form part bound to one draft field. */
export interface FieldProps<T> {
  readonly value: T;
  readonly onChange: (value: T) => void;
  readonly path: string;
  readonly validation: DraftValidation;
}

const OPERATORS: readonly { value: SelectorOperator; label: string }[] = [
  { value: 'In', label: 'In' },
  { value: 'NotIn', label: 'NotIn' },
  { value: 'Exists', label: 'Exists' },
  { value: 'DoesNotExist', label: 'DoesNotExist' },
];
const PROTOCOLS: readonly { value: Protocol; label: string }[] = [
  { value: 'TCP', label: 'TCP' },
  { value: 'UDP', label: 'UDP' },
  { value: 'SCTP', label: 'SCTP' },
];

export function SelectorEditor({
  value,
  onChange,
  path,
  validation,
  noun,
}: FieldProps<SelectorDraft> & { noun: string }) {
  const setLabels = (matchLabels: SelectorDraft['matchLabels']) => onChange({ ...value, matchLabels });
  const setExprs = (matchExpressions: readonly ExpressionDraft[]) => onChange({ ...value, matchExpressions });
  return (
    <div className="ed-selector" data-selector={path}>
      {value.matchLabels.map((row, i) => {
        const p = `${path}.matchLabels[${i}]`;
        return (
          <div className="ed-row ed-label-row" key={`l${i}`} data-row={p}>
            <TextField
              path={`${p}.key`}
              label={`${noun} label key`}
              placeholder="key"
              value={row.key}
              validation={validation}
              onChange={(key) => setLabels(replaceAt(value.matchLabels, i, { ...row, key }))}
            />
            <span className="ed-eq" aria-hidden="true">
              =
            </span>
            <TextField
              path={`${p}.value`}
              label={`${noun} label value`}
              placeholder="value"
              value={row.value}
              validation={validation}
              onChange={(v) => setLabels(replaceAt(value.matchLabels, i, { ...row, value: v }))}
            />
            <RemoveButton label="Remove label" onClick={() => setLabels(removeAt(value.matchLabels, i))} />
          </div>
        );
      })}
      {value.matchExpressions.map((row, i) => {
        const p = `${path}.matchExpressions[${i}]`;
        const withValues = row.operator === 'In' || row.operator === 'NotIn';
        return (
          <div className="ed-row ed-expr-row" key={`e${i}`} data-row={p}>
            <TextField
              path={`${p}.key`}
              label={`${noun} expression key`}
              placeholder="key"
              value={row.key}
              validation={validation}
              onChange={(key) => setExprs(replaceAt(value.matchExpressions, i, { ...row, key }))}
            />
            <SelectField
              path={`${p}.operator`}
              label="Operator"
              value={row.operator}
              options={OPERATORS}
              validation={validation}
              onChange={(operator) => setExprs(replaceAt(value.matchExpressions, i, { ...row, operator }))}
            />
            {withValues ? (
              <ListField
                path={`${p}.values`}
                label={`${noun} expression values`}
                placeholder="values, comma-separated"
                values={row.values}
                validation={validation}
                onChange={(values) => setExprs(replaceAt(value.matchExpressions, i, { ...row, values }))}
              />
            ) : (
              <span className="ed-no-values muted">no values</span>
            )}
            <RemoveButton
              label="Remove expression"
              onClick={() => setExprs(removeAt(value.matchExpressions, i))}
            />
          </div>
        );
      })}
      <div className="ed-adds">
        <AddButton
          testId={`add-label:${path}`}
          onClick={() => setLabels([...value.matchLabels, { key: '', value: '' }])}
        >
          Label
        </AddButton>
        <AddButton
          testId={`add-expression:${path}`}
          onClick={() => setExprs([...value.matchExpressions, { key: '', operator: 'In', values: [] }])}
        >
          Expression
        </AddButton>
      </div>
      <FieldIssues validation={validation} path={path} />
    </div>
  );
}

/** A selector in a form grid, with a line that says what an empty one selects. */
export function KeyedSelector({
  keyLabel,
  noun,
  emptyMeans,
  empty,
  ...field
}: FieldProps<SelectorDraft> & { keyLabel: string; noun: string; emptyMeans: string; empty: boolean }) {
  return (
    <>
      <span className="ed-key">{keyLabel}</span>
      <div>
        <span className="fine-print">{empty ? emptyMeans : ''}</span>
        <SelectorEditor noun={noun} {...field} />
      </div>
    </>
  );
}

/** Free-text items (CIDRs, exceptions, domain names), one row each. */
export function StringList({
  path,
  itemLabel,
  removeLabel,
  placeholder,
  values,
  onChange,
  validation,
  addLabel,
  addTestId,
}: {
  path: string;
  itemLabel: string;
  removeLabel: string;
  placeholder: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  validation: DraftValidation;
  addLabel: string;
  addTestId: string;
}) {
  return (
    <div>
      {values.map((v, i) => (
        <div className="ed-row" key={i}>
          <TextField
            path={`${path}[${i}]`}
            label={itemLabel}
            placeholder={placeholder}
            value={v}
            validation={validation}
            onChange={(next) => onChange(replaceAt(values, i, next))}
          />
          <RemoveButton label={removeLabel} onClick={() => onChange(removeAt(values, i))} />
        </div>
      ))}
      <AddButton testId={addTestId} onClick={() => onChange([...values, ''])}>
        {addLabel}
      </AddButton>
      <FieldIssues validation={validation} path={path} />
    </div>
  );
}

/**
 * A rule field that is either everything (`'any'`) or a list: the choice, the rows, an add button
 * while it is a list, and the field's issues. Choosing the list starts it with one fresh item.
 */
export function AnyOrList<T>({
  path,
  label,
  anyLabel,
  someLabel,
  value,
  onChange,
  validation,
  fresh,
  addLabel,
  addTestId,
  renderItem,
}: {
  path: string;
  label: string;
  anyLabel: string;
  someLabel: string;
  value: 'any' | readonly T[];
  onChange: (value: 'any' | T[]) => void;
  validation: DraftValidation;
  fresh: () => T;
  addLabel: string;
  addTestId: string;
  renderItem: (item: T, itemPath: string, change: (item: T) => void, remove: () => void) => ReactNode;
}) {
  const items = value === 'any' ? [] : value;
  return (
    <div>
      <Choice
        path={path}
        label={label}
        value={value === 'any' ? 'any' : 'some'}
        options={[
          { value: 'any', label: anyLabel },
          { value: 'some', label: someLabel },
        ]}
        onChange={(mode) => onChange(mode === 'any' ? 'any' : [fresh()])}
      />
      {items.map((item, i) => (
        <Fragment key={i}>
          {renderItem(
            item,
            `${path}[${i}]`,
            (next) => onChange(replaceAt(items, i, next)),
            () => onChange(removeAt(items, i)),
          )}
        </Fragment>
      ))}
      {value !== 'any' && (
        <AddButton testId={addTestId} onClick={() => onChange([...items, fresh()])}>
          {addLabel}
        </AddButton>
      )}
      <FieldIssues validation={validation} path={path} />
    </div>
  );
}

/** A rule's ports: all of them, or only the rows given (each drawn by `Row`). */
export function RulePorts<T>({
  rulePath,
  value,
  onChange,
  validation,
  fresh,
  Row,
}: {
  rulePath: string;
  value: 'any' | readonly T[];
  onChange: (value: 'any' | T[]) => void;
  validation: DraftValidation;
  fresh: () => T;
  Row: ComponentType<FieldProps<T> & { onRemove: () => void }>;
}) {
  return (
    <>
      <span className="ed-key">Ports</span>
      <AnyOrList<T>
        path={`${rulePath}.ports`}
        label="Ports"
        anyLabel="All ports"
        someLabel="Only these ports"
        value={value}
        validation={validation}
        fresh={fresh}
        addLabel="Port"
        addTestId={`add-port:${rulePath}`}
        onChange={onChange}
        renderItem={(port, portPath, change, remove) => (
          <Row path={portPath} value={port} validation={validation} onChange={change} onRemove={remove} />
        )}
      />
    </>
  );
}

/** Protocol, port (or name) and end port, as in a NetworkPolicyPort. */
export function PortRangeFields({
  path,
  value,
  onChange,
  validation,
  portPlaceholder,
  endPlaceholder,
}: {
  path: string;
  value: { readonly protocol: Protocol; readonly port: string; readonly endPort: string };
  onChange: (value: { protocol: Protocol; port: string; endPort: string }) => void;
  validation: DraftValidation;
  portPlaceholder: string;
  endPlaceholder: string;
}) {
  return (
    <>
      <SelectField
        path={`${path}.protocol`}
        label="Protocol"
        value={value.protocol}
        options={PROTOCOLS}
        validation={validation}
        onChange={(protocol) => onChange({ ...value, protocol })}
      />
      <TextField
        path={`${path}.port`}
        label="Port"
        placeholder={portPlaceholder}
        value={value.port}
        validation={validation}
        onChange={(port) => onChange({ ...value, port })}
      />
      <span className="ed-eq muted" aria-hidden="true">
        –
      </span>
      <TextField
        path={`${path}.endPort`}
        label="End port"
        placeholder={endPlaceholder}
        value={value.endPort}
        validation={validation}
        onChange={(endPort) => onChange({ ...value, endPort })}
      />
    </>
  );
}

export function DescriptionField({
  value,
  onChange,
  validation,
}: {
  value: string;
  onChange: (value: string) => void;
  validation: DraftValidation;
}) {
  return (
    <>
      <span className="ed-key">Description</span>
      <div>
        <textarea
          className="ed-input ed-textarea"
          data-field="description"
          aria-label="Description"
          rows={2}
          placeholder="What this policy is for (optional)"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
        <FieldIssues validation={validation} path="description" />
      </div>
    </>
  );
}

/** The section around one direction's rules: title and count, a hint, the rules, an add button. */
export function RuleSection({
  direction,
  count,
  hint,
  onAdd,
  validation,
  children,
}: {
  direction: Direction;
  count: number;
  hint: ReactNode;
  onAdd: () => void;
  validation: DraftValidation;
  children: ReactNode;
}) {
  return (
    <section className="ed-section" data-testid={`${direction}-rules`}>
      <h3 className="section-title">
        <span>{direction === 'ingress' ? 'Ingress rules' : 'Egress rules'}</span>
        <span className="section-aside">{count === 0 ? 'none' : String(count)}</span>
      </h3>
      {hint !== null && <p className="fine-print ed-hint">{hint}</p>}
      {children}
      <AddButton testId={`add-${direction}-rule`} onClick={onAdd}>
        {direction === 'ingress' ? 'Ingress rule' : 'Egress rule'}
      </AddButton>
      <FieldIssues validation={validation} path={direction} />
    </section>
  );
}
