/**
 * The "Observed flows" section of the pod and policy details, shown while flows are imported: for a
 * pod, the seen flows into and out of it with their verdicts; for a policy, per rule the seen flows it
 * allowed ("ingress[0] matched 1,204 connections in 3 flows; ingress[1]: none"). The worker computes
 * both from the comparison (analysis/flows.ts → shared/flows/views.ts); this only lays them out.
 */
import { useState, type ReactNode } from 'react';
import type { FindingStatus, PodFlow, RuleFlows, RuleSeen } from '../../../shared/flows/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { PodLink } from '../components/detail-parts.tsx';
import { plural, Section, Spinner } from '../components/parts.tsx';
import { editorDraftOriginKey } from '../../../shared/editor/index.ts';
import { useEditorHandle } from '../editor/hooks.ts';
import { useFlows, useFlowsHandle, usePodFlows, usePolicyFlows, type FlowsDetail } from './hooks.ts';
import { noteTightened, tightenedText } from './tighten-note.tsx';

/** Rows shown before "Show all". */
const FIRST_ROWS = 6;

const STATUS_WORD: Readonly<Record<FindingStatus, string>> = {
  contradiction: 'contradiction',
  audit: 'audit',
  confirmed: 'confirmed',
  undecided: 'undecided',
};

const OBSERVED_WORD: Readonly<Record<PodFlow['observed'], string>> = {
  allowed: 'seen allowed',
  denied: 'dropped by policy',
  audit: 'audit',
};

const n = (x: number): string => x.toLocaleString('en-US');

/** `between … and …` when a window is chosen. */
function WindowNote() {
  const selected = useFlows((s) => s.view?.selected);
  if (selected === undefined) return null;
  const from = selected.since !== undefined ? new Date(selected.since).toISOString() : 'the first record';
  const to = selected.until !== undefined ? new Date(selected.until).toISOString() : 'the last record';
  return (
    <p className="fine-print" data-testid="flows-detail-window">
      Records from {from} to {to} only.
    </p>
  );
}

function Pending<T>({ detail, children }: { detail: FlowsDetail<T>; children: (value: T) => ReactNode }) {
  if (detail.step === 'loading') return <Spinner label="Comparing flows…" />;
  if (detail.step === 'failed')
    return (
      <p className="flows-error" role="alert">
        {detail.message}
      </p>
    );
  if (detail.step === 'ready') return <>{children(detail.value)}</>;
  return null;
}

/** The first rows, and a button for the rest (a long list stays one keystroke away). */
function Rows<T>({
  items,
  render,
  testId,
  label,
}: {
  items: readonly T[];
  render: (item: T, i: number) => ReactNode;
  testId: string;
  label: string;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, FIRST_ROWS);
  return (
    <>
      <ul className="flows-detail-rows" data-testid={testId} aria-label={label}>
        {shown.map(render)}
      </ul>
      {items.length > shown.length && (
        <button type="button" className="flows-more" onClick={() => setAll(true)}>
          Show all {n(items.length)}
        </button>
      )}
    </>
  );
}

function PodFlowRow({ f, snapshot }: { f: PodFlow; snapshot: Snapshot }) {
  return (
    <li
      className={`flows-detail-row status-${f.status}`}
      data-testid="pod-flow"
      data-status={f.status}
      data-peer={f.peer}
    >
      <div className="flows-detail-head">
        <span className="flows-detail-peer">
          {f.peerPod !== undefined ? (
            <PodLink podKey={f.peerPod} snapshot={snapshot} />
          ) : (
            <span className="mono">{f.peer}</span>
          )}
        </span>
        <span className="mono">
          {f.port}/{f.protocol}
        </span>
        <span className="flow-count" title="connections seen">
          {n(f.count)}
        </span>
      </div>
      <div className="flow-finding-meta">
        <span className={`flows-status status-${f.status}`}>{STATUS_WORD[f.status]}</span>{' '}
        {OBSERVED_WORD[f.observed]}; policies: {f.evaluated}
      </div>
      {f.cause !== undefined && <div className="flow-cause">Likely cause: {f.cause.detail}</div>}
    </li>
  );
}

function totalsText(totals: Readonly<Record<FindingStatus, { flows: number; connections: number }>>): string {
  const parts = (['confirmed', 'contradiction', 'audit', 'undecided'] as const)
    .filter((s) => totals[s].flows > 0 || s !== 'undecided')
    .map((s) => `${n(totals[s].connections)} ${STATUS_WORD[s]}`);
  return parts.join(' · ');
}

/** A pod's seen flows (`pod`: `namespace/name`). */
export function PodFlowsSection({ pod, snapshot }: { pod: string; snapshot: Snapshot }) {
  const detail = usePodFlows(pod);
  if (detail.step === 'none') return null;
  return (
    <Section title="Observed flows" testId="pod-flows">
      <WindowNote />
      <Pending detail={detail}>
        {(v) => (
          <>
            {(['inbound', 'outbound'] as const).map((dir) => {
              const list = v[dir];
              return (
                <div key={dir} className="flows-detail-dir" data-testid={`pod-flows-${dir}`}>
                  <h4 className="flows-detail-title">
                    {dir === 'inbound' ? 'In' : 'Out'}{' '}
                    <span className="rule-count" data-testid={`pod-flows-${dir}-totals`}>
                      {list.length === 0 ? 'none seen' : `connections: ${totalsText(v.totals[dir])}`}
                    </span>
                  </h4>
                  {list.length > 0 && (
                    <Rows
                      items={list}
                      testId={`pod-flows-${dir}-list`}
                      label={`Seen flows ${dir === 'inbound' ? 'into' : 'out of'} ${pod}`}
                      render={(f, i) => <PodFlowRow key={i} f={f} snapshot={snapshot} />}
                    />
                  )}
                </div>
              );
            })}
          </>
        )}
      </Pending>
    </Section>
  );
}

