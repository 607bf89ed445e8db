/**
 * Calico conformance: projectcalico.org/v3 NetworkPolicy / GlobalNetworkPolicy / Tier / NetworkSet /
 * GlobalNetworkSet truth table, written by hand from Calico's documentation (the NetworkPolicy and
 * GlobalNetworkPolicy references and their allow-tcp-6379 sample, the Tier reference's "How policy is
 * evaluated", "Get started with policy tiers" with its kube-admin / default / kube-baseline tiers, the
 * Selectors reference, NetworkSet / GlobalNetworkSet, staged policies) on one small cluster. Each case
 * adds objects to it and lists connections with their expected verdict; each is checked through the
 * library (check()) and through the CLI (`netglass check --format json` and its exit status).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, formatTierChain, type Peer } from '../../shared/eval/index.ts';
import {
  CLI,
  CLI_TIMEOUT,
  peerOf,
  run,
  snapshotOf as tableSnapshot,
  verdictTable,
  type VerdictCase,
} from './verdict-table.ts';

/** production: frontend, database (named port redis = 6379), backend; ops: monitor; a hostNetwork agent. */
const CLUSTER = `
apiVersion: v1
kind: Namespace
metadata: {name: production, labels: {env: prod, team: shop}}
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
metadata: {name: frontend, namespace: production, labels: {role: frontend, app: web-frontend}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: database, namespace: production, labels: {role: database, tier: data}}
spec: {containers: [{name: c, image: x, ports: [{name: redis, containerPort: 6379}]}]}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: backend, namespace: production, labels: {role: backend, tier: api}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.3}
---
apiVersion: v1
kind: Pod
metadata: {name: monitor, namespace: ops, labels: {role: frontend}}
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
    // The NetworkPolicy reference's sample: ingress from frontends to 6379, any egress.
    name: 'allow-tcp-6379: selectors scope to the policy namespace, the default tier denies the rest',
    objects: `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-tcp-6379, namespace: production}
spec:
  selector: role == 'database'
  types: [Ingress, Egress]
  ingress:
  - action: Allow
    protocol: TCP
    source: {selector: role == 'frontend'}
    destination: {ports: [6379]}
  egress:
  - action: Allow`,
    expect: [
      ['production/frontend', 'production/database', '6379/TCP', 'allowed'],
      ['production/frontend', 'production/database', '6380/TCP', 'denied'],
      ['production/frontend', 'production/database', '6379/UDP', 'denied'],
      ['production/backend', 'production/database', '6379/TCP', 'denied'],
      ['ops/monitor', 'production/database', '6379/TCP', 'denied'],
      ['production/database', '8.8.8.8', '443/TCP', 'allowed'],
      ['production/frontend', 'production/backend', '80/TCP', 'allowed'],
    ],
  },
  {
    // "Get started with policy tiers": a security tier denies, passes the rest to the default tier.
    name: 'a tier with order 100 denies first and passes the rest on',
    objects: `
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.no-ops}
spec:
  tier: security
  order: 10
  selector: projectcalico.org/namespace == 'production'
  types: [Ingress]
  ingress:
  - action: Deny
    source: {namespaceSelector: team == 'ops'}
  - action: Pass
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: database, namespace: production}
spec:
  selector: role == 'database'
  ingress:
  - action: Allow
    source: {selector: role == 'frontend'}`,
    expect: [
      ['ops/monitor', 'production/database', '80/TCP', 'denied'],
      ['ops/monitor', 'production/backend', '80/TCP', 'denied'],
      ['production/frontend', 'production/database', '80/TCP', 'allowed'],
      ['production/backend', 'production/database', '80/TCP', 'denied'],
      // Passed by the security tier; no default-tier policy selects backend: the profile allows.
      ['production/frontend', 'production/backend', '80/TCP', 'allowed'],
    ],
  },
  {
    // Tier reference: a tier that applies but takes no action drops, unless its defaultAction is Pass.
    name: 'tier default action: Deny by default, Pass when the Tier says so',
    objects: `
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: strict}
spec: {order: 200}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: lenient}
spec: {order: 300, defaultAction: Pass}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: strict.db}
spec:
  tier: strict
  selector: role == 'database'
  ingress:
  - action: Allow
    source: {selector: role == 'frontend'}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: lenient.backend}
