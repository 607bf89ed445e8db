/**
 * Cilium policy drafts (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy). Cilium's schema is
 * too wide for a form that would stay honest, so the draft is its YAML: the text the user typed (the
 * last version that loads), read by the project's manifest reader, whose messages (the CLI's, at
 * their line) are the draft's validation. The what-if takes the policy the reader made of it.
 */
import type { CiliumPolicy, CiliumPolicyKind } from '../model/snapshot.ts';
import { ciliumPolicyKey } from '../model/snapshot.ts';
import type { DraftValidation } from './validate.ts';
import type { DraftDeltas, PolicyFamily, YamlDraftRead, YamlPolicyTemplate } from './yaml-policy-draft.ts';
import {
  copyName,
  loaderValidation,
  readOnePolicy,
  renameInYaml,
  replacedKey,
  templateDrafter,
  yamlDraftDeltas,
} from './yaml-policy-draft.ts';

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

export type CiliumDraftRead = YamlDraftRead<CiliumPolicyDraft, CiliumPolicy>;

const CILIUM_FAMILY: PolicyFamily<CiliumPolicy> = {
  one: 'Cilium policy',
  kinds: 'CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy',
  policies: (parse) => parse.ciliumPolicies,
};

/**
 * Reads YAML (or JSON) holding exactly one Cilium policy. Anything else in the text (another object,
 * a second policy) is an error at its line; the reader's warnings (parts netglass does not evaluate)
 * stay warnings.
 */
export function readCiliumDraft(text: string, origin?: CiliumDraftOrigin): CiliumDraftRead {
  const read = readOnePolicy(text, CILIUM_FAMILY);
  if (!read.ok) return read;
  const { policy, issues } = read;
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
  return loaderValidation(read.ok, read.issues);
}

/**
 * What-if changes for a draft: its policy upserted (replacing any Cilium policy with its key), and the
 * policy it edits removed when the draft renamed it. Invalid drafts give no changes.
 */
export function ciliumDraftDeltas(draft: CiliumPolicyDraft): DraftDeltas {
  return yamlDraftDeltas(readCiliumDraft(draft.yaml, draft.origin), {
    key: ciliumPolicyKey,
    originKey: draft.origin !== undefined ? ciliumDraftKey(draft.origin) : undefined,
    upsert: (policy) => ({ kind: 'upsertCiliumPolicy', policy }),
    remove: (key) => ({ kind: 'removeCiliumPolicy', key }),
  });
}

/** The existing Cilium policy a draft replaces without editing it (same key, not its origin). */
export function replacedCiliumKey(
  draft: CiliumPolicyDraft,
  existing: readonly Pick<CiliumPolicy, 'kind' | 'namespace' | 'name'>[],
): string | undefined {
  return replacedKey(
    ciliumDraftKey(draft),
    draft.origin !== undefined ? ciliumDraftKey(draft.origin) : undefined,
    existing.map(ciliumPolicyKey),
  );
}

/**
 * A copy (no origin) under a name not in `takenNames`: `metadata.name` is changed in the text itself,
 * so comments and layout stay as the user wrote them.
 */
export function duplicateCiliumDraft(
  draft: CiliumPolicyDraft,
  takenNames: Iterable<string> = [],
): CiliumPolicyDraft {
  const name = copyName(draft.name, takenNames);
  const { origin: _dropped, ...rest } = draft;
  return { ...rest, name, yaml: renameInYaml(draft.yaml, name) };
}

/** A starting point for a new Cilium policy. */
export type CiliumTemplate = YamlPolicyTemplate<CiliumPolicyKind>;

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
export const ciliumDraftFromTemplate = templateDrafter<CiliumPolicyKind, CiliumPolicyDraft>(
  readCiliumDraft,
  duplicateCiliumDraft,
);
