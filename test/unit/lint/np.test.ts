/** The NetworkPolicy and address lint rules, one behaviour at a time, on hand-built snapshots. */
import { describe, expect, it } from 'vitest';
import { LINT_RULES, lintSnapshot, reportedByLint } from '../../../shared/lint/index.ts';
import type { LintFinding } from '../../../shared/lint/index.ts';
import { buildSnapshot, parseManifestText, snapshotFromText } from '../../../shared/manifest/index.ts';
import type {
  ContainerPort,
  LabelSelector,
  Namespace,
  NetworkPolicy,
  Pod,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  Snapshot,
} from '../../../shared/model/snapshot.ts';
import { withoutLeadingZeros } from '../../../shared/net/address.ts';
import { ns, pod, policy, sel, snapshot } from '../eval/build.ts';

const NAME = 'kubernetes.io/metadata.name';

function only(id: string, s: Snapshot): LintFinding[] {
  const rule = LINT_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return lintSnapshot(s, [rule]);
}

const podPeer = (labels: Record<string, string>): PolicyPeer => ({
  kind: 'selector',
  podSelector: sel(labels),
});
const nsPeer = (nsLabels: Record<string, string>, podLabels?: Record<string, string>): PolicyPeer => ({
  kind: 'selector',
  namespaceSelector: sel(nsLabels),
  ...(podLabels ? { podSelector: sel(podLabels) } : {}),
});
const block = (cidr: string, ...except: string[]): PolicyPeer => ({
  kind: 'ipBlock',
  ipBlock: { cidr, except },
});
const tcp = (port: number | string, endPort?: number): PolicyPort => ({
  protocol: 'TCP',
  port,
  ...(endPort !== undefined ? { endPort } : {}),
});
const rule = (peers: 'any' | PolicyPeer[], ports: 'any' | PolicyPort[] = 'any'): PolicyRule => ({
  peers,
  ports,
});
const ingress = (name: string, podSelector: LabelSelector, ...rules: PolicyRule[]): NetworkPolicy =>
  policy('shop', name, { podSelector, policyTypes: ['Ingress'], ingress: rules });

/** shop (team=web): web-1, web-2 (http = 8080 on both), worker; db (team=data): postgres. */
function cluster(
  policies: NetworkPolicy[],
  pods: Pod[] = PODS,
  namespaces: Namespace[] = NAMESPACES,
): Snapshot {
  return snapshot(namespaces, pods, policies);
}
const NAMESPACES = [ns('shop', { team: 'web' }), ns('db', { team: 'data' })];
const http = (port: number): ContainerPort[] => [{ name: 'http', containerPort: port, protocol: 'TCP' }];
const PODS = [
  pod('shop', 'web-1', { app: 'web' }, { ips: ['10.1.0.1'], ports: http(8080) }),
  pod('shop', 'web-2', { app: 'web' }, { ips: ['10.1.0.2'], ports: http(8080) }),
  pod('shop', 'worker', { app: 'worker' }, { ips: ['10.1.0.3'] }),
  pod('db', 'postgres', { app: 'postgres' }, { ips: ['10.2.0.1'] }),
];

describe('np-selects-no-pod', () => {
  it('reports a policy selecting none of its namespace pods, with the labels the pods do have', () => {
    const [f, ...rest] = only('np-selects-no-pod', cluster([ingress('cart', sel({ app: 'cart' }))]));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ object: 'shop/cart', field: 'spec.podSelector', severity: 'warning' });
    expect(f?.fix).toMatch(/app=web, app=worker/);
  });

  it('says so when only hostNetwork pods match', () => {
    const pods = [...PODS, pod('shop', 'agent', { app: 'agent' }, { hostNetwork: true })];
    const [f] = only('np-selects-no-pod', cluster([ingress('agent', sel({ app: 'agent' }))], pods));
    expect(f?.message).toMatch(/only hostNetwork pods/);
  });

  it('says nothing about a namespace without pods in the input, or whose pods could not be read', () => {
    const empty = policy('db', 'x', { podSelector: sel({ app: 'nope' }) });
    expect(only('np-selects-no-pod', cluster([empty], PODS.slice(0, 3)))).toEqual([]);
    const partial: Snapshot = {
      ...cluster([empty]),
      visibility: { policiesUnreadable: [], podsUnreadable: ['db'], namespacesUnreadable: false },
    };
    expect(only('np-selects-no-pod', partial)).toEqual([]);
  });
});