spec:
  tier: lenient
  selector: role == 'backend'
  ingress:
  - action: Deny
    source: {selector: role == 'database'}`,
    expect: [
      ['production/frontend', 'production/database', '80/TCP', 'allowed'],
      ['ops/monitor', 'production/database', '80/TCP', 'allowed'],
      ['production/backend', 'production/database', '80/TCP', 'denied'],
      ['production/database', 'production/backend', '80/TCP', 'denied'],
      ['production/frontend', 'production/backend', '80/TCP', 'allowed'],
    ],
  },
  {
    // Policies by order within a tier; no order goes last; the first matching rule decides; Log goes on.
    name: 'order within a tier, Log is not a decision',
    objects: `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: allow-all-db}
spec:
  selector: role == 'database'
  ingress: [{action: Allow}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-backend}
spec:
  order: 20
  selector: role == 'database'
  ingress:
  - action: Log
  - action: Deny
    source: {selector: role == 'backend'}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: allow-backend-5432}
spec:
  order: 10
  selector: role == 'database'
  ingress:
  - action: Allow
    protocol: TCP
    source: {selector: role == 'backend'}
    destination: {ports: [5432]}`,
    expect: [
      ['production/backend', 'production/database', '5432/TCP', 'allowed'],
      ['production/backend', 'production/database', '5433/TCP', 'denied'],
      ['production/frontend', 'production/database', '5433/TCP', 'allowed'],
    ],
  },
  {
    // Kubernetes NetworkPolicies sit in the default tier at order 1000.
    name: 'Kubernetes NetworkPolicy at order 1000: earlier Calico denies win, later Calico allows add',
    objects: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-frontend, namespace: production}
spec:
  podSelector: {matchLabels: {role: database}}
  ingress: [{from: [{podSelector: {matchLabels: {role: frontend}}}]}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: no-22, namespace: production}
spec:
  order: 500
  selector: all()
  ingress:
  - action: Deny
    protocol: TCP
    destination: {ports: [22]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: ops-monitoring}
spec:
  selector: role == 'database'
  ingress:
  - action: Allow
    protocol: TCP
    source: {namespaceSelector: team == 'ops'}
    destination: {ports: ["9000:9100"]}`,
    expect: [
      ['production/frontend', 'production/database', '80/TCP', 'allowed'],
      ['production/frontend', 'production/database', '22/TCP', 'denied'],
      ['ops/monitor', 'production/database', '9090/TCP', 'allowed'],
      ['ops/monitor', 'production/database', '80/TCP', 'denied'],
      ['production/backend', 'production/database', '80/TCP', 'denied'],
      ['production/frontend', 'production/backend', '22/TCP', 'denied'],
      // no-22 selects backend, so the default tier applies to it: what no rule matches is dropped.
      ['production/frontend', 'production/backend', '23/TCP', 'denied'],
    ],
  },
  {
    name: 'nets, notNets, notPorts and named ports',
    objects: `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: frontend-egress, namespace: production}
spec:
  selector: role == 'frontend'
  types: [Egress]
  egress:
  - action: Allow
    protocol: TCP
    destination: {nets: [10.0.0.0/8], notNets: [10.96.0.0/12], notPorts: [22]}
  - action: Allow
    protocol: TCP
    destination: {selector: role == 'database', ports: [redis]}`,
    expect: [
      ['production/frontend', '10.1.2.3', '80/TCP', 'allowed'],
      ['production/frontend', '10.1.2.3', '22/TCP', 'denied'],
      ['production/frontend', '10.96.0.1', '80/TCP', 'denied'],
      ['production/frontend', 'production/backend', '8080/TCP', 'allowed'],
      ['production/frontend', 'production/database', '22/TCP', 'denied'],
      ['production/frontend', '8.8.8.8', '443/TCP', 'denied'],
      // The second rule's named port resolves on the destination.
      ['production/frontend', 'ops/monitor', '6379/TCP', 'allowed'],
    ],
  },
  {
    // The Selectors reference: has(), in, not in, contains, starts with, !, && and ||.
    name: 'selector language',
    objects: `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: selectors}
spec:
  selector: has(tier) && tier in {'data', 'api'}
  ingress:
  - action: Allow
    source: {selector: "app starts with 'web' || (role contains 'ont' && !has(app))"}
  - action: Allow
    source: {selector: "role not in {'frontend', 'database', 'backend'}"}`,
    expect: [
      ['production/frontend', 'production/database', '80/TCP', 'allowed'],
      ['ops/monitor', 'production/backend', '80/TCP', 'allowed'],
      ['production/backend', 'production/database', '80/TCP', 'denied'],
      ['production/database', 'production/backend', '80/TCP', 'denied'],
      // frontend has no tier label: no policy selects it.
      ['production/database', 'production/frontend', '80/TCP', 'allowed'],
    ],
  },
  {
    // NetworkSet / GlobalNetworkSet: rule selectors match their labels; global() reaches global sets.
    name: 'NetworkSets and GlobalNetworkSets',
    objects: `
apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata: {name: partners, namespace: production, labels: {external: partner}}
spec: {nets: [203.0.113.0/24]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: dns, labels: {external: dns}}
spec: {nets: [8.8.8.8/32, 1.1.1.1]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: backend-out, namespace: production}
spec:
  selector: role == 'backend'
  types: [Egress]
  egress:
  - action: Allow
    destination: {selector: external == 'partner'}
  - action: Allow
    protocol: UDP
    destination: {selector: external == 'dns', namespaceSelector: global()}`,
    expect: [
      ['production/backend', '203.0.113.9', '443/TCP', 'allowed'],
      ['production/backend', '8.8.8.8', '53/UDP', 'allowed'],
      ['production/backend', '1.1.1.1', '53/UDP', 'allowed'],
      ['production/backend', '8.8.8.8', '53/TCP', 'denied'],
      ['production/backend', '9.9.9.9', '53/UDP', 'denied'],
    ],
  },
  {
    name: 'a GlobalNetworkSet is not matched by a namespaced selector without global()',
    objects: `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: dns, labels: {external: dns}}
spec: {nets: [8.8.8.8/32]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: backend-out, namespace: production}
spec:
  selector: role == 'backend'
  types: [Egress]
  egress:
  - action: Allow
    destination: {selector: external == 'dns'}`,
    expect: [['production/backend', '8.8.8.8', '53/UDP', 'denied']],
  },
  {
    // What netglass cannot read: service account labels (unknown), HTTP matches (conditional).
    name: 'serviceAccountSelector is unknown, an HTTP match is conditional',
    objects: `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: by-sa, namespace: production}
spec:
  selector: role == 'backend'
  serviceAccountSelector: role == 'api'
  ingress: [{action: Deny}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: http, namespace: production}
spec:
  selector: role == 'database'
  ingress:
  - action: Allow
    protocol: TCP
    source: {selector: role == 'frontend'}
    destination: {ports: [80]}
    http: {methods: [GET], paths: [{prefix: /public}]}`,
    expect: [
      ['production/frontend', 'production/backend', '80/TCP', 'unknown'],
      ['production/frontend', 'production/database', '80/TCP', 'conditional'],
      ['production/frontend', 'production/database', '81/TCP', 'denied'],
      ['production/backend', 'production/database', '80/TCP', 'denied'],
    ],
  },
  {
    // An ingress rule's destination describes the pod itself; notSelector excludes peers.
    name: 'destination selector in an ingress rule, notSelector',
    objects: `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: data-and-api}
spec:
  selector: role in {'database', 'backend'}
  ingress:
  - action: Allow
    source: {namespaceSelector: all(), notSelector: projectcalico.org/namespace == 'ops'}
    destination: {selector: role == 'database'}
  - action: Allow
    source: {selector: role == 'database'}
    destination: {notSelector: role == 'database'}`,
    expect: [
      ['production/frontend', 'production/database', '80/TCP', 'allowed'],
      ['ops/monitor', 'production/database', '80/TCP', 'denied'],
      ['production/frontend', 'production/backend', '80/TCP', 'denied'],
      ['production/database', 'production/backend', '80/TCP', 'allowed'],
    ],
  },
  {
    // Staged policies preview: they never change a verdict.
    name: 'staged policies are not enforced',
    objects: `
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: {name: deny-everything}
spec:
  selector: all()
  types: [Ingress, Egress]`,
    expect: [
      ['production/frontend', 'production/database', '80/TCP', 'allowed'],
      ['ops/monitor', '8.8.8.8', '443/TCP', 'allowed'],
    ],
  },
  {
    // Types default from the rules: egress rules only → Egress only.
    name: 'types default: a policy with egress rules only does not isolate ingress',
    objects: `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: egress-only}
spec:
  selector: role == 'database'
  egress:
  - action: Allow
    destination: {nets: [10.0.0.0/16]}`,
    expect: [
      ['production/frontend', 'production/database', '80/TCP', 'allowed'],
      ['production/database', 'production/frontend', '80/TCP', 'allowed'],
      ['production/database', '8.8.8.8', '80/TCP', 'denied'],
      // A host-network pod's address is the node's: nets match it by address.
      ['production/database', 'kube-system/agent', '80/TCP', 'denied'],
    ],
  },
  {
    // Calico 3.32: kube-admin (order 1000) holds ClusterNetworkPolicy's Admin tier; a Calico tier
    // with a lower order is read before it, the default tier after it.
    name: 'ClusterNetworkPolicy in kube-admin between Calico tiers',
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
  - action: Pass
    from: [{namespaces: {matchLabels: {team: shop}}}]
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: emergency}
spec: {order: 50}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: emergency.monitoring}
spec:
  tier: emergency
  selector: role == 'database'
  ingress:
  - action: Allow
    protocol: TCP
    source: {namespaceSelector: team == 'ops'}
    destination: {ports: [9100]}
  - action: Pass
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: db, namespace: production}
spec:
  selector: role == 'database'
  ingress:
  - action: Allow
    source: {selector: role == 'frontend'}`,
    expect: [
      ['ops/monitor', 'production/database', '9100/TCP', 'allowed'],
      ['ops/monitor', 'production/database', '80/TCP', 'denied'],
      ['production/frontend', 'production/database', '80/TCP', 'allowed'],
      ['production/backend', 'production/database', '80/TCP', 'denied'],
    ],
  },
  {
    // The CRD storage form (crd.projectcalico.org/v1): names carry their tier as a prefix.
    name: 'crd.projectcalico.org/v1 storage form with tier-prefixed names',
    objects: `
