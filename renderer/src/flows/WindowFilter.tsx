/**
 * The time window of the Flows panel: a From and a To bound over the imported records' times, each a
 * range control (mouse, or arrow keys and Page Up/Down) and an RFC 3339 field for an exact time. The
 * ends of a range mean "open" (every record on that side); the worker compares again once the hand
 * pauses, and every list, count, and "allowed but never seen" follows.
 */
import { useState } from 'react';
import { parseRfc3339, type TimeWindow } from '../../../shared/flows/index.ts';
import type { FlowsView } from '../analysis/flows.ts';
import { useFlows, useFlowsHandle } from './hooks.ts';

/** Positions of a range control over the imported window. */
const STEPS = 1000;

const n = (x: number): string => x.toLocaleString('en-US');

function Bound({
  label,
  side,
  value,
  first,
  last,
  onChange,
}: {
  label: string;
  side: 'since' | 'until';
  value: number | undefined;
  first: number;
  last: number;
  onChange: (ms: number | undefined) => void;
}) {
  const [draft, setDraft] = useState<string>();
  const [error, setError] = useState<string>();
  const span = last - first;
  const open = side === 'since' ? 0 : STEPS;
  const position =
    value === undefined ? open : Math.min(STEPS, Math.max(0, Math.round(((value - first) / span) * STEPS)));
  const shown = value ?? (side === 'since' ? first : last);
  const apply = (): void => {
    if (draft === undefined) return;
    const text = draft.trim();
    setDraft(undefined);
    if (text === '') {
      setError(undefined);
      onChange(undefined);
      return;
    }
    const parsed = parseRfc3339(text);
    if (!parsed.ok) {
      setError(`${label}: ${parsed.error}`);
      return;
    }
    setError(undefined);
    onChange(parsed.ms);
  };
  return (
    <div className="flows-window-bound">
      <label className="flows-window-label" htmlFor={`flows-window-${side}`}>
        {label}
      </label>
      <input
        id={`flows-window-${side}`}
        type="range"
        min={0}
        max={STEPS}
        step={1}
        value={position}
        aria-valuetext={new Date(shown).toISOString()}
        data-testid={`flows-window-${side}-range`}
        onChange={(e) => {
          const p = Number(e.currentTarget.value);
          setDraft(undefined);
          setError(undefined);
          onChange(p === open ? undefined : Math.round(first + (p / STEPS) * span));
        }}
      />
      <input
        type="text"
        className="mono flows-window-text"
        aria-label={`${label} (RFC 3339 time)`}
        spellCheck={false}
        value={draft ?? new Date(shown).toISOString()}
        aria-invalid={error !== undefined}
        data-testid={`flows-window-${side}-text`}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply();
          // Escape first takes back what was typed; only then does it reach the app (clear selection).
          if (e.key === 'Escape' && (draft !== undefined || error !== undefined)) {
            e.preventDefault();
            setDraft(undefined);
            setError(undefined);
          }
        }}
      />
      {error !== undefined && (
        <div className="flows-error" role="alert" data-testid={`flows-window-${side}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

export function WindowFilter({ view }: { view: FlowsView }) {
  const handle = useFlowsHandle();
  const window = useFlows((s) => s.window);
  const { first, last } = view.window;
  if (handle === undefined || first === undefined || last === undefined || last <= first) return null;
  const set = (next: TimeWindow): void => {
    // A From past the To (or the reverse) moves the other bound along: the window never inverts.
    let { since, until } = next;
    if (since !== undefined && until !== undefined && since > until) {
      if (since !== window.since) until = since;
      else since = until;
    }
    handle.setWindow({
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
    });
  };
  const chosen = window.since !== undefined || window.until !== undefined;
  return (
    <fieldset className="flows-window" data-testid="flows-window">
      <legend className="flows-window-legend">Time window</legend>
      <Bound
        label="From"
        side="since"
        value={window.since}
        first={first}
        last={last}
        onChange={(since) => set({ ...window, since })}
      />
      <Bound
        label="To"
        side="until"
        value={window.until}
        first={first}
        last={last}
        onChange={(until) => set({ ...window, until })}
      />
      <div className="flows-window-foot">
        <span className="flows-sub" data-testid="flows-window-outside" data-outside={view.outsideWindow}>
          {view.selected === undefined
            ? 'Every record'
            : `${n(view.outsideWindow)} ${view.outsideWindow === 1 ? 'record' : 'records'} outside the window`}
        </span>
        <button
          type="button"
          className="button"
          data-testid="flows-window-reset"
          disabled={!chosen}
          onClick={() => handle.setWindow({})}
        >
          All records
        </button>
      </div>
    </fieldset>
  );
}