describe('np-peer-matches-nothing', () => {
  it('reports a podSelector peer matching no pod of the namespace, and a namespaceSelector matching no namespace', () => {
    const found = only(
      'np-peer-matches-nothing',
      cluster([
        ingress(
          'web',
          sel({ app: 'web' }),
          rule([podPeer({ app: 'api' }), podPeer({ app: 'worker' })]),
          rule([nsPeer({ team: 'ops' })]),
        ),
      ]),
    );
    expect(found.map((f) => f.field)).toEqual(['spec.ingress[0].from[0]', 'spec.ingress[1].from[0]']);
    expect(found[1]?.message).toMatch(/matches no namespace/);
  });

  it('leaves alone namespaces whose labels are unknown, namespaces without pods, and ipBlocks', () => {
    const undeclared: Namespace = { name: 'ops', labels: { [NAME]: 'ops' }, declared: false };
    const empty = ns('empty', { team: 'empty' });
    const s = cluster(
      [
        ingress(
          'web',
          sel({ app: 'web' }),
          rule([nsPeer({ team: 'ops' }), nsPeer({ team: 'empty' }), block('192.0.2.0/24')]),
        ),
      ],
      PODS,
      [...NAMESPACES, undeclared, empty],
    );
    expect(only('np-peer-matches-nothing', s)).toEqual([]);
    // Named by name, an undeclared namespace is decided: `other` is not `ops`.
    const byName = cluster([ingress('web', sel({ app: 'web' }), rule([nsPeer({ [NAME]: 'other' })]))], PODS, [
      ...NAMESPACES,
      undeclared,
    ]);
    expect(only('np-peer-matches-nothing', byName)).toHaveLength(1);
  });
});

describe('np-redundant-rule', () => {
  const web = sel({ app: 'web' });

  it('reports the later of two rules that allow the same, once', () => {
    const r = rule([podPeer({ app: 'worker' })], [tcp(80)]);
    const found = only('np-redundant-rule', cluster([ingress('web', web, r, r)]));
    expect(found.map((f) => f.field)).toEqual(['spec.ingress[1]']);
  });

  it('reports a narrower rule by peers and by ports, not a rule that allows something more', () => {
    const broad = rule([nsPeer({ team: 'web' })], [tcp(80, 90)]);
    const narrower = rule([podPeer({ app: 'worker' })], [tcp(85)]);
    const morePorts = rule([podPeer({ app: 'worker' })], [tcp(85), tcp(443)]);
    const found = only('np-redundant-rule', cluster([ingress('web', web, broad, narrower, morePorts)]));
    expect(found.map((f) => f.field)).toEqual(['spec.ingress[1]']);
  });

  it('counts a rule of another policy only if that policy selects every pod this one selects', () => {
    const r = rule([podPeer({ app: 'worker' })], [tcp(80)]);
    const wide = ingress('all', sel(), rule([nsPeer({ team: 'web' })]));
    const narrow = ingress(
      'web-1',
      sel({ app: 'web' }, [{ key: 'app', operator: 'In', values: ['web'] }]),
      r,
    );
    const [f, ...rest] = only('np-redundant-rule', cluster([wide, narrow]));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ object: 'shop/web-1', field: 'spec.ingress[0]' });
    expect(f?.message).toMatch(/spec\.ingress\[0\] of NetworkPolicy `shop\/all`/);
    // The other way round: `all` selects the worker too, which `web-1` does not cover.
    const reverse = ingress('all', sel(), r);
    const wider = ingress('web', web, rule([nsPeer({ team: 'web' })]));
    expect(only('np-redundant-rule', cluster([reverse, wider]))).toEqual([]);
  });

  it('resolves named ports on each destination pod', () => {
    const numeric = rule([podPeer({ app: 'worker' })], [tcp(8080)]);
    const named = rule([podPeer({ app: 'worker' })], [tcp('http')]);
    expect(
      only('np-redundant-rule', cluster([ingress('web', web, numeric, named)])).map((f) => f.field),
    ).toEqual(['spec.ingress[1]']);
    const drifted = [
      ...PODS.filter((p) => p.name !== 'web-2'),
      pod('shop', 'web-2', { app: 'web' }, { ips: ['10.1.0.2'], ports: http(9090) }),
    ];
    expect(only('np-redundant-rule', cluster([ingress('web', web, numeric, named)], drifted))).toEqual([]);
  });

  it('compares ipBlocks as address ranges, exceptions included', () => {
    const egress = (...rules: PolicyRule[]): NetworkPolicy =>
      policy('shop', 'out', { podSelector: web, policyTypes: ['Egress'], egress: rules });
    const inside = only(
      'np-redundant-rule',
      cluster([egress(rule([block('10.0.0.0/8')]), rule([block('10.3.0.0/16')]))]),
    );
    expect(inside.map((f) => f.field)).toEqual(['spec.egress[1]']);
    const holed = cluster([egress(rule([block('10.0.0.0/8', '10.3.0.0/16')]), rule([block('10.3.2.0/24')]))]);
    expect(only('np-redundant-rule', holed)).toEqual([]);
  });

  it('ignores rules of a direction the policy does not enforce', () => {
    const r = rule([podPeer({ app: 'worker' })], [tcp(80)]);
    const disabled = policy('shop', 'web', {
      podSelector: web,
      policyTypes: ['Egress'],
      ingress: [r, r],
      egress: [],
    });
    expect(only('np-redundant-rule', cluster([disabled]))).toEqual([]);
  });
});

