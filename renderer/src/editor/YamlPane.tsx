/**
 * The YAML beside the form, both ways: the form's draft is written out (`editorDraftToYaml`); text
 * typed here is read back (`editorDraftFromYaml`) into the form as soon as it holds one valid policy
 * of the draft's kind (NetworkPolicy or ClusterNetworkPolicy), and until then its errors show at
 * their lines and go to `onErrors`, so that the rest of the editor counts the draft as invalid.
 * Long lines wrap (at any character, so that a line's rows are its length over the columns) and the
 * gutter gives each number the height of its wrapped line.
 */
import { useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type RefObject } from 'react';
import type { LoadIssue } from '../../../shared/model/snapshot.ts';
import type { EditorDraft } from '../../../shared/editor/index.ts';
import { editorDraftFromYaml, editorDraftToYaml } from '../../../shared/editor/index.ts';

/** The characters one row of the textarea holds (monospace, wrapping anywhere); 0 while unknown. */
function useColumns(area: RefObject<HTMLTextAreaElement | null>): number {
  const [cols, setCols] = useState(0);
  useLayoutEffect(() => {
    const el = area.current;
    if (el === null || typeof ResizeObserver === 'undefined') return;
    const measure = (): void => {
      const style = getComputedStyle(el);
      const width = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const probe = document.createElement('span');
      probe.style.font = style.font;
      probe.style.whiteSpace = 'pre';
      probe.style.position = 'absolute';
      probe.style.visibility = 'hidden';
      probe.textContent = 'x'.repeat(100);
      document.body.append(probe);
      const charWidth = probe.getBoundingClientRect().width / 100;
      probe.remove();
      setCols(charWidth > 0 && width > 0 ? Math.max(1, Math.floor(width / charWidth)) : 0);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [area]);
  return cols;
}

/** A gutter row as tall as its line wrapped at `cols` (one row when the width is unknown). */
function rowsStyle(line: string, cols: number): CSSProperties | undefined {
  if (cols === 0 || line.length <= cols) return undefined;
  return { height: `${Math.ceil(line.length / cols) * 1.55}em` };
}

export function YamlPane({
  draft,
  onChange,
  onErrors,
}: {
  draft: EditorDraft;
  onChange: (draft: EditorDraft) => void;
  /** The errors of text that does not load ([] once it loads). */
  onErrors?: (issues: readonly LoadIssue[]) => void;
}) {
  const written = useMemo(() => editorDraftToYaml(draft), [draft]);
  const [text, setText] = useState(written);
  const [issues, setIssues] = useState<readonly LoadIssue[]>([]);
  // The draft the text was last synced with, and the one our own typing produced. Adjusted during
  // render (not in an effect) so the textarea never shows one frame of the previous draft's YAML.
  const [shown, setShown] = useState(draft);
  const [typed, setTyped] = useState<EditorDraft | undefined>(undefined);
  const gutter = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const cols = useColumns(area);

  if (shown !== draft) {
    setShown(draft);
    // A change made in the form (or another draft shown) rewrites the text; our own does not.
    if (typed !== draft) {
      setText(written);
      setIssues([]);
    }
    setTyped(undefined);
  }

  const edit = (next: string): void => {
    setText(next);
    const result = editorDraftFromYaml(next, draft);
    setIssues(result.issues.filter((i) => i.severity !== 'info'));
    if (result.ok) {
      setTyped(result.draft);
      onChange(result.draft);
    } else {
      onErrors?.(result.issues);
    }
  };

  const lines = text.split('\n');
  const byLine = new Map<number, LoadIssue[]>();
  for (const issue of issues) {
    const line = issue.location?.line ?? 1;
    byLine.set(line, [...(byLine.get(line) ?? []), issue]);
  }
  const errors = issues.filter((i) => i.severity === 'error');
  return (
    <div className="ed-yaml" data-testid="yaml-pane" data-valid={errors.length === 0 ? 'true' : 'false'}>
      <div className="ed-yaml-editor">
        <div className="ed-yaml-gutter" ref={gutter} aria-hidden="true">
          {lines.map((_, i) => (
            <div
              key={i}
              className={byLine.has(i + 1) ? 'ed-yaml-mark' : ''}
              data-line={i + 1}
              style={rowsStyle(lines[i] ?? '', cols)}
            >
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          className="ed-yaml-text"
          aria-label="Policy YAML"
          data-testid="yaml-text"
          spellCheck={false}
          ref={area}
          wrap="soft"
          value={text}
          onScroll={(e) => {
            if (gutter.current !== null) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onChange={(e) => edit(e.target.value)}
        />
      </div>
      {issues.length > 0 && (
        <ul className="ed-yaml-issues" data-testid="yaml-issues">
          {issues.map((issue, i) => (
            <li
              key={i}
              className={`ed-issue ed-issue-${issue.severity}`}
              data-line={issue.location?.line ?? ''}
              data-testid="yaml-issue"
            >
              <span className="ed-yaml-line mono">line {issue.location?.line ?? '?'}</span>
              {issue.field !== undefined && <span className="mono">{issue.field}: </span>}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
      {errors.length > 0 && (
        <p className="fine-print ed-hint">
          The form keeps the last valid version until the YAML loads; until then the draft cannot be saved,
          copied or applied.
        </p>
      )}
    </div>
  );
}
