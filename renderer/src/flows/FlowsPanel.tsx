/**
 * The Flows panel (beside the graph, where the details go): what the imported flows confirm and
 * contradict, with each contradiction's likely cause, audit findings, the rules that allowed none of
 * the seen traffic (tightening candidates), endpoints not in the snapshot, and the verdict filter the
 * graph's flows layer follows. "Draft policies" opens the generator's drafts in the editor.
 */
import type { FindingStatus } from '../../../shared/flows/index.ts';
import type { FlowFindingView, FlowsView } from '../analysis/flows.ts';
import { IconClose } from '../components/icons.tsx';
import { ALL_STATUSES } from '../store/flows-store.ts';
import { useFlows, useFlowsHandle } from './hooks.ts';
import { WindowFilter } from './WindowFilter.tsx';

const STATUS_LABEL: Readonly<Record<FindingStatus, string>> = {
  contradiction: 'Contradictions',
  audit: 'Audit',
  confirmed: 'Confirmed',
  undecided: 'Undecided',
};

const CAUSE_LABEL: Readonly<Record<string, string>> = {
  'unmodelled-cni-policy': 'a CNI policy outside the analysis',
  'policy-changed': 'the policies changed since (likely)',
  'cni-semantics': 'the CNI reads the policy differently',
};

const n = (x: number): string => x.toLocaleString('en-US');

function observedText(f: FlowFindingView): string {
  const seen =
    f.observed === 'allowed' ? 'seen allowed' : f.observed === 'denied' ? 'dropped by policy' : 'audit';
  return `${seen}; policies: ${f.evaluated}`;
}

function Finding({ f }: { f: FlowFindingView }) {
  return (
    <li className={`flow-finding status-${f.status}`} data-testid="flow-finding" data-status={f.status}>
      <div className="flow-finding-head">
        <span className="mono flow-ends">
          {f.src.label} → {f.dst.label}
        </span>
        <span className="mono flow-port">
          {f.port}/{f.protocol}
        </span>
        <span className="flow-count" title="connections seen">
          {n(f.count)}
        </span>
      </div>
      <div className="flow-finding-meta">{observedText(f)}</div>
      {f.cause !== undefined && (
        <div className="flow-cause" data-testid="flow-cause" data-cause={f.cause.kind}>
          <strong>Likely cause: {CAUSE_LABEL[f.cause.kind] ?? f.cause.kind}.</strong> {f.cause.detail}
        </div>
      )}
      {f.note !== undefined && <div className="flow-finding-meta">{f.note}</div>}
      {f.decidedBy.length > 0 && (
        <div className="flow-finding-meta mono">{f.decidedBy.slice(0, 4).join(' · ')}</div>
      )}
      <div className="flow-finding-meta mono">{f.location}</div>
    </li>
  );
}

function windowText(view: FlowsView): string | undefined {
  const { first, last } = view.window;
  if (first === undefined || last === undefined) return undefined;
  return `${new Date(first).toISOString()} – ${new Date(last).toISOString()}`;
}

function Kept() {
  const kept = useFlows((s) => s.kept);
  if (kept === undefined) return null;
  return <KeptLine kept={kept} />;
}

/** Whether the editor's drafts keep every seen allowed flow (also shown over the graph while editing). */
export function KeptLine({ kept }: { kept: NonNullable<ReturnType<typeof useFlowsKept>> }) {
  const all = kept.kept === kept.total;
  return (
    <div
      className={`flows-kept ${all ? 'flows-kept-ok' : 'flows-kept-lost'}`}
      role="status"
      data-testid="flows-kept"
      data-kept={kept.kept}
      data-total={kept.total}
      data-opened={kept.opened}
    >
      {all
        ? `The drafts keep all ${n(kept.total)} seen allowed flows.`
        : `The drafts would deny ${n(kept.total - kept.kept)} of ${n(kept.total)} seen allowed flows: ${kept.lost.slice(0, 3).join('; ')}`}
      {kept.opened > 0 &&
        ` They also allow ${n(kept.opened)} seen ${kept.opened === 1 ? 'flow' : 'flows'} that the policies deny now (contradictions).`}
    </div>
  );
}

export function useFlowsKept() {
  return useFlows((s) => s.kept);
}

/** Over the graph while the editor previews drafts and flows are imported. */
export function FlowsKeptBanner() {
  const kept = useFlowsKept();
  if (kept === undefined) return null;
  return (
    <div className="flows-kept-banner">
      <KeptLine kept={kept} />
    </div>
  );
}