describe('ns-no-default-deny', () => {
  it('reports each direction a namespace with pods has no default deny for', () => {
    const denyIngress = policy('shop', 'deny', { podSelector: sel(), policyTypes: ['Ingress'] });
    const found = only('ns-no-default-deny', cluster([denyIngress], PODS.slice(0, 3)));
    expect(found.map((f) => [f.object, /default-deny (\w+)/.exec(f.message)?.[1]])).toEqual([
      ['shop', 'egress'],
    ]);
  });

  it('does not count a select-all policy that allows everything, nor report host-network-only namespaces', () => {
    const allowAll = policy('shop', 'open', {
      podSelector: sel(),
      policyTypes: ['Ingress', 'Egress'],
      ingress: [rule('any')],
      egress: [rule('any')],
    });
    const host = [pod('infra', 'agent', {}, { hostNetwork: true }), ...PODS.slice(0, 3)];
    const found = only('ns-no-default-deny', cluster([allowAll], host, [...NAMESPACES, ns('infra')]));
    expect(found.map((f) => f.object)).toEqual(['shop', 'shop']);
  });
});

describe('np-named-port-mismatch', () => {
  it('reports an egress rule whose named port is a different number on different peers', () => {
    const pods = [
      ...PODS,
      pod(
        'db',
        'replica',
        { app: 'postgres' },
        { ports: [{ name: 'pg', containerPort: 5433, protocol: 'TCP' }] },
      ),
    ];
    const withPg = pods.map((p) =>
      p.name === 'postgres'
        ? { ...p, ports: [{ name: 'pg', containerPort: 5432, protocol: 'TCP' as const }] }
        : p,
    );
    const out = policy('shop', 'to-db', {
      podSelector: sel({ app: 'web' }),
      policyTypes: ['Egress'],
      egress: [rule([nsPeer({ team: 'data' })], [tcp('pg')])],
    });
    const [f, ...rest] = only('np-named-port-mismatch', cluster([out], withPg));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ field: 'spec.egress[0].ports[0].port' });
    expect(f?.message).toMatch(/5432 on db\/postgres, 5433 on db\/replica/);
  });

  it('is quiet when the name is one number everywhere', () => {
    expect(
      only(
        'np-named-port-mismatch',
        cluster([ingress('web', sel({ app: 'web' }), rule('any', [tcp('http')]))]),
      ),
    ).toEqual([]);
  });
});

describe('address rules (from the loader)', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: shop}
spec:
  podSelector: {}
  egress:
    - to:
        - ipBlock: {cidr: 10.1.2.3/16}
        - ipBlock: {cidr: 0.0.0.0/0, except: [010.0.0.1/8]}
