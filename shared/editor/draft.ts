/**
 * The policy editor's model: a `PolicyDraft` is exactly what the form shows (the seed's "Project
 * Network Policies" form), and it converts to and from a Kubernetes NetworkPolicy without loss.
 *
 * Form ↔ draft ↔ Kubernetes:
 *
 * | form | draft | NetworkPolicy |
 * | --- | --- | --- |
 * | name, namespace | `name`, `namespace` | `metadata.name`, `metadata.namespace` |
 * | description | `description` ('' = none) | annotation `netglass.io/description` |
 * | pod selector: labels / expressions | `podSelector` (both lists empty = every pod of the namespace) | `spec.podSelector` |
 * | policy types Default / Ingress / Egress | `policyTypes: 'default' \| { ingress, egress }` | `spec.policyTypes` absent / listed |
 * | ingress rules | `ingress: RuleDraft[]` | `spec.ingress` |
 * | egress rules | `egress: RuleDraft[]` | `spec.egress` |
 * | sources / destinations: "any" | `rule.peers = 'any'` | `from`/`to` absent |
 * | ports: "all ports" | `rule.ports = 'any'` | `ports` absent |
 * | namespaces by labels / all namespaces / (this namespace) + pods by labels / all pods | `{ kind: 'pods', namespaces, pods }` | `namespaceSelector` / `podSelector` |
 * | IP block: CIDR, exceptions | `{ kind: 'ipBlock', cidr, except }` | `ipBlock` |
 *
 * Text the user types stays text in the draft (`port`, `endPort`, `cidr`, label keys and values), so
 * every state of the form is representable; `validateDraft` (validate.ts) says what is wrong with
 * it, in the manifest loader's words (the API server's rules).
 *
 * Draft field paths (`DraftPath`) name the form's inputs: `name`, `description`,
 * `podSelector.matchLabels[0].key`, `ingress[1].peers[0].namespaces.matchExpressions[2].values[0]`,
 * `egress[0].ports[1].endPort`, `ingress[0].peers[2].except[1]`, ... (`formatPath` over the draft).
 */
import type { ClusterPolicyManifest } from './cluster-draft.ts';
import type {
  LabelSelector,
  Labels,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  Protocol,
  SelectorOperator,
} from '../model/snapshot.ts';

/** The annotation holding the form's description (kept on the object, so it survives a round trip). */
export const DESCRIPTION_ANNOTATION = 'netglass.io/description';

/** One `key: value` row of matchLabels. Rows whose key and value are both empty are left out. */
export interface LabelDraft {
  readonly key: string;
  readonly value: string;
}

