/**
 * Seeded synthetic clusters for the benchmark (perf.md §7.2): namespaces with team/env/tenant labels,
 * workloads with replicas and irrelevant high-cardinality labels, named ports that collide on different
 * numbers, and the usual policy shapes (default-deny, allow-DNS, same-namespace, app→app, cross-namespace,
 * monitoring scrape, ipBlock egress with excepts, endPort ranges, every matchExpressions operator),
 * many specs copied across namespaces. `generateCluster` returns a Snapshot; `writeManifests` writes it
 * as real Kubernetes YAML, one file per namespace, that the manifest loader reads back.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type {
  AdminPeer,
  AdminRule,
  ClusterNetworkPolicy,
  ContainerPort,
  LabelSelector,
  Namespace,
  NetworkPolicy,
  Pod,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  Snapshot,
} from '../../shared/model/snapshot.ts';

export interface GeneratorOptions {
  readonly seed: number;
  readonly namespaces: number;
  readonly pods: number;
  readonly policies: number;
}

export const SIZES = {
  S: { seed: 1, namespaces: 5, pods: 100, policies: 20 },
  M: { seed: 1, namespaces: 50, pods: 1000, policies: 200 },
  L: { seed: 1, namespaces: 500, pods: 10000, policies: 2000 },
  XL: { seed: 1, namespaces: 2500, pods: 50000, policies: 10000 },
  // Beside the peer tools (peers.ts): their work grows with pods², so these stay small.
  P115: { seed: 1, namespaces: 6, pods: 115, policies: 23 },
  P995: { seed: 1, namespaces: 50, pods: 995, policies: 199 },
} as const satisfies Record<string, GeneratorOptions>;

/** mulberry32: small, fast, good enough for test data, and identical on every platform. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIERS = ['web', 'api', 'db', 'cache', 'worker', 'monitoring'];
const ENVS = ['prod', 'stage', 'dev'];
const sel = (
  matchLabels: Record<string, string> = {},
  matchExpressions: LabelSelector['matchExpressions'] = [],
): LabelSelector => ({
  matchLabels,
  matchExpressions,
});

interface Workload {
  readonly namespace: string;
  readonly app: string;
  readonly tier: string;
  readonly ports: readonly ContainerPort[];
}

export function generateCluster(opts: GeneratorOptions): Snapshot {
  const r = rng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const zipf = (n: number): number => Math.min(n - 1, Math.floor(n * r() ** 2.5));
  const hex = (): string =>
    Math.floor(r() * 0xffffffff)
      .toString(16)
      .padStart(8, '0')
      .slice(0, 10);

  const namespaces: Namespace[] = [];
  const nsNames: string[] = ['kube-system', 'monitoring'];
  for (let i = 0; nsNames.length < opts.namespaces; i++) nsNames.push(`ns-${String(i).padStart(4, '0')}`);
  for (const name of nsNames) {
    namespaces.push({
      name,
      labels: {
        'kubernetes.io/metadata.name': name,
        team: `team-${zipf(50)}`,
        env: pick(ENVS),
        tenant: `tenant-${Math.floor(r() * 100)}`,
      },
      declared: true,
    });
  }

  // Workloads and pods, spread so the total lands on opts.pods.
  const pods: Pod[] = [];
  const workloads: Workload[] = [];
  let ip = 0;
  const nextIP = (): string => {
    ip++;
    return `10.244.${(ip >>> 8) & 255}.${ip & 255}`;
  };
  const portsFor = (): ContainerPort[] => {
    const out: ContainerPort[] = [{ name: 'http', containerPort: pick([80, 8080, 8000]), protocol: 'TCP' }];
    if (r() < 0.4) out.push({ name: 'grpc', containerPort: pick([9090, 50051]), protocol: 'TCP' });
    if (r() < 0.5) out.push({ name: 'metrics', containerPort: pick([9100, 9102]), protocol: 'TCP' });
    if (r() < 0.1) out.push({ name: 'statsd', containerPort: 8125, protocol: 'UDP' });
    if (r() < 0.01) out.push({ name: 'sctp', containerPort: 3868, protocol: 'SCTP' });
    return out;
  };
  const addWorkload = (
    namespace: string,
    app: string,
    tier: string,
    replicas: number,
    extra: Record<string, string> = {},
  ): void => {
    const kind = r() < 0.8 ? 'Deployment' : r() < 0.5 ? 'StatefulSet' : r() < 0.5 ? 'DaemonSet' : 'Pod';
    const ports = portsFor();
    const hash = hex();
    workloads.push({ namespace, app, tier, ports });
    for (let k = 0; k < replicas; k++) {
      const name =
        kind === 'Pod'
          ? `${app}-${k}`
          : kind === 'StatefulSet'
            ? `${app}-${k}`
            : `${app}-${hash}-${k.toString(36).padStart(5, 'z')}`;
      const labels: Record<string, string> = { app, tier, version: r() < 0.9 ? 'v1' : 'v2', ...extra };
      if (kind === 'Deployment') labels['pod-template-hash'] = hash;
      if (kind === 'StatefulSet') {
        labels['controller-revision-hash'] = `${app}-${hash}`;
        labels['statefulset.kubernetes.io/pod-name'] = name;
      }
      if (kind === 'DaemonSet') labels['controller-revision-hash'] = hash;
      for (let n = Math.floor(r() * 4); n > 0; n--) labels[`noise-${Math.floor(r() * 20)}`] = hex();
      if (r() < 0.05) labels.canary = 'true';
      const hostNetwork = kind === 'DaemonSet' && r() < 0.3;
      const podIP = r() < 0.01 ? undefined : nextIP();
      pods.push({
        namespace,
        name,
        labels,
        ips: podIP ? [podIP] : [],
        ports,
        phase: podIP ? 'Running' : 'Pending',
        hostNetwork,
        owner: kind === 'Pod' ? undefined : { kind, name: app },
        fromTemplate: false,
      });
    }
  };
  addWorkload('kube-system', 'coredns', 'dns', 2, { 'k8s-app': 'kube-dns' });
  addWorkload('monitoring', 'prometheus', 'monitoring', 2);
  const replicas = (): number =>
    r() < 0.1 ? 1 : 1 + Math.min(30, Math.floor(Math.log(1 - r()) / Math.log(1 - 1 / 5)));
  for (let w = 0; pods.length < opts.pods; w++) {
    const namespace = nsNames[2 + (w % Math.max(1, nsNames.length - 2))] ?? 'default';
    addWorkload(
      namespace,
      `app-${w}`,
      pick(TIERS.slice(0, 5)),
      Math.min(replicas(), opts.pods - pods.length),
    );
  }

  // Policies: a shared pool of spec templates (copied across namespaces) plus namespace-specific rules.
  const byNs = new Map<string, Workload[]>();
  for (const w of workloads) byNs.set(w.namespace, [...(byNs.get(w.namespace) ?? []), w]);
  const policies: NetworkPolicy[] = [];
  const mk = (
    namespace: string,
    name: string,
    podSelector: LabelSelector,
    types: ('Ingress' | 'Egress')[],
    ingress: PolicyRule[],
    egress: PolicyRule[],
  ): void => {
    policies.push({
      namespace,
      name,
      podSelector,
      policyTypes: types,
      policyTypesDeclared: true,
      ingress,
      egress,
      labels: {},
      annotations: {},
    });
  };
  const tcp = (port: number | string, endPort?: number): PolicyPort => ({
    protocol: 'TCP',
    port,
    ...(endPort ? { endPort } : {}),
  });
  const podPeer = (labels: Record<string, string>): PolicyPeer => ({
    kind: 'selector',
    podSelector: sel(labels),
  });
  const templates: ((ns: string, local: Workload[]) => void)[] = [
    (ns) => mk(ns, 'default-deny-ingress', sel(), ['Ingress'], [], []),
    (ns) => mk(ns, 'default-deny-egress', sel(), ['Egress'], [], []),
    (ns) =>
      mk(
        ns,
        'allow-dns',
        sel(),
        ['Egress'],
        [],
        [
          {
            peers: [
              {
                kind: 'selector',
                namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }),
                podSelector: sel({ 'k8s-app': 'kube-dns' }),
              },
            ],
            ports: [{ protocol: 'UDP', port: 53 }, tcp(53)],
          },
        ],
      ),
    (ns) => mk(ns, 'allow-same-namespace', sel(), ['Ingress'], [{ peers: [podPeer({})], ports: 'any' }], []),
    (ns) =>
      mk(
        ns,
        'allow-monitoring',
        sel(),
        ['Ingress'],
        [
          {
            peers: [
              { kind: 'selector', namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'monitoring' }) },
            ],
            ports: [tcp('metrics')],
          },
        ],
        [],
      ),
    (ns) =>
      mk(
        ns,
        'allow-internet-egress',
        sel({ tier: 'web' }),
        ['Egress'],
        [],
        [
          {
            peers: [
              {
                kind: 'ipBlock',
                ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.169.254/32'] },
              },
            ],
            ports: [tcp(443), tcp(80)],
          },
        ],
      ),
    (ns) =>
      mk(
        ns,
        'allow-nodeports',
        sel({ tier: 'api' }),
        ['Ingress'],
        [{ peers: 'any', ports: [tcp(30000, 32767)] }],
        [],
      ),
    (ns) =>
      mk(
        ns,
        'web-from-anywhere-not-dev',
        sel({}, [{ key: 'tier', operator: 'In', values: ['web', 'api'] }]),
        ['Ingress'],
        [
          {
            peers: [
              {
                kind: 'selector',
                namespaceSelector: sel({}, [{ key: 'env', operator: 'NotIn', values: ['dev'] }]),
              },
            ],
            ports: [tcp('http')],
          },
        ],
        [],
      ),
    (ns) =>
      mk(
        ns,
        'stable-to-db',
        sel({ tier: 'db' }),
        ['Ingress'],
        [
          {
            peers: [
              {
                kind: 'selector',
                podSelector: sel({}, [
                  { key: 'version', operator: 'Exists', values: [] },
                  { key: 'canary', operator: 'DoesNotExist', values: [] },
                ]),
              },
            ],
            ports: [tcp(5432), tcp(3306)],
          },
        ],
        [],
      ),
  ];
  const perNs = Math.max(1, Math.floor(opts.policies / nsNames.length));
  for (const [i, ns] of nsNames.entries()) {
    const local = byNs.get(ns) ?? [];
    const duplicated = r() < 0.6;
    const before = policies.length;
    if (r() < 0.8) templates[0]?.(ns, local);
    if (r() < 0.3) {
      templates[1]?.(ns, local);
      templates[2]?.(ns, local);
    }
    const quota = perNs + (i < opts.policies - perNs * nsNames.length ? 1 : 0);
    // Templates take at most half the quota so app-specific selectors stay plentiful.
    for (let t = 3; policies.length - before < Math.ceil(quota / 2) && t < templates.length; t++)
      if (duplicated || r() < 0.5) templates[t]?.(ns, local);
    for (let k = 0, made = policies.length - before; made < quota; k++, made++) {
      const target = local.length > 0 ? pick(local) : undefined;
      const from = local.length > 0 ? pick(local) : undefined;
      const shape = r();
      if (!target || !from || shape < 0.25) {
        mk(
          ns,
          `allow-team-${k}`,
          target ? sel({ app: target.app }) : sel(),
          ['Ingress'],
          [
            {
              peers: [
                {
                  kind: 'selector',
                  namespaceSelector: sel({ team: `team-${zipf(50)}` }),
                  podSelector: sel({ tier: pick(TIERS) }),
                },
              ],
              ports: [tcp(pick([80, 8080, 443]))],
            },
          ],
          [],
        );
      } else if (shape < 0.7) {
        mk(
          ns,
          `allow-${from.app}-to-${target.app}-${k}`,
          sel({ app: target.app }),
          ['Ingress'],
          [
            {
              peers: [podPeer({ app: from.app })],
              ports: [r() < 0.5 ? tcp('http') : tcp(pick([8080, 9090, 5432]))],
            },
          ],
          [],
        );
      } else {
        mk(
          ns,
          `egress-${from.app}-${k}`,
          sel({ app: from.app }),
          ['Egress'],
          [],
          [
            {
              peers: [
                podPeer({ app: target.app }),
                { kind: 'ipBlock', ipBlock: { cidr: `10.96.${k % 256}.0/24`, except: [] } },
              ],
              ports: [tcp('grpc'), tcp(pick([80, 8080]))],
            },
          ],
        );
      }
    }
  }
  return {
    source: { kind: 'demo' },
    namespaces,
    pods,
    policies,
    clusterPolicies: [],
    issues: [],
    skippedKinds: {},
  };
}

/**
 * `count` admin-tier policies for a generated cluster, shaped like what platform teams write: tenant
 * isolation (accept monitoring, pass the tenant's own namespaces to their NetworkPolicies, deny the
 * rest), DNS-only egress for some teams, pod-level accepts for front ends, and Baseline default-denies
 * per team. Priorities are distinct (ties are a lint finding, not a habit).
 */
