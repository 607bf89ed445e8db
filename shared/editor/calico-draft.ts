/**
 * Calico policy drafts (projectcalico.org/v3 NetworkPolicy, GlobalNetworkPolicy). Like Cilium's, the
 * draft is its YAML (yaml-policy-draft.ts): the reader's messages, at their line, are its validation,
 * and the what-if takes the policy the reader made of it. Only the enforced kinds are drafts: a staged
 * policy changes no verdict, so it is tried as the enforced policy it would become
 * (`calicoDraftFromPolicy(staged)`).
 *
 * Names: Calico before 3.32 named a policy of tier `t` `t.<name>`; the reader strips that prefix
 * (`CalicoPolicy.name`), and a draft's `name` is the stripped one. A copy keeps the text's way of
 * writing it (prefixed or not).
 */
import type { CalicoPolicy, CalicoPolicyKind, CalicoTier } from '../model/snapshot.ts';
import { calicoPolicyKey } from '../model/snapshot.ts';
import type { DraftValidation } from './validate.ts';
import type { DraftDeltas, PolicyFamily, YamlDraftRead, YamlPolicyTemplate } from './yaml-policy-draft.ts';
import {
  copyName,
  loaderValidation,
  readOnePolicy,
  renameInYaml,
  replacedKey,
  templateDrafter,
  writtenNameOf,
  yamlDraftDeltas,
} from './yaml-policy-draft.ts';

/** The kinds a draft may hold: the enforced ones. */
export type CalicoDraftKind = 'NetworkPolicy' | 'GlobalNetworkPolicy';

/** The policy a Calico draft edits. */
export interface CalicoDraftOrigin {
  readonly kind: CalicoPolicyKind;
  readonly namespace?: string;
  readonly tier: string;
  readonly name: string;
}

export interface CalicoPolicyDraft {
  /** Tells Calico drafts from the editor's others (Calico's own kind is `calicoKind`). */
  readonly kind: 'Calico';
  readonly calicoKind: CalicoDraftKind;
  /** From the text (kept beside it so lists and keys need no parse); without the `tier.` prefix. */
  readonly name: string;
  readonly namespace?: string;
  readonly tier: string;
  /** The manifest as typed: what Copy, Save and the YAML pane show. */
  readonly yaml: string;
  readonly origin?: CalicoDraftOrigin;
}

/** The tiers Calico has without a Tier object (3.32's static admin tiers included). */
export const BUILT_IN_CALICO_TIERS: readonly string[] = ['default', 'kube-admin', 'kube-baseline'];

export type CalicoDraftRead = YamlDraftRead<CalicoPolicyDraft, CalicoPolicy>;

const CALICO_FAMILY: PolicyFamily<CalicoPolicy> = {
  one: 'Calico policy',
  kinds: 'Calico NetworkPolicy or GlobalNetworkPolicy (projectcalico.org/v3)',
  policies: (parse) => parse.calicoPolicies ?? [],
};

/**
 * Reads YAML (or JSON) holding exactly one Calico NetworkPolicy or GlobalNetworkPolicy. A staged kind
 * is an error (it would change nothing in the what-if), with what to write instead.
 */
export function readCalicoDraft(text: string, origin?: CalicoDraftOrigin): CalicoDraftRead {
  const read = readOnePolicy(text, CALICO_FAMILY);
  if (!read.ok) return read;
  const { policy, issues } = read;
  if (policy.staged) {
    const enforced = enforcedKind(policy.kind);
    return {
      ok: false,
      issues: [
        ...issues,
        {
          severity: 'error',
          message: `a ${policy.kind} changes no verdict, so the what-if could not show it: write kind: ${enforced} to see what it would do once enforced`,
          field: 'kind',
          ...(policy.location !== undefined ? { location: policy.location } : {}),
        },
      ],
    };
  }
  const draft: CalicoPolicyDraft = {
    kind: 'Calico',
    calicoKind: enforcedKind(policy.kind),
    name: policy.name,
    ...(policy.namespace !== undefined ? { namespace: policy.namespace } : {}),
    tier: policy.tier,
    yaml: text,
    ...(origin !== undefined ? { origin } : {}),
  };
  return { ok: true, draft, policy, issues };
}

/** The kind a staged kind becomes once enforced (an enforced kind stays). */
export function enforcedKind(kind: CalicoPolicyKind): CalicoDraftKind {
  return kind === 'NetworkPolicy' || kind === 'StagedNetworkPolicy' ? 'NetworkPolicy' : 'GlobalNetworkPolicy';
}

/**
 * `shop/api-allow` for a namespaced policy, `security.no-metadata` for a global one: the tier is said
 * unless it is `default`.
 */
export function calicoDraftLabel(draft: CalicoPolicyDraft): string {
  const name = draft.tier === 'default' ? draft.name : `${draft.tier}.${draft.name}`;
  return draft.namespace !== undefined ? `${draft.namespace}/${name}` : name;
}

/** The key the draft's policy has in the snapshot (`calicoPolicyKey`). */
export function calicoDraftKey(draft: CalicoPolicyDraft): string {
  return calicoPolicyKey({ ...draft, kind: draft.calicoKind });
}

/** What validation may use beyond the draft: the source's Calico tiers. */
export interface CalicoDraftContext {
  /** Absent: not known (no warning about an undeclared tier). */
  readonly calicoTiers?: readonly Pick<CalicoTier, 'name'>[];
}

/**
 * The reader's messages, and a warning when the draft's tier is not one the source declares: Calico
 * refuses such a policy, and the what-if reads its tier last with default action Deny.
 */
