/**
 * Cilium policy drafts (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy). Cilium's schema is
 * too wide for a form that would stay honest, so the draft is its YAML: the text the user typed (the
 * last version that loads), read by the project's manifest reader, whose messages (the CLI's, at
 * their line) are the draft's validation. The what-if takes the policy the reader made of it.
 */
import { parseDocument } from 'yaml';
import type { SnapshotDelta } from '../eval/types.ts';
import { buildSnapshot, parseManifestText } from '../manifest/index.ts';
import type { CiliumPolicy, CiliumPolicyKind, LoadIssue } from '../model/snapshot.ts';
import { ciliumPolicyKey } from '../model/snapshot.ts';
import { withoutLoadTail } from './messages.ts';
import type { DraftIssue, DraftValidation } from './validate.ts';
import { DRAFT_FILE } from './yaml.ts';

/** The policy a Cilium draft edits: its kind, namespace (none for a cluster-wide one) and name. */
export interface CiliumDraftOrigin {
  readonly kind: CiliumPolicyKind;
  readonly namespace?: string;
  readonly name: string;
}

export interface CiliumPolicyDraft {
  readonly kind: CiliumPolicyKind;
  /** From the text's metadata (kept beside it so lists and keys need no parse). */
  readonly name: string;
  readonly namespace?: string;
  /** The manifest as typed: what Copy, Save and the YAML pane show. */
  readonly yaml: string;
  readonly origin?: CiliumDraftOrigin;
}

export const CILIUM_KINDS: readonly CiliumPolicyKind[] = [
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
];

export function isCiliumKind(kind: string): kind is CiliumPolicyKind {
  return (CILIUM_KINDS as readonly string[]).includes(kind);
}

export type CiliumDraftRead =
  | {
      readonly ok: true;
      readonly draft: CiliumPolicyDraft;
      readonly policy: CiliumPolicy;
      readonly issues: readonly LoadIssue[];
    }
  | { readonly ok: false; readonly issues: readonly LoadIssue[] };

/**
 * Reads YAML (or JSON) holding exactly one Cilium policy. Anything else in the text (another object,
 * a second policy) is an error at its line; the reader's warnings (parts netglass does not evaluate)
 * stay warnings.
 */