export function generateClusterPolicies(snapshot: Snapshot, count: number, seed = 7): ClusterNetworkPolicy[] {
  const r = rng(seed);
  const labelValues = (key: string): string[] => [
    ...new Set(snapshot.namespaces.map((n) => n.labels[key]).filter((v): v is string => v !== undefined)),
  ];
  const tenants = labelValues('tenant');
  const teams = labelValues('team');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const nsSel = (labels: Record<string, string>): AdminPeer => ({
    kind: 'namespaces',
    namespaceSelector: sel(labels),
  });
  const out: ClusterNetworkPolicy[] = [];
  const mk = (
    name: string,
    tier: 'Admin' | 'Baseline',
    priority: number,
    subject: ClusterNetworkPolicy['subject'],
    ingress: AdminRule[],
    egress: AdminRule[],
  ): void => {
    out.push({
      kind: 'ClusterNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1beta1',
      name,
      tier,
      priority,
      subject,
      ingress,
      egress,
      labels: {},
      annotations: {},
    });
  };
  // One isolation policy per tenant, one DNS-only egress policy per team, front-end accepts per
  // environment, then a Baseline default-deny per team: 40 / 20 / 20 / 20 % of `count`.
  const share = (f: number): number => Math.round(count * f);
  let priority = 0;
  for (const tenant of tenants.slice(0, share(0.4))) {
    mk(
      `tenant-${tenant}`,
      'Admin',
      priority++,
      { kind: 'namespaces', namespaceSelector: sel({ tenant }) },
      [
        {
          name: 'monitoring',
          action: 'Accept',
          peers: [nsSel({ 'kubernetes.io/metadata.name': 'monitoring' })],
          ports: 'any',
        },
        { name: 'same-tenant', action: 'Pass', peers: [nsSel({ tenant })], ports: 'any' },
        { name: 'others', action: 'Deny', peers: [nsSel({})], ports: 'any' },
      ],
      [],
    );
  }
  for (const team of teams.slice(0, share(0.2))) {
    mk(
      `dns-only-${team}`,
      'Admin',
      priority++,
      { kind: 'namespaces', namespaceSelector: sel({ team }) },
      [],
      [
        {
          name: 'dns',
          action: 'Accept',
          peers: [
            {
              kind: 'pods',
              namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }),
              podSelector: sel({ tier: 'worker' }),
            },
          ],
          ports: [
            { kind: 'port', protocol: 'UDP', port: 53 },
            { kind: 'port', protocol: 'TCP', port: 53 },
          ],
        },
        {
          name: 'no-internet',
          action: 'Deny',
          peers: [{ kind: 'networks', cidrs: ['0.0.0.0/0'] }],
          ports: 'any',
        },
      ],
    );
  }
  for (let i = 0; out.length < share(0.8); i++) {
    const env = pick(['prod', 'stage', 'dev']);
    const team = pick(teams);
    mk(
      `web-${team}-${env}-${i}`,
      'Admin',
      priority++,
      { kind: 'pods', namespaceSelector: sel({ env, team }), podSelector: sel({ tier: 'web' }) },
      [
        {
          name: 'https',
          action: 'Accept',
          peers: [nsSel({ env })],
          ports: [
            { kind: 'port', protocol: 'TCP', port: 443 },
            { kind: 'named', name: 'http' },
          ],
        },
      ],
      [],
    );
  }
  for (let i = 0; out.length < count; i++) {
    const team = teams[i % teams.length] ?? 'team-0';
    mk(
      `baseline-${team}-${i}`,
      'Baseline',
      priority++,
      { kind: 'namespaces', namespaceSelector: sel({ team }) },
      [{ name: 'deny-all', action: 'Deny', peers: [nsSel({})], ports: 'any' }],
      [],
    );
  }
  return out;
}

