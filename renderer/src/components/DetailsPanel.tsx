/**
 * The panel beside the graph: what the selection is and what it does. A policy: its effect (the counts
 * `netglass policy` prints), the pods it selects, the directions it isolates, each rule with what it
 * matches, and its YAML. A pod: the policies that select it per direction, the policies that name it as
 * a peer, and its allowed connections per port. Reach mode (ReachPanel) takes the panel's place.
 */
import { useMemo, type ReactNode } from 'react';
import type { Direction, DirectionIsolation, PortProbe } from '../../../shared/eval/index.ts';
import {
  clusterPolicyKey,
  isClusterPolicyKey,
  podKey,
  type Pod,
  type Snapshot,
} from '../../../shared/model/snapshot.ts';
import type { PeerAccess, PodView } from '../analysis/protocol.ts';
import { describeRules, formatProbe, peerLabel, policiesNamingPod, policyYaml } from '../model/describe.ts';
import {
  adminPodsPerNamespace,
  compareAdminPolicies,
  findClusterPolicy,
  KIND_SHORT,
} from '../model/admin.ts';
import {
  describeSelector,
  findPod,
  findPolicy,
  namespaceColors,
  policyNotes,
  POLICY_NOTE_TEXT,
  summarizeNamespaces,
} from '../model/summary.ts';
import { useAnalysis, useSource, useStores, useView } from '../store/context.tsx';
import type { Selection } from '../store/view-store.ts';
import { IconClose, IconRoute } from './icons.tsx';
import { Field, LabelChips, Location, NsDot, plural, Section, Spinner } from './parts.tsx';
import { ReachPanel } from './ReachPanel.tsx';
import { AdminPolicyDetails } from './AdminPolicyDetails.tsx';
import { EffectCounts, PodLink, PolicyLink, QueryState, TierChip } from './detail-parts.tsx';
import { EditCopyButton } from '../editor/entry.tsx';
import { FailedPoliciesField } from './FailedPolicies.tsx';
import { failedPoliciesByNamespace } from '../model/load-errors.ts';

/** A selected policy: a NetworkPolicy (`namespace/name`) or an admin-tier policy (no slash in its key). */
function AnyPolicyDetails({ policyKey: key, snapshot }: { policyKey: string; snapshot: Snapshot }) {
  if (!isClusterPolicyKey(key)) return <PolicyDetails policyKey={key} snapshot={snapshot} />;
  const policy = findClusterPolicy(snapshot, key);
  if (policy === undefined) return <div className="callout">This policy is no longer in the source.</div>;
  return <AdminPolicyDetails policyKey={key} policy={policy} snapshot={snapshot} />;
}