function SeenRow({ s }: { s: RuleSeen }) {
  return (
    <li className={`flows-detail-row status-${s.status}`} data-testid="rule-seen-flow">
      <div className="flows-detail-head">
        <span className="mono flows-detail-peer">
          {s.from} → {s.to}
        </span>
        <span className="mono">
          {s.port}/{s.protocol}
        </span>
        <span className="flow-count" title="connections seen">
          {n(s.connections)}
        </span>
      </div>
    </li>
  );
}

function RuleRow({ r }: { r: RuleFlows['rules'][number] }) {
  const label = `${r.direction}[${r.rule}]${r.ruleName !== undefined ? ` (${r.ruleName})` : ''}`;
  const head = (
    <>
      <span className={`tag tag-${r.direction}`}>{label}</span>
      {r.flows === 0 ? (
        <span className="rule-count warn-text">none seen: allowed but never used</span>
      ) : (
        <span className="rule-count">
          matched {plural(r.connections, 'connection')} in {plural(r.flows, 'flow')}
        </span>
      )}
    </>
  );
  return (
    <li
      className="flows-rule"
      data-testid="policy-rule-flows"
      data-rule={`${r.direction}[${r.rule}]`}
      data-flows={r.flows}
      data-connections={r.connections}
    >
      {r.flows === 0 ? (
        <div className="flows-rule-head">{head}</div>
      ) : (
        <details>
          <summary className="flows-rule-head">{head}</summary>
          <Rows
            items={r.seen}
            testId="rule-seen"
            label={`Seen flows ${label} allowed`}
            render={(s, i) => <SeenRow key={i} s={s} />}
          />
          {r.flows > r.seen.length && (
            <p className="fine-print">
              The {n(r.seen.length)} busiest of {n(r.flows)} flows.
            </p>
          )}
        </details>
      )}
    </li>
  );
}

/** Per rule of a policy (NetworkPolicy `namespace/name`, or an admin policy's key), what it allowed. */
type TightenState =
  | { readonly step: 'idle' }
  | { readonly step: 'running' }
  | { readonly step: 'done'; readonly text: string }
  | { readonly step: 'failed'; readonly text: string };

/**
 * "Tighten to what was seen": the policy without the rules no seen flow used, its open rules narrowed
 * to the seen peers and ports, opened in the editor as an edit of it (the what-if shows what it would
 * stop allowing). Only NetworkPolicies: admin and CNI policies decide in order, which a cut rule changes.
 */
function TightenButton({ policyKey }: { policyKey: string }) {
  const handle = useFlowsHandle();
  const editor = useEditorHandle().store;
  const [state, setState] = useState<TightenState>({ step: 'idle' });
  if (handle === undefined || !/^[^:]+\/[^/]+$/.test(policyKey)) return null;
  const run = async (): Promise<void> => {
    setState({ step: 'running' });
    const outcome = await handle.tightenPolicy(policyKey);
    // The editor now shows the tightened draft in this panel's place: the outcome goes with it there.
    if (outcome.ok) {
      const { activeId, drafts } = editor.getState();
      const shown = drafts.find((d) => d.id === activeId);
      if (shown !== undefined && editorDraftOriginKey(shown.draft) === policyKey)
        noteTightened(editor, shown.id, tightenedText(outcome.value));
    }
    setState(
      outcome.ok
        ? {
            step: 'done',
            text: `Opened in the editor: ${plural(outcome.value.removed, 'unused rule')} removed, ${plural(outcome.value.narrowed, 'open rule')} narrowed to the ${plural(outcome.value.flows, 'seen flow')}.`,
          }
        : { step: 'failed', text: outcome.error },
    );
  };
  return (
    <div className="flows-tighten">
      <button
        type="button"
        className="button"
        data-testid="flows-tighten"
        disabled={state.step === 'running'}
        title="This policy without the rules no seen flow used, its open rules cut to the seen peers and ports; opened in the editor, nothing saved or applied"
        onClick={() => void run()}
      >
        Tighten to what was seen
      </button>
      {(state.step === 'done' || state.step === 'failed') && (
        <span
          className={`flows-sub ${state.step === 'failed' ? 'warn-text' : ''}`}
          data-testid="flows-tightened"
          role="status"
        >
          {state.text}
        </span>
      )}
    </div>
  );
}

export function PolicyFlowsSection({ policyKey }: { policyKey: string }) {
  const detail = usePolicyFlows(policyKey);
  if (detail.step === 'none') return null;
  return (
    <Section
      title="Observed flows"
      testId="policy-flows"
      aside={
        detail.step === 'ready' && detail.value.rules.length > 0
          ? `${detail.value.rules.filter((r) => r.flows > 0).length} of ${detail.value.rules.length} rules used`
          : undefined
      }
    >
      <WindowNote />
      <Pending detail={detail}>
        {(v) =>
          v.rules.length === 0 ? (
            <p className="fine-print">
              No rule of this policy allows traffic, so no seen flow is counted against it.
            </p>
          ) : (
            <>
              <ul className="flows-rule-list">
                {v.rules.map((r) => (
                  <RuleRow key={`${r.direction}[${r.rule}]`} r={r} />
                ))}
              </ul>
              <TightenButton policyKey={policyKey} />
            </>
          )
        }
      </Pending>
    </Section>
  );
}
