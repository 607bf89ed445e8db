/**
 * Calico policies (projectcalico.org/v3 NetworkPolicy / GlobalNetworkPolicy, staged kinds included) for
 * the side panel, the details view and the report: their tiers and order as Calico reads them, and
 * their rules in words (shared/model/calico-wording.ts, which `netglass policy` prints through too).
 * Which pods a policy selects and what its rules decide come from the evaluator (the worker's
 * `policyEffect`, the badges' `isolation`), never from selector matching here.
 */
import {
  byOrderThenName,
  calicoTierInfos,
  DEFAULT_TIER,
  K8S_NP_ORDER,
  type CalicoTierInfo,
} from '../../../shared/eval/calico.ts';
import {
  calicoEntityParts,
  calicoRuleExtras,
  calicoRuleProtocols,
  calicoRuleText,
} from '../../../shared/model/calico-wording.ts';
import {
  calicoNetworkSetKey,
  calicoPolicyKey,
  type CalicoAction,
  type CalicoNetworkSet,
  type CalicoPolicy,
  type CalicoPolicyKind,
  type CalicoRule,
  type PolicyType,
  type Snapshot,
} from '../../../shared/model/snapshot.ts';
import type { PodBadge } from '../analysis/protocol.ts';
import { badgedPodsPerNamespace, countPerNamespace } from './badges.ts';

/** `NP` / `GNP`, and the staged drafts as such. */
export const CALICO_KIND_SHORT: Readonly<Record<CalicoPolicyKind, string>> = {
  NetworkPolicy: 'NP',
  GlobalNetworkPolicy: 'GNP',
  StagedNetworkPolicy: 'staged NP',
  StagedGlobalNetworkPolicy: 'staged GNP',
};

export const CALICO_ACTION_HINT: Readonly<Record<CalicoAction, string>> = {
  Allow: 'allows what it matches: the evaluation ends here',
  Deny: 'denies what it matches: the evaluation ends here',
  Pass: 'skips the rest of this tier: the next tier decides',
  Log: 'logs what it matches; the evaluation goes on with the next rule',
};

/** The colour class an action takes (`action-accept` …): Allow reads as the admin tiers' Accept. */
export function calicoActionTone(action: CalicoAction): 'accept' | 'deny' | 'pass' | 'log' {
  return action === 'Allow' ? 'accept' : action === 'Deny' ? 'deny' : action === 'Pass' ? 'pass' : 'log';
}

export function findCalicoPolicy(snapshot: Snapshot, key: string): CalicoPolicy | undefined {
  return snapshot.calicoPolicies?.find((p) => calicoPolicyKey(p) === key);
}

/**
 * A Calico key's name and short kind, read from the key alone (`Calico:<Kind>/[ns/]<tier>.<name>`): the
 * name as Calico itself prints it, `<tier>.<name>`.
 */
export function calicoKeyParts(key: string): { readonly name: string; readonly short: string } {
  const body = key.slice(key.indexOf(':') + 1);
  const kind = body.slice(0, body.indexOf('/')) as CalicoPolicyKind;
  return { name: body.slice(body.lastIndexOf('/') + 1), short: CALICO_KIND_SHORT[kind] ?? 'Calico' };
}

/** A tier as the list shows it: its order and default action, as the evaluator reads them. */
export type CalicoTierSummary = CalicoTierInfo;

/** The tiers the snapshot's Calico policies are in (staged ones too), in the order Calico reads them. */
export function calicoTiers(snapshot: Snapshot): CalicoTierSummary[] {
  return calicoTierInfos(
    (snapshot.calicoPolicies ?? []).map((p) => p.tier),
    snapshot.calicoTiers ?? [],
  );
}

/** `order 100 · default Deny`, and where the Kubernetes NetworkPolicies sit in the default tier. */
export function calicoTierText(tier: CalicoTierSummary): string {
  return [
    tier.order !== undefined ? `order ${tier.order.toLocaleString('en-US')}` : 'no order (read last)',
    `default ${tier.defaultAction}`,
    ...(tier.name === DEFAULT_TIER ? [`NetworkPolicies at order ${K8S_NP_ORDER}`] : []),
    ...(tier.declared ? [] : ['no Tier object declares it']),
  ].join(' · ');
}

export interface CalicoPolicySummary {
  readonly key: string;
  readonly kind: CalicoPolicyKind;
  readonly name: string;
  /** Undefined for a GlobalNetworkPolicy. */
  readonly namespace: string | undefined;
  readonly tier: string;
  readonly order: number | undefined;
  /** The selector as written, with the namespace and service account selectors that narrow it. */
  readonly selector: string;
  readonly directions: readonly PolicyType[];
  /** The actions its rules take, each once, in the order Calico names them. */
  readonly actions: readonly CalicoAction[];
  /** A draft: listed, never enforced. */
  readonly staged: boolean;
  /** Some rule matches only some requests (HTTP), or what netglass cannot see (service accounts, Services). */
  readonly conditional: boolean;
}

const ACTIONS: readonly CalicoAction[] = ['Allow', 'Deny', 'Pass', 'Log'];

/** The policy's `selector`, with `namespaceSelector` / `serviceAccountSelector` where written. */
export function calicoSelectorText(policy: CalicoPolicy): string {
  return [
    policy.selector,
    ...(policy.namespaceSelector !== undefined ? [`namespaces ${policy.namespaceSelector}`] : []),
    ...(policy.serviceAccountSelector !== undefined
      ? [`service accounts ${policy.serviceAccountSelector}`]
      : []),
  ].join(' · ');
}

function isConditional(rule: CalicoRule): boolean {
  return (
    rule.http !== undefined ||
    [rule.source, rule.destination].some((e) => e.serviceAccounts !== undefined || e.services !== undefined)
  );
}