function PolicyDetails({ policyKey: key, snapshot }: { policyKey: string; snapshot: Snapshot }) {
  const query = useAnalysis((s) => s.policy);
  const policy = findPolicy(snapshot, key);
  const rules = useMemo(() => (policy !== undefined ? describeRules(policy) : []), [policy]);
  const yaml = useMemo(() => (policy !== undefined ? policyYaml(policy) : ''), [policy]);
  if (policy === undefined) return <div className="callout">This policy is no longer in the source.</div>;
  const notes = policyNotes(policy);
  const effect = query?.subject === key ? query.value : undefined;
  return (
    <>
      <Section title="Effect" aside={query?.status === 'loading' ? <Spinner label="" /> : undefined}>
        <QueryState query={query?.subject === key ? query : undefined}>
          {(e) => <EffectCounts effect={e} />}
        </QueryState>
      </Section>
      <Section title="Selects" testId="policy-selects">
        <dl className="fields">
          <Field label="Selector">
            <span className="mono">{describeSelector(policy.podSelector, 'every pod in the namespace')}</span>
          </Field>
          <Field label="Pods">
            {effect === undefined ? (
              <span className="muted">…</span>
            ) : effect.selects.length === 0 ? (
              <span className="warn-text">selects no pod</span>
            ) : (
              <span className="chips">
                {effect.selects.slice(0, 60).map((p) => (
                  <PodLink key={p} podKey={p} snapshot={snapshot} />
                ))}
                {effect.selects.length > 60 && (
                  <span className="muted">+{effect.selects.length - 60} more</span>
                )}
              </span>
            )}
          </Field>
          <Field label="Isolates">
            <span className="chips" data-testid="policy-isolates">
              {policy.policyTypes.includes('Ingress') && <span className="tag tag-ingress">Ingress</span>}
              {policy.policyTypes.includes('Egress') && <span className="tag tag-egress">Egress</span>}
              {policy.policyTypes.length === 0 && <span className="muted">no direction</span>}
              {!policy.policyTypesDeclared && <span className="muted">(policyTypes defaulted)</span>}
            </span>
          </Field>
          <Field label="Namespace">{policy.namespace}</Field>
          <Location location={policy.location} />
        </dl>
        {notes.length > 0 && (
          <ul className="notes">
            {notes.map((n) => (
              <li key={n} className={`note note-${n}`}>
                {POLICY_NOTE_TEXT[n]}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section
        title="Rules"
        aside={rules.length === 0 ? undefined : String(rules.length)}
        testId="policy-rules"
      >
        {rules.length === 0 && (
          <p className="fine-print">
            No rules: every direction it isolates is denied for the pods it selects, unless another policy
            allows it.
          </p>
        )}
        <ol className="rule-list">
          {rules.map((r) => {
            const re = effect?.rules.find((x) => x.direction === r.direction && x.rule === r.index);
            return (
              <li
                key={r.label}
                className={`rule ${re?.matchesNothing === true && !r.ignored ? 'rule-nothing' : ''} ${r.ignored ? 'rule-ignored' : ''}`}
                data-testid="rule"
                data-rule={r.label}
                data-matches-nothing={re?.matchesNothing === true ? 'true' : 'false'}
              >
                <div className="rule-head">
                  <span className={`tag tag-${r.direction}`}>{r.label}</span>
                  {r.ignored ? (
                    <span className="tag">ignored: not in policyTypes</span>
                  ) : re === undefined ? null : re.matchesNothing ? (
                    <span className="tag tag-deny">matches nothing</span>
                  ) : (
                    <span className="rule-count">{plural(re.matched, 'connection')}</span>
                  )}
                </div>
                <div className="rule-body">
                  <span className="rule-key">{r.direction === 'ingress' ? 'from' : 'to'}</span>
                  <span>
                    {r.peers.map((p, i) => (
                      <span key={i} className="rule-item">
                        {p}
                      </span>
                    ))}
                  </span>
                  <span className="rule-key">ports</span>
                  <span>
                    {r.ports.map((p, i) => (
                      <span key={i} className="rule-item mono">
                        {p}
                      </span>
                    ))}
                  </span>
                </div>
              </li>
            );
          })}
        </ol>
      </Section>
      <Section title="YAML" aside={<span className="muted">read-only</span>}>
        <pre className="yaml" data-testid="policy-yaml" tabIndex={0} aria-label="Policy YAML">
          {yaml}
        </pre>
      </Section>
    </>
  );
}

function IsolationLine({
  direction,
  isolated,
  policies,
  tiered,
}: {
  direction: Direction;
  isolated: boolean | 'unknown';
  policies: readonly string[];
  /** Admin-tier policies also apply in this direction: "not isolated" is then no warning. */
  tiered?: boolean;
}) {
  return (
    <div className="iso-line" data-testid={`isolation-${direction}`} data-isolated={String(isolated)}>
      {tiered === undefined ? (
        <span className={`tag tag-${direction}`}>{direction === 'ingress' ? 'Ingress' : 'Egress'}</span>
      ) : (
        <span className="iso-tier-label">NetworkPolicy</span>
      )}
      {isolated === true ? (
        <span className="chips">
          isolated by
          {policies.map((p) => (
            <PolicyLink key={p} policy={p} />
          ))}
        </span>
      ) : isolated === 'unknown' ? (
        <span className="muted">may be isolated: this namespace's policies could not all be read</span>
      ) : tiered === true ? (
        <span className="muted">none isolates it</span>
      ) : (
        <span className="warn-text">
          not isolated: {direction === 'ingress' ? 'accepts from anywhere' : 'may connect anywhere'}
        </span>
      )}
    </div>
  );
}

/**
 * The policies that apply to a pod in one direction, in the order they are read: the Admin tier (by
 * priority), its NetworkPolicies, the Baseline tier. The admin lists are the evaluator's
 * (`isolation(pod)`), split by tier.
 */
function DirectionPolicies({
  direction,
  iso,
  snapshot,
}: {
  direction: Direction;
  iso: DirectionIsolation;
  snapshot: Snapshot;
}) {
  const byTier = (tier: 'Admin' | 'Baseline'): string[] =>
    iso.adminPolicies.filter((k) => findClusterPolicy(snapshot, k)?.tier === tier);
  const tierLine = (tier: 'Admin' | 'Baseline') => {
    const keys = byTier(tier);
    return (
      <div
        className={`iso-line iso-tier iso-tier-${tier.toLowerCase()}`}
        data-testid={`${tier.toLowerCase()}-${direction}`}
        data-count={keys.length}
      >
        <span className="iso-tier-label">{tier}</span>
        {keys.length === 0 ? (
          <span className="muted">none applies</span>
        ) : (
          <span className="chips">
            {keys.map((k) => (
              <PolicyLink key={k} policy={k} snapshot={snapshot} />
            ))}
          </span>
        )}
      </div>
    );
  };
  return (
    <div className="iso-block" data-testid={`direction-${direction}`}>
      <span className={`tag tag-${direction}`}>{direction === 'ingress' ? 'Ingress' : 'Egress'}</span>
      <div className="iso-tiers">
        {tierLine('Admin')}
        <IsolationLine
          direction={direction}
          isolated={iso.isolated}
          policies={iso.policies}
          tiered={iso.adminPolicies.length > 0}
        />
        {tierLine('Baseline')}
      </div>
    </div>
  );
}

interface PortGroup {
  readonly probe: PortProbe;
  readonly peers: PeerAccess[];
  readonly unknown: PeerAccess[];
}

function byPort(list: readonly PeerAccess[], ports: readonly PortProbe[]): PortGroup[] {
  const groups = ports.map((probe) => ({ probe, peers: [] as PeerAccess[], unknown: [] as PeerAccess[] }));
  for (const a of list) {
    for (const i of a.allowed) groups[i]?.peers.push(a);
    for (const i of a.unknown) groups[i]?.unknown.push(a);
  }
  return groups.filter((g) => g.peers.length + g.unknown.length > 0);
}

function Connections({
  title,
  list,
  view,
  mentioned,
  totalPods,
  direction,
}: {
  title: string;
  list: readonly PeerAccess[];
  view: PodView;
  mentioned: readonly PortProbe[];
  totalPods: number;
  direction: 'in' | 'out';
}) {
  const groups = byPort(list, view.ports);
  return (
    <Section title={title} aside={plural(list.length, 'peer')} testId={`connections-${direction}`}>
      {groups.length === 0 ? (
        <p className="fine-print">
          Nothing {direction === 'in' ? 'can connect to this pod' : 'is reachable from this pod'}.
        </p>
      ) : (
        <ul className="port-groups">
          {groups.map((g) => {
            const pods = g.peers.filter((p) => p.peer.kind === 'pod').length;
            const external = g.peers.length - pods;
            const everyone = pods >= totalPods - 1;
            return (
              <li key={`${g.probe.protocol}/${g.probe.port}`} className="port-group" data-testid="port-group">
                <div className="port-head">
                  <span className="port-name mono">{formatProbe(g.probe, mentioned)}</span>
                  <span className="muted">
                    {everyone ? 'every pod' : plural(pods, 'pod')}
                    {external > 0 && ` · ${plural(external, 'address class', 'address classes')}`}
                    {g.unknown.length > 0 && ` · ${g.unknown.length} unknown`}
                  </span>
                </div>
                {!everyone && pods > 0 && (
                  <div className="port-peers">
                    {g.peers
                      .filter((p) => p.peer.kind === 'pod')
                      .slice(0, 12)
                      .map((p) => (
                        <span key={peerLabel(p.peer)} className="chip mono">
                          {peerLabel(p.peer)}
                        </span>
                      ))}
                    {pods > 12 && <span className="muted">+{pods - 12} more</span>}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

function PodDetails({ pod, snapshot }: { pod: Pod; snapshot: Snapshot }) {
  const key = podKey(pod);
  const query = useAnalysis((s) => s.pod);
  const load = useAnalysis((s) => s.load);
  const naming = useMemo(() => policiesNamingPod(snapshot, pod), [snapshot, pod]);
  const view = query?.subject === key ? query.value : undefined;
  return (
    <>
      <Section title="Pod">
        <dl className="fields">
          <Field label="Namespace">{pod.namespace}</Field>
          <Field label="Phase">{pod.phase ?? 'unknown'}</Field>
          <Field label="IP">
            <span className="mono">
              {pod.hostNetwork ? 'host network (not subject to policies)' : pod.ips.join(', ') || 'none yet'}
            </span>
          </Field>
          {pod.owner !== undefined && (
            <Field label="Owner">
              {pod.owner.kind} {pod.owner.name}
            </Field>
          )}
          <Field label="Ports">
            {pod.ports.length === 0 ? (
              <span className="muted">none declared</span>
            ) : (
              <span className="chips">
                {pod.ports.map((p, i) => (
                  <span key={i} className="chip mono">
                    {p.name !== undefined ? `${p.name} ` : ''}
                    {p.containerPort}/{p.protocol}
                  </span>
                ))}
              </span>
            )}
          </Field>
          <Field label="Labels">
            <LabelChips labels={pod.labels} />
          </Field>
          <Location location={pod.location} />
        </dl>
      </Section>
      <Section
        title={snapshot.clusterPolicies.length > 0 ? 'Policies that apply to it' : 'Policies that select it'}
        testId="pod-isolation"
      >
        {pod.hostNetwork ? (
          <p className="fine-print">
            Host-network pods are not subject to NetworkPolicy
            {snapshot.clusterPolicies.length > 0 && ' nor to admin-tier policies'}.
          </p>
        ) : view === undefined ? (
          <Spinner />
        ) : (
          <>
            {(['ingress', 'egress'] as const).map((d) =>
              snapshot.clusterPolicies.length > 0 ? (
                <DirectionPolicies key={d} direction={d} iso={view.isolation[d]} snapshot={snapshot} />
              ) : (
                <IsolationLine
                  key={d}
                  direction={d}
                  isolated={view.isolation[d].isolated}
                  policies={view.isolation[d].policies}
                />
              ),
            )}
          </>
        )}
      </Section>
      <Section title="Policies that name it as a peer" aside={String(naming.length)} testId="pod-named-by">
        {naming.length === 0 ? (
          <p className="fine-print">No rule names this pod (rules open to everyone are not listed).</p>
        ) : (
          <ul className="plain-list">
            {naming.map((r) => (
              <li key={`${r.policy}:${r.direction}:${r.rule}`}>
                <PolicyLink policy={r.policy} />
                <span className={`tag tag-${r.direction}`}>
                  {r.direction}[{r.rule}]
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <QueryState query={query?.subject === key ? query : undefined}>
        {(v) => (
          <>
            <Connections
              title="Allowed inbound"
              list={v.inbound}
              view={v}
              mentioned={load?.mentionedPorts ?? []}
              totalPods={snapshot.pods.length}
              direction="in"
            />
            <Connections
              title="Allowed outbound"
              list={v.outbound}
              view={v}
              mentioned={load?.mentionedPorts ?? []}
              totalPods={snapshot.pods.length}
              direction="out"
            />
          </>
        )}
      </QueryState>
    </>
  );
}

function NamespaceDetails({ name, snapshot }: { name: string; snapshot: Snapshot }) {
  const hidden = useView((s) => s.hidden);
  const toggleHidden = useView((s) => s.toggleHidden);
  const select = useView((s) => s.select);
  const badges = useAnalysis((s) => s.load?.badges);
  const ns = snapshot.namespaces.find((n) => n.name === name);
  const summary = summarizeNamespaces(snapshot).find((n) => n.name === name);
  // The admin-tier policies that apply to some pod here, as the evaluator says (the worker's badges).
  const admin = useMemo(() => {
    const keys = new Set<string>();
    for (const [pod, b] of Object.entries(badges ?? {}))
      if (pod.startsWith(`${name}/`) && b.admin !== undefined)
        for (const k of [...b.admin.ingress, ...b.admin.egress]) keys.add(k);
    const order = new Map(
      [...snapshot.clusterPolicies].sort(compareAdminPolicies).map((p, i) => [clusterPolicyKey(p), i]),
    );
    return [...keys].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  }, [badges, name, snapshot]);
  const adminPods = useMemo(() => adminPodsPerNamespace(badges).get(name) ?? 0, [badges, name]);
  if (ns === undefined || summary === undefined) return null;
  const policies = snapshot.policies.filter((p) => p.namespace === name);
  return (
    <Section title="Namespace">
      <dl className="fields">
        <Field label="Pods">{summary.podCount}</Field>
        <Field label="Policies">
          {policies.length === 0 ? (
            <span className="muted">
              {failedPoliciesByNamespace(snapshot).has(name)
                ? 'none loaded (see below)'
                : 'none: every pod is open in both directions'}
            </span>
          ) : (
            <span className="chips">
              {policies.map((p) => (
                <button
                  key={p.name}
                  type="button"
                  className="link-chip"
                  onClick={() => select({ kind: 'policy', key: `${p.namespace}/${p.name}` })}
                >
                  {p.name}
                </button>
              ))}
            </span>
          )}
        </Field>
        <FailedPoliciesField namespace={name} snapshot={snapshot} />
        {snapshot.clusterPolicies.length > 0 && (
          <Field label="Admin tiers">
            {admin.length === 0 ? (
              <span className="muted">no admin-tier policy applies here</span>
            ) : (
              <span className="chips" data-testid="namespace-admin">
                {admin.map((k) => (
                  <PolicyLink key={k} policy={k} snapshot={snapshot} />
                ))}
                <span className="muted">
                  {adminPods === summary.podCount ? 'to every pod' : `to ${plural(adminPods, 'pod')}`}
                </span>
              </span>
            )}
          </Field>
        )}
        <Field label="Isolation">
          {summary.defaultDenyIngress || summary.defaultDenyEgress
            ? [
                summary.defaultDenyIngress && 'default-deny ingress',
                summary.defaultDenyEgress && 'default-deny egress',
              ]
                .filter(Boolean)
                .join(', ')
            : 'no namespace-wide default deny'}
        </Field>
        <Field label="Labels">
          <LabelChips labels={ns.labels} />
        </Field>
        <Location location={ns.location} />
      </dl>
      <button type="button" className="button" onClick={() => toggleHidden(name)}>
        {hidden.includes(name) ? 'Show on the graph' : 'Hide from the graph'}
      </button>
    </Section>
  );
}

function WorkloadDetails({ id, snapshot }: { id: string; snapshot: Snapshot }) {
  const toggleExpanded = useView((s) => s.toggleExpanded);
  const select = useView((s) => s.select);
  const hash = id.indexOf('#');
  const [ns, kind, name] = id.slice(0, hash).split('/');
  const pods = snapshot.pods.filter(
    (p) => p.namespace === ns && p.owner?.kind === kind && p.owner?.name === name,
  );
  return (
    <Section title={`${kind ?? 'Workload'} · ${pods.length} pods`}>
      <p className="fine-print">
        Replicas with the same labels, shown as one node. Policies treat them alike.
      </p>
      <div className="chips">
        {pods.map((p) => (
          <PodLink key={podKey(p)} podKey={podKey(p)} snapshot={snapshot} />
        ))}
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={() => {
            toggleExpanded(id);
            select(undefined);
          }}
        >
          Show each pod
        </button>
      </div>
    </Section>
  );
}

function CellDetails({ from, to }: { from: string; to: string }) {
  const query = useAnalysis((s) => s.cell);
  const summary = useAnalysis((s) => s.summary);
  const load = useAnalysis((s) => s.load);
  const cell = summary?.value?.matrix.find((c) => c.from === from && c.to === to);
  return (
    <Section title="Connections" testId="cell-details">
      {cell !== undefined && (
        <p className="fine-print">
          {cell.coverage === 'empty'
            ? 'No connection between these namespaces.'
            : `${plural(cell.allowed, 'connection')} of ${cell.total.toLocaleString('en-US')} allowed (${cell.coverage})`}
        </p>
      )}
      <QueryState query={query}>
        {(c) =>
          c.pairs.length === 0 ? (
            <p className="fine-print">
              No pod of {from} can reach a pod of {to}.
            </p>
          ) : (
            <ul className="pair-list" data-testid="cell-pairs">
              {c.pairs.slice(0, 200).map((p) => (
                <li key={`${p.from}>${p.to}`} className="pair">
                  <span className="mono pair-ends">
                    {p.from.split('/')[1]} → {p.to.split('/')[1]}
                  </span>
                  <span className="muted mono">
                    {p.allowed.length === c.ports.length
                      ? 'all ports'
                      : p.allowed
                          .map((i) => formatProbe(c.ports[i] as PortProbe, load?.mentionedPorts ?? []))
                          .join(', ')}
                  </span>
                </li>
              ))}
              {c.pairs.length > 200 && <li className="muted">+{c.pairs.length - 200} more pairs</li>}
            </ul>
          )
        }
      </QueryState>
    </Section>
  );
}

function header(selection: Selection, snapshot: Snapshot): { kind: string; title: string; sub?: ReactNode } {
  switch (selection.kind) {
    case 'policy': {
      const admin = isClusterPolicyKey(selection.key)
        ? findClusterPolicy(snapshot, selection.key)
        : undefined;
      if (admin !== undefined)
        return {
          kind: admin.kind,
          title: admin.name,
          sub: (
            <span className="sub-line">
              <TierChip tier={admin.tier} />
              <span data-testid="header-priority">priority {admin.priority}</span>
              {admin.kind !== 'ClusterNetworkPolicy' && (
                <span className="tag tag-kind">{KIND_SHORT[admin.kind]}</span>
              )}
            </span>
          ),
        };
      const p = findPolicy(snapshot, selection.key);
      const colors = namespaceColors(snapshot);
      return {
        kind: 'NetworkPolicy',
        title: p?.name ?? selection.key,
        sub: p !== undefined && (
          <span className="sub-line">
            <NsDot color={colors.get(p.namespace) ?? 0} />
            {p.namespace}
          </span>
        ),
      };
    }
    case 'pod':
      return { kind: 'Pod', title: findPod(snapshot, selection.key)?.name ?? selection.key };
    case 'namespace':
      return { kind: 'Namespace', title: selection.name };
    case 'workload': {
      const hash = selection.id.indexOf('#');
      const parts = selection.id.slice(0, hash).split('/');
      return {
        kind: 'Workload',
        title: parts[2] ?? selection.id,
        sub: <span className="sub-line">{parts[0]}</span>,
      };
    }
    case 'cell':
      return { kind: 'Namespace pair', title: `${selection.from} → ${selection.to}` };
  }
}

export function DetailsPanel() {
  const snapshot = useSource((s) => s.snapshot);
  const selection = useView((s) => s.selection);
  const reachActive = useView((s) => s.reach.active);
  const select = useView((s) => s.select);
  const { view } = useStores();
  if (snapshot === undefined) return null;
  if (reachActive) return <ReachPanel snapshot={snapshot} />;
  if (selection === undefined) return null;
  const pod = selection.kind === 'pod' ? findPod(snapshot, selection.key) : undefined;
  if (selection.kind === 'pod' && pod === undefined) return null;
  const h = header(selection, snapshot);
  return (
    <aside
      className="details"
      aria-label={`${h.kind} details`}
      data-testid="inspector"
      data-kind={selection.kind}
    >
      <div className="details-header">
        <div className="details-heading">
          <div className="eyebrow">{h.kind}</div>
          <h2 className="details-title">{h.title}</h2>
          {h.sub}
        </div>
        <div className="details-actions">
          {selection.kind === 'policy' && <EditCopyButton policyKey={selection.key} />}
          {pod !== undefined && (
            <button
              type="button"
              className="icon-button"
              aria-label="Check what this pod can reach"
              title="Can it reach…?"
              onClick={() => view.getState().openReach({ kind: 'pod', key: podKey(pod) })}
            >
              <IconRoute />
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Clear selection"
            onClick={() => select(undefined)}
          >
            <IconClose />
          </button>
        </div>
      </div>
      {/* Keyed by the selection: a new one starts at the top, not where the last was scrolled to. */}
      <div className="details-body" key={JSON.stringify(selection)}>
        {selection.kind === 'policy' && <AnyPolicyDetails policyKey={selection.key} snapshot={snapshot} />}
        {pod !== undefined && <PodDetails pod={pod} snapshot={snapshot} />}
        {selection.kind === 'namespace' && <NamespaceDetails name={selection.name} snapshot={snapshot} />}
        {selection.kind === 'workload' && <WorkloadDetails id={selection.id} snapshot={snapshot} />}
        {selection.kind === 'cell' && <CellDetails from={selection.from} to={selection.to} />}
      </div>
    </aside>
  );
}