export function readCiliumDraft(text: string, origin?: CiliumDraftOrigin): CiliumDraftRead {
  const parse = parseManifestText(text, DRAFT_FILE);
  const snapshot = buildSnapshot([parse], { kind: 'manifests', paths: [DRAFT_FILE] });
  const issues: LoadIssue[] = snapshot.issues
    .filter(
      (i) => !(i.severity === 'info' && i.object?.startsWith('Namespace ') === true && i.field === undefined),
    )
    .map((i) => ({ ...i, message: withoutLoadTail(i.message) }));
  const start = { file: DRAFT_FILE, line: 1, column: 1 };
  const others = [
    ...parse.namespaces.map((o) => ['Namespace', o.location] as const),
    ...parse.pods.map((o) => ['Pod', o.location] as const),
    ...parse.policies.map((o) => ['NetworkPolicy', o.location] as const),
    ...parse.clusterPolicies.map((o) => [o.kind, o.location] as const),
    ...parse.workloads.map((o) => [o.kind, o.location] as const),
  ];
  const skipped = Object.keys(parse.skippedKinds);
  if (others.length > 0 || skipped.length > 0) {
    const kinds = [...new Set([...others.map(([k]) => k), ...skipped])];
    issues.push({
      severity: 'error',
      message: `only one Cilium policy belongs in this draft; this text also holds ${kinds.join(', ')}`,
      location: others[0]?.[1] ?? start,
    });
  }
  const policies = snapshot.ciliumPolicies ?? [];
  if (policies.length > 1) {
    issues.push({
      severity: 'error',
      message: `the editor edits one Cilium policy at a time; this text holds ${policies.length}`,
      location: policies[1]?.location ?? start,
    });
  }
  const policy = policies[0];
  if (policy === undefined && !issues.some((i) => i.severity === 'error'))
    issues.push({
      severity: 'error',
      message: 'no CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy in this text',
      location: start,
    });
  if (policy === undefined || issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  const draft: CiliumPolicyDraft = {
    kind: policy.kind,
    name: policy.name,
    ...(policy.namespace !== undefined ? { namespace: policy.namespace } : {}),
    yaml: text,
    ...(origin !== undefined ? { origin } : {}),
  };
  return { ok: true, draft, policy, issues };
}

/** `shop/web` for a CiliumNetworkPolicy, the name of a cluster-wide one. */
export function ciliumDraftLabel(draft: CiliumPolicyDraft): string {
  return draft.namespace !== undefined ? `${draft.namespace}/${draft.name}` : draft.name;
}

/** The key the draft's policy has in the snapshot (`ciliumPolicyKey`). */
export function ciliumDraftKey(draft: CiliumPolicyDraft | CiliumDraftOrigin): string {
  return ciliumPolicyKey(draft);
}

export function validateCiliumDraft(draft: CiliumPolicyDraft): DraftValidation {
  const read = readCiliumDraft(draft.yaml, draft.origin);
  const issues: DraftIssue[] = read.issues
    .filter((i) => i.severity !== 'info')
    .map((i) => ({
      severity: i.severity,
      message: i.message,
      field: '',
      ...(i.field !== undefined ? { manifestField: i.field } : {}),
      ...(i.location !== undefined ? { line: i.location.line, column: i.location.column } : {}),
      source: 'loader',
    }));
  return { valid: read.ok, issues };
}

/**
 * What-if changes for a draft: its policy upserted (replacing any Cilium policy with its key), and the
 * policy it edits removed when the draft renamed it. Invalid drafts give no changes.
 */
export function ciliumDraftDeltas(
  draft: CiliumPolicyDraft,
):
  | { readonly ok: true; readonly deltas: readonly SnapshotDelta[] }
  | { readonly ok: false; readonly validation: DraftValidation } {
  const read = readCiliumDraft(draft.yaml, draft.origin);
  if (!read.ok) return { ok: false, validation: validateCiliumDraft(draft) };
  const deltas: SnapshotDelta[] = [];
  const key = ciliumPolicyKey(read.policy);
  if (draft.origin !== undefined && ciliumDraftKey(draft.origin) !== key)
    deltas.push({ kind: 'removeCiliumPolicy', key: ciliumDraftKey(draft.origin) });
  deltas.push({ kind: 'upsertCiliumPolicy', policy: read.policy });
  return { ok: true, deltas };
}

/** The existing Cilium policy a draft replaces without editing it (same key, not its origin). */
export function replacedCiliumKey(
  draft: CiliumPolicyDraft,
  existing: readonly Pick<CiliumPolicy, 'kind' | 'namespace' | 'name'>[],
): string | undefined {
  const key = ciliumDraftKey(draft);
  if (draft.origin !== undefined && ciliumDraftKey(draft.origin) === key) return undefined;
  return existing.some((p) => ciliumPolicyKey(p) === key) ? key : undefined;
}

/**
 * A copy (no origin) under a name not in `takenNames`: `metadata.name` is changed in the text itself,
 * so comments and layout stay as the user wrote them.
 */
export function duplicateCiliumDraft(
  draft: CiliumPolicyDraft,
  takenNames: Iterable<string> = [],
): CiliumPolicyDraft {
  const taken = new Set(takenNames);
  taken.add(draft.name);
  const base = draft.name.replace(/-copy(-\d+)?$/, '');
  let name = `${base}-copy`;
  for (let n = 2; taken.has(name); n++) name = `${base}-copy-${n}`;
  const doc = parseDocument(draft.yaml);
  doc.setIn(['metadata', 'name'], name);
  const { origin: _dropped, ...rest } = draft;
  return { ...rest, name, yaml: doc.toString({ lineWidth: 0 }) };
}

/** A starting point for a new Cilium policy. */
export interface CiliumTemplate {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly kind: CiliumPolicyKind;
  /** The manifest, for a namespace (cluster-wide ones ignore it). */
  readonly yaml: (namespace: string) => string;
}

export const CILIUM_TEMPLATES: readonly CiliumTemplate[] = [
  {
    id: 'cilium-same-namespace',
    title: 'Ingress from the same namespace only',
    description:
      'Every endpoint of the namespace accepts traffic from its own namespace and nothing else (default deny for ingress).',
    kind: 'CiliumNetworkPolicy',
    yaml: (ns) => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: same-namespace-only
  namespace: ${ns}
spec:
  endpointSelector: {}
  ingress:
    - fromEndpoints:
        - matchLabels:
            k8s:io.kubernetes.pod.namespace: ${ns}
`,
  },
  {
    id: 'cilium-http-get',
    title: 'HTTP GET only, on port 8080',
    description:
      'Endpoints labelled app=api accept GET requests on 8080/TCP from the namespace; the verdict is conditional (L7).',
    kind: 'CiliumNetworkPolicy',
    yaml: (ns) => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: api-http-get
  namespace: ${ns}
spec:
  endpointSelector:
    matchLabels:
      app: api
  ingress:
    - fromEndpoints:
        - matchLabels:
            k8s:io.kubernetes.pod.namespace: ${ns}
      toPorts:
        - ports:
            - port: "8080"
              protocol: TCP
          rules:
            http:
              - method: GET
`,
  },
  {
    id: 'cilium-deny-metadata',
    title: 'Deny the cloud metadata address, cluster-wide',
    description:
      'No endpoint may reach 169.254.169.254; other egress stays as it is (default deny off for egress).',
    kind: 'CiliumClusterwideNetworkPolicy',
    yaml: () => `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: deny-cloud-metadata
spec:
  endpointSelector: {}
  enableDefaultDeny:
    egress: false
  egressDeny:
    - toCIDR:
        - 169.254.169.254/32
`,
  },
];

/** A draft from a template, renamed when its name is taken. */
export function ciliumDraftFromTemplate(
  template: CiliumTemplate,
  namespace: string,
  takenNames: Iterable<string> = [],
): CiliumPolicyDraft {
  const read = readCiliumDraft(template.yaml(namespace));
  if (!read.ok) throw new Error(`template ${template.id} does not load: ${read.issues[0]?.message ?? ''}`);
  const taken = new Set(takenNames);
  return taken.has(read.draft.name) ? duplicateCiliumDraft(read.draft, taken) : read.draft;
}