`;
  const load = (source: Snapshot['source']): Snapshot =>
    buildSnapshot([parseManifestText(text, 'np.yaml')], source);

  it('turns the loader issues into findings at the field, errors for manifests', () => {
    const s = load({ kind: 'manifests', paths: ['np.yaml'] });
    const found = lintSnapshot(s).filter((f) => f.id.startsWith('ip-'));
    expect(found.map((f) => [f.id, f.severity, f.field, f.location?.line])).toEqual([
      ['ip-cidr-host-bits', 'error', 'spec.egress[0].to[0].ipBlock.cidr', 8],
      ['ip-leading-zero', 'error', 'spec.egress[0].to[1].ipBlock.except[0]', 9],
    ]);
    // Read as decimal, 010.0.0.1/8 still has host bits: the fix is the network address.
    expect(found[1]?.fix).toMatch(/^write 10\.0\.0\.0\/8 /);
    expect(s.issues.filter((i) => reportedByLint(i))).toHaveLength(2);
    expect(s.issues.filter((i) => !reportedByLint(i) && i.severity === 'error')).toEqual([]);
  });

  it('makes them warnings for objects read from a cluster, which exist already', () => {
    const s = load({ kind: 'cluster', context: 'prod', server: 'https://k8s.example' });
    expect(
      lintSnapshot(s)
        .filter((f) => f.id.startsWith('ip-'))
        .map((f) => f.severity),
    ).toEqual(['warning', 'warning']);
  });

  it('spells out the decimal reading of a leading-zero address', () => {
    expect(withoutLeadingZeros('010.0.0.1/8')).toBe('10.0.0.1/8');
    expect(withoutLeadingZeros('192.168.001.010')).toBe('192.168.1.10');
    expect(withoutLeadingZeros('::ffff:010.1.2.3')).toBe('::ffff:10.1.2.3');
    expect(withoutLeadingZeros('10.0.0.1/8')).toBeUndefined();
    expect(withoutLeadingZeros('0.0.0.0/0')).toBeUndefined();
    expect(withoutLeadingZeros('0999.1.1.1')).toBeUndefined();
  });
});

describe('namespaces the input only references', () => {
  it('are matched by name, their other labels unknown, like the evaluator', () => {
    // No Namespace objects at all: `ops` exists only through its pod.
    const pods = [...PODS, pod('ops', 'tool', { app: 'tool' })];
    const byName = ingress('web', sel({ app: 'web' }), rule([nsPeer({ [NAME]: 'ops' })]));
    const byLabel = ingress('web2', sel({ app: 'web' }), rule([nsPeer({ team: 'ops' })]));
    expect(only('np-peer-matches-nothing', snapshot([], pods, [byName, byLabel]))).toEqual([]);
  });
});

describe('ns-no-default-deny with Cilium policies', () => {
  const BASE = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
status: {podIP: 10.0.0.2}
`;
  const directions = (yaml: string): (string | undefined)[] => {
    const s = snapshotFromText(`${BASE}---\n${yaml}`, 'm.yaml');
    expect(s.issues.filter((i) => i.severity === 'error')).toEqual([]);
    return only('ns-no-default-deny', s).map((f) => /default-deny (\w+)/.exec(f.message)?.[1]);
  };

  it('counts a CiliumNetworkPolicy selecting every pod with default deny in that direction', () => {
    expect(
      directions(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: lock, namespace: shop}
spec:
  endpointSelector: {}
  ingress: [{fromEndpoints: [{matchLabels: {app: web}}]}]`),
    ).toEqual(['egress']);
  });

  it('counts a cluster-wide one whose namespace selector reaches the namespace', () => {
    expect(
      directions(`apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: lock}
spec:
  endpointSelector: {matchLabels: {k8s:io.kubernetes.pod.namespace: shop}}
  egress: [{toEntities: [cluster]}]`),
    ).toEqual(['ingress']);
  });

  it('does not count one with default deny off, one selecting some pods, or one that allows everything', () => {
    expect(
      directions(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: soft, namespace: shop}
spec:
  endpointSelector: {}
  enableDefaultDeny: {ingress: false}
  ingress: [{fromEndpoints: [{matchLabels: {app: web}}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: db-only, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: db}}
  egress: [{toEntities: [cluster]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: open, namespace: shop}
spec:
  endpointSelector: {}
  egress: [{toEntities: [all]}]`),
    ).toEqual(['ingress', 'egress']);
  });

  it('does not count a CiliumNetworkPolicy of another namespace', () => {
    expect(
      directions(`apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: lock, namespace: other}
spec:
  endpointSelector: {}
  ingress: [{}]
  egress: [{}]`),
    ).toEqual(['ingress', 'egress']);
  });
});
