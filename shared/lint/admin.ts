/**
 * Lint rules for admin-tier policies (ClusterNetworkPolicy, and the legacy v1alpha1 AdminNetworkPolicy /
 * BaselineAdminNetworkPolicy). They read the snapshot only: the evaluator decides verdicts, these rules
 * point at policies whose verdicts their authors probably did not intend. Selector matching is the
 * evaluator's (`selectorMatches`); nothing here re-implements it.
 */
import type {
  AdminPeer,
  AdminPort,
  AdminRule,
  ClusterNetworkPolicy,
  LabelSelector,
  LabelSelectorRequirement,
  Namespace,
  Pod,
  Protocol,
  Snapshot,
} from '../model/snapshot.ts';
import { clusterPolicyKey, PROTOCOLS } from '../model/snapshot.ts';
import { selectorMatches } from '../eval/selector.ts';
import { isStrictSubset, parseCIDR } from '../net/address.ts';
import type { LintFinding, LintRule } from './types.ts';

type Direction = 'ingress' | 'egress';
const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

function title(p: ClusterNetworkPolicy): string {
  return `${p.kind} \`${p.name}\``;
}

function at(p: ClusterNetworkPolicy): string {
  return p.location ? ` (${p.location.file}:${p.location.line})` : '';
}

/** `spec.egress[1]`: the path of a rule in the object as written (same for every API version). */
function rulePath(direction: Direction, index: number): string {
  return `spec.${direction}[${index}]`;
}

/** `to[0]` / `from[0]`. */
function peerPath(direction: Direction, index: number): string {
  return `${direction === 'ingress' ? 'from' : 'to'}[${index}]`;
}

function ruleRef(direction: Direction, index: number, rule: AdminRule): string {
  return rule.name !== undefined && rule.name !== ''
    ? `${direction}[${index}] \`${rule.name}\``
    : `${direction}[${index}]`;
}

interface FindingText {
  readonly field?: string;
  readonly message: string;
  readonly fix: string;
}

type Report = (policy: ClusterNetworkPolicy, text: FindingText) => void;

/** A rule whose check reports findings about admin policies; id, severity, object and location are filled in. */
function adminRule(
  spec: Pick<LintRule, 'id' | 'severity' | 'summary'>,
  check: (snapshot: Snapshot, report: Report) => void,
): LintRule {
  return {
    ...spec,
    check(snapshot) {
      const out: LintFinding[] = [];
      check(snapshot, (policy, text) =>
        out.push({
          id: spec.id,
          severity: spec.severity,
          object: clusterPolicyKey(policy),
          ...(policy.location ? { location: policy.location } : {}),
          ...(text.field !== undefined ? { field: text.field } : {}),
          message: text.message,
          fix: text.fix,
        }),
      );
      return out;
    },
  };
}

function* eachRule(p: ClusterNetworkPolicy): Generator<[Direction, number, AdminRule]> {
  for (const direction of DIRECTIONS) {
    const rules = direction === 'ingress' ? p.ingress : p.egress;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule) yield [direction, i, rule];
    }
  }
}

// ---- admin-priority-tie

/** Whether the subject holds this pod (hostNetwork pods are never subjects) of this namespace. */
function subjectHoldsPod(p: ClusterNetworkPolicy, ns: Namespace, pod: Pod): boolean {
  if (pod.hostNetwork || !selectorMatches(p.subject.namespaceSelector, ns.labels)) return false;
  return p.subject.kind === 'namespaces' || selectorMatches(p.subject.podSelector, pod.labels);
}

/**
 * Something of the snapshot both subjects hold: a pod, or (two namespace subjects) a namespace, since
 * every pod that later runs there is held by both. Undefined when nothing is.
 */
function sharedSubject(
  a: ClusterNetworkPolicy,
  b: ClusterNetworkPolicy,
  snapshot: Snapshot,
): string | undefined {
  if (a.subject.kind === 'namespaces' && b.subject.kind === 'namespaces') {
    for (const ns of snapshot.namespaces) {
      if (
        selectorMatches(a.subject.namespaceSelector, ns.labels) &&
        selectorMatches(b.subject.namespaceSelector, ns.labels)
      )
        return `namespace ${ns.name}`;
    }
    return undefined;
  }
  const namespaces = new Map(snapshot.namespaces.map((n) => [n.name, n] as const));
  for (const pod of snapshot.pods) {
    const ns = namespaces.get(pod.namespace);
    if (ns && subjectHoldsPod(a, ns, pod) && subjectHoldsPod(b, ns, pod))
      return `pod ${pod.namespace}/${pod.name}`;
  }
  return undefined;
}