export function FlowsPanel() {
  const handle = useFlowsHandle();
  const view = useFlows((s) => s.view);
  const statuses = useFlows((s) => s.statuses);
  const layer = useFlows((s) => s.layer);
  const generate = useFlows((s) => s.generate);
  const status = useFlows((s) => s.status);
  const { setOpen, setLayer, toggleStatus } = useFlows((s) => s);
  if (view === undefined || handle === undefined) return null;
  const records = view.read.records.hubble + view.read.records.calico;
  const unused = view.rules.filter((r) => r.flows === 0);
  const shown = view.findings.filter((f) => statuses.includes(f.status));
  const window = windowText(view);
  return (
    <aside className="details flows-panel" aria-label="Observed flows" data-testid="flows-panel">
      <div className="details-header">
        <div className="details-heading">
          <div className="eyebrow">Observed flows</div>
          <h2 className="details-title">{view.files.join(', ')}</h2>
          <div className="flows-sub">
            {view.selected !== undefined
              ? `${n(Math.max(0, records - view.outsideWindow))} of ${n(records)} records (time window)`
              : `${n(records)} records`}{' '}
            → {n(view.flows)} flows
            {window !== undefined && <span className="mono"> · {window}</span>}
          </div>
        </div>
        <div className="details-actions">
          <button type="button" className="button" data-testid="flows-clear" onClick={() => handle.clear()}>
            Clear
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Close flows"
            onClick={() => setOpen(false)}
          >
            <IconClose />
          </button>
        </div>
      </div>
      <div className="details-body">
        {status.step === 'failed' && (
          <div className="flows-error" role="alert" data-testid="flows-error">
            {status.message}
          </div>
        )}
        <div className="flows-filters" role="group" aria-label="Verdicts shown">
          {ALL_STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip flows-chip status-${s} ${statuses.includes(s) ? 'on' : ''}`}
              aria-pressed={statuses.includes(s)}
              data-testid={`flows-filter-${s}`}
              data-count={view.counts[s]}
              onClick={() => toggleStatus(s)}
            >
              {STATUS_LABEL[s]} <strong>{n(view.counts[s])}</strong>
            </button>
          ))}
        </div>
        <WindowFilter view={view} />
        <label className="flows-toggle">
          <input
            type="checkbox"
            checked={layer}
            data-testid="flows-layer"
            onChange={(e) => setLayer(e.currentTarget.checked)}
          />{' '}
          Show on the graph (clear the selection to see it)
        </label>
        <div className="flows-legend" aria-label="Flows on the graph">
          <span className="flows-swatch swatch-seen" /> seen, allowed
          <span className="flows-swatch swatch-seen-denied" /> seen dropped
          <span className="flows-swatch swatch-contradiction" /> contradiction
          <span className="flows-swatch swatch-audit" /> audit · thicker: more connections
        </div>
        <div className="flows-generate">
          <button
            type="button"
            className="button"
            data-testid="flows-generate"
            disabled={generate.step === 'running'}
            title="Least-privilege NetworkPolicy drafts allowing the seen allowed flows; opened in the editor, nothing saved or applied"
            onClick={() => void handle.generateDrafts()}
          >
            Draft policies from flows
          </button>
          {generate.step === 'done' && (
            <span className="flows-sub" data-testid="flows-generated">
              {generate.opened === 0
                ? 'No new draft (already open, or no allowed flow between mapped pods).'
                : `${n(generate.opened)} ${generate.opened === 1 ? 'draft' : 'drafts'} opened in the editor`}
              {generate.skipped > 0 && `; ${n(generate.skipped)} flows left out`}
            </span>
          )}
          {generate.step === 'failed' && (
            <span className="flows-error" role="alert">
              {generate.message}
            </span>
          )}
        </div>
        <Kept />
        <section className="flows-section">
          <h3 className="section-title">
            Flows ({n(shown.length)}
            {shown.length < view.findings.length ? ` of ${n(view.findings.length)}` : ''})
          </h3>
          {shown.length === 0 ? (
            <p className="flows-sub">No flow with the verdicts chosen.</p>
          ) : (
            <ul className="flow-findings">
              {shown.map((f, i) => (
                <Finding key={i} f={f} />
              ))}
            </ul>
          )}
        </section>
        <section className="flows-section" data-testid="flows-unused">
          <h3 className="section-title">
            Allowed but never seen ({n(unused.length)} of {n(view.rules.length)} rules)
          </h3>
          <p className="flows-sub">
            Rules that allowed none of the imported traffic
            {view.selected !== undefined ? ' in the time window' : ''}: candidates to tighten.
          </p>
          <ul className="flows-rules">
            {unused.slice(0, 200).map((r) => (
              <li
                key={`${r.policy}|${r.direction}|${r.rule}`}
                className="mono"
                data-testid="flows-unused-rule"
              >
                {r.policy} {r.direction}[{r.rule}]{r.ruleName !== undefined ? ` (${r.ruleName})` : ''}
                {r.tier !== 'NetworkPolicy' ? ` · ${r.tier}` : ''}
              </li>
            ))}
          </ul>
        </section>
        {view.unmapped.length > 0 && (
          <section className="flows-section">
            <h3 className="section-title">Endpoints not in the snapshot ({n(view.unmappedFlows)} flows)</h3>
            <ul className="flows-rules">
              {view.unmapped.map((u) => (
                <li key={u.label}>
                  <span className="mono">{u.label}</span> ({n(u.records)} records): {u.reason}
                </li>
              ))}
            </ul>
          </section>
        )}
        {view.read.errorCount > 0 && (
          <section className="flows-section">
            <h3 className="section-title">Lines that are not flow records ({n(view.read.errorCount)})</h3>
            <ul className="flows-rules">
              {view.errors.slice(0, 10).map((e) => (
                <li key={e} className="mono">
                  {e}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </aside>
  );
}