function selectorYaml(s: LabelSelector): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Object.keys(s.matchLabels).length > 0) out.matchLabels = s.matchLabels;
  if (s.matchExpressions.length > 0)
    out.matchExpressions = s.matchExpressions.map((e) =>
      e.values.length > 0
        ? { key: e.key, operator: e.operator, values: e.values }
        : { key: e.key, operator: e.operator },
    );
  return out;
}

function ruleYaml(rule: PolicyRule, side: 'from' | 'to'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (rule.peers !== 'any')
    out[side] = rule.peers.map((p) =>
      p.kind === 'ipBlock'
        ? {
            ipBlock:
              p.ipBlock.except.length > 0
                ? { cidr: p.ipBlock.cidr, except: p.ipBlock.except }
                : { cidr: p.ipBlock.cidr },
          }
        : {
            ...(p.namespaceSelector ? { namespaceSelector: selectorYaml(p.namespaceSelector) } : {}),
            ...(p.podSelector ? { podSelector: selectorYaml(p.podSelector) } : {}),
          },
    );
  if (rule.ports !== 'any')
    out.ports = rule.ports.map((p) => ({
      protocol: p.protocol,
      ...(p.port !== undefined ? { port: p.port } : {}),
      ...(p.endPort !== undefined ? { endPort: p.endPort } : {}),
    }));
  return out;
}