/** One row of matchExpressions. `values` matter only for In and NotIn (they are dropped otherwise). */
export interface ExpressionDraft {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** matchLabels AND matchExpressions; both empty selects everything. */
export interface SelectorDraft {
  readonly matchLabels: readonly LabelDraft[];
  readonly matchExpressions: readonly ExpressionDraft[];
}

/**
 * A source (ingress) or destination (egress).
 *
 * `kind: 'pods'`:
 * - `namespaces: 'same'` — the policy's own namespace (no namespaceSelector); `pods` then must select
 *   something: `'all'` writes `podSelector: {}`.
 * - `namespaces: 'all'` — every namespace (`namespaceSelector: {}`); a selector — namespaces by labels.
 * - `pods: 'all'` — every pod of those namespaces (no podSelector); a selector — pods by labels, in
 *   those namespaces (both together = AND). An empty selector here writes `podSelector: {}`, which
 *   Kubernetes reads the same as `'all'`; it is kept so that such a policy round-trips exactly.
 *
 * `kind: 'ipBlock'`: a CIDR and CIDRs inside it that are excluded.
 */
export type PeerDraft =
  | {
      readonly kind: 'pods';
      readonly namespaces: 'same' | 'all' | SelectorDraft;
      readonly pods: 'all' | SelectorDraft;
    }
  | { readonly kind: 'ipBlock'; readonly cidr: string; readonly except: readonly string[] };

/**
 * One `ports:` entry, as typed. `port`: '' = every port of the protocol; digits = a port number; other
 * text = a named container port. `endPort`: '' = none; else the last port of a range (numbers only).
 */
export interface PortDraft {
  readonly protocol: Protocol;
  readonly port: string;
  readonly endPort: string;
}

/**
 * An ingress rule (`peers` = sources, `from`) or egress rule (`peers` = destinations, `to`).
 * `'any'` = no restriction (the list is left out: everyone, external addresses included / every
 * port). An empty array is a form state ("no source yet") that `validateDraft` reports: Kubernetes
 * would read it as `'any'`.
 */
export interface RuleDraft {
  readonly peers: 'any' | readonly PeerDraft[];
  readonly ports: 'any' | readonly PortDraft[];
}

/**
 * The seed's policy types: `'default'` writes no policyTypes (Ingress always, Egress when there are
 * egress rules); otherwise exactly the boxes ticked. Neither ticked is reported by `validateDraft`.
 */
export type PolicyTypesDraft = 'default' | { readonly ingress: boolean; readonly egress: boolean };

/** The existing policy a draft edits (absent for a new policy or a duplicate). */
export interface DraftOrigin {
  readonly namespace: string;
  readonly name: string;
}

export interface PolicyDraft {
  /**
   * Tells a NetworkPolicy draft from a ClusterNetworkPolicy draft (cluster-draft.ts) in an
   * `EditorDraft`; absent means NetworkPolicy, so drafts written before admin tiers stay valid.
   */
  readonly kind?: 'NetworkPolicy';
  readonly name: string;
  readonly namespace: string;
  /** '' = no description annotation. */
  readonly description: string;
  readonly podSelector: SelectorDraft;
  readonly policyTypes: PolicyTypesDraft;
  readonly ingress: readonly RuleDraft[];
  readonly egress: readonly RuleDraft[];
  /** The policy's own labels and its other annotations: not in the form, carried through unchanged. */
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly origin?: DraftOrigin;
}

/** A path into a draft, for attaching messages to form fields (see the module comment). */
export type DraftPath = string;

export const EMPTY_SELECTOR: SelectorDraft = { matchLabels: [], matchExpressions: [] };

export function isEmptySelector(selector: SelectorDraft): boolean {
  return (
    selector.matchExpressions.length === 0 &&
    selector.matchLabels.every((l) => l.key === '' && l.value === '')
  );
}

/** Which directions a draft isolates, as the evaluator will read it. */
export function effectiveTypes(draft: Pick<PolicyDraft, 'policyTypes' | 'egress'>): {
  readonly ingress: boolean;
  readonly egress: boolean;
} {
  if (draft.policyTypes === 'default') return { ingress: true, egress: draft.egress.length > 0 };
  return draft.policyTypes;
}

// ---------------------------------------------------------------- NetworkPolicy → draft

/** A selector of the model as the form's rows. */
export function selectorDraft(selector: LabelSelector): SelectorDraft {
  return {
    matchLabels: Object.entries(selector.matchLabels).map(([key, value]) => ({ key, value })),
    matchExpressions: selector.matchExpressions.map((e) => ({
      key: e.key,
      operator: e.operator,
      values: [...e.values],
    })),
  };
}

export function isEmptyLabelSelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

function peerDraft(peer: PolicyPeer): PeerDraft {
  if (peer.kind === 'ipBlock') {
    return { kind: 'ipBlock', cidr: peer.ipBlock.cidr, except: [...peer.ipBlock.except] };
  }
  const ns = peer.namespaceSelector;
  const pods = peer.podSelector;
  if (ns === undefined) {
    return {
      kind: 'pods',
      namespaces: 'same',
      pods: pods === undefined || isEmptyLabelSelector(pods) ? 'all' : selectorDraft(pods),
    };
  }
  return {
    kind: 'pods',
    namespaces: isEmptyLabelSelector(ns) ? 'all' : selectorDraft(ns),
    // With a namespaceSelector, `podSelector: {}` and no podSelector mean the same; keep which one it was.
    pods: pods === undefined ? 'all' : selectorDraft(pods),
  };
}

function portDraft(port: PolicyPort): PortDraft {
  return {
    protocol: port.protocol,
    port: port.port === undefined ? '' : String(port.port),
    endPort: port.endPort === undefined ? '' : String(port.endPort),
  };
}

function ruleDraft(rule: PolicyRule): RuleDraft {
  return {
    peers: rule.peers === 'any' ? 'any' : rule.peers.map(peerDraft),
    ports: rule.ports === 'any' ? 'any' : rule.ports.map(portDraft),
  };
}

/** The draft for editing an existing (loaded) policy; `origin` names it. */
export function draftFromPolicy(policy: NetworkPolicy): PolicyDraft {
  const { [DESCRIPTION_ANNOTATION]: description, ...annotations } = policy.annotations;
  return {
    name: policy.name,
    namespace: policy.namespace,
    description: description ?? '',
    podSelector: selectorDraft(policy.podSelector),
    policyTypes: policy.policyTypesDeclared
      ? { ingress: policy.policyTypes.includes('Ingress'), egress: policy.policyTypes.includes('Egress') }
      : 'default',
    ingress: policy.ingress.map(ruleDraft),
    egress: policy.egress.map(ruleDraft),
    labels: { ...policy.labels },
    annotations,
    origin: { namespace: policy.namespace, name: policy.name },
  };
}

// ---------------------------------------------------------------- draft → manifest

/** A JSON value as it appears in a manifest. */
export type ManifestValue =
  null | boolean | number | string | readonly ManifestValue[] | { readonly [key: string]: ManifestValue };

/** A Kubernetes NetworkPolicy object, plain JSON (what `kubectl get -o json` shows, minus server fields). */
export interface NetworkPolicyManifest {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: { readonly [key: string]: ManifestValue };
}

/**
 * What the editor writes to files and clusters: a NetworkPolicy, or a (cluster-scoped)
 * ClusterNetworkPolicy. `kind` tells them apart.
 */
export type PolicyManifest = NetworkPolicyManifest | ClusterPolicyManifest;

export type MutableJson = { [key: string]: ManifestValue };

/** A selector draft as manifest JSON; label rows with neither key nor value are left out. */
export function selectorManifest(selector: SelectorDraft): MutableJson {
  const out: MutableJson = {};
  const labels: MutableJson = {};
  let any = false;
  for (const row of selector.matchLabels) {
    if (row.key === '' && row.value === '') continue;
    // A duplicate key keeps the last row; validateDraft reports it at the row.
    labels[row.key] = row.value;
    any = true;
  }
  if (any) out['matchLabels'] = labels;
  if (selector.matchExpressions.length > 0) {
    out['matchExpressions'] = selector.matchExpressions.map((e) => {
      const expr: MutableJson = { key: e.key, operator: e.operator };
      if (e.operator === 'In' || e.operator === 'NotIn') expr['values'] = [...e.values];
      return expr;
    });
  }
  return out;
}

/** Port text → manifest value: digits are a number, other text a port name. */
export function portValue(text: string): number | string {
  const t = text.trim();
  return /^[0-9]+$/.test(t) ? Number(t) : t;
}

function portManifest(port: PortDraft): MutableJson {
  const out: MutableJson = { protocol: port.protocol };
  if (port.port.trim() !== '') out['port'] = portValue(port.port);
  // A non-number end port is written as typed, so the loader reports it at its field.
  if (port.endPort.trim() !== '') out['endPort'] = portValue(port.endPort);
  return out;
}

function peerManifest(peer: PeerDraft): MutableJson {
  if (peer.kind === 'ipBlock') {
    const block: MutableJson = { cidr: peer.cidr.trim() };
    if (peer.except.length > 0) block['except'] = peer.except.map((e) => e.trim());
    return { ipBlock: block };
  }
  const out: MutableJson = {};
  if (peer.namespaces !== 'same') {
    out['namespaceSelector'] = peer.namespaces === 'all' ? {} : selectorManifest(peer.namespaces);
    if (peer.pods !== 'all') out['podSelector'] = selectorManifest(peer.pods);
  } else {
    out['podSelector'] = peer.pods === 'all' ? {} : selectorManifest(peer.pods);
  }
  return out;
}

function ruleManifest(rule: RuleDraft, peersKey: 'from' | 'to'): MutableJson {
  const out: MutableJson = {};
  if (rule.peers !== 'any' && rule.peers.length > 0) out[peersKey] = rule.peers.map(peerManifest);
  if (rule.ports !== 'any' && rule.ports.length > 0) out['ports'] = rule.ports.map(portManifest);
  return out;
}

/**
 * The NetworkPolicy object for a draft, in the canonical field order (apiVersion, kind, metadata
 * {name, namespace, labels, annotations}, spec {podSelector, policyTypes, ingress, egress}; rules
 * {from/to, ports}; peers {namespaceSelector, podSelector} or {ipBlock {cidr, except}}; ports
 * {protocol, port, endPort}), leaving out what is empty or defaulted as kubectl would print it.
 * `podSelector` is always written (`{}` selects every pod), and so is a port's protocol.
 */
export function draftToManifest(draft: PolicyDraft): NetworkPolicyManifest {
  const annotations = annotationsWithDescription(draft.annotations, draft.description);
  const spec: MutableJson = { podSelector: selectorManifest(draft.podSelector) };
  if (draft.policyTypes !== 'default') {
    const types: string[] = [];
    if (draft.policyTypes.ingress) types.push('Ingress');
    if (draft.policyTypes.egress) types.push('Egress');
    if (types.length > 0) spec['policyTypes'] = types;
  }
  if (draft.ingress.length > 0) spec['ingress'] = draft.ingress.map((r) => ruleManifest(r, 'from'));
  if (draft.egress.length > 0) spec['egress'] = draft.egress.map((r) => ruleManifest(r, 'to'));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: draft.name,
      namespace: draft.namespace,
      ...(Object.keys(draft.labels).length > 0 ? { labels: { ...draft.labels } } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec,
  };
}

/** A draft's other annotations plus its description (when there is one), keys sorted as kubectl prints them. */
export function annotationsWithDescription(
  annotations: Labels,
  description: string,
): Readonly<Record<string, string>> {
  const out: Record<string, string> = { ...annotations };
  delete out[DESCRIPTION_ANNOTATION];
  if (description !== '') out[DESCRIPTION_ANNOTATION] = description;
  return sortKeys(out);
}

function sortKeys(map: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(map).sort()) out[key] = map[key] ?? '';
  return out;
}
