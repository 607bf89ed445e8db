/**
 * The tiered evaluator on hand-written cases (DESIGN.md "Tiers"): Admin rules first (priority, then rule
 * order; Pass skips the tier), NetworkPolicy isolation, Baseline only for pods no NetworkPolicy
 * isolates, default allow. Every case is checked through `check` (the explanation path) and `reach`
 * (the bitset path), which must agree.
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import type { Analyzer, Peer, Verdict } from '../../../shared/eval/index.ts';
import type { ClusterNetworkPolicy, NetworkPolicy } from '../../../shared/model/snapshot.ts';
import { allNamespaces, arule, cnp, nsPeer, ns, pod, policy, sel, snapshot, tcp } from './build.ts';

const namespaces = [
  ns('shop', { tenant: 'a' }),
  ns('db', { tenant: 'b' }),
  ns('monitoring', { role: 'mon' }),
];
const pods = [
  pod('shop', 'web', { app: 'web' }, { ips: ['10.0.0.1'] }),
  pod(
    'db',
    'pg',
    { app: 'pg' },
    { ips: ['10.0.1.1'], ports: [{ name: 'sql', containerPort: 5432, protocol: 'TCP' }] },
  ),
  pod('monitoring', 'prom', { app: 'prom' }, { ips: ['10.0.2.1'] }),
  pod('db', 'agent', { app: 'agent' }, { ips: ['192.168.0.9'], hostNetwork: true }),
];

function build(clusterPolicies: ClusterNetworkPolicy[], policies: NetworkPolicy[] = []): Analyzer {
  return createAnalyzer(snapshot(namespaces, pods, policies, clusterPolicies));
}

const P = (key: string): Peer => {
  const [namespace = '', name = ''] = key.split('/');
  return { kind: 'pod', namespace, name };
};

/** The verdict through `check`, after asserting `reach` agrees. */
function verdict(a: Analyzer, from: string, to: string, port: number): Verdict {
  const f = from.includes('/') ? P(from) : ({ kind: 'external', ip: from } as const);
  const t = to.includes('/') ? P(to) : ({ kind: 'external', ip: to } as const);
  const v = a.check({ from: f, to: t, port, protocol: 'TCP' });
  const cell = a.reach([f, t], [{ protocol: 'TCP', port }]).cell(0, 1, 0);
  const bulk: Verdict = cell.allowed ? 'allowed' : cell.unknown ? 'unknown' : 'denied';
  expect(bulk, `reach agrees with check for ${from} → ${to}:${port}`).toBe(v.verdict);
  return v.verdict;
}

const denyCrossNs = cnp('deny-cross-ns', 'Admin', 20, {
  ingress: [arule('Deny', [allNamespaces], 'any', 'deny-all')],
});
const acceptMonitoring = cnp('accept-monitoring', 'Admin', 10, {
  ingress: [arule('Accept', [nsPeer({ role: 'mon' })], 'any', 'scrape')],
});