/** Kubernetes objects for one namespace: the Namespace, its Pods (with status IPs), its NetworkPolicies. */
export function namespaceManifests(snapshot: Snapshot, namespace: string): Record<string, unknown>[] {
  const ns = snapshot.namespaces.find((n) => n.name === namespace);
  const docs: Record<string, unknown>[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: ns?.labels ?? {} } },
  ];
  for (const pod of snapshot.pods) {
    if (pod.namespace !== namespace) continue;
    const ip = pod.ips[0];
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod.name,
        namespace,
        labels: pod.labels,
        ...(pod.owner
          ? {
              ownerReferences: [
                {
                  apiVersion: 'apps/v1',
                  kind: pod.owner.kind === 'Deployment' ? 'ReplicaSet' : pod.owner.kind,
                  name: pod.owner.name,
                  uid: `uid-${pod.owner.name}`,
                  controller: true,
                },
              ],
            }
          : {}),
      },
      spec: {
        ...(pod.hostNetwork ? { hostNetwork: true } : {}),
        containers: [
          {
            name: 'main',
            image: 'registry.example/app:1',
            ports: pod.ports.map((p) => ({
              ...(p.name ? { name: p.name } : {}),
              containerPort: p.containerPort,
              protocol: p.protocol,
            })),
          },
        ],
      },
      status: ip
        ? {
            phase: pod.phase ?? 'Running',
            hostIP: '192.168.0.10',
            podIP: ip,
            podIPs: pod.ips.map((x) => ({ ip: x })),
          }
        : { phase: pod.phase ?? 'Pending' },
    });
  }
  for (const p of snapshot.policies) {
    if (p.namespace !== namespace) continue;
    docs.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: p.name, namespace },
      spec: {
        podSelector: selectorYaml(p.podSelector),
        policyTypes: p.policyTypes,
        ...(p.ingress.length > 0 ? { ingress: p.ingress.map((r) => ruleYaml(r, 'from')) } : {}),
        ...(p.egress.length > 0 ? { egress: p.egress.map((r) => ruleYaml(r, 'to')) } : {}),
      },
    });
  }
  return docs;
}

/** Writes `dir/<namespace>.yaml` for every namespace (the directory is replaced). */
export function writeManifests(snapshot: Snapshot, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const ns of snapshot.namespaces) {
    const text = namespaceManifests(snapshot, ns.name)
      .map((d) => stringify(d))
      .join('---\n');
    writeFileSync(join(dir, `${ns.name}.yaml`), text);
  }
}

// `node test/bench/generate.ts L out/dir` writes a cluster for the CLI or peer tools.
if (import.meta.main) {
  const size = (process.argv[2] ?? 'S') as keyof typeof SIZES;
  const dir = process.argv[3] ?? `test-results/cluster-${size}`;
  const seed = Number(process.argv[4] ?? SIZES[size].seed);
  const snap = generateCluster({ ...SIZES[size], seed });
  writeManifests(snap, dir);
  console.log(
    `${snap.pods.length} pods, ${snap.policies.length} policies, ${snap.namespaces.length} namespaces → ${dir}`,
  );
}
