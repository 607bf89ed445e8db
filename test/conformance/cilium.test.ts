/**
 * Cilium conformance: CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy truth table, written by hand
 * from Cilium's policy documentation (docs.cilium.io "Layer 3/4/7 examples", "Deny policies", "Policy
 * enforcement modes", the EnableDefaultDeny field) on one small cluster. Each case adds policies to it
 * and lists connections with their expected verdict; each is checked through the library (check()) and
 * through the CLI (`netglass check --format json` and its exit status).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../shared/eval/index.ts';
import {
  CLI,
  CLI_TIMEOUT,
  run,
  snapshotOf as tableSnapshot,
  verdictTable,
  type VerdictCase,
} from './verdict-table.ts';

/** shop: web, api (named port http = 8080), db; ops: monitor; a hostNetwork agent in kube-system. */
const CLUSTER = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ops, labels: {team: ops}}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.3}
---
apiVersion: v1
kind: Pod
metadata: {name: monitor, namespace: ops, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: kube-system, labels: {app: agent}}
spec: {hostNetwork: true, containers: [{name: c, image: x}]}
status: {podIP: 192.168.0.10}
`;

const CASES: readonly VerdictCase[] = [
  {
    // Layer 3 "Labels based": only app=web of the policy's namespace reaches api; the rest is denied.
    name: 'fromEndpoints is scoped to the policy namespace',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: l3, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingress: [{fromEndpoints: [{matchLabels: {app: web}}]}]`,
    expect: [
      ['shop/web', 'shop/api', '8080/TCP', 'allowed'],
      ['ops/monitor', 'shop/api', '8080/TCP', 'denied'],
      ['shop/db', 'shop/api', '8080/TCP', 'denied'],
      ['shop/api', 'shop/db', '80/TCP', 'allowed'],
    ],
  },
  {
    // The namespace label opens a CiliumNetworkPolicy peer to another namespace.
    name: 'k8s:io.kubernetes.pod.namespace names another namespace',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: from-ops, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingress: [{fromEndpoints: [{matchLabels: {"k8s:io.kubernetes.pod.namespace": ops}}]}]`,
    expect: [
      ['ops/monitor', 'shop/api', '8080/TCP', 'allowed'],
      ['shop/web', 'shop/api', '8080/TCP', 'denied'],
    ],
  },
  {
    // "Ingress default deny": an empty rule matches nothing but isolates.
    name: 'ingress: [{}] is default deny',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec:
  endpointSelector: {}
  ingress: [{}]`,
    expect: [
      ['shop/web', 'shop/api', '80/TCP', 'denied'],
      ['ops/monitor', 'shop/db', '80/TCP', 'denied'],
      ['shop/web', 'ops/monitor', '80/TCP', 'allowed'],
    ],
  },
  {
    // Layer 4 only: toPorts without a peer applies to every peer, on those ports.
    name: 'toPorts alone allows every peer on the port, named ports resolve on the destination',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: l4, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingress: [{toPorts: [{ports: [{port: http, protocol: TCP}]}]}]`,
    expect: [
      ['ops/monitor', 'shop/api', '8080/TCP', 'allowed'],
      ['ops/monitor', 'shop/api', '8081/TCP', 'denied'],
      ['8.8.8.8', 'shop/api', '8080/TCP', 'allowed'],
    ],
  },
  {
    // Deny policies take precedence over allow policies, whichever kind allows.
    name: 'ingressDeny beats a NetworkPolicy allow and a Cilium allow',
    objects: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np-allow, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{}]
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: deny-ops}
spec:
  endpointSelector: {matchLabels: {app: db}}
  ingress: [{fromEntities: [cluster]}]
  ingressDeny:
  - fromEndpoints: [{matchLabels: {"k8s:io.kubernetes.pod.namespace": ops}}]
    toPorts: [{ports: [{port: "5432", protocol: TCP}]}]`,
    expect: [
      ['ops/monitor', 'shop/db', '5432/TCP', 'denied'],
      ['ops/monitor', 'shop/db', '5433/TCP', 'allowed'],
      ['shop/web', 'shop/db', '5432/TCP', 'allowed'],
    ],
  },
  {
    name: 'enableDefaultDeny false: allows add, nothing is isolated',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: dns-only}
