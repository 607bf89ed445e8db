import { useMemo } from 'react';
import { podKey, type Snapshot } from '../../../shared/model/snapshot.ts';
import {
  POLICY_NOTE_TEXT,
  sortedPods,
  summarizeNamespaces,
  summarizePolicies,
  type NamespaceSummary,
  type PolicySummary,
} from '../model/summary.ts';
import { useSource, useView } from '../store/context.tsx';
import type { PanelTab, Selection } from '../store/view-store.ts';
import { IconSearch, IconShield } from './icons.tsx';

const EMPTY: Snapshot = {
  source: { kind: 'demo' },
  namespaces: [],
  pods: [],
  policies: [],
  issues: [],
  skippedKinds: {},
};

function matches(filter: string, ...texts: readonly string[]): boolean {
  const f = filter.trim().toLowerCase();
  return f === '' || texts.some((t) => t.toLowerCase().includes(f));
}

function isSelected(selection: Selection | undefined, kind: Selection['kind'], id: string): boolean {
  if (selection === undefined || selection.kind !== kind) return false;
  return (selection.kind === 'namespace' ? selection.name : selection.key) === id;
}

function NsDot({ color }: { color: number }) {
  return <span className={`ns-dot ns-bg-${color}`} aria-hidden="true" />;
}