describe('Admin tier', () => {
  it('a Deny beats a NetworkPolicy allow, and its explanation names the rule', () => {
    const allowAll = policy('db', 'allow-all', { ingress: [{ peers: 'any', ports: 'any' }] });
    const a = build([denyCrossNs], [allowAll]);
    expect(verdict(a, 'shop/web', 'db/pg', 5432)).toBe('denied');
    const v = a.check({ from: P('shop/web'), to: P('db/pg'), port: 5432, protocol: 'TCP' });
    expect(v.ingress).toMatchObject({
      kind: 'denied',
      tiers: {
        decidedBy: 'Admin',
        adminPolicies: ['deny-cross-ns'],
        admin: { policy: 'deny-cross-ns', action: 'Deny', rule: 0, ruleName: 'deny-all', priority: 20 },
      },
    });
    // Egress of the source has no admin rule: default allow, traced.
    expect(v.egress).toMatchObject({ kind: 'not-isolated', tiers: { decidedBy: 'default' } });
  });

  it('lower priority goes first: Accept monitoring before the deny', () => {
    const a = build([denyCrossNs, acceptMonitoring]);
    expect(verdict(a, 'monitoring/prom', 'db/pg', 9090)).toBe('allowed');
    expect(verdict(a, 'shop/web', 'db/pg', 9090)).toBe('denied');
    // An Accept ends the side even where a NetworkPolicy would isolate and deny.
    const denyAll = policy('db', 'deny-all', {});
    const b = build([acceptMonitoring], [denyAll]);
    expect(verdict(b, 'monitoring/prom', 'db/pg', 80)).toBe('allowed');
    expect(verdict(b, 'shop/web', 'db/pg', 80)).toBe('denied');
  });

  it('rules go in written order within a policy; ports narrow a rule', () => {
    const p = cnp('ordered', 'Admin', 5, {
      subject: { kind: 'namespaces', namespaceSelector: sel({ tenant: 'b' }) },
      ingress: [arule('Accept', [allNamespaces], [tcp(5432)]), arule('Deny', [allNamespaces])],
    });
    const a = build([p]);
    expect(verdict(a, 'shop/web', 'db/pg', 5432)).toBe('allowed');
    expect(verdict(a, 'shop/web', 'db/pg', 5433)).toBe('denied');
    // The subject is tenant b only.
    expect(verdict(a, 'db/pg', 'shop/web', 80)).toBe('allowed');
  });

  it('Pass skips the rest of the Admin tier and lets NetworkPolicies decide', () => {
    const pass = cnp('pass-db', 'Admin', 1, { ingress: [arule('Pass', [nsPeer({ tenant: 'a' })])] });
    const allowWeb = policy('db', 'allow-web', {
      ingress: [
        {
          peers: [{ kind: 'selector', namespaceSelector: sel({ tenant: 'a' }) }],
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
      ],
    });
    const a = build([pass, denyCrossNs], [allowWeb]);
    expect(verdict(a, 'shop/web', 'db/pg', 5432)).toBe('allowed');
    expect(verdict(a, 'shop/web', 'db/pg', 80)).toBe('denied');
    expect(verdict(a, 'monitoring/prom', 'db/pg', 5432)).toBe('denied');
    const v = a.check({ from: P('shop/web'), to: P('db/pg'), port: 5432, protocol: 'TCP' });
    expect(v.ingress).toMatchObject({
      kind: 'allowed',
      policies: ['db/allow-web'],
      tiers: { decidedBy: 'NetworkPolicy', admin: { policy: 'pass-db', action: 'Pass' } },
    });
  });

  it('named ports resolve on the destination pod; hostNetwork pods are never subjects or pod peers', () => {
    const p = cnp('sql-only', 'Admin', 3, {
      subject: { kind: 'pods', namespaceSelector: sel(), podSelector: sel({ app: 'pg' }) },
      ingress: [
        arule('Accept', [allNamespaces], [{ kind: 'named', name: 'sql' }]),
        arule('Deny', [allNamespaces]),
      ],
    });
    const a = build([p]);
    expect(verdict(a, 'shop/web', 'db/pg', 5432)).toBe('allowed');
    expect(verdict(a, 'shop/web', 'db/pg', 5433)).toBe('denied');
    // hostNetwork source: not a `namespaces` peer, so the Deny does not match it.
    expect(verdict(a, 'db/agent', 'db/pg', 80)).toBe('allowed');
  });
});

describe('Baseline tier', () => {
  const baselineDeny = cnp('baseline-deny', 'Baseline', 100, { ingress: [arule('Deny', [allNamespaces])] });

  it('denies only pods no NetworkPolicy isolates', () => {
    const allowShop = policy('db', 'allow-shop', {
      ingress: [{ peers: [{ kind: 'selector', namespaceSelector: sel({ tenant: 'a' }) }], ports: 'any' }],
    });
    const a = build([baselineDeny], [allowShop]);
    expect(verdict(a, 'shop/web', 'db/pg', 80)).toBe('allowed'); // NetworkPolicy tier decides
    expect(verdict(a, 'db/pg', 'shop/web', 80)).toBe('denied'); // shop/web not isolated: Baseline
    const v = a.check({ from: P('db/pg'), to: P('shop/web'), port: 80, protocol: 'TCP' });
    expect(v.ingress).toMatchObject({
      kind: 'denied',
      tiers: { decidedBy: 'Baseline', baseline: { action: 'Deny' } },
    });
  });

  it('a Pass in Baseline falls through to the default allow', () => {
    const pass = cnp('baseline-pass', 'Baseline', 50, {
      ingress: [arule('Pass', [nsPeer({ role: 'mon' })])],
    });
    const a = build([baselineDeny, pass]);
    expect(verdict(a, 'monitoring/prom', 'shop/web', 80)).toBe('allowed');
    expect(verdict(a, 'db/pg', 'shop/web', 80)).toBe('denied');
  });
});

describe('egress, networks and what netglass cannot know', () => {
  it('networks match external addresses and pod IPs alike; both sides must allow', () => {
    const p = cnp('no-internet', 'Admin', 1, {
      subject: { kind: 'namespaces', namespaceSelector: sel({ tenant: 'a' }) },
      egress: [
        arule('Accept', [{ kind: 'networks', cidrs: ['10.0.1.0/24'] }]),
        arule('Deny', [{ kind: 'networks', cidrs: ['0.0.0.0/0'] }]),
      ],
    });
    const a = build([p]);
    expect(verdict(a, 'shop/web', 'db/pg', 80)).toBe('allowed'); // pod IP in 10.0.1.0/24
    expect(verdict(a, 'shop/web', 'monitoring/prom', 80)).toBe('denied'); // pod IP in 0.0.0.0/0
    expect(verdict(a, 'shop/web', '8.8.8.8', 53)).toBe('denied');
    expect(verdict(a, 'shop/web', '10.0.1.77', 53)).toBe('allowed');
  });

  it('domainNames and nodes peers make a verdict that depends on them unknown', () => {
    const p = cnp('dns', 'Admin', 1, {
      egress: [
        arule('Accept', [{ kind: 'domainNames', domainNames: ['*.example.com'] }]),
        arule('Deny', [{ kind: 'networks', cidrs: ['0.0.0.0/0'] }]),
      ],
    });
    const a = build([p]);
    expect(verdict(a, 'shop/web', '8.8.8.8', 443)).toBe('unknown');
    const v = a.check({
      from: P('shop/web'),
      to: { kind: 'external', ip: '8.8.8.8' },
      port: 443,
      protocol: 'TCP',
    });
    expect(v.egress.kind).toBe('unknown');
    expect(v.egress.kind === 'unknown' && v.egress.reason).toMatch(/domain names/);
    // Pods are never domain-name answers here: the Deny decides.
    expect(verdict(a, 'shop/web', 'db/pg', 443)).toBe('denied');
  });

  it('equal priorities that disagree are unknown; when they agree, the answer stands', () => {
    const accept = cnp('a-accept', 'Admin', 7, { ingress: [arule('Accept', [allNamespaces])] });
    const deny = cnp('b-deny', 'Admin', 7, { ingress: [arule('Deny', [nsPeer({ tenant: 'a' })])] });
    const a = build([accept, deny]);
    expect(verdict(a, 'shop/web', 'db/pg', 80)).toBe('unknown');
    expect(verdict(a, 'monitoring/prom', 'db/pg', 80)).toBe('allowed');
  });

  it('a peer netglass does not recognise fails closed', () => {
    const unknownPeer = { kind: 'unrecognized', fields: ['serviceAccounts'] } as const;
    const acc = build([cnp('acc', 'Admin', 1, { ingress: [arule('Accept', [unknownPeer])] }), denyCrossNs]);
    expect(verdict(acc, 'monitoring/prom', 'db/pg', 80)).toBe('denied');
    const den = build([cnp('den', 'Admin', 1, { ingress: [arule('Deny', [unknownPeer])] })]);
    expect(verdict(den, 'monitoring/prom', 'db/pg', 80)).toBe('denied');
    expect(verdict(den, '8.8.8.8', 'db/pg', 80)).toBe('denied');
  });

  it('unread admin policies make every pod side unknown', () => {
    const s = {
      ...snapshot(namespaces, pods, []),
      visibility: {
        policiesUnreadable: [],
        podsUnreadable: [],
        namespacesUnreadable: false,
        clusterPoliciesUnreadable: true,
      },
    };
    const a = createAnalyzer(s);
    expect(verdict(a, 'shop/web', 'db/pg', 80)).toBe('unknown');
    expect(verdict(a, 'db/agent', '8.8.8.8', 80)).toBe('allowed'); // hostNetwork → external: no pod side
  });
});

describe('updates, effects and summaries', () => {
  it('an incremental admin-policy change equals a fresh analysis', () => {
    const a = build([]);
    expect(a.update([{ kind: 'upsertClusterPolicy', policy: denyCrossNs }]).mode).toBe('incremental');
    const fresh = build([denyCrossNs]);
    expect(a.summary().matrix).toEqual(fresh.summary().matrix);
    a.update([{ kind: 'removeClusterPolicy', key: 'deny-cross-ns' }]);
    expect(a.summary().matrix).toEqual(build([]).summary().matrix);
    // A pod added later gets the admin policy's bits.
    const b = build([denyCrossNs]);
    b.update([{ kind: 'upsertPod', pod: pod('shop', 'web2', { app: 'web2' }, { ips: ['10.0.0.2'] }) }]);
    expect(verdict(b, 'shop/web', 'shop/web2', 80)).toBe('denied');
  });

  it('policyEffect classes connections by the rules of an admin policy that decide them', () => {
    const a = build([acceptMonitoring, denyCrossNs]);
    const deny = a.policyEffect('deny-cross-ns');
    expect(deny.tier).toBe('Admin');
    const accept = a.policyEffect('accept-monitoring');
    expect(accept.counts.permittedFlowing).toBeGreaterThan(0);
    expect(accept.counts.denied).toBe(0);
    // prom → pg is decided by accept-monitoring, not by the deny.
    expect(accept.permittedFlowing).toContainEqual({
      from: P('monitoring/prom'),
      to: P('db/pg'),
      protocol: 'TCP',
      port: 1,
    });
    expect(deny.denied).toContainEqual({ from: P('shop/web'), to: P('db/pg'), protocol: 'TCP', port: 1 });
    expect(deny.denied).not.toContainEqual({
      from: P('monitoring/prom'),
      to: P('db/pg'),
      protocol: 'TCP',
      port: 1,
    });
    expect(a.isolation('db/pg').ingress.adminPolicies).toEqual(['accept-monitoring', 'deny-cross-ns']);
    expect(a.stats().clusterPolicies).toBe(2);
  });
});