export function validateCalicoDraft(
  draft: CalicoPolicyDraft,
  context: CalicoDraftContext = {},
): DraftValidation {
  const read = readCalicoDraft(draft.yaml, draft.origin);
  const validation = loaderValidation(read.ok, read.issues);
  const tiers = context.calicoTiers;
  if (!read.ok || tiers === undefined) return validation;
  const known = [...BUILT_IN_CALICO_TIERS, ...tiers.map((t) => t.name)];
  if (known.includes(draft.tier)) return validation;
  return {
    ...validation,
    issues: [
      ...validation.issues,
      {
        severity: 'warning',
        message: `tier ${draft.tier} is not declared in the loaded source: Calico refuses the policy until a Tier named ${draft.tier} exists; the what-if reads the tier after every declared one, with default action Deny`,
        field: '',
        manifestField: 'spec.tier',
        source: 'loader',
      },
    ],
  };
}

function originKeyOf(draft: CalicoPolicyDraft): string | undefined {
  return draft.origin !== undefined ? calicoPolicyKey(draft.origin) : undefined;
}

/**
 * What-if changes for a draft: its policy upserted (replacing any Calico policy with its key), and the
 * policy it edits removed when the draft renamed it (or moved it to another tier). Invalid drafts give
 * no changes.
 */
export function calicoDraftDeltas(draft: CalicoPolicyDraft): DraftDeltas {
  return yamlDraftDeltas(readCalicoDraft(draft.yaml, draft.origin), {
    key: calicoPolicyKey,
    originKey: originKeyOf(draft),
    upsert: (policy) => ({ kind: 'upsertCalicoPolicy', policy }),
    remove: (key) => ({ kind: 'removeCalicoPolicy', key }),
  });
}

/** The existing Calico policy a draft replaces without editing it (same key, not its origin). */
export function replacedCalicoKey(
  draft: CalicoPolicyDraft,
  existing: readonly Pick<CalicoPolicy, 'kind' | 'namespace' | 'tier' | 'name'>[],
): string | undefined {
  return replacedKey(calicoDraftKey(draft), originKeyOf(draft), existing.map(calicoPolicyKey));
}

/**
 * A copy (no origin) under a name not in `takenNames` (names without the tier prefix). The name is
 * changed in the text itself; a text that wrote `tier.name` gets `tier.<new name>`.
 */
export function duplicateCalicoDraft(
  draft: CalicoPolicyDraft,
  takenNames: Iterable<string> = [],
): CalicoPolicyDraft {
  const name = copyName(draft.name, takenNames);
  const prefix = `${draft.tier}.`;
  const prefixed = writtenNameOf(draft.yaml)?.startsWith(prefix) === true;
  const { origin: _dropped, ...rest } = draft;
  return { ...rest, name, yaml: renameInYaml(draft.yaml, prefixed ? `${prefix}${name}` : name) };
}

/** A starting point for a new Calico policy. */
export type CalicoTemplate = YamlPolicyTemplate<CalicoDraftKind>;

export const CALICO_TEMPLATES: readonly CalicoTemplate[] = [
  {
    id: 'calico-api-from-namespace',
    title: 'API pods: TCP 8080 from their namespace',
    description:
      "Pods with app == 'api' accept TCP 8080 from pods of their own namespace; other ingress to them is denied (default tier, order 100).",
    kind: 'NetworkPolicy',
    yaml: (ns) => `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: api-from-namespace
  namespace: ${ns}
spec:
  # Read before Kubernetes NetworkPolicies (order 1000 in the default tier).
  order: 100
  selector: app == 'api'
  types:
    - Ingress
  ingress:
    - action: Allow
      protocol: TCP
      # No namespaceSelector: the source is in this policy's namespace.
      source:
        selector: all()
      destination:
        ports:
          - 8080
`,
  },
  {
    id: 'calico-global-default-deny',
    title: 'Default deny, cluster-wide (DNS kept)',
    description:
      'Every pod outside kube-system and calico-system is denied what no policy of lower order allows; egress to cluster DNS stays open (default tier, order 2000).',
    kind: 'GlobalNetworkPolicy',
    yaml: () => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: default-deny
spec:
  # After lower orders of the default tier (Kubernetes NetworkPolicies are at 1000).
  order: 2000
  selector: projectcalico.org/namespace not in {'kube-system', 'calico-system'}
  types:
    - Ingress
    - Egress
  egress:
    - action: Allow
      protocol: UDP
      destination:
        namespaceSelector: projectcalico.org/name == 'kube-system'
        selector: k8s-app == 'kube-dns'
        ports:
          - 53
`,
  },
  {
    id: 'calico-tier-block-metadata',
    title: 'Security tier: block the cloud metadata address',
    description:
      'In tier security (a Tier named security must exist): no pod may reach 169.254.169.254; everything else passes to the next tier.',
    kind: 'GlobalNetworkPolicy',
    yaml: () => `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  # The tier. prefix is optional since Calico 3.32 and required before it.
  name: security.block-metadata
spec:
  tier: security
  order: 100
  selector: all()
  types:
    - Egress
  egress:
    - action: Deny
      destination:
        nets:
          - 169.254.169.254/32
    # Leave every other connection to the tiers after this one.
    - action: Pass
`,
  },
];

/** A draft from a template, renamed when its name is taken. */
export const calicoDraftFromTemplate = templateDrafter<CalicoDraftKind, CalicoPolicyDraft>(
  readCalicoDraft,
  duplicateCalicoDraft,
);
