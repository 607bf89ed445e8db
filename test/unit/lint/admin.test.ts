import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_LINT_RULES } from '../../../shared/lint/admin.ts';
import { LINT_RULES, lintSnapshot } from '../../../shared/lint/index.ts';
import type { LintFinding } from '../../../shared/lint/index.ts';
import { buildSnapshot, parseManifestText } from '../../../shared/manifest/index.ts';
import type {
  AdminPeer,
  AdminPort,
  AdminSubject,
  ClusterNetworkPolicy,
  Snapshot,
} from '../../../shared/model/snapshot.ts';
import { allNamespaces, arule, cnp, ns, nsPeer, pod, sel, snapshot, tcp } from '../eval/build.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function ids(findings: readonly LintFinding[]): string[] {
  return findings.map((f) => f.id);
}

function only(id: string, s: Snapshot): LintFinding[] {
  const rule = LINT_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return lintSnapshot(s, [rule]);
}

const nsSubject = (labels: Record<string, string>): AdminSubject => ({
  kind: 'namespaces',
  namespaceSelector: sel(labels),
});
const podSubject = (nsLabels: Record<string, string>, podLabels: Record<string, string>): AdminSubject => ({
  kind: 'pods',
  namespaceSelector: sel(nsLabels),
  podSelector: sel(podLabels),
});
const podsPeer = (nsLabels: Record<string, string>, podLabels: Record<string, string>): AdminPeer => ({
  kind: 'pods',
  namespaceSelector: sel(nsLabels),
  podSelector: sel(podLabels),
});
const networks = (...cidrs: string[]): AdminPeer => ({ kind: 'networks', cidrs });
const udp = (port?: number): AdminPort => ({
  kind: 'port',
  protocol: 'UDP',
  ...(port !== undefined ? { port } : {}),
});

/** shop (team=web, env=prod), db (env=prod), dev (env=dev), each with a pod; a hostNetwork pod in infra. */
const NAMESPACES = [
  ns('shop', { team: 'web', env: 'prod' }),
  ns('db', { env: 'prod' }),
  ns('dev', { env: 'dev' }),
  ns('infra'),
];
const PODS = [
  pod('shop', 'web', { app: 'web' }, { ips: ['10.0.0.1'] }),
  pod('db', 'postgres', { app: 'postgres' }, { ips: ['10.0.0.2'] }),
  pod('dev', 'shell', { app: 'shell' }, { ips: ['10.0.0.3'] }),
  pod('infra', 'agent', { app: 'agent' }, { hostNetwork: true }),
];

function cluster(...policies: ClusterNetworkPolicy[]): Snapshot {
  return snapshot(NAMESPACES, PODS, [], policies);
}

/** A tidy set modelled on the upstream examples: nothing for any rule to find. */
function clean(): ClusterNetworkPolicy[] {
  return [
    cnp('accept-monitoring', 'Admin', 5, {
      ingress: [
        arule(
          'Accept',
          [nsPeer({ 'kubernetes.io/metadata.name': 'monitoring' })],
          [tcp(9100, 9102)],
          'scrape',
        ),
      ],
    }),
    cnp('deny-cross-ns', 'Admin', 10, {
      subject: nsSubject({ env: 'prod' }),
      ingress: [arule('Deny', [nsPeer({ env: 'dev' })], 'any', 'from-dev')],
    }),
    cnp('pass-web', 'Admin', 20, {
      subject: podSubject({}, { app: 'web' }),
      ingress: [arule('Pass', [allNamespaces], [tcp(8080)], 'to-np')],
    }),
    cnp('default', 'Baseline', 1000, {
      ingress: [arule('Deny', [allNamespaces], 'any', 'deny')],
      egress: [
        arule(
          'Accept',
          [podsPeer({ 'kubernetes.io/metadata.name': 'kube-system' }, { k8s: 'dns' })],
          [udp(53)],
          'dns',
        ),
        arule('Deny', [networks('0.0.0.0/0')], 'any', 'outside'),
      ],
    }),
  ];
}

