/**
 * CNI profile conformance: where the NetworkPolicy spec leaves room, what each CNI does, written by
 * hand from the projects' documentation and issues:
 * - Kubernetes' network policy e2e tests ("should allow ingress access from/to a CIDR" on pod IPs) —
 *   the `upstream` profile, and what the spec itself leaves open — the `generic` profile (unknown);
 * - Calico: ipBlock and `nets` match pod IPs (projectcalico/calico#6634); host-networked pods are not
 *   workload endpoints, so pod selectors never hold them and their traffic carries the node's address;
 * - Cilium: CIDR rules, and Kubernetes ipBlock with them, match only addresses outside the cluster
 *   unless `policy-cidr-match-mode` has `pods` (cilium/cilium#45194) or `nodes`; host-networked pods are
 *   the `host` / `remote-node` entities, not endpoints;
 * - Antrea and OVN-Kubernetes: ipBlock matches pod IPs; a host-networked pod's traffic arrives from a
 *   node gateway (antrea-gw0) or management-port (ovn-k8s-mp0) address netglass does not read;
 * - which policy kinds a CNI enforces (Calico 3.32 dropped the legacy admin kinds; a Calico cluster
 *   does not run Cilium's policies).
 * Each case runs through the library (the snapshot's `cni`) and the CLI (`--cni`).
 */
import type { Verdict } from '../../shared/eval/index.ts';
import type { CniProfile } from '../../shared/model/snapshot.ts';
import { verdictTable, type Expect, type VerdictCase } from './verdict-table.ts';

/** shop: web, db; ops: agent (host network, its node 192.168.1.5). */
const CLUSTER = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: ops}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.1.10}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.1.20}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: ops, labels: {app: agent}}
spec: {hostNetwork: true, containers: [{name: c, image: x}]}
status: {podIP: 192.168.1.5}
`;

const UPSTREAM: CniProfile = { cni: 'upstream' };
const GENERIC: CniProfile = { cni: 'generic' };
const CALICO: CniProfile = { cni: 'calico' };
const CILIUM: CniProfile = { cni: 'cilium' };
const CILIUM_PODS: CniProfile = { cni: 'cilium', ciliumCidrMatch: ['pods'] };
const CILIUM_NODES: CniProfile = { cni: 'cilium', ciliumCidrMatch: ['nodes'] };
const ANTREA: CniProfile = { cni: 'antrea' };
const OVN: CniProfile = { cni: 'ovn-kubernetes' };

/** One case per profile: the same objects, each profile's verdicts for the same connections. */
function perProfile(
  name: string,
  objects: string,
  connections: readonly (readonly [from: string, to: string, port: string])[],
  verdicts: readonly (readonly [CniProfile, readonly Verdict[]])[],
): VerdictCase[] {
  return verdicts.map(([cni, want]) => ({
    name: `${name} — ${cni.cni}${cni.ciliumCidrMatch ? ` (${cni.ciliumCidrMatch.join(',')})` : ''}`,
    cni,
    objects,
    expect: connections.map(([from, to, port], i): Expect => [from, to, port, want[i] ?? 'allowed']),
  }));
}

const DB_FROM_POD_CIDR = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-cidr, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.1.0/24}}]
    ports: [{port: 5432}]
`;

const DB_FROM_AGENT_SELECTOR = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-agent, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: agent}}}]
    ports: [{port: 5432}]
`;

const DB_FROM_NODE_CIDR = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-nodes, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{ipBlock: {cidr: 192.168.1.0/24}}]
    ports: [{port: 5432}]
`;

const WEB_TO_CIDR = `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: web-egress, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
  - toCIDR: [10.0.1.0/24]
    toPorts: [{ports: [{port: "5432", protocol: TCP}]}]
`;

const CASES: readonly VerdictCase[] = [
  // A pod address inside the block; an address of the block no pod has is outside the cluster.
  ...perProfile(
    'ipBlock over pod addresses',
    DB_FROM_POD_CIDR,
    [
      ['shop/web', 'shop/db', '5432/TCP'],
      ['10.0.1.99', 'shop/db', '5432/TCP'],
    ],
    [
      [UPSTREAM, ['allowed', 'allowed']],
      [GENERIC, ['unknown', 'allowed']],
      [CALICO, ['allowed', 'allowed']],
      [CILIUM, ['denied', 'allowed']],
      [CILIUM_PODS, ['allowed', 'allowed']],
      [ANTREA, ['allowed', 'allowed']],
      [OVN, ['allowed', 'allowed']],
    ],
  ),
  ...perProfile(
    'a pod selector over a host-network pod',
    DB_FROM_AGENT_SELECTOR,
    [['ops/agent', 'shop/db', '5432/TCP']],
    [
      [UPSTREAM, ['allowed']],
      [GENERIC, ['unknown']],
      [CALICO, ['denied']],
      [CILIUM, ['denied']],
      [ANTREA, ['denied']],
      [OVN, ['denied']],
    ],
  ),
  ...perProfile(
    'ipBlock over the node address of a host-network pod',
    DB_FROM_NODE_CIDR,
    [['ops/agent', 'shop/db', '5432/TCP']],
    [
      [UPSTREAM, ['allowed']],
      [GENERIC, ['unknown']],
      [CALICO, ['allowed']],
      [CILIUM, ['denied']],
      [CILIUM_NODES, ['allowed']],
      [ANTREA, ['unknown']],
      [OVN, ['unknown']],
    ],
  ),
  // The policy puts web in egress default deny; its CIDR holds db's address.
  ...perProfile(
    "Cilium's toCIDR over a pod address",
    WEB_TO_CIDR,
    [
      ['shop/web', 'shop/db', '5432/TCP'],
      ['shop/web', '10.0.1.99', '5432/TCP'],
    ],
    [
      [CILIUM, ['denied', 'allowed']],
      [CILIUM_PODS, ['allowed', 'allowed']],
      // A Calico cluster does not run CiliumNetworkPolicies: web is not isolated at all.
      [CALICO, ['allowed', 'allowed']],
    ],
  ),
];

verdictTable('CNI profiles', CLUSTER, CASES);
