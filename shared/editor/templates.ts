/**
 * Starting points for new policies: the usual defaults, and the four examples of the seed (their
 * objects are the ones in test/fixtures/conformance/44-47 and the demo cluster).
 */
import { NAMESPACE_NAME_LABEL } from '../model/snapshot.ts';
import type { LabelDraft, PolicyDraft, PortDraft, SelectorDraft } from './draft.ts';
import { EMPTY_SELECTOR } from './draft.ts';

export interface PolicyTemplate {
  readonly id: string;
  readonly title: string;
  /** One sentence: what the policy does. */
  readonly description: string;
  /** The draft for a namespace (a new policy: no origin). */
  create(namespace: string): PolicyDraft;
}

function labels(map: Record<string, string>): SelectorDraft {
  const matchLabels: LabelDraft[] = Object.entries(map).map(([key, value]) => ({ key, value }));
  return { matchLabels, matchExpressions: [] };
}

function tcp(port: number): PortDraft {
  return { protocol: 'TCP', port: String(port), endPort: '' };
}

function draft(
  namespace: string,
  fields: Pick<PolicyDraft, 'name'> & Partial<Omit<PolicyDraft, 'namespace' | 'origin'>>,
): PolicyDraft {
  return {
    namespace,
    description: '',
    podSelector: EMPTY_SELECTOR,
    policyTypes: 'default',
    ingress: [],
    egress: [],
    labels: {},
    annotations: {},
    ...fields,
  };
}

export const TEMPLATES: readonly PolicyTemplate[] = [
  {
    id: 'default-deny-ingress',
    title: 'Default deny ingress',
    description:
      'Selects every pod of the namespace and allows no incoming traffic, so only what other policies allow gets in.',
    create: (namespace) =>
      draft(namespace, { name: 'default-deny-ingress', policyTypes: { ingress: true, egress: false } }),
  },
  {
    id: 'default-deny-egress',
    title: 'Default deny egress',
    description:
      'Selects every pod of the namespace and allows no outgoing traffic (DNS included), so only what other policies allow gets out.',
    create: (namespace) =>
      draft(namespace, { name: 'default-deny-egress', policyTypes: { ingress: false, egress: true } }),
  },
  {
    id: 'default-deny-all',
    title: 'Default deny all',
    description:
      'Selects every pod of the namespace and allows no traffic in either direction until other policies open it.',
    create: (namespace) =>
      draft(namespace, { name: 'default-deny-all', policyTypes: { ingress: true, egress: true } }),
  },
  {
    id: 'allow-dns-egress',
    title: 'Allow DNS egress',
    description:
      'Lets every pod of the namespace reach the cluster DNS (kube-dns pods in kube-system) on port 53, UDP and TCP; combine it with a default deny egress.',
    create: (namespace) =>
      draft(namespace, {
        name: 'allow-dns-egress',
        policyTypes: { ingress: false, egress: true },
        egress: [
          {
            peers: [
              {
                kind: 'pods',
                namespaces: labels({ [NAMESPACE_NAME_LABEL]: 'kube-system' }),
                pods: labels({ 'k8s-app': 'kube-dns' }),
              },
            ],
            ports: [{ protocol: 'UDP', port: '53', endPort: '' }, tcp(53)],
          },
        ],
      }),
  },
  {
    id: 'allow-same-namespace',
    title: 'Allow same namespace',
    description:
      'Lets every pod of the namespace receive traffic from the pods of the same namespace, on every port.',
    create: (namespace) =>
      draft(namespace, {
        name: 'allow-same-namespace',
        policyTypes: { ingress: true, egress: false },
        ingress: [{ peers: [{ kind: 'pods', namespaces: 'same', pods: 'all' }], ports: 'any' }],
      }),
  },
  {
    id: 'microsvc-users-api-allow',
    title: 'Seed: users API reachable from its clients',
    description:
      'Pods labelled service.corp/users-api-role: api accept TCP 8080 only from pods labelled service.corp/users-api-role: client, in any namespace.',
    create: (namespace) =>
      draft(namespace, {
        name: 'microsvc-users-api-allow',
        podSelector: labels({ 'service.corp/users-api-role': 'api' }),
        policyTypes: { ingress: true, egress: false },
        ingress: [
          {
            peers: [
              { kind: 'pods', namespaces: 'all', pods: labels({ 'service.corp/users-api-role': 'client' }) },
            ],
            ports: [tcp(8080)],
          },
        ],
      }),
  },
  {
    id: 'database-access-api-only',
    title: 'Seed: database reachable from the API tier only',
    description:
      'Pods labelled tier: database accept TCP 3306 only from pods labelled tier: api of the same namespace.',
    create: (namespace) =>
      draft(namespace, {
        name: 'database-access-api-only',
        podSelector: labels({ tier: 'database' }),
        policyTypes: { ingress: true, egress: false },
        ingress: [
          {
            peers: [{ kind: 'pods', namespaces: 'same', pods: labels({ tier: 'api' }) }],
            ports: [tcp(3306)],
          },
        ],
      }),
  },
  {
    id: 'disable-ingress-rules',
    title: 'Seed: ingress rules disabled',
    description:
      'Keeps an ingress rule (from 203.0.113.0/24 on TCP 8080) for app: storefront pods but lists only Egress with an empty egress rule, so nothing is restricted until Ingress is ticked again.',
    create: (namespace) =>
      draft(namespace, {
        name: 'storefront-egress-only',
        podSelector: labels({ app: 'storefront' }),
        policyTypes: { ingress: false, egress: true },
        ingress: [{ peers: [{ kind: 'ipBlock', cidr: '203.0.113.0/24', except: [] }], ports: [tcp(8080)] }],
        egress: [{ peers: 'any', ports: 'any' }],
      }),
  },
  {
    id: 'deny-restricted-egress',
    title: 'Seed: no egress for restricted pods',
    description:
      'Pods labelled access: restricted may not send any traffic: the policy lists only Egress and has no egress rules.',
    create: (namespace) =>
      draft(namespace, {
        name: 'deny-restricted-egress',
        podSelector: labels({ access: 'restricted' }),
        policyTypes: { ingress: false, egress: true },
      }),
  },
];

export function templateById(id: string): PolicyTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
