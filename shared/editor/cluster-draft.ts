/**
 * The editor's model of an admin-tier policy: a `ClusterPolicyDraft` is what the ClusterNetworkPolicy
 * form shows, and it converts to and from a ClusterNetworkPolicy object (policy.networking.k8s.io
 * v1beta1 or v1alpha2, whose schemas are identical) without loss.
 *
 * Form ↔ draft ↔ Kubernetes:
 *
 * | form | draft | ClusterNetworkPolicy |
 * | --- | --- | --- |
 * | name, description | `name`, `description` | `metadata.name`, annotation `netglass.io/description` |
 * | tier Admin / Baseline | `tier` | `spec.tier` |
 * | priority (0..1000, lower first) | `priority` (text as typed) | `spec.priority` |
 * | subject: namespaces by labels | `{ kind: 'namespaces', namespaces }` | `spec.subject.namespaces` |
 * | subject: pods (namespaces + pods by labels) | `{ kind: 'pods', namespaces, pods }` | `spec.subject.pods.{namespaceSelector,podSelector}` |
 * | ingress / egress rules, in order | `ingress`, `egress: AdminRuleDraft[]` | `spec.ingress`, `spec.egress` |
 * | rule name, action | `name` ('' = none), `action` | `name`, `action` |
 * | peers | `peers: AdminPeerDraft[]` | `from` / `to` |
 * | ports: "all" / tcp, udp, sctp port or range / named port | `ports: 'any' \| AdminPortDraft[]` | `protocols` absent / `{tcp: {destinationPort: {number} \| {range}}}` / `{destinationNamedPort}` |
 *
 * As in the NetworkPolicy draft (draft.ts), what the user types stays text (`priority`, ports,
 * CIDRs), so every state of the form is representable; the manifest reader says what is wrong
 * (validate-cluster.ts). Egress-only peers (`networks`, and the experimental `nodes` and
 * `domainNames`) are kept on ingress rules too, if a user puts them there, so that the reader can
 * report them where they are.
 *
 * Draft field paths: `name`, `description`, `apiVersion`, `tier`, `priority`, `subject`,
 * `subject.namespaces.matchLabels[0].key`, `subject.pods.matchExpressions[1].values[0]`,
 * `ingress[0].name`, `ingress[0].action`, `ingress[0].peers[1].namespaces.matchLabels[0].value`,
 * `egress[2].peers[0].cidrs[1]`, `egress[0].peers[0].domainNames[0]`, `egress[0].ports[1].port`,
 * `egress[0].ports[1].endPort`, `egress[0].ports[2].name`.
 */
import type {
  AdminAction,
  AdminPeer,
  AdminPort,
  AdminRule,
  AdminSubject,
  AdminTier,
  ClusterNetworkPolicy,
  Labels,
  Protocol,
} from '../model/snapshot.ts';
import type { ManifestValue, MutableJson, SelectorDraft } from './draft.ts';
import {
  DESCRIPTION_ANNOTATION,
  annotationsWithDescription,
  portValue,
  selectorDraft,
  selectorManifest,
} from './draft.ts';

/** The API group of ClusterNetworkPolicy (sigs.k8s.io/network-policy-api). */
export const CLUSTER_POLICY_GROUP = 'policy.networking.k8s.io';
/** The versions the editor writes; their schemas are identical. */
export const CLUSTER_POLICY_VERSIONS = ['v1beta1', 'v1alpha2'] as const;
/** A new draft's apiVersion: the storage version of network-policy-api v0.3. */
export const DEFAULT_CLUSTER_POLICY_API_VERSION = `${CLUSTER_POLICY_GROUP}/v1beta1`;
/** Priorities run from 0 (first) to this (last), within a tier. */
export const MAX_CLUSTER_PRIORITY = 1000;

/** Which pods the policy applies to. Both selectors empty select every pod of every namespace. */
export type AdminSubjectDraft =
  | { readonly kind: 'namespaces'; readonly namespaces: SelectorDraft }
  | { readonly kind: 'pods'; readonly namespaces: SelectorDraft; readonly pods: SelectorDraft };

/**
 * One peer of a rule. `namespaces`: every pod of matching namespaces; `pods`: pods by labels in
 * matching namespaces; `networks`: CIDRs (egress only; they match pod IPs too). `nodes` and
 * `domainNames` (egress only, experimental channel) are kept so that editing a policy that has them
 * loses nothing.
 */
export type AdminPeerDraft =
  | { readonly kind: 'namespaces'; readonly namespaces: SelectorDraft }
  | { readonly kind: 'pods'; readonly namespaces: SelectorDraft; readonly pods: SelectorDraft }
  | { readonly kind: 'networks'; readonly cidrs: readonly string[] }
  | { readonly kind: 'nodes'; readonly nodes: SelectorDraft }
  | { readonly kind: 'domainNames'; readonly domainNames: readonly string[] };

