/**
 * The editor's one-click operations on drafts. Each returns a new draft; none touches a cluster.
 */
import type { PolicyDraft, RuleDraft } from './draft.ts';
import { EMPTY_SELECTOR, effectiveTypes } from './draft.ts';

/** What a new draft does until rules are added (the seed's secure default for a new project). */
export const NEW_DRAFT_EXPLANATION =
  'A new policy starts as deny-all: it selects every pod of the namespace and lists Ingress and Egress with no rules, so nothing reaches them and they reach nothing until you add rules.';

/** The sentence shown beside "Disable ingress rules". */
export const DISABLE_INGRESS_EXPLANATION =
  'Keeps the ingress rules but lists only Egress in the policy types, so they stop applying and the selected pods accept all incoming traffic again; their outgoing traffic stays as it was (an empty egress rule keeps it open where this policy did not restrict it).';

/** The sentence shown beside "Deny all egress". */
export const DENY_ALL_EGRESS_EXPLANATION =
  'Lists only Egress in the policy types and removes every egress rule, so the selected pods cannot send any traffic, DNS lookups included; this policy then no longer restricts their incoming traffic.';

const ALLOW_ALL_RULE: RuleDraft = { peers: 'any', ports: 'any' };

/** A name not in `taken`: `base`, else `base-2`, `base-3`, ... */
export function uniqueName(base: string, taken: Iterable<string> = []): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}`;
    if (!names.has(candidate)) return candidate;
  }
}

/**
 * A new draft in `namespace`: deny-all (see NEW_DRAFT_EXPLANATION), named `new-policy` or the first
 * free `new-policy-N` given the policy names already in that namespace.
 */
export function newDraft(namespace: string, takenNames: Iterable<string> = []): PolicyDraft {
  return {
    name: uniqueName('new-policy', takenNames),
    namespace,
    description: '',
    podSelector: EMPTY_SELECTOR,
    policyTypes: { ingress: true, egress: true },
    ingress: [],
    egress: [],
    labels: {},
    annotations: {},
  };
}

/**
 * A copy to save as a new policy: named `<name>-copy` (or `-copy-2`, ...), no origin, so it adds a
 * policy instead of replacing the one it came from.
 */
export function duplicateDraft(draft: PolicyDraft, takenNames: Iterable<string> = []): PolicyDraft {
  const { origin: _origin, ...rest } = draft;
  return { ...rest, name: uniqueName(`${draft.name}-copy`, [...takenNames, draft.name]) };
}

function isAllowAll(rule: RuleDraft): boolean {
  return rule.peers === 'any' && rule.ports === 'any';
}

/**
 * The seed's "disable ingress rules": policy types Egress only, ingress rules kept (inactive). Where
 * the draft did not restrict egress before, an empty egress rule (allow all) keeps egress open.
 */
export function disableIngressRules(draft: PolicyDraft): PolicyDraft {
  const before = effectiveTypes(draft);
  const egress =
    before.egress || draft.egress.some(isAllowAll) ? draft.egress : [...draft.egress, ALLOW_ALL_RULE];
  return { ...draft, policyTypes: { ingress: false, egress: true }, egress };
}

/** The seed's "deny all egress": policy types Egress only and no egress rules. Ingress rules are kept (inactive). */
export function denyAllEgress(draft: PolicyDraft): PolicyDraft {
  return { ...draft, policyTypes: { ingress: false, egress: true }, egress: [] };
}
