/**
 * Starting points for ClusterNetworkPolicy drafts: the platform team's usual admin policies.
 *
 * Admin-tier rules decide before any NetworkPolicy, Baseline-tier rules only where no NetworkPolicy
 * isolates the pod; within a policy the first matching rule decides. The API has no "same namespace"
 * peer, so a policy about "other namespaces" is written for one namespace, excluding it by name.
 */
import { NAMESPACE_NAME_LABEL } from '../model/snapshot.ts';
import type { AdminRuleDraft, ClusterPolicyDraft } from './cluster-draft.ts';
import { DEFAULT_CLUSTER_POLICY_API_VERSION } from './cluster-draft.ts';
import type { SelectorDraft } from './draft.ts';
import { EMPTY_SELECTOR } from './draft.ts';

export interface ClusterPolicyTemplate {
  readonly id: string;
  readonly title: string;
  /** One sentence: what the policy does. */
  readonly description: string;
  /** Whether `create` writes the policy for the namespace given (else it ignores it). */
  readonly perNamespace: boolean;
  /** The draft (a new policy: no origin). */
  create(namespace: string): ClusterPolicyDraft;
}

/** The namespace of that name (every namespace carries its name as a label). */
function namespaceNamed(name: string): SelectorDraft {
  return { matchLabels: [{ key: NAMESPACE_NAME_LABEL, value: name }], matchExpressions: [] };
}

function namespacesExcept(names: readonly string[]): SelectorDraft {
  return {
    matchLabels: [],
    matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...names] }],
  };
}

function draft(
  fields: Pick<ClusterPolicyDraft, 'name' | 'tier' | 'priority' | 'subject'> &
    Partial<Pick<ClusterPolicyDraft, 'ingress' | 'egress'>>,
): ClusterPolicyDraft {
  return {
    kind: 'ClusterNetworkPolicy',
    apiVersion: DEFAULT_CLUSTER_POLICY_API_VERSION,
    description: '',
    ingress: [],
    egress: [],
    labels: {},
    annotations: {},
    ...fields,
  };
}

function rule(
  name: string,
  action: AdminRuleDraft['action'],
  peers: AdminRuleDraft['peers'],
): AdminRuleDraft {
  return { name, action, peers, ports: 'any' };
}

export const CLUSTER_TEMPLATES: readonly ClusterPolicyTemplate[] = [
  {
    id: 'platform-deny-cross-namespace',
    title: 'Platform: deny cross-namespace traffic except monitoring',
    description:
      'Admin tier, for the pods of the namespace: first accept everything from the monitoring namespace, then deny everything from any other namespace, so traffic inside the namespace is left to its NetworkPolicies.',
    perNamespace: true,
    create: (namespace) =>
      draft({
        name: `deny-cross-namespace-${namespace}`,
        tier: 'Admin',
        priority: '100',
        subject: { kind: 'namespaces', namespaces: namespaceNamed(namespace) },
        ingress: [
          rule('accept-monitoring', 'Accept', [
            { kind: 'namespaces', namespaces: namespaceNamed('monitoring') },
          ]),
          rule('deny-other-namespaces', 'Deny', [
            { kind: 'namespaces', namespaces: namespacesExcept([namespace]) },
          ]),
        ],
      }),
  },
  {
    id: 'baseline-default-deny',
    title: 'Baseline default-deny',
    description:
      'Baseline tier, for every namespace but kube-system: deny incoming traffic from all namespaces wherever no NetworkPolicy isolates the pod, so that only what NetworkPolicies allow gets in.',
    perNamespace: false,
    create: () =>
      draft({
        name: 'baseline-default-deny',
        tier: 'Baseline',
        priority: '1000',
        subject: { kind: 'namespaces', namespaces: namespacesExcept(['kube-system']) },
        ingress: [rule('deny-all-namespaces', 'Deny', [{ kind: 'namespaces', namespaces: EMPTY_SELECTOR }])],
      }),
  },
  {
    id: 'pass-to-networkpolicies',
    title: 'Pass a namespace to its NetworkPolicies',
    description:
      'Admin tier at a low priority number, for the pods of the namespace: pass all their traffic in and out on to the NetworkPolicy tier, so later Admin-tier policies do not decide it.',
    perNamespace: true,
    create: (namespace) =>
      draft({
        name: `pass-to-networkpolicies-${namespace}`,
        tier: 'Admin',
        priority: '10',
        subject: { kind: 'namespaces', namespaces: namespaceNamed(namespace) },
        ingress: [rule('pass-ingress', 'Pass', [{ kind: 'namespaces', namespaces: EMPTY_SELECTOR }])],
        egress: [
          rule('pass-egress', 'Pass', [
            { kind: 'namespaces', namespaces: EMPTY_SELECTOR },
            { kind: 'networks', cidrs: ['0.0.0.0/0', '::/0'] },
          ]),
        ],
      }),
  },
];

export function clusterTemplateById(id: string): ClusterPolicyTemplate | undefined {
  return CLUSTER_TEMPLATES.find((t) => t.id === id);
}