/**
 * One `protocols` entry. `port`: a protocol's destination port (`endPort` '' = one port, else the
 * last of a range starting at `port`; '' for `port` writes the protocol with no port, which the
 * reader reports); `named`: a named container port of the destination pod.
 */
export type AdminPortDraft =
  | { readonly kind: 'port'; readonly protocol: Protocol; readonly port: string; readonly endPort: string }
  | { readonly kind: 'named'; readonly name: string };

/**
 * A rule: the first rule (in written order) of the policy that matches a connection decides with its
 * action. `peers` may not be empty in Kubernetes; an empty list is a form state the reader reports.
 */
export interface AdminRuleDraft {
  /** '' = no name. */
  readonly name: string;
  readonly action: AdminAction;
  readonly peers: readonly AdminPeerDraft[];
  /** 'any' = no `protocols`: every port of every protocol. */
  readonly ports: 'any' | readonly AdminPortDraft[];
}

/** The existing ClusterNetworkPolicy a draft edits (its key is its name). */
export interface ClusterDraftOrigin {
  readonly name: string;
}

export interface ClusterPolicyDraft {
  readonly kind: 'ClusterNetworkPolicy';
  /** `policy.networking.k8s.io/v1beta1` for a new draft; an edited object keeps its own. */
  readonly apiVersion: string;
  readonly name: string;
  /** '' = no description annotation. */
  readonly description: string;
  readonly tier: AdminTier;
  /** As typed; digits are written as a number. */
  readonly priority: string;
  readonly subject: AdminSubjectDraft;
  readonly ingress: readonly AdminRuleDraft[];
  readonly egress: readonly AdminRuleDraft[];
  /** Not in the form, carried through unchanged. */
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly origin?: ClusterDraftOrigin;
}