describe('lint: admin tiers', () => {
  it('finds nothing in a tidy set of admin policies', () => {
    expect(lintSnapshot(cluster(...clean()), ADMIN_LINT_RULES)).toEqual([]);
  });

  it('the registry has the five admin rules, each with a unique id and a summary', () => {
    const all = LINT_RULES.map((r) => r.id);
    expect(new Set(all).size).toBe(all.length);
    for (const id of [
      'admin-priority-tie',
      'admin-fail-closed-peer',
      'admin-domainnames-baseline',
      'admin-shadowed-rule',
      'admin-legacy-and-v1alpha2',
    ])
      expect(all).toContain(id);
    for (const r of LINT_RULES) expect(r.summary.length).toBeGreaterThan(10);
  });

  describe('admin-priority-tie', () => {
    const a = cnp('a', 'Admin', 10, {
      subject: nsSubject({ env: 'prod' }),
      ingress: [arule('Deny', [allNamespaces])],
    });

    it('two Admin policies at one priority whose subjects share a namespace', () => {
      const b = {
        ...cnp('b', 'Admin', 10, {
          subject: nsSubject({ team: 'web' }),
          ingress: [arule('Accept', [allNamespaces])],
        }),
        location: { file: 'b.yaml', line: 3, column: 1 },
      };
      const found = only('admin-priority-tie', cluster(b, a));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        id: 'admin-priority-tie',
        severity: 'warning',
        object: 'a',
        field: 'spec.priority',
      });
      expect(found[0]?.message).toContain('implementation-defined order');
      expect(found[0]?.message).toContain('ClusterNetworkPolicy `b` (b.yaml:3)');
      expect(found[0]?.message).toContain('namespace shop');
    });

    it('a pods subject and a namespaces subject overlap on a pod', () => {
      const b = cnp('b', 'Admin', 10, {
        subject: podSubject({}, { app: 'postgres' }),
        ingress: [arule('Pass', [allNamespaces])],
      });
      const found = only('admin-priority-tie', cluster(a, b));
      expect(found).toHaveLength(1);
      expect(found[0]?.message).toContain('pod db/postgres');
    });

    it('not when nothing of the snapshot is in both subjects', () => {
      const dev = cnp('b', 'Admin', 10, {
        subject: nsSubject({ env: 'dev' }),
        ingress: [arule('Deny', [allNamespaces])],
      });
      expect(only('admin-priority-tie', cluster(a, dev))).toEqual([]);
      // Only a hostNetwork pod matches both: hostNetwork pods are never subjects.
      const agent1 = cnp('c', 'Admin', 7, {
        subject: podSubject({}, { app: 'agent' }),
        ingress: [arule('Deny', [allNamespaces])],
      });
      const agent2 = cnp('d', 'Admin', 7, {
        subject: podSubject({ 'kubernetes.io/metadata.name': 'infra' }, {}),
        ingress: [arule('Deny', [allNamespaces])],
      });
      expect(only('admin-priority-tie', cluster(agent1, agent2))).toEqual([]);
    });

    it('not across tiers, priorities or directions', () => {
      const baseline = cnp('b', 'Baseline', 10, {
        subject: nsSubject({ env: 'prod' }),
        ingress: [arule('Deny', [allNamespaces])],
      });
      const other = cnp('c', 'Admin', 11, {
        subject: nsSubject({ env: 'prod' }),
        ingress: [arule('Deny', [allNamespaces])],
      });
      const egressOnly = cnp('d', 'Admin', 10, {
        subject: nsSubject({ env: 'prod' }),
        egress: [arule('Deny', [allNamespaces])],
      });
      expect(only('admin-priority-tie', cluster(a, baseline, other, egressOnly))).toEqual([]);
    });
  });

  describe('admin-fail-closed-peer', () => {
    it('an unrecognized peer: a Deny rule matches everything, an Accept rule nothing', () => {
      const p = cnp('p', 'Admin', 1, {
        ingress: [
          arule(
            'Accept',
            [allNamespaces, { kind: 'unrecognized', fields: ['serviceAccounts'] }],
            'any',
            'ok',
          ),
          arule('Deny', [{ kind: 'unrecognized', fields: [] }]),
        ],
      });
      const found = only('admin-fail-closed-peer', cluster(p));
      expect(found.map((f) => f.field)).toEqual(['spec.ingress[0].from[1]', 'spec.ingress[1].from[0]']);
      expect(found[0]?.message).toContain('fields serviceAccounts');
      expect(found[0]?.message).toContain('this Accept rule matches nothing through it');
      expect(found[1]?.message).toContain('this Deny rule treats it as matching every source');
    });

    it('not for recognized peers', () => {
      expect(only('admin-fail-closed-peer', cluster(...clean()))).toEqual([]);
    });
  });

  describe('admin-domainnames-baseline', () => {
    const domains: AdminPeer = { kind: 'domainNames', domainNames: ['*.example.com'] };

    it('domainNames in a Baseline policy, and in a Deny rule', () => {
      const baseline = cnp('b', 'Baseline', 1, { egress: [arule('Accept', [domains])] });
      const deny = cnp('d', 'Admin', 1, {
        egress: [arule('Accept', [networks('10.0.0.0/8')]), arule('Deny', [domains])],
      });
      const both = cnp('e', 'Baseline', 2, { egress: [arule('Pass', [domains])] });
      const found = only('admin-domainnames-baseline', cluster(baseline, deny, both));
      expect(found.map((f) => [f.object, f.field])).toEqual([
        ['b', 'spec.egress[0].to[0].domainNames'],
        ['d', 'spec.egress[1].to[0].domainNames'],
        ['e', 'spec.egress[0].to[0].domainNames'],
        ['e', 'spec.egress[0].to[0].domainNames'],
      ]);
      expect(found[0]?.message).toContain('Baseline tier');
      expect(found[1]?.message).toContain('Accept rules only');
    });

    it('not for an Accept rule in the Admin tier', () => {
      const ok = cnp('a', 'Admin', 1, { egress: [arule('Accept', [domains])] });
      expect(only('admin-domainnames-baseline', cluster(ok))).toEqual([]);
    });
  });

  describe('admin-shadowed-rule', () => {
    it('a later rule whose peers and ports an earlier one covers', () => {
      const p = cnp('p', 'Admin', 1, {
        ingress: [
          arule('Deny', [nsPeer({ team: 'web' })], 'any', 'deny-web'),
          arule('Accept', [podsPeer({ team: 'web', env: 'prod' }, { app: 'web' })], [tcp(80)], 'allow-web'),
        ],
        egress: [
          arule('Pass', [networks('10.0.0.0/8')], [tcp(80, 90)]),
          arule('Pass', [networks('10.1.0.0/16', '10.0.0.0/8')], [tcp(85)]),
        ],
      });
      const found = only('admin-shadowed-rule', cluster(p));
      expect(found.map((f) => f.field)).toEqual(['spec.ingress[1]', 'spec.egress[1]']);
      expect(found[0]?.message).toContain(
        'ingress[1] `allow-web` can never decide: ingress[0] `deny-web` comes first',
      );
      expect(found[0]?.message).toContain('its Accept never applies');
      expect(found[1]?.message).toContain('it is redundant');
    });

    it('not when the later rule reaches further (peers, ports, networks) or is in the other direction', () => {
      const p = cnp('p', 'Admin', 1, {
        ingress: [
          arule('Deny', [nsPeer({ team: 'web', env: 'prod' })]),
          arule('Accept', [nsPeer({ team: 'web' })]),
          arule('Deny', [allNamespaces], [tcp(80)]),
          arule('Deny', [allNamespaces], [tcp(80, 81)]),
          arule('Deny', [allNamespaces], [udp()]),
        ],
        egress: [
          arule('Deny', [networks('10.1.0.0/16')]),
          arule('Deny', [networks('10.0.0.0/8')]),
          arule('Deny', [allNamespaces], [tcp(443)]),
        ],
      });
      expect(only('admin-shadowed-rule', cluster(p))).toEqual([]);
    });

    it('every protocol with every port covers a rule without ports', () => {
      const p = cnp('p', 'Admin', 1, {
        ingress: [
          arule('Deny', [allNamespaces], [tcp(), udp(), { kind: 'port', protocol: 'SCTP' }]),
          arule('Accept', [nsPeer({ env: 'dev' })]),
        ],
      });
      expect(ids(only('admin-shadowed-rule', cluster(p)))).toEqual(['admin-shadowed-rule']);
    });
  });

  describe('admin-legacy-and-v1alpha2', () => {
    const legacy: ClusterNetworkPolicy = {
      ...cnp('old', 'Admin', 10, { ingress: [arule('Deny', [allNamespaces])] }),
      kind: 'AdminNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
    };
    const current = cnp('new', 'Admin', 11, { ingress: [arule('Deny', [allNamespaces])] });

    it('each legacy policy when ClusterNetworkPolicies are present too', () => {
      const found = only('admin-legacy-and-v1alpha2', cluster(legacy, current));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ object: 'AdminNetworkPolicy:old', severity: 'warning' });
      expect(found[0]?.message).toContain('Calico 3.32 removed');
      expect(found[0]?.fix).toContain('rewrite it as a ClusterNetworkPolicy');
    });

    it('not when only one generation is present', () => {
      expect(only('admin-legacy-and-v1alpha2', cluster(legacy))).toEqual([]);
      expect(only('admin-legacy-and-v1alpha2', cluster(current))).toEqual([]);
    });
  });

  it('orders findings by file and line, objects without a location last', () => {
    const at = (file: string, line: number) => ({ location: { file, line, column: 1 } });
    const unrecognized: AdminPeer = { kind: 'unrecognized', fields: [] };
    const s = cluster(
      cnp('z', 'Admin', 1, { ingress: [arule('Deny', [unrecognized])] }),
      { ...cnp('y', 'Admin', 2, { ingress: [arule('Deny', [unrecognized])] }), ...at('b.yaml', 1) },
      { ...cnp('x', 'Admin', 3, { ingress: [arule('Deny', [unrecognized])] }), ...at('a.yaml', 9) },
    );
    expect(lintSnapshot(s, ADMIN_LINT_RULES).map((f) => [f.object, f.location?.file ?? null])).toEqual([
      ['x', 'a.yaml'],
      ['y', 'b.yaml'],
      ['z', null],
    ]);
  });

  it('the shared fixture cluster is clean; with its legacy copy, ties and legacy objects are found', () => {
    const load = (...names: string[]): Snapshot => {
      const paths = names.map((n) => join(ROOT, 'test', 'fixtures', 'admin', n));
      return buildSnapshot(
        paths.map((p) => parseManifestText(readFileSync(p, 'utf8'), p)),
        { kind: 'manifests', paths },
      );
    };
    const base = load('cluster.yaml');
    expect(base.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(base.clusterPolicies.length).toBeGreaterThan(0);
    // Its NetworkPolicy side is a sketch (no namespace has a default deny): only namespace findings.
    expect(lintSnapshot(base).filter((f) => f.id !== 'ns-no-default-deny')).toEqual([]);
    const found = lintSnapshot(load('cluster.yaml', 'legacy.yaml'), ADMIN_LINT_RULES);
    expect(new Set(ids(found))).toEqual(new Set(['admin-priority-tie', 'admin-legacy-and-v1alpha2']));
    expect(found.every((f) => f.location?.file.endsWith('legacy.yaml'))).toBe(true);
  });
});