function NamespaceRows({ namespaces, filter }: { namespaces: readonly NamespaceSummary[]; filter: string }) {
  const selection = useView((s) => s.selection);
  const select = useView((s) => s.select);
  const rows = namespaces.filter((n) => matches(filter, n.name));
  if (rows.length === 0) return <EmptyList filter={filter} />;
  return (
    <ul className="list" data-testid="namespace-list">
      {rows.map((ns) => (
        <li key={ns.name}>
          <button
            type="button"
            className={`row ${isSelected(selection, 'namespace', ns.name) ? 'selected' : ''}`}
            aria-pressed={isSelected(selection, 'namespace', ns.name)}
            data-testid="namespace-row"
            data-name={ns.name}
            onClick={() => select({ kind: 'namespace', name: ns.name })}
          >
            <NsDot color={ns.color} />
            <span className="row-main">
              <span className="row-title">{ns.name}</span>
              <span className="row-sub">
                {ns.podCount} {ns.podCount === 1 ? 'pod' : 'pods'} · {ns.policyCount}{' '}
                {ns.policyCount === 1 ? 'policy' : 'policies'}
                {!ns.declared && ' · not declared'}
              </span>
            </span>
            <span className="row-tags">
              {ns.defaultDenyIngress && <span className="tag tag-deny">deny ingress</span>}
              {ns.defaultDenyEgress && <span className="tag tag-deny">deny egress</span>}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function PodRows({
  snapshot,
  colors,
  filter,
}: {
  snapshot: Snapshot;
  colors: ReadonlyMap<string, number>;
  filter: string;
}) {
  const selection = useView((s) => s.selection);
  const select = useView((s) => s.select);
  const pods = sortedPods(snapshot).filter((p) =>
    matches(filter, p.name, p.namespace, ...p.ips, ...Object.entries(p.labels).map(([k, v]) => `${k}=${v}`)),
  );
  if (pods.length === 0) return <EmptyList filter={filter} />;
  let lastNs = '';
  return (
    <ul className="list" data-testid="pod-list">
      {pods.flatMap((pod) => {
        const key = podKey(pod);
        const items = [];
        if (pod.namespace !== lastNs) {
          lastNs = pod.namespace;
          items.push(
            <li key={`ns:${pod.namespace}`} className="group-label">
              <NsDot color={colors.get(pod.namespace) ?? 0} />
              {pod.namespace}
            </li>,
          );
        }
        items.push(
          <li key={key}>
            <button
              type="button"
              className={`row row-compact ${isSelected(selection, 'pod', key) ? 'selected' : ''}`}
              aria-pressed={isSelected(selection, 'pod', key)}
              data-testid="pod-row"
              data-key={key}
              onClick={() => select({ kind: 'pod', key })}
            >
              <span
                className={`phase-dot phase-${(pod.phase ?? 'unknown').toLowerCase()}`}
                title={pod.phase ?? 'Unknown phase'}
              />
              <span className="row-title mono-name">{pod.name}</span>
              <span className="row-aside mono">{pod.hostNetwork ? 'host' : (pod.ips[0] ?? '—')}</span>
            </button>
          </li>,
        );
        return items;
      })}
    </ul>
  );
}

function PolicyRows({
  policies,
  colors,
  filter,
}: {
  policies: readonly PolicySummary[];
  colors: ReadonlyMap<string, number>;
  filter: string;
}) {
  const selection = useView((s) => s.selection);
  const select = useView((s) => s.select);
  const rows = policies.filter((p) => matches(filter, p.name, p.namespace, p.selector));
  if (rows.length === 0) return <EmptyList filter={filter} />;
  return (
    <ul className="list" data-testid="policy-list">
      {rows.map((p) => (
        <li key={p.key}>
          <button
            type="button"
            className={`row ${isSelected(selection, 'policy', p.key) ? 'selected' : ''}`}
            aria-pressed={isSelected(selection, 'policy', p.key)}
            data-testid="policy-row"
            data-key={p.key}
            onClick={() => select({ kind: 'policy', key: p.key })}
          >
            <span className="row-icon">
              <IconShield />
            </span>
            <span className="row-main">
              <span className="row-title">{p.name}</span>
              <span className="row-sub">
                <NsDot color={colors.get(p.namespace) ?? 0} />
                {p.namespace} · <span className="mono">{p.selector}</span>
              </span>
              {p.notes.length > 0 && (
                <span className="row-notes">
                  {p.notes.map((n) => (
                    <span key={n} className={`note note-${n}`}>
                      {POLICY_NOTE_TEXT[n]}
                    </span>
                  ))}
                </span>
              )}
            </span>
            <span className="row-tags">
              {p.types.map((t) => (
                <span key={t} className={`tag tag-${t.toLowerCase()}`}>
                  {t}
                </span>
              ))}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function EmptyList({ filter }: { filter: string }) {
  return (
    <div className="list-empty">
      {filter.trim() === '' ? 'Nothing here yet.' : `Nothing matches “${filter.trim()}”.`}
    </div>
  );
}

function PanelFooter({ snapshot }: { snapshot: Snapshot }) {
  const skipped = Object.entries(snapshot.skippedKinds);
  return (
    <footer className="panel-footer">
      <div className="legend" aria-label="Legend">
        <span className="legend-item">
          <span className="legend-swatch" />
          Pod
        </span>
        <span className="legend-item">
          <span className="legend-swatch legend-host" />
          Host network (no policies apply)
        </span>
      </div>
      {skipped.length > 0 && (
        <div className="panel-meta" data-testid="skipped-kinds">
          Not modelled: {skipped.map(([kind, n]) => `${n} ${kind}`).join(', ')}
        </div>
      )}
    </footer>
  );
}

const TABS: readonly { readonly id: PanelTab; readonly label: string }[] = [
  { id: 'namespaces', label: 'Namespaces' },
  { id: 'pods', label: 'Pods' },
  { id: 'policies', label: 'Policies' },
];

export function SidePanel() {
  const snapshot = useSource((s) => s.snapshot) ?? EMPTY;
  const tab = useView((s) => s.tab);
  const setTab = useView((s) => s.setTab);
  const filter = useView((s) => s.filter);
  const setFilter = useView((s) => s.setFilter);

  const namespaces = useMemo(() => summarizeNamespaces(snapshot), [snapshot]);
  const policies = useMemo(() => summarizePolicies(snapshot), [snapshot]);
  const colors = useMemo(() => new Map(namespaces.map((n) => [n.name, n.color])), [namespaces]);
  const counts: Record<PanelTab, number> = {
    namespaces: snapshot.namespaces.length,
    pods: snapshot.pods.length,
    policies: snapshot.policies.length,
  };

  return (
    <aside className="side-panel" aria-label="Cluster contents">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={`tab ${tab === t.id ? 'active' : ''}`}
            data-testid={`tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            <span className="count" data-testid={`count-${t.id}`}>
              {counts[t.id]}
            </span>
          </button>
        ))}
      </div>
      <label className="search">
        <IconSearch />
        <input
          type="search"
          placeholder={`Filter ${tab}…`}
          value={filter}
          spellCheck={false}
          onChange={(e) => setFilter(e.target.value)}
          aria-label={`Filter ${tab}`}
        />
      </label>
      <div className="panel-scroll" role="tabpanel">
        {tab === 'namespaces' && <NamespaceRows namespaces={namespaces} filter={filter} />}
        {tab === 'pods' && <PodRows snapshot={snapshot} colors={colors} filter={filter} />}
        {tab === 'policies' && <PolicyRows policies={policies} colors={colors} filter={filter} />}
      </div>
      <PanelFooter snapshot={snapshot} />
    </aside>
  );
}