/** Every Calico policy, in the order Calico reads them: tiers by order, then by policy order and name. */
export function summarizeCalicoPolicies(snapshot: Snapshot): CalicoPolicySummary[] {
  const rank = new Map(calicoTiers(snapshot).map((t, i) => [t.name, i]));
  return [...(snapshot.calicoPolicies ?? [])]
    .sort(
      (a, b) =>
        (rank.get(a.tier) ?? 0) - (rank.get(b.tier) ?? 0) ||
        byOrderThenName(a, b) ||
        (a.namespace ?? '').localeCompare(b.namespace ?? ''),
    )
    .map((policy): CalicoPolicySummary => {
      const rules = [...policy.ingress, ...policy.egress];
      return {
        key: calicoPolicyKey(policy),
        kind: policy.kind,
        name: policy.name,
        namespace: policy.namespace,
        tier: policy.tier,
        order: policy.order,
        selector: calicoSelectorText(policy),
        directions: policy.types,
        actions: ACTIONS.filter((a) => rules.some((r) => r.action === a)),
        staged: policy.staged,
        conditional: rules.some(isConditional),
      };
    });
}

/** Enforced (not staged) Calico NetworkPolicies per namespace; GlobalNetworkPolicies belong to none. */
export function calicoPoliciesPerNamespace(snapshot: Snapshot | undefined): Map<string, number> {
  return countPerNamespace(snapshot?.calicoPolicies?.filter((p) => !p.staged));
}

/** Pods a Calico policy isolates, per namespace, from the worker's badges (the evaluator's `isolation`). */
export function calicoIsolatedPodsPerNamespace(
  badges: Readonly<Record<string, PodBadge>> | undefined,
): Map<string, number> {
  return badgedPodsPerNamespace(badges, (b) => b.calico === true);
}

export interface CalicoRuleDescription {
  /** `ingress[0]`: where the rule is written, as the evaluator names it. */
  readonly label: string;
  readonly direction: 'ingress' | 'egress';
  readonly index: number;
  readonly action: CalicoAction;
  /** `TCP`, `not ICMP`; empty: every protocol. */
  readonly protocols: readonly string[];
  /** Each condition on the source / destination (all must hold); empty: anywhere. */
  readonly source: readonly string[];
  readonly destination: readonly string[];
  /** HTTP, ICMP or IP version matches, as written. */
  readonly extras: readonly string[];
  /** The whole rule in one line, as `netglass policy` prints it. */
  readonly text: string;
  readonly conditional: boolean;
}

/** A policy's rules, ingress then egress, each in written order (the first that matches decides). */
export function describeCalicoRules(policy: CalicoPolicy): CalicoRuleDescription[] {
  return (['ingress', 'egress'] as const).flatMap((direction) =>
    policy[direction].map((rule, index): CalicoRuleDescription => ({
      label: `${direction}[${index}]`,
      direction,
      index,
      action: rule.action,
      protocols: calicoRuleProtocols(rule),
      source: calicoEntityParts(rule.source),
      destination: calicoEntityParts(rule.destination),
      extras: calicoRuleExtras(rule),
      text: calicoRuleText(rule),
      conditional: isConditional(rule),
    })),
  );
}

/**
 * A Calico NetworkSet or GlobalNetworkSet as written: labelled CIDRs that rule selectors pick by their
 * labels. Which rules pick a set is the evaluator's business; this only lists them.
 */
export interface CalicoNetworkSetSummary {
  /** `calicoNetworkSetKey`: `NetworkSet:<namespace>/<name>`, `GlobalNetworkSet:/<name>`. */
  readonly key: string;
  readonly kind: CalicoNetworkSet['kind'];
  readonly name: string;
  /** Undefined for a GlobalNetworkSet. */
  readonly namespace: string | undefined;
  /** `key=value`, sorted by key. */
  readonly labels: readonly string[];
  readonly nets: readonly string[];
}

/** The snapshot's network sets: global ones first, then by namespace and name. */
export function summarizeCalicoNetworkSets(snapshot: Snapshot): CalicoNetworkSetSummary[] {
  return [...(snapshot.calicoNetworkSets ?? [])]
    .sort(
      (a, b) =>
        (a.namespace === undefined ? 0 : 1) - (b.namespace === undefined ? 0 : 1) ||
        (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
        a.name.localeCompare(b.name),
    )
    .map((set) => ({
      key: calicoNetworkSetKey(set),
      kind: set.kind,
      name: set.name,
      namespace: set.namespace,
      labels: Object.entries(set.labels)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`),
      nets: set.nets,
    }));
}

/** Whether a set answers the side panel's filter: by name, namespace (or `global`), label or CIDR. */
export function networkSetMatches(set: CalicoNetworkSetSummary, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (f === '') return true;
  return [set.name, set.namespace ?? 'global', set.kind, ...set.labels, ...set.nets].some((t) =>
    t.toLowerCase().includes(f),
  );
}

/** The side panel's Calico section: the tiers in order, the policies in order, the network sets. */
export interface CalicoList {
  readonly tiers: readonly CalicoTierSummary[];
  readonly policies: readonly CalicoPolicySummary[];
  readonly networkSets: readonly CalicoNetworkSetSummary[];
}

export const EMPTY_CALICO_LIST: CalicoList = { tiers: [], policies: [], networkSets: [] };

export function listCalicoPolicies(snapshot: Snapshot): CalicoList {
  const networkSets = summarizeCalicoNetworkSets(snapshot);
  if ((snapshot.calicoPolicies ?? []).length === 0 && networkSets.length === 0) return EMPTY_CALICO_LIST;
  return { tiers: calicoTiers(snapshot), policies: summarizeCalicoPolicies(snapshot), networkSets };
}