apiVersion: crd.projectcalico.org/v1
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata: {name: security.db-lockdown}
spec:
  tier: security
  order: 1
  selector: role == 'database'
  types: [Ingress]
  ingress:
  - action: Allow
    source: {selector: role == 'backend'}
---
apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: default.backend, namespace: production}
spec:
  tier: default
  selector: role == 'backend'
  types: [Ingress]`,
    expect: [
      ['production/backend', 'production/database', '80/TCP', 'allowed'],
      ['production/frontend', 'production/database', '80/TCP', 'denied'],
      ['production/frontend', 'production/backend', '80/TCP', 'denied'],
    ],
  },
];

const snapshotOf = (c: VerdictCase) => tableSnapshot(CLUSTER, c);

verdictTable('Calico conformance', CLUSTER, CASES);

describe('Calico explanations', () => {
  it('name the tier, policy, rule and action that decided, Pass steps included', () => {
    const c = CASES.find((x) => x.name.startsWith('a tier with order 100'))!;
    const analyzer = createAnalyzer(snapshotOf(c).snap);
    const pod = (n: string): Peer => ({ kind: 'pod', namespace: n.split('/')[0]!, name: n.split('/')[1]! });
    const ok = analyzer.check({
      from: pod('production/frontend'),
      to: pod('production/database'),
      port: 80,
      protocol: 'TCP',
    });
    expect(formatTierChain(ok.ingress, 'ingress')).toBe(
      'Calico tier `security` `Calico:GlobalNetworkPolicy/security.no-ops` (order 10) ingress[1] Pass → ' +
        'Calico tier `default` `Calico:NetworkPolicy/production/default.database` (no order) ingress[0] Allow',
    );
    const no = analyzer.check({
      from: pod('production/backend'),
      to: pod('production/database'),
      port: 80,
      protocol: 'TCP',
    });
    expect(formatTierChain(no.ingress, 'ingress')).toBe(
      'Calico tier `security` `Calico:GlobalNetworkPolicy/security.no-ops` (order 10) ingress[1] Pass → ' +
        'Calico tier `default` applies to the pod and no rule of it matched: its default action Deny',
    );
  });

  it('reach() agrees with check() on every pod pair and probe', () => {
    for (const c of CASES) {
      const analyzer = createAnalyzer(snapshotOf(c).snap);
      const pods = ['production/frontend', 'production/database', 'production/backend', 'ops/monitor'];
      const peers = pods.map(peerOf);
      const ports = [
        { protocol: 'TCP' as const, port: 22 },
        { protocol: 'TCP' as const, port: 80 },
        { protocol: 'TCP' as const, port: 6379 },
        { protocol: 'TCP' as const, port: 9090 },
        { protocol: 'UDP' as const, port: 53 },
      ];
      const table = analyzer.reach(peers, ports);
      pods.forEach((from, i) =>
        pods.forEach((to, j) => {
          if (i === j) return;
          ports.forEach((p, k) => {
            const v = analyzer.check({ from: peerOf(from), to: peerOf(to), ...p }).verdict;
            const cell = table.cell(i, j, k);
            // reach() has no "conditional": such a cell is unknown.
            const bulk = cell.allowed ? 'allowed' : cell.unknown ? 'unknown' : 'denied';
            const want = v === 'conditional' ? 'unknown' : v;
            expect([c.name, from, to, p.port, bulk]).toEqual([c.name, from, to, p.port, want]);
          });
        }),
      );
    }
  });
});

describe('netglass policy with a Calico policy', () => {
  it('gives the library effect through the CLI, its rules in words', { timeout: CLI_TIMEOUT }, async () => {
    const c = CASES[0]!;
    const { text, snap } = snapshotOf(c);
    const key = 'Calico:NetworkPolicy/production/default.allow-tcp-6379';
    const effect = createAnalyzer(snap).policyEffect(key);
    expect(effect.counts.permittedFlowing + effect.counts.denied).toBeGreaterThan(0);
    const dir = mkdtempSync(path.join(tmpdir(), 'netglass-calico-'));
    const file = path.join(dir, 'cluster.yaml');
    writeFileSync(file, text);
    const json = JSON.parse(
      (
        await run(process.execPath, [CLI, 'policy', '--manifests', file, key, '--format', 'json'], {
          timeout: CLI_TIMEOUT,
        })
      ).stdout,
    ) as {
      kind: string;
      tier: string;
      selects: string[];
      counts: unknown;
      rules: { rule: string; text: string }[];
    };
    expect(json).toMatchObject({ kind: 'NetworkPolicy', tier: 'default', selects: ['production/database'] });
    expect(json.counts).toEqual(effect.counts);
    expect(json.rules.map((r) => `${r.rule} ${r.text}`)).toEqual([
      "ingress[0] Allow TCP from selector role == 'frontend' to ports 6379",
      'egress[0] Allow from anywhere to anywhere',
    ]);
    const { stdout } = await run(process.execPath, [CLI, 'policy', '--manifests', file, key], {
      timeout: CLI_TIMEOUT,
    });
    expect(stdout).toContain(
      `tier default, order none (after every ordered policy); selector role == 'database'`,
    );
    expect(stdout).toContain(
      `permitted by this policy: ${effect.counts.permittedFlowing + effect.counts.permittedBlocked} connections`,
    );
  });
});
