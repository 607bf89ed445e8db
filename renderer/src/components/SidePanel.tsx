import { useCallback, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { cniSemantics, type CniSemantics } from '../../../shared/eval/cni.ts';
import { podKey, type Pod, type Snapshot } from '../../../shared/model/snapshot.ts';
import {
  POLICY_NOTE_TEXT,
  sortedPods,
  summarizeNamespaces,
  summarizePolicies,
  type NamespaceSummary,
  type PolicySummary,
} from '../model/summary.ts';
import { useAnalysis, useSource, useView } from '../store/context.tsx';
import type { PanelTab, Selection, TierFilter } from '../store/view-store.ts';
import {
  adminPodsPerNamespace,
  isLegacyKind,
  KIND_SHORT,
  summarizeAdminPolicies,
  TIER_LABEL,
  type AdminPolicySummary,
} from '../model/admin.ts';
import {
  CILIUM_KIND_SHORT,
  ciliumIsolatedPodsPerNamespace,
  ciliumPoliciesPerNamespace,
  summarizeCiliumPolicies,
  type CiliumPolicySummary,
} from '../model/cilium.ts';
import {
  CALICO_ACTION_HINT,
  CALICO_KIND_SHORT,
  calicoActionTone,
  calicoIsolatedPodsPerNamespace,
  calicoPoliciesPerNamespace,
  calicoTierText,
  EMPTY_CALICO_LIST,
  listCalicoPolicies,
  networkSetMatches,
  type CalicoList,
  type CalicoNetworkSetSummary,
  type CalicoPolicySummary,
  type CalicoTierSummary,
} from '../model/calico.ts';
import { IconEye, IconEyeOff, IconSearch, IconShield } from './icons.tsx';
import { Legend } from './Legend.tsx';
import { NsDot } from './parts.tsx';
import { VirtualList } from './VirtualList.tsx';
import { failedPoliciesByNamespace, type FailedPolicy } from '../model/load-errors.ts';

/** Arrow keys move between the rows of a list; Home/End jump; Enter and Space are the buttons' own. */
export function onListKeyDown(e: KeyboardEvent<HTMLElement>): void {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
  const rows = [...e.currentTarget.querySelectorAll<HTMLElement>('[data-row]')];
  if (rows.length === 0) return;
  e.preventDefault();
  const at = rows.indexOf(document.activeElement as HTMLElement);
  const next =
    e.key === 'Home'
      ? 0
      : e.key === 'End'
        ? rows.length - 1
        : e.key === 'ArrowDown'
          ? Math.min(at + 1, rows.length - 1)
          : Math.max(at - 1, 0);
  rows[next]?.focus();
}

export const isSystemNamespace = (name: string): boolean =>
  name.startsWith('kube-') || name.endsWith('-system');

const EMPTY: Snapshot = {
  source: { kind: 'demo' },
  namespaces: [],
  pods: [],
  policies: [],
  issues: [],
  clusterPolicies: [],
  skippedKinds: {},
};

function matches(filter: string, ...texts: readonly string[]): boolean {
  const f = filter.trim().toLowerCase();
  return f === '' || texts.some((t) => t.toLowerCase().includes(f));
}

function isSelected(
  selection: Selection | undefined,
  kind: 'namespace' | 'pod' | 'policy',
  id: string,
): boolean {
  if (selection === undefined) return false;
  if (selection.kind === 'namespace') return kind === 'namespace' && selection.name === id;
  if (selection.kind === 'pod' || selection.kind === 'policy')
    return selection.kind === kind && selection.key === id;
  return false;
}

function NamespaceRows({ namespaces, filter }: { namespaces: readonly NamespaceSummary[]; filter: string }) {
  const selection = useView((s) => s.selection);
  const select = useView((s) => s.select);
  const hidden = useView((s) => s.hidden);
  const toggleHidden = useView((s) => s.toggleHidden);
  const badges = useAnalysis((s) => s.load?.badges);
  const snapshot = useSource((s) => s.snapshot);
  // A namespace whose policy was refused must not look unprotected.
  const failed = useMemo(
    () =>
      snapshot === undefined
        ? new Map<string, readonly FailedPolicy[]>()
        : failedPoliciesByNamespace(snapshot),
    [snapshot],
  );
  // Pods an admin-tier policy applies to, per namespace (the evaluator's answer, via the badges).
  const adminPods = useMemo(() => adminPodsPerNamespace(badges), [badges]);
  // CiliumNetworkPolicies per namespace, and pods a Cilium policy isolates (the evaluator's badges).
  const ciliumCount = useMemo(() => ciliumPoliciesPerNamespace(snapshot), [snapshot]);
  const ciliumPods = useMemo(() => ciliumIsolatedPodsPerNamespace(badges), [badges]);
  // Enforced Calico NetworkPolicies per namespace, and pods a Calico policy isolates (the badges).
  const calicoCount = useMemo(() => calicoPoliciesPerNamespace(snapshot), [snapshot]);
  const calicoPods = useMemo(() => calicoIsolatedPodsPerNamespace(badges), [badges]);
  const rows = useMemo(() => namespaces.filter((n) => matches(filter, n.name)), [namespaces, filter]);
  const itemKey = useCallback((i: number) => rows[i]?.name ?? String(i), [rows]);
  if (rows.length === 0) return <EmptyList filter={filter} />;
  const renderItem = (i: number) => {
    const ns = rows[i] as NamespaceSummary;
    const isHidden = hidden.includes(ns.name);
    const notLoaded = failed.get(ns.name) ?? [];
    return (
      <li key={ns.name} className={`row-wrap ${isHidden ? 'is-hidden' : ''}`}>
        <button
          type="button"
          className={`row row-ns ${isSelected(selection, 'namespace', ns.name) ? 'selected' : ''}`}
          aria-pressed={isSelected(selection, 'namespace', ns.name)}
          data-testid="namespace-row"
          data-name={ns.name}
          data-failed={notLoaded.length}
          data-row=""
          onClick={() => select({ kind: 'namespace', name: ns.name })}
        >
          <NsDot color={ns.color} />
          <span className="row-main">
            <span className="row-title">{ns.name}</span>
            <span className="row-sub">
              {/* No-break spaces keep each count with its noun when the line wraps (app.css, .row-ns). */}
              <span className="row-sub-text">
                {ns.podCount}&nbsp;{ns.podCount === 1 ? 'pod' : 'pods'} ·{' '}
                {ns.policiesUnreadable
                  ? 'policies unreadable'
                  : `${ns.policyCount}\u00a0${ns.policyCount === 1 ? 'policy' : 'policies'}`}
                {(ciliumCount.get(ns.name) ?? 0) > 0 && ` · ${ciliumCount.get(ns.name) ?? 0}\u00a0Cilium`}
                {(calicoCount.get(ns.name) ?? 0) > 0 && ` · ${calicoCount.get(ns.name) ?? 0}\u00a0Calico`}
                {!ns.declared && ' · not declared'}
                {isHidden && ' · hidden'}
              </span>
            </span>
          </span>
          <span className="row-tags">
            {(adminPods.get(ns.name) ?? 0) > 0 && (
              <span
                className="tag tag-admin"
                title={`Admin-tier policies apply to ${adminPods.get(ns.name) ?? 0} of its pods`}
                data-testid="namespace-admin-tag"
              >
                admin tiers
              </span>
            )}
            {ns.defaultDenyIngress && <span className="tag tag-deny">deny ingress</span>}
            {ns.defaultDenyEgress && <span className="tag tag-deny">deny egress</span>}
            {notLoaded.length > 0 && (
              <span
                className="tag tag-warn"
                data-testid="namespace-failed-tag"
                title={`Policies that did not load: ${notLoaded.map((f) => f.name).join(', ')}. The loader refused them; the status opens the load issues.`}
              >
                policies not loaded
              </span>
            )}
            {ns.policiesUnreadable ? (
              <span
                className="tag tag-unknown"
                title="NetworkPolicies here could not be read: verdicts are unknown"
              >
                unknown
              </span>
            ) : (
              ns.policyCount === 0 &&
              ns.podCount > 0 &&
              notLoaded.length === 0 &&
              (adminPods.get(ns.name) ?? 0) === 0 &&
              (ciliumPods.get(ns.name) ?? 0) === 0 &&
              (ciliumCount.get(ns.name) ?? 0) === 0 &&
              (calicoPods.get(ns.name) ?? 0) === 0 &&
              (calicoCount.get(ns.name) ?? 0) === 0 && <span className="tag tag-open">no policy</span>
            )}
          </span>
        </button>
        <button
          type="button"
          className="icon-button row-action"
          aria-label={isHidden ? `Show ${ns.name} on the graph` : `Hide ${ns.name} from the graph`}
          title={isHidden ? 'Show on the graph' : 'Hide from the graph'}
          aria-pressed={isHidden}
          data-testid="toggle-namespace"
          data-name={ns.name}
          onClick={() => toggleHidden(ns.name)}
        >
          {isHidden ? <IconEyeOff /> : <IconEye />}
        </button>
      </li>
    );
  };
  return (
    <VirtualList
      testId="namespace-list"
      count={rows.length}
      itemKey={itemKey}
      estimateHeight={estimateNamespaceRow}
      renderItem={renderItem}
      onKeyDown={onListKeyDown}
    />
  );
}

const estimateNamespaceRow = (): number => 54;
const estimatePolicyRow = (): number => 58;

function NamespaceTools({ namespaces }: { namespaces: readonly NamespaceSummary[] }) {
  const hidden = useView((s) => s.hidden);
  const setHidden = useView((s) => s.setHidden);
  const system = namespaces.map((n) => n.name).filter(isSystemNamespace);
  const systemHidden = system.length > 0 && system.every((n) => hidden.includes(n));
  return (
    <div className="list-tools">
      <button
        type="button"
        className="text-button"
        disabled={system.length === 0}
        data-testid="hide-system"
        aria-pressed={systemHidden}
        onClick={() =>
          setHidden(systemHidden ? hidden.filter((n) => !system.includes(n)) : [...hidden, ...system])
        }
      >
        {systemHidden ? 'Show system namespaces' : 'Hide system namespaces'}
      </button>
      {hidden.length > 0 && (
        <button type="button" className="text-button" data-testid="show-all" onClick={() => setHidden([])}>
          Show all ({hidden.length} hidden)
        </button>
      )}
    </div>
  );
}

type PodItem =
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'pod'; readonly pod: Pod; readonly key: string };