spec:
  endpointSelector: {}
  enableDefaultDeny: {egress: false, ingress: false}
  egress: [{toEndpoints: [{matchLabels: {app: db}}], toPorts: [{ports: [{port: "53", protocol: ANY}]}]}]`,
    expect: [
      ['shop/web', 'shop/api', '80/TCP', 'allowed'],
      ['shop/web', 'shop/db', '53/UDP', 'allowed'],
    ],
  },
  {
    // Entities: world = outside the cluster; CIDR rules match external addresses, not pods.
    name: 'toEntities world and toCIDRSet with except',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: egress-out, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
  - toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.96.0.0/12]}]
  - toEntities: [world]
    toPorts: [{ports: [{port: "443"}]}]`,
    expect: [
      ['shop/web', '10.1.2.3', '80/TCP', 'allowed'],
      ['shop/web', '10.96.0.1', '80/TCP', 'denied'],
      ['shop/web', '10.96.0.1', '443/TCP', 'allowed'],
      ['shop/web', 'shop/api', '80/TCP', 'denied'],
      ['shop/web', 'shop/api', '443/TCP', 'denied'],
    ],
  },
  {
    name: 'toEntities cluster reaches every pod, hostNetwork included, not the world',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: in-cluster, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress: [{toEntities: [cluster]}]`,
    expect: [
      ['shop/web', 'ops/monitor', '80/TCP', 'allowed'],
      ['shop/web', 'kube-system/agent', '10250/TCP', 'allowed'],
      ['shop/web', '1.1.1.1', '80/TCP', 'denied'],
    ],
  },
  {
    // L7 rules allow at L4 for the matching requests only: conditional, never plain allowed.
    name: 'HTTP rules make the verdict conditional',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: l7, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingress:
  - fromEndpoints: [{matchLabels: {app: web}}]
    toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: GET, path: "/public"}]}}]`,
    expect: [
      ['shop/web', 'shop/api', '80/TCP', 'conditional'],
      ['shop/web', 'shop/api', '81/TCP', 'denied'],
      ['shop/db', 'shop/api', '80/TCP', 'denied'],
    ],
  },
  {
    name: 'toFQDNs is conditional for external addresses, a plain allow elsewhere wins',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: fqdn, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: web}}
  egress:
  - toFQDNs: [{matchName: api.example.com}]
  - toEndpoints: [{}]`,
    expect: [
      ['shop/web', '93.184.216.34', '443/TCP', 'conditional'],
      ['shop/web', 'shop/db', '443/TCP', 'allowed'],
      ['shop/web', 'ops/monitor', '443/TCP', 'denied'],
    ],
  },
  {
    name: 'host entity is unknown: netglass does not know pod placement',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: host, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
  ingress: [{fromEntities: [host]}]`,
    expect: [
      ['kube-system/agent', 'shop/api', '80/TCP', 'unknown'],
      ['shop/web', 'shop/api', '80/TCP', 'denied'],
    ],
  },
  {
    // Admin tier first (Cilium 1.20 keeps Cilium policies in the NetworkPolicy tier).
    name: 'ClusterNetworkPolicy Admin Deny beats a Cilium allow',
    objects: `
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: no-ops}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {team: shop}}}
  ingress:
  - action: Deny
    from: [{namespaces: {matchLabels: {team: ops}}}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: all-in, namespace: shop}
spec:
  endpointSelector: {}
  ingress: [{fromEntities: [all]}]`,
    expect: [
      ['ops/monitor', 'shop/api', '80/TCP', 'denied'],
      ['shop/web', 'shop/api', '80/TCP', 'allowed'],
    ],
  },
  {
    name: 'specs: a list of rules; CCNP selects across namespaces',
    objects: `
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: web-egress}
specs:
- endpointSelector: {matchLabels: {app: web}}
  egress: [{toEndpoints: [{matchLabels: {app: db}}]}]
- endpointSelector: {matchLabels: {app: web}}
  egressDeny: [{toEndpoints: [{matchLabels: {app: db}}], toPorts: [{ports: [{port: "22"}]}]}]`,
    expect: [
      ['shop/web', 'shop/db', '80/TCP', 'allowed'],
      ['shop/web', 'shop/db', '22/TCP', 'denied'],
      ['ops/monitor', 'shop/db', '80/TCP', 'allowed'],
      ['ops/monitor', 'shop/api', '80/TCP', 'denied'],
    ],
  },
];

const snapshotOf = (c: VerdictCase) => tableSnapshot(CLUSTER, c);

verdictTable('Cilium conformance', CLUSTER, CASES);

describe('netglass policy with a Cilium policy', () => {
  it('gives the library effect through the CLI', { timeout: CLI_TIMEOUT }, async () => {
    const c = CASES.find((x) => x.name.startsWith('ingressDeny beats'))!;
    const { text, snap } = snapshotOf(c);
    const effect = createAnalyzer(snap).policyEffect('CiliumClusterwideNetworkPolicy:deny-ops');
    expect(effect.counts.denied).toBeGreaterThan(0);
    const dir = mkdtempSync(path.join(tmpdir(), 'netglass-cilium-'));
    const file = path.join(dir, 'cluster.yaml');
    writeFileSync(file, text);
    const { stdout } = await run(
      process.execPath,
      [CLI, 'policy', '--manifests', file, 'CiliumClusterwideNetworkPolicy:deny-ops', '--format', 'json'],
      { timeout: CLI_TIMEOUT },
    );
    const json = JSON.parse(stdout) as { kind: string; selects: string[]; counts: unknown };
    expect(json).toMatchObject({ kind: 'CiliumClusterwideNetworkPolicy', selects: ['shop/db'] });
    expect(json.counts).toEqual(effect.counts);
  });
});