const priorityTie = adminRule(
  {
    id: 'admin-priority-tie',
    severity: 'warning',
    summary:
      'two policies of the same tier with the same priority apply to the same pods in the same direction: their order is implementation-defined',
  },
  (snapshot, report) => {
    const groups = new Map<string, ClusterNetworkPolicy[]>();
    for (const p of snapshot.clusterPolicies) {
      const k = `${p.tier}\u0000${p.priority}`;
      groups.set(k, [...(groups.get(k) ?? []), p]);
    }
    for (const group of groups.values()) {
      const sorted = [...group].sort((x, y) => cmp(clusterPolicyKey(x), clusterPolicyKey(y)));
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) {
          const a = sorted[i];
          const b = sorted[j];
          if (!a || !b) continue;
          // Order matters only between rules of the same direction (one side of a connection).
          const directions = DIRECTIONS.filter(
            (d) =>
              (d === 'ingress' ? a.ingress : a.egress).length > 0 &&
              (d === 'ingress' ? b.ingress : b.egress).length > 0,
          );
          if (directions.length === 0) continue;
          const shared = sharedSubject(a, b, snapshot);
          if (shared === undefined) continue;
          report(a, {
            field: 'spec.priority',
            message:
              `${title(a)} and ${title(b)}${at(b)} are both in the ${a.tier} tier at priority ${a.priority} and both ` +
              `have ${directions.join(' and ')} rules for ${shared}: which goes first is implementation-defined order, ` +
              'so clusters may decide these connections differently',
            fix: `give one of them another priority (lower goes first), or merge their rules into one policy in the order you mean`,
          });
        }
      }
    }
  },
);

// ---- admin-fail-closed-peer

const failClosedPeer = adminRule(
  {
    id: 'admin-fail-closed-peer',
    severity: 'warning',
    summary:
      'a peer with no field netglass recognizes: it fails closed (Accept matches nothing, Deny/Pass everything)',
  },
  (snapshot, report) => {
    for (const p of snapshot.clusterPolicies) {
      for (const [direction, index, rule] of eachRule(p)) {
        rule.peers.forEach((peer, k) => {
          if (peer.kind !== 'unrecognized') return;
          const fields = peer.fields.length > 0 ? `fields ${peer.fields.join(', ')}` : 'no field at all';
          const effect =
            rule.action === 'Accept'
              ? 'this Accept rule matches nothing through it'
              : `this ${rule.action} rule treats it as matching every ${direction === 'ingress' ? 'source' : 'destination'}`;
          report(p, {
            field: `${rulePath(direction, index)}.${peerPath(direction, k)}`,
            message: `${title(p)} rule ${ruleRef(direction, index, rule)} has a peer with ${fields}, none of which netglass recognizes: the API fails closed, so ${effect}`,
            fix:
              'use a peer field of the API version the policy declares (namespaces, pods, networks; nodes and domainNames ' +
              'in the experimental channel) and check its spelling; a field newer than netglass needs a newer netglass',
          });
        });
      }
    }
  },
);

// ---- admin-domainnames-baseline

const domainNamesBaseline = adminRule(
  {
    id: 'admin-domainnames-baseline',
    severity: 'warning',
    summary: 'domainNames in a Baseline-tier policy, or in a rule whose action is not Accept',
  },
  (snapshot, report) => {
    for (const p of snapshot.clusterPolicies) {
      for (const [direction, index, rule] of eachRule(p)) {
        rule.peers.forEach((peer, k) => {
          if (peer.kind !== 'domainNames') return;
          const field = `${rulePath(direction, index)}.${peerPath(direction, k)}.domainNames`;
          if (p.tier === 'Baseline')
            report(p, {
              field,
              message: `${title(p)} is in the Baseline tier and rule ${ruleRef(direction, index, rule)} uses domainNames: newer CRDs allow domainNames in the Admin tier only and reject this policy`,
              fix: 'move the rule to an Admin-tier policy, or name the destinations by networks (CIDRs)',
            });
          if (rule.action !== 'Accept')
            report(p, {
              field,
              message: `${title(p)} rule ${ruleRef(direction, index, rule)} is a ${rule.action} rule with domainNames: the API supports domainNames in Accept rules only`,
              fix: 'make it an Accept rule, or deny by networks (CIDRs) instead of domain names',
            });
        });
      }
    }
  },
);