/**
 * The pod list's items: each namespace's label, then its pods. A label search (`app=web`) lists the
 * pods the analysis worker said it selects (`matched`); other text filters by name, IP and label text.
 */
export function podItems(snapshot: Snapshot, filter: string, matched?: ReadonlySet<string>): PodItem[] {
  const items: PodItem[] = [];
  let lastNs: string | undefined;
  const all = filter.trim() === '';
  for (const pod of sortedPods(snapshot)) {
    if (matched !== undefined) {
      if (!matched.has(podKey(pod))) continue;
    } else if (
      !all &&
      !matches(
        filter,
        pod.name,
        pod.namespace,
        ...pod.ips,
        ...Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`),
      )
    )
      continue;
    if (pod.namespace !== lastNs) {
      lastNs = pod.namespace;
      items.push({ kind: 'namespace', namespace: pod.namespace });
    }
    items.push({ kind: 'pod', pod, key: podKey(pod) });
  }
  return items;
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
  const labelMatch = useAnalysis((s) => s.labelMatch);
  const answer = labelMatch?.subject === filter.trim() ? labelMatch.value : undefined;
  const matched = useMemo(() => (answer?.ok === true ? new Set(answer.pods) : undefined), [answer]);
  const items = useMemo(() => podItems(snapshot, filter, matched), [snapshot, filter, matched]);
  const itemKey = useCallback(
    (i: number) => {
      const item = items[i];
      return item === undefined ? String(i) : item.kind === 'pod' ? item.key : `ns:${item.namespace}`;
    },
    [items],
  );
  const estimate = useCallback((i: number) => (items[i]?.kind === 'pod' ? 32 : 30), [items]);
  const note =
    labelMatch === undefined ? null : (
      <p className="label-match" role="status" data-testid="label-match" data-count={matched?.size ?? ''}>
        {answer === undefined
          ? 'Matching…'
          : answer.ok
            ? `${answer.pods.length === 1 ? '1 pod matches' : `${answer.pods.length.toLocaleString('en-US')} pods match`} ${answer.query}${answer.pods.length > 0 ? ' · lit on the graph' : ''}`
            : `Not a label selector: ${answer.error}`}
      </p>
    );
  if (items.length === 0)
    return (
      <>
        {note}
        <EmptyList filter={filter} />
      </>
    );
  const renderItem = (i: number) => {
    const item = items[i] as PodItem;
    if (item.kind === 'namespace')
      return (
        <li key={`ns:${item.namespace}`} className="group-label">
          <NsDot color={colors.get(item.namespace) ?? 0} />
          {item.namespace}
        </li>
      );
    const { pod, key } = item;
    return (
      <li key={key}>
        <button
          type="button"
          className={`row row-compact ${isSelected(selection, 'pod', key) ? 'selected' : ''}`}
          aria-pressed={isSelected(selection, 'pod', key)}
          data-testid="pod-row"
          data-key={key}
          data-row=""
          onClick={() => select({ kind: 'pod', key })}
        >
          <span
            className={`phase-dot phase-${(pod.phase ?? 'unknown').toLowerCase()}`}
            title={pod.phase ?? 'Unknown phase'}
          />
          <span className="row-title mono-name">{pod.name}</span>
          <span className="row-aside mono">{pod.hostNetwork ? 'host' : (pod.ips[0] ?? '—')}</span>
        </button>
      </li>
    );
  };
  return (
    <>
      {note}
      <VirtualList
        testId="pod-list"
        count={items.length}
        itemKey={itemKey}
        estimateHeight={estimate}
        renderItem={renderItem}
        onKeyDown={onListKeyDown}
      />
    </>
  );
}

export type PolicyItem =
  | {
      readonly kind: 'group';
      readonly tier: Exclude<TierFilter, 'all'>;
      /** Rows shown under it / policies of the tier. */
      readonly shown: number;
      readonly total: number;
    }
  | { readonly kind: 'admin'; readonly policy: AdminPolicySummary }
  | { readonly kind: 'cilium'; readonly policy: CiliumPolicySummary }
  /** A Calico policy; the first of its tier carries the tier's heading (rows shown / policies). */
  | {
      readonly kind: 'calico';
      readonly policy: CalicoPolicySummary;
      readonly tierHead?: CalicoTierHead;
    }
  | { readonly kind: 'policy'; readonly policy: PolicySummary };

/**
 * The Calico NetworkSets / GlobalNetworkSets, under the Calico policies: a heading that opens and
 * closes the sub-list (sets shown / all), then one row per set while it is open.
 */
export type NetworkSetItem =
  | { readonly kind: 'netsets'; readonly shown: number; readonly total: number; readonly open: boolean }
  | { readonly kind: 'netset'; readonly set: CalicoNetworkSetSummary };

/** A row of the policy list: a policy or a heading, or a network set under the Calico policies. */
export type PolicyListItem = PolicyItem | NetworkSetItem;

export interface CalicoTierHead {
  readonly tier: CalicoTierSummary;
  readonly shown: number;
  readonly total: number;
}

const GROUP_TEXT: Readonly<Record<Exclude<TierFilter, 'all'>, { title: string; hint: string }>> = {
  Admin: { title: 'Admin tier', hint: 'decides first, by priority' },
  Calico: { title: 'Calico policies', hint: 'tiers by order, then policy order' },
  NetworkPolicy: { title: 'NetworkPolicies', hint: 'when no admin rule decided' },
  Cilium: { title: 'Cilium policies', hint: 'NetworkPolicy tier; deny rules win' },
  Baseline: { title: 'Baseline tier', hint: 'for pods no NetworkPolicy isolates' },
};

/**
 * The policy list in evaluation order: the Admin tier by priority, the Calico policies (each of
 * Calico's tiers by order under its own heading, its policies by order then name; the NetworkPolicies
 * sit in Calico's default tier at order 1000), the NetworkPolicies, the Cilium policies (they decide in
 * the NetworkPolicy tier too), the Baseline tier by priority. Without admin, Calico or Cilium policies
 * it is the NetworkPolicies alone, with no headings. A filtered-out group loses its heading; a group the
 * search empties keeps it (with 0 shown), a Calico tier the search empties loses its heading.
 * The Calico network sets follow the Calico policies under their own heading; `setsOpen` opens their
 * sub-list (undefined: open while the search matches some set, closed otherwise), and a search that
 * matches none of them drops the heading.
 */
export function policyListItems(
  policies: readonly PolicySummary[],
  admin: readonly AdminPolicySummary[],
  filter: string,
  tier: TierFilter,
  cilium: readonly CiliumPolicySummary[] = [],
  calico: CalicoList = EMPTY_CALICO_LIST,
  setsOpen: boolean | undefined = undefined,
): PolicyListItem[] {
  const matchAdmin = (p: AdminPolicySummary): boolean =>
    matches(filter, p.name, p.key, p.subject, p.kind, KIND_SHORT[p.kind], TIER_LABEL[p.tier]);
  const matchCilium = (p: CiliumPolicySummary): boolean =>
    matches(filter, p.name, p.namespace ?? '', p.subject, p.kind, CILIUM_KIND_SHORT[p.kind], 'cilium');
  const matchCalico = (p: CalicoPolicySummary): boolean =>
    matches(
      filter,
      p.name,
      `${p.tier}.${p.name}`,
      p.namespace ?? 'global',
      p.selector,
      p.kind,
      CALICO_KIND_SHORT[p.kind],
      'calico',
      p.staged ? 'staged' : '',
    );
  const nps = policies.filter((p) => matches(filter, p.name, p.namespace, p.selector));
  if (
    admin.length === 0 &&
    cilium.length === 0 &&
    calico.policies.length === 0 &&
    calico.networkSets.length === 0
  )
    return tier === 'all' || tier === 'NetworkPolicy' ? nps.map((p) => ({ kind: 'policy', policy: p })) : [];
  const items: PolicyListItem[] = [];
  const section = <T,>(
    name: Exclude<TierFilter, 'all'>,
    all: readonly T[],
    shown: readonly T[],
    rows: (shown: readonly T[]) => readonly PolicyListItem[],
    present = all.length > 0,
  ): void => {
    if (tier !== 'all' && tier !== name) return;
    if (!present && tier === 'all') return;
    items.push({ kind: 'group', tier: name, shown: shown.length, total: all.length }, ...rows(shown));
  };
  const each =
    <T,>(row: (p: T) => PolicyItem) =>
    (shown: readonly T[]): PolicyItem[] =>
      shown.map(row);
  const adminTier = admin.filter((p) => p.tier === 'Admin');
  const baseline = admin.filter((p) => p.tier === 'Baseline');
  const adminRow = each((p: AdminPolicySummary): PolicyItem => ({ kind: 'admin', policy: p }));
  section('Admin', adminTier, adminTier.filter(matchAdmin), adminRow);
  const searching = filter.trim() !== '';
  const sets = calico.networkSets.filter((n) => networkSetMatches(n, filter));
  const setsShown = setsOpen ?? searching;
  section(
    'Calico',
    calico.policies,
    calico.policies.filter(matchCalico),
    (shown) => [
      ...calico.tiers.flatMap((t): PolicyItem[] => {
        const rows = shown.filter((p) => p.tier === t.name);
        if (rows.length === 0) return [];
        const total = calico.policies.filter((p) => p.tier === t.name).length;
        return rows.map((p, i): PolicyItem => ({
          kind: 'calico',
          policy: p,
          ...(i === 0 ? { tierHead: { tier: t, shown: rows.length, total } } : {}),
        }));
      }),
      ...(sets.length === 0 && (searching || calico.networkSets.length === 0)
        ? []
        : [
            {
              kind: 'netsets' as const,
              shown: sets.length,
              total: calico.networkSets.length,
              open: setsShown,
            },
            ...(setsShown ? sets.map((set): NetworkSetItem => ({ kind: 'netset', set })) : []),
          ]),
    ],
    calico.policies.length + calico.networkSets.length > 0,
  );
  section(
    'NetworkPolicy',
    policies,
    nps,
    each((p): PolicyItem => ({ kind: 'policy', policy: p })),
  );
  section(
    'Cilium',
    cilium,
    cilium.filter(matchCilium),
    each((p): PolicyItem => ({ kind: 'cilium', policy: p })),
  );
  section('Baseline', baseline, baseline.filter(matchAdmin), adminRow);
  return items;
}

/** The policy list without the network sets (their sub-list is `policyListItems`'s). */
export function policyItems(
  policies: readonly PolicySummary[],
  admin: readonly AdminPolicySummary[],
  filter: string,
  tier: TierFilter,
  cilium: readonly CiliumPolicySummary[] = [],
  calico: CalicoList = EMPTY_CALICO_LIST,
): PolicyItem[] {
  return policyListItems(policies, admin, filter, tier, cilium, { ...calico, networkSets: [] }).filter(
    (i): i is PolicyItem => i.kind !== 'netsets' && i.kind !== 'netset',
  );
}

const itemId = (item: PolicyListItem | undefined, i: number): string =>
  item === undefined
    ? String(i)
    : item.kind === 'group'
      ? `group:${item.tier}`
      : item.kind === 'netsets'
        ? 'calico:netsets'
        : item.kind === 'netset'
          ? item.set.key
          : item.policy.key;

function TierFilterBar({ counts }: { counts: Readonly<Record<TierFilter, number>> }) {
  const tier = useView((s) => s.tierFilter);
  const setTier = useView((s) => s.setTierFilter);
  const options: readonly { readonly id: TierFilter; readonly label: string }[] = [
    { id: 'all', label: 'All' },
    { id: 'Admin', label: 'Admin' },
    { id: 'Calico', label: 'Calico' },
    { id: 'NetworkPolicy', label: 'NetworkPolicy' },
    { id: 'Cilium', label: 'Cilium' },
    { id: 'Baseline', label: 'Baseline' },
  ];
  return (
    <div className="tier-filter" role="radiogroup" aria-label="Policy tier" data-testid="tier-filter">
      {/* Cilium and Calico only where there are such policies, the admin tiers only where there are admin ones. */}
      {options
        .filter((o) =>
          o.id === 'Cilium' || o.id === 'Calico'
            ? counts[o.id] > 0
            : o.id === 'Admin' || o.id === 'Baseline'
              ? counts.Admin + counts.Baseline > 0
              : true,
        )
        .map((o) => (
          <button
            key={o.id}
            type="button"
            role="radio"
            aria-checked={tier === o.id}
            className={`tier-option ${tier === o.id ? 'active' : ''}`}
            data-tier={o.id}
            title={`${o.id === 'all' ? 'Every tier' : o.label}: ${counts[o.id]}`}
            onClick={() => setTier(o.id)}
          >
            {o.label}
            {/* The tab already counts them all. */}
            {o.id !== 'all' && <span className="tier-count">{counts[o.id]}</span>}
          </button>
        ))}
    </div>
  );
}

/**
 * One row of the policy list, whatever the kind: the button (selects the policy), its lead (an icon or
 * the admin priority), title, subtitle, optional extras under them, and the direction tags.
 */
function PolicyRow({
  policyKey,
  tier,
  kind,
  className,
  selected,
  lead,
  title,
  sub,
  extra,
  tags,
  directions,
}: {
  policyKey: string;
  tier: string;
  kind?: string;
  className: string;
  selected: boolean;
  lead: ReactNode;
  title: string;
  sub: ReactNode;
  extra?: ReactNode;
  tags?: ReactNode;
  directions: readonly string[];
}) {
  const select = useView((s) => s.select);
  return (
    <button
      type="button"
      className={`row ${className} ${selected ? 'selected' : ''}`}
      aria-pressed={selected}
      data-testid="policy-row"
      data-key={policyKey}
      data-tier={tier}
      {...(kind !== undefined ? { 'data-kind': kind } : {})}
      data-row=""
      onClick={() => select({ kind: 'policy', key: policyKey })}
    >
      {lead}
      <span className="row-main">
        <span className="row-title">{title}</span>
        <span className="row-sub">{sub}</span>
        {extra}
      </span>
      <span className="row-tags">
        {tags}
        {directions.map((t) => (
          <span key={t} className={`tag tag-${t.toLowerCase()}`}>
            {t}
          </span>
        ))}
      </span>
    </button>
  );
}

function AdminRow({ p, selected }: { p: AdminPolicySummary; selected: boolean }) {
  const legacy = isLegacyKind(p.kind);
  return (
    <PolicyRow
      policyKey={p.key}
      tier={p.tier}
      kind={p.kind}
      className="row-admin"
      selected={selected}
      lead={
        <span
          className={`prio prio-${p.tier.toLowerCase()}`}
          title={`${TIER_LABEL[p.tier]}, priority ${p.priority} (lower goes first)`}
          data-testid="policy-priority"
        >
          {p.priority}
        </span>
      }
      title={p.name}
      sub={<span className="row-sub-text">{p.subject}</span>}
      extra={
        <span className="row-actions">
          {p.actions.map((a) => (
            <span key={a} className={`action-dot action-${a.toLowerCase()}`}>
              {a}
            </span>
          ))}
          {p.samePriority.length > 0 && (
            <span
              className="note"
              title={`Same tier and priority as ${p.samePriority.join(', ')}: which goes first is up to the implementation`}
            >
              shares priority {p.priority}
            </span>
          )}
        </span>
      }
      tags={
        legacy && (
          <span className="tag tag-kind" title={`${p.kind} (v1alpha1)`} data-testid="policy-kind">
            {KIND_SHORT[p.kind]}
          </span>
        )
      }
      directions={p.directions}
    />
  );
}

function CiliumRow({
  p,
  selected,
  colors,
}: {
  p: CiliumPolicySummary;
  selected: boolean;
  colors: ReadonlyMap<string, number>;
}) {
  return (
    <PolicyRow
      policyKey={p.key}
      tier="Cilium"
      kind={p.kind}
      className="row-cilium"
      selected={selected}
      lead={
        <span className="row-icon">
          <IconShield />
        </span>
      }
      title={p.name}
      sub={
        <>
          {p.namespace !== undefined && (
            <>
              <NsDot color={colors.get(p.namespace) ?? 0} />
              {p.namespace} ·{' '}
            </>
          )}
          <span className="row-sub-text">{p.subject}</span>
        </>
      }
      extra={
        (p.denies || p.conditional) && (
          <span className="row-actions">
            {p.denies && <span className="action-dot action-deny">Deny</span>}
            {p.conditional && (
              <span
                className="note note-conditional"
                title="Some rules allow only some requests (L7, DNS names, Services)"
              >
                conditional
              </span>
            )}
          </span>
        )
      }
      tags={
        <span className="tag tag-kind" title={p.kind} data-testid="policy-kind">
          {CILIUM_KIND_SHORT[p.kind]}
        </span>
      }
      directions={p.directions}
    />
  );
}

/**
 * A Calico policy: its order where an admin policy has its priority, the tier, namespace (or global)
 * and selector as written, the actions its rules take, and a staged draft marked as not enforced.
 */
function CalicoRow({
  p,
  selected,
  colors,
}: {
  p: CalicoPolicySummary;
  selected: boolean;
  colors: ReadonlyMap<string, number>;
}) {
  return (
    <PolicyRow
      policyKey={p.key}
      tier="Calico"
      kind={p.kind}
      className={`row-calico ${p.staged ? 'row-staged' : ''}`}
      selected={selected}
      lead={
        <span
          className="prio prio-calico"
          title={
            p.order !== undefined
              ? `Order ${p.order} in tier ${p.tier} (lower goes first)`
              : `No order: read after every ordered policy of tier ${p.tier}`
          }
          data-testid="policy-order"
        >
          {p.order ?? '–'}
        </span>
      }
      title={p.name}
      sub={
        <>
          {p.namespace !== undefined ? (
            <>
              <NsDot color={colors.get(p.namespace) ?? 0} />
              {p.namespace}
            </>
          ) : (
            'global'
          )}{' '}
          · <span className="mono row-sub-text">{p.selector}</span>
        </>
      }
      extra={
        <span className="row-actions">
          <span className="calico-tier-name" title={`Calico tier ${p.tier}`} data-testid="policy-tier">
            {p.tier}
          </span>
          {p.actions.map((a) => (
            <span
              key={a}
              className={`action-dot action-${calicoActionTone(a)}`}
              title={CALICO_ACTION_HINT[a]}
            >
              {a}
            </span>
          ))}
          {p.staged && (
            <span
              className="note note-staged"
              title="A staged policy: a draft Calico shows but never enforces"
            >
              staged: not enforced
            </span>
          )}
          {p.conditional && (
            <span
              className="note note-conditional"
              title="Some rules match only some requests (HTTP) or what netglass cannot see (service accounts, Services)"
            >
              conditional
            </span>
          )}
        </span>
      }
      tags={
        <span className="tag tag-kind" title={`Calico ${p.kind}`} data-testid="policy-kind">
          {CALICO_KIND_SHORT[p.kind]}
        </span>
      }
      directions={p.directions}
    />
  );
}

function CalicoTierLabel({ head }: { head: CalicoTierHead }) {
  return (
    <div
      className="calico-tier-label"
      data-testid="calico-tier"
      data-tier={head.tier.name}
      title={`Calico tier ${head.tier.name}: ${calicoTierText(head.tier)}`}
    >
      <span className="calico-tier-title">tier {head.tier.name}</span>
      <span className="calico-tier-hint">{calicoTierText(head.tier)}</span>
      <span className="tier-group-count">
        {head.shown === head.total ? head.total : `${head.shown} of ${head.total}`}
      </span>
    </div>
  );
}

/** Whether the CNI profile leaves a whole group's kind out of the analysis. */
function notEnforced(tier: string, cni: CniSemantics): boolean {
  return (tier === 'Calico' && !cni.enforces.calico) || (tier === 'Cilium' && !cni.enforces.cilium);
}

/** The heading of the Calico network sets: opens and closes their sub-list. */
function NetworkSetsHead({
  item,
  onToggle,
}: {
  item: Extract<NetworkSetItem, { kind: 'netsets' }>;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      className="calico-tier-label netsets-head"
      aria-expanded={item.open}
      data-testid="calico-netsets-head"
      data-row=""
      title="Calico NetworkSets and GlobalNetworkSets: labelled CIDRs that a rule's selector picks by their labels, as it picks pods"
      onClick={onToggle}
    >
      <span className="netsets-caret" aria-hidden="true">
        {item.open ? '▾' : '▸'}
      </span>
      <span className="calico-tier-title">Network sets</span>
      <span className="calico-tier-hint">labelled CIDRs that rule selectors pick</span>
      <span className="tier-group-count">
        {item.shown === item.total ? item.total : `${item.shown} of ${item.total}`}
      </span>
    </button>
  );
}

/** A network set as written: name, namespace (or global), labels and CIDRs. */
function NetworkSetRow({
  set,
  colors,
}: {
  set: CalicoNetworkSetSummary;
  colors: ReadonlyMap<string, number>;
}) {
  return (
    <div
      className="row row-netset"
      data-testid="calico-netset"
      data-key={set.key}
      data-kind={set.kind}
      title={`Calico ${set.kind} ${set.namespace !== undefined ? `${set.namespace}/` : ''}${set.name}`}
    >
      <span className="row-main">
        <span className="row-title">{set.name}</span>
        <span className="row-sub">
          {set.namespace !== undefined ? (
            <>
              <NsDot color={colors.get(set.namespace) ?? 0} />
              {set.namespace}
            </>
          ) : (
            'global'
          )}
        </span>
        <span className="netset-labels" data-testid="calico-netset-labels">
          {set.labels.length === 0 ? (
            <span className="muted">no labels: no selector picks it</span>
          ) : (
            set.labels.map((l) => (
              <span key={l} className="netset-label mono">
                {l}
              </span>
            ))
          )}
        </span>
        <span className="netset-nets mono" data-testid="calico-netset-nets">
          {set.nets.length === 0 ? <span className="muted">no CIDRs</span> : set.nets.join(', ')}
        </span>
      </span>
      <span className="row-tags">
        <span className="tag tag-kind" title={`Calico ${set.kind}`} data-testid="policy-kind">
          {set.kind === 'NetworkSet' ? 'NS' : 'GNS'}
        </span>
      </span>
    </div>
  );
}

function PolicyRows({
  policies,
  admin,
  cilium,
  calico,
  colors,
  filter,
}: {
  policies: readonly PolicySummary[];
  admin: readonly AdminPolicySummary[];
  cilium: readonly CiliumPolicySummary[];
  calico: CalicoList;
  colors: ReadonlyMap<string, number>;
  filter: string;
}) {
  const selection = useView((s) => s.selection);
  const tier = useView((s) => s.tierFilter);
  // The CNI the analysis assumes (chosen, else detected): a group of kinds it does not run says so.
  const chosenCni = useView((s) => s.cni);
  const detectedCni = useSource((s) => s.snapshot?.cni);
  const cni = useMemo(() => cniSemantics(chosenCni ?? detectedCni), [chosenCni, detectedCni]);
  // The network sets' sub-list: undefined until the user opens or closes it (then it follows the search).
  const [setsOpen, setSetsOpen] = useState<boolean | undefined>(undefined);
  const rows = useMemo(
    () => policyListItems(policies, admin, filter, tier, cilium, calico, setsOpen),
    [policies, admin, filter, tier, cilium, calico, setsOpen],
  );
  const itemKey = useCallback((i: number) => itemId(rows[i], i), [rows]);
  const estimate = useCallback(
    (i: number) => {
      const item = rows[i];
      if (item?.kind === 'calico') return item.tierHead !== undefined ? 72 + 30 : 72;
      if (item?.kind === 'netsets') return 30;
      if (item?.kind === 'netset') return 76;
      return item?.kind === 'group'
        ? 34
        : item?.kind === 'admin' || item?.kind === 'cilium'
          ? 72
          : estimatePolicyRow();
    },
    [rows],
  );
  if (rows.every((r) => r.kind === 'group' && r.total === 0)) return <EmptyList filter={filter} />;
  const renderItem = (i: number) => {
    const item = rows[i] as PolicyListItem;
    if (item.kind === 'group') {
      const text = GROUP_TEXT[item.tier];
      return (
        <li
          key={`group:${item.tier}`}
          className={`group-label tier-group tier-group-${item.tier.toLowerCase()}`}
          data-testid="policy-group"
          data-tier={item.tier}
        >
          <span className="tier-swatch" aria-hidden="true" />
          <span className="tier-group-title">{text.title}</span>
          {notEnforced(item.tier, cni) ? (
            // One line in a narrow panel: the tag gives way (ellipsis) and the title keeps its full text.
            <span
              className="tag tag-open tier-group-tag"
              data-testid="group-not-enforced"
              title={`not enforced by ${cni.label}: the CNI profile ${cni.label} does not run these policies, so the analysis leaves them out. Change the CNI in the header if that is wrong.`}
            >
              not enforced by {cni.label}
            </span>
          ) : (
            <span className="tier-group-hint">{text.hint}</span>
          )}
          <span className="tier-group-count">
            {item.shown === item.total ? item.total : `${item.shown} of ${item.total}`}
          </span>
        </li>
      );
    }
    if (item.kind === 'netsets')
      return (
        <li key="calico:netsets">
          <NetworkSetsHead item={item} onToggle={() => setSetsOpen(!item.open)} />
        </li>
      );
    if (item.kind === 'netset')
      return (
        <li key={item.set.key}>
          <NetworkSetRow set={item.set} colors={colors} />
        </li>
      );
    if (item.kind === 'calico')
      return (
        <li key={item.policy.key}>
          {item.tierHead !== undefined && <CalicoTierLabel head={item.tierHead} />}
          <CalicoRow
            p={item.policy}
            colors={colors}
            selected={isSelected(selection, 'policy', item.policy.key)}
          />
        </li>
      );
    if (item.kind === 'admin')
      return (
        <li key={item.policy.key}>
          <AdminRow p={item.policy} selected={isSelected(selection, 'policy', item.policy.key)} />
        </li>
      );
    if (item.kind === 'cilium')
      return (
        <li key={item.policy.key}>
          <CiliumRow
            p={item.policy}
            colors={colors}
            selected={isSelected(selection, 'policy', item.policy.key)}
          />
        </li>
      );
    const p = item.policy;
    return (
      <li key={p.key}>
        <PolicyRow
          policyKey={p.key}
          tier="NetworkPolicy"
          className=""
          selected={isSelected(selection, 'policy', p.key)}
          lead={
            <span className="row-icon">
              <IconShield />
            </span>
          }
          title={p.name}
          sub={
            <>
              <NsDot color={colors.get(p.namespace) ?? 0} />
              {p.namespace} · <span className="mono">{p.selector}</span>
            </>
          }
          extra={
            p.notes.length > 0 && (
              <span className="row-notes">
                {p.notes.map((n) => (
                  <span key={n} className={`note note-${n}`}>
                    {POLICY_NOTE_TEXT[n]}
                  </span>
                ))}
              </span>
            )
          }
          directions={p.types}
        />
      </li>
    );
  };
  return (
    <VirtualList
      testId="policy-list"
      count={rows.length}
      itemKey={itemKey}
      estimateHeight={estimate}
      renderItem={renderItem}
      onKeyDown={onListKeyDown}
    />
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
      <Legend
        tiers={snapshot.clusterPolicies.length > 0}
        cilium={(snapshot.ciliumPolicies?.length ?? 0) > 0}
        calico={(snapshot.calicoPolicies?.length ?? 0) > 0}
      />
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
  const admin = useMemo(() => summarizeAdminPolicies(snapshot), [snapshot]);
  const cilium = useMemo(() => summarizeCiliumPolicies(snapshot), [snapshot]);
  const calico = useMemo(() => listCalicoPolicies(snapshot), [snapshot]);
  const colors = useMemo(() => new Map(namespaces.map((n) => [n.name, n.color])), [namespaces]);
  const counts: Record<PanelTab, number> = {
    namespaces: snapshot.namespaces.length,
    pods: snapshot.pods.length,
    policies:
      snapshot.policies.length + snapshot.clusterPolicies.length + cilium.length + calico.policies.length,
  };
  const tierCounts: Record<TierFilter, number> = {
    all: counts.policies,
    Admin: admin.filter((p) => p.tier === 'Admin').length,
    Calico: calico.policies.length,
    NetworkPolicy: snapshot.policies.length,
    Cilium: cilium.length,
    Baseline: admin.filter((p) => p.tier === 'Baseline').length,
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
            <span className="tab-label">{t.label}</span>
            <span
              className="count"
              data-testid={`count-${t.id}`}
              data-count={counts[t.id]}
              title={counts[t.id].toLocaleString('en-US')}
            >
              {compactCount(counts[t.id])}
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
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              document.querySelector<HTMLElement>('.panel-scroll [data-row]')?.focus();
            }
          }}
          aria-label={`Filter ${tab}`}
        />
      </label>
      <div className="panel-scroll" role="tabpanel" aria-label={tab}>
        {tab === 'namespaces' && <NamespaceTools namespaces={namespaces} />}
        {tab === 'namespaces' && <NamespaceRows namespaces={namespaces} filter={filter} />}
        {tab === 'pods' && <PodRows snapshot={snapshot} colors={colors} filter={filter} />}
        {tab === 'policies' && admin.length + cilium.length + calico.policies.length > 0 && (
          <TierFilterBar counts={tierCounts} />
        )}
        {tab === 'policies' && (
          <PolicyRows
            policies={policies}
            admin={admin}
            cilium={cilium}
            calico={calico}
            colors={colors}
            filter={filter}
          />
        )}
      </div>
      <PanelFooter snapshot={snapshot} />
    </aside>
  );
}

/** Tab counts stay short enough for three tabs side by side: 2.4k, 10k (the exact number is the title). */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(Math.floor(n / 100) / 10).toString()}k`;
  return `${Math.floor(n / 1000)}k`;
}