/** A ClusterNetworkPolicy object, plain JSON. Cluster-scoped: no namespace. */
export interface ClusterPolicyManifest {
  readonly apiVersion: `${typeof CLUSTER_POLICY_GROUP}/${string}`;
  readonly kind: 'ClusterNetworkPolicy';
  readonly metadata: {
    readonly name: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: { readonly [key: string]: ManifestValue };
}

// ---------------------------------------------------------------- ClusterNetworkPolicy → draft

function subjectDraft(subject: AdminSubject): AdminSubjectDraft {
  return subject.kind === 'namespaces'
    ? { kind: 'namespaces', namespaces: selectorDraft(subject.namespaceSelector) }
    : {
        kind: 'pods',
        namespaces: selectorDraft(subject.namespaceSelector),
        pods: selectorDraft(subject.podSelector),
      };
}

/** The peer as a draft; undefined for a peer with no field netglass knows (it cannot be written back). */
function peerDraft(peer: AdminPeer): AdminPeerDraft | undefined {
  switch (peer.kind) {
    case 'namespaces':
      return { kind: 'namespaces', namespaces: selectorDraft(peer.namespaceSelector) };
    case 'pods':
      return {
        kind: 'pods',
        namespaces: selectorDraft(peer.namespaceSelector),
        pods: selectorDraft(peer.podSelector),
      };
    case 'networks':
      return { kind: 'networks', cidrs: [...peer.cidrs] };
    case 'nodes':
      return { kind: 'nodes', nodes: selectorDraft(peer.nodeSelector) };
    case 'domainNames':
      return { kind: 'domainNames', domainNames: [...peer.domainNames] };
    case 'unrecognized':
      return undefined;
  }
}

function portDraft(port: AdminPort): AdminPortDraft {
  if (port.kind === 'named') return { kind: 'named', name: port.name };
  return {
    kind: 'port',
    protocol: port.protocol,
    port: port.port === undefined ? '' : String(port.port),
    endPort: port.endPort === undefined ? '' : String(port.endPort),
  };
}

function ruleDraft(rule: AdminRule): AdminRuleDraft {
  return {
    name: rule.name ?? '',
    action: rule.action,
    peers: rule.peers.flatMap((p) => peerDraft(p) ?? []),
    ports: rule.ports === 'any' ? 'any' : rule.ports.map(portDraft),
  };
}

/**
 * Whether the editor can write `policy` back as it is: a ClusterNetworkPolicy (not a legacy
 * v1alpha1 kind, whose schema differs) with no peer of a field netglass does not know.
 */
export function canEditClusterPolicy(policy: ClusterNetworkPolicy): boolean {
  return (
    policy.kind === 'ClusterNetworkPolicy' &&
    [...policy.ingress, ...policy.egress].every((r) => r.peers.every((p) => p.kind !== 'unrecognized'))
  );
}

/**
 * The draft for editing an existing ClusterNetworkPolicy; `origin` names it, and its apiVersion is
 * kept. Check `canEditClusterPolicy` first: peers of unknown fields are left out.
 */
export function clusterDraftFromPolicy(policy: ClusterNetworkPolicy): ClusterPolicyDraft {
  const { [DESCRIPTION_ANNOTATION]: description, ...annotations } = policy.annotations;
  return {
    kind: 'ClusterNetworkPolicy',
    apiVersion: policy.apiVersion,
    name: policy.name,
    description: description ?? '',
    tier: policy.tier,
    priority: String(policy.priority),
    subject: subjectDraft(policy.subject),
    ingress: policy.ingress.map(ruleDraft),
    egress: policy.egress.map(ruleDraft),
    labels: { ...policy.labels },
    annotations,
    origin: { name: policy.name },
  };
}

// ---------------------------------------------------------------- draft → manifest

function namespacedPods(namespaces: SelectorDraft, pods: SelectorDraft): MutableJson {
  return { namespaceSelector: selectorManifest(namespaces), podSelector: selectorManifest(pods) };
}

function subjectManifest(subject: AdminSubjectDraft): MutableJson {
  return subject.kind === 'namespaces'
    ? { namespaces: selectorManifest(subject.namespaces) }
    : { pods: namespacedPods(subject.namespaces, subject.pods) };
}

function peerManifest(peer: AdminPeerDraft): MutableJson {
  switch (peer.kind) {
    case 'namespaces':
      return { namespaces: selectorManifest(peer.namespaces) };
    case 'pods':
      return { pods: namespacedPods(peer.namespaces, peer.pods) };
    case 'networks':
      return { networks: peer.cidrs.map((c) => c.trim()) };
    case 'nodes':
      return { nodes: selectorManifest(peer.nodes) };
    case 'domainNames':
      return { domainNames: peer.domainNames.map((d) => d.trim()) };
  }
}

const PROTOCOL_KEYS: Readonly<Record<Protocol, string>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** A protocols entry. Text that is not a number is written as typed, so the reader reports it at its field. */
function portManifest(port: AdminPortDraft): MutableJson {
  if (port.kind === 'named') return { destinationNamedPort: port.name.trim() };
  const key = PROTOCOL_KEYS[port.protocol];
  if (port.port.trim() === '' && port.endPort.trim() === '') return { [key]: {} };
  const destinationPort: MutableJson =
    port.endPort.trim() === ''
      ? { number: portValue(port.port) }
      : { range: { start: portValue(port.port), end: portValue(port.endPort) } };
  return { [key]: { destinationPort } };
}

function ruleManifest(rule: AdminRuleDraft, peersKey: 'from' | 'to'): MutableJson {
  const out: MutableJson = {};
  if (rule.name !== '') out['name'] = rule.name;
  out['action'] = rule.action;
  out[peersKey] = rule.peers.map(peerManifest);
  if (rule.ports !== 'any') out['protocols'] = rule.ports.map(portManifest);
  return out;
}

/** Priority text → manifest value: digits (with an optional minus) are a number, other text a string. */
function priorityValue(text: string): number | string {
  const t = text.trim();
  return /^-?[0-9]+$/.test(t) ? Number(t) : t;
}

/**
 * The ClusterNetworkPolicy object for a draft, in canonical order (apiVersion, kind, metadata {name,
 * labels, annotations}, spec {tier, priority, subject, ingress, egress}; rules {name, action,
 * from/to, protocols}). Every rule writes its peers (`from`/`to` are required) and `protocols` only
 * when it names ports.
 */
export function clusterDraftToManifest(draft: ClusterPolicyDraft): ClusterPolicyManifest {
  const annotations = annotationsWithDescription(draft.annotations, draft.description);
  const spec: MutableJson = {
    tier: draft.tier,
    priority: priorityValue(draft.priority),
    subject: subjectManifest(draft.subject),
  };
  if (draft.ingress.length > 0) spec['ingress'] = draft.ingress.map((r) => ruleManifest(r, 'from'));
  if (draft.egress.length > 0) spec['egress'] = draft.egress.map((r) => ruleManifest(r, 'to'));
  const apiVersion = draft.apiVersion.startsWith(`${CLUSTER_POLICY_GROUP}/`)
    ? (draft.apiVersion as ClusterPolicyManifest['apiVersion'])
    : // Not this group: written as the default version (the form offers only this group's versions).
      (DEFAULT_CLUSTER_POLICY_API_VERSION as ClusterPolicyManifest['apiVersion']);
  return {
    apiVersion,
    kind: 'ClusterNetworkPolicy',
    metadata: {
      name: draft.name,
      ...(Object.keys(draft.labels).length > 0 ? { labels: { ...draft.labels } } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec,
  };
}