// ---- admin-shadowed-rule (syntactic: a broader earlier rule in the same policy and direction)

function sameRequirement(a: LabelSelectorRequirement, b: LabelSelectorRequirement): boolean {
  if (a.key !== b.key || a.operator !== b.operator) return false;
  const av = new Set(a.values);
  const bv = new Set(b.values);
  return av.size === bv.size && [...av].every((v) => bv.has(v));
}

/**
 * `a` selects at least what `b` selects, by their text: each requirement of `a` is one of `b`'s (so any
 * labels meeting `b` meet `a`), or `key exists` where `b` requires a value for the key. Broader
 * selectors written differently (`In [x, y]` against `x`) are missed: false negatives only.
 */
function broaderSelector(a: LabelSelector, b: LabelSelector): boolean {
  for (const [k, v] of Object.entries(a.matchLabels)) {
    if (b.matchLabels[k] !== v) return false;
  }
  return a.matchExpressions.every(
    (req) =>
      b.matchExpressions.some((other) => sameRequirement(req, other)) ||
      (req.operator === 'Exists' &&
        (Object.hasOwn(b.matchLabels, req.key) ||
          b.matchExpressions.some((other) => other.key === req.key && other.operator === 'In'))),
  );
}

function cidrWithin(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  const i = parseCIDR(inner);
  const o = parseCIDR(outer);
  if (typeof i === 'string' || typeof o === 'string') return false;
  return i.canonical === o.canonical || isStrictSubset(i, o);
}

/** `*.example.com` covers `a.example.com` and `*.a.example.com` (a wildcard matches one or more labels). */
function domainWithin(inner: string, outer: string): boolean {
  const i = inner.toLowerCase();
  const o = outer.toLowerCase();
  return i === o || (o.startsWith('*.') && i.endsWith(o.slice(1)) && i.length > o.length - 1);
}

/** Whether an earlier rule's peer `a` (of an `aAction` rule) matches everything peer `b` (of a `bAction` rule) matches. */
function peerCovers(
  a: AdminPeer,
  aAction: AdminRule['action'],
  b: AdminPeer,
  bAction: AdminRule['action'],
): boolean {
  // Fail-closed peers: in Deny/Pass they match everything, in Accept nothing.
  if (b.kind === 'unrecognized' && bAction === 'Accept') return true;
  if (a.kind === 'unrecognized') return aAction !== 'Accept';
  switch (b.kind) {
    case 'namespaces':
      return (
        (a.kind === 'namespaces' && broaderSelector(a.namespaceSelector, b.namespaceSelector)) ||
        (a.kind === 'pods' &&
          broaderSelector(a.namespaceSelector, b.namespaceSelector) &&
          broaderSelector(a.podSelector, { matchLabels: {}, matchExpressions: [] }))
      );
    case 'pods':
      return (
        (a.kind === 'namespaces' && broaderSelector(a.namespaceSelector, b.namespaceSelector)) ||
        (a.kind === 'pods' &&
          broaderSelector(a.namespaceSelector, b.namespaceSelector) &&
          broaderSelector(a.podSelector, b.podSelector))
      );
    case 'networks':
      return a.kind === 'networks' && b.cidrs.every((c) => a.cidrs.some((o) => cidrWithin(c, o)));
    case 'nodes':
      return a.kind === 'nodes' && broaderSelector(a.nodeSelector, b.nodeSelector);
    case 'domainNames':
      return (
        a.kind === 'domainNames' && b.domainNames.every((d) => a.domainNames.some((o) => domainWithin(d, o)))
      );
    case 'unrecognized':
      return false;
  }
}

function allPortsOf(ports: readonly AdminPort[], protocol: Protocol): boolean {
  return ports.some((p) => p.kind === 'port' && p.protocol === protocol && p.port === undefined);
}

function portCovers(a: AdminPort, b: AdminPort): boolean {
  if (a.kind === 'named' || b.kind === 'named')
    return a.kind === 'named' && b.kind === 'named' && a.name === b.name;
  if (a.protocol !== b.protocol) return false;
  const [aLo, aHi] = a.port === undefined ? [1, 65535] : [a.port, a.endPort ?? a.port];
  const [bLo, bHi] = b.port === undefined ? [1, 65535] : [b.port, b.endPort ?? b.port];
  return aLo <= bLo && bHi <= aHi;
}

function portsCover(a: AdminRule['ports'], b: AdminRule['ports']): boolean {
  if (a === 'any') return true;
  const everyProtocol = PROTOCOLS.every((proto) => allPortsOf(a, proto));
  if (b === 'any') return everyProtocol;
  // A named port resolves to some container port of any protocol: covered by its name, or by everything.
  return b.every((bp) => (bp.kind === 'named' && everyProtocol) || a.some((ap) => portCovers(ap, bp)));
}

/** The first earlier rule that matches every connection `rules[j]` matches, if a syntactic check finds one. */
function shadowingRule(rules: readonly AdminRule[], j: number): number | undefined {
  const b = rules[j];
  if (!b || b.peers.length === 0) return undefined;
  for (let i = 0; i < j; i++) {
    const a = rules[i];
    if (!a) continue;
    const peersCovered = b.peers.every((bp) => a.peers.some((ap) => peerCovers(ap, a.action, bp, b.action)));
    if (peersCovered && portsCover(a.ports, b.ports)) return i;
  }
  return undefined;
}

const shadowedRule = adminRule(
  {
    id: 'admin-shadowed-rule',
    severity: 'warning',
    summary:
      'a rule that can never decide: an earlier rule of the same policy and direction has the same or broader peers and ports (a syntactic check: some shadowed rules go unnoticed)',
  },
  (snapshot, report) => {
    for (const p of snapshot.clusterPolicies) {
      for (const direction of DIRECTIONS) {
        const rules = direction === 'ingress' ? p.ingress : p.egress;
        for (let j = 1; j < rules.length; j++) {
          const i = shadowingRule(rules, j);
          const a = i === undefined ? undefined : rules[i];
          const b = rules[j];
          if (i === undefined || !a || !b) continue;
          const consequence =
            a.action === b.action
              ? 'it is redundant'
              : `its ${b.action} never applies (the earlier ${a.action} decides first)`;
          report(p, {
            field: rulePath(direction, j),
            message:
              `${title(p)} rule ${ruleRef(direction, j, b)} can never decide: ${ruleRef(direction, i, a)} comes first ` +
              `and has the same or broader peers and ports, so ${consequence}`,
            fix: `remove rule ${ruleRef(direction, j, b)}, or move it above ${ruleRef(direction, i, a)} if it should win (rules are read in written order; the first match decides)`,
          });
        }
      }
    }
  },
);

// ---- admin-legacy-and-v1alpha2

const legacyAndCurrent = adminRule(
  {
    id: 'admin-legacy-and-v1alpha2',
    severity: 'warning',
    summary:
      'legacy AdminNetworkPolicy/BaselineAdminNetworkPolicy next to ClusterNetworkPolicies: Calico 3.32 removed the legacy kinds',
  },
  (snapshot, report) => {
    const current = snapshot.clusterPolicies.filter((p) => p.kind === 'ClusterNetworkPolicy');
    if (current.length === 0) return;
    for (const p of snapshot.clusterPolicies) {
      if (p.kind === 'ClusterNetworkPolicy') continue;
      report(p, {
        field: 'kind',
        message:
          `${title(p)} is a legacy ${p.apiVersion} object and the input also has ${current.length} ClusterNetworkPolicy ` +
          `object${current.length === 1 ? '' : 's'}: Calico 3.32 removed AdminNetworkPolicy and BaselineAdminNetworkPolicy ` +
          '(Antrea 2.7 deprecates them; Cilium implements ClusterNetworkPolicy only), so there this policy is no longer enforced, while netglass evaluates both',
        fix:
          `rewrite it as a ClusterNetworkPolicy (tier: ${p.tier}; action Allow becomes Accept, ports become protocols) ` +
          'and delete the legacy object',
      });
    }
  },
);

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The admin-tier rules, in the order their findings are listed for one object. */
export const ADMIN_LINT_RULES: readonly LintRule[] = [
  priorityTie,
  failClosedPeer,
  domainNamesBaseline,
  shadowedRule,
  legacyAndCurrent,
];
