import { describe, expect, it } from 'vitest';
import { createAnalyzer, type Peer } from '../../../shared/eval/index.ts';
import type { Protocol, Snapshot } from '../../../shared/model/snapshot.ts';
import { oracleCheck, type OraclePeer } from '../../oracle/naive.ts';
import { ns, pod, policy, sel, snapshot } from './build.ts';

const P = (namespace: string, name: string): Peer => ({ kind: 'pod', namespace, name });
const X = (ip: string): Peer => ({ kind: 'external', ip });

/** The engine's verdict, after checking it against the oracle so every pinned case pins both. */
function verdict(s: Snapshot, from: Peer, to: Peer, port: number, protocol: Protocol = 'TCP'): string {
  const a = createAnalyzer(s);
  const v = a.check({ from, to, port, protocol });
  const toOracle = (p: Peer): OraclePeer => {
    if (p.kind === 'external') return p;
    const found = s.pods.find((x) => x.namespace === p.namespace && x.name === p.name);
    if (!found) throw new Error('no pod');
    return { kind: 'pod', pod: found };
  };
  const o = oracleCheck(s, toOracle(from), toOracle(to), protocol, port);
  expect(v.verdict === 'allowed').toBe(o.allowed);
  const reach = a.reach([from, to], [{ protocol, port }]).cell(0, 1, 0);
  expect(reach).toEqual({
    allowed: o.allowed,
    egress: o.egress,
    ingress: o.ingress,
    unknown: false,
    egressUnknown: false,
    ingressUnknown: false,
  });
  return v.verdict;
}

const web = pod('app', 'web', { app: 'web' }, { ips: ['10.0.0.1'] });
const db = pod('app', 'db', { app: 'db', tier: 'data' }, { ips: ['10.0.0.2'] });
const other = pod('other', 'client', { app: 'client' }, { ips: ['10.0.1.1'] });
const base = [ns('app', { team: 'a' }), ns('other', { team: 'b' })];

describe('selectors', () => {
  it('NotIn matches a pod without the key', () => {
    const p = policy('app', 'p', {
      podSelector: sel({ app: 'db' }),
      ingress: [
        {
          peers: [
            {
              kind: 'selector',
              podSelector: sel({}, [{ key: 'tier', operator: 'NotIn', values: ['data'] }]),
            },
          ],
          ports: 'any',
        },
      ],
    });
    const s = snapshot(base, [web, db], [p]);
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 80)).toBe('allowed'); // web has no `tier`
  });

  it('empty podSelector selects every pod of the namespace; a peer with podSelector {} stays in the namespace', () => {
    const p = policy('app', 'p', {
      podSelector: sel(),
      ingress: [{ peers: [{ kind: 'selector', podSelector: sel() }], ports: 'any' }],
    });
    const s = snapshot(base, [web, db, other], [p]);
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 80)).toBe('allowed');
    expect(verdict(s, P('other', 'client'), P('app', 'db'), 80)).toBe('denied');
  });

  it('missing from (peers any) admits everyone incl. external addresses', () => {
    const p = policy('app', 'p', { ingress: [{ peers: 'any', ports: 'any' }] });
    const s = snapshot(base, [web, db, other], [p]);
    expect(verdict(s, P('other', 'client'), P('app', 'db'), 80)).toBe('allowed');
    expect(verdict(s, X('8.8.8.8'), P('app', 'db'), 80)).toBe('allowed');
  });

  it('namespaceSelector {} means all namespaces; absent means the policy namespace', () => {
    const all = policy('app', 'p', {
      ingress: [
        {
          peers: [{ kind: 'selector', namespaceSelector: sel(), podSelector: sel({ app: 'client' }) }],
          ports: 'any',
        },
      ],
    });
    expect(verdict(snapshot(base, [web, db, other], [all]), P('other', 'client'), P('app', 'db'), 80)).toBe(
      'allowed',
    );
    const same = policy('app', 'p', {
      ingress: [{ peers: [{ kind: 'selector', podSelector: sel({ app: 'client' }) }], ports: 'any' }],
    });
    expect(verdict(snapshot(base, [web, db, other], [same]), P('other', 'client'), P('app', 'db'), 80)).toBe(
      'denied',
    );
  });

  it('namespaceSelector and podSelector in one peer are ANDed; separate peers are ORed', () => {
    const and = policy('app', 'p', {
      podSelector: sel({ app: 'db' }),
      ingress: [
        {
          peers: [
            { kind: 'selector', namespaceSelector: sel({ team: 'b' }), podSelector: sel({ app: 'web' }) },
          ],
          ports: 'any',
        },
      ],
    });
    const s1 = snapshot(base, [web, db, other], [and]);
    expect(verdict(s1, P('other', 'client'), P('app', 'db'), 80)).toBe('denied'); // ns ok, pod not
    expect(verdict(s1, P('app', 'web'), P('app', 'db'), 80)).toBe('denied'); // pod ok, ns not
    const or = policy('app', 'p', {
      podSelector: sel({ app: 'db' }),
      ingress: [
        {
          peers: [
            { kind: 'selector', namespaceSelector: sel({ team: 'b' }) },
            { kind: 'selector', podSelector: sel({ app: 'web' }) },
          ],
          ports: 'any',
        },
      ],
    });
    const s2 = snapshot(base, [web, db, other], [or]);
    expect(verdict(s2, P('other', 'client'), P('app', 'db'), 80)).toBe('allowed');
    expect(verdict(s2, P('app', 'web'), P('app', 'db'), 80)).toBe('allowed');
  });

  it('cross-namespace selection by kubernetes.io/metadata.name', () => {
    const p = policy('app', 'p', {
      ingress: [
        {
          peers: [{ kind: 'selector', namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'other' }) }],
          ports: 'any',
        },
      ],
    });
    const s = snapshot(base, [web, db, other], [p]);
    expect(verdict(s, P('other', 'client'), P('app', 'db'), 80)).toBe('allowed');
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 80)).toBe('denied');
  });
});

describe('ipBlock', () => {
  const p = policy('app', 'p', {
    podSelector: sel({ app: 'db' }),
    ingress: [
      {
        peers: [{ kind: 'ipBlock', ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }],
        ports: 'any',
      },
    ],
  });
  it('except carves addresses out of the CIDR', () => {
    const s = snapshot(base, [web, db, other], [p]);
    expect(verdict(s, X('10.0.5.5'), P('app', 'db'), 80)).toBe('allowed');
    expect(verdict(s, X('10.0.1.7'), P('app', 'db'), 80)).toBe('denied');
    expect(verdict(s, X('192.168.0.1'), P('app', 'db'), 80)).toBe('denied');
  });
  it('matches pod IPs too, and never a pod without an IP', () => {
    const noIP = pod('app', 'pending', { app: 'web' });
    const s = snapshot(base, [web, db, other, noIP], [p]);
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 80)).toBe('allowed'); // 10.0.0.1
    expect(verdict(s, P('other', 'client'), P('app', 'db'), 80)).toBe('denied'); // 10.0.1.1 is excepted
    expect(verdict(s, P('app', 'pending'), P('app', 'db'), 80)).toBe('denied');
  });
  it('IPv6 blocks match IPv6 addresses only', () => {
    const v6 = policy('app', 'p', {
      podSelector: sel({ app: 'db' }),
      ingress: [
        {
          peers: [{ kind: 'ipBlock', ipBlock: { cidr: 'fd00::/64', except: ['fd00::ff/128'] } }],
          ports: 'any',
        },
      ],
    });
    const s = snapshot(base, [web, db], [v6]);
    expect(verdict(s, X('fd00::1'), P('app', 'db'), 80)).toBe('allowed');
    expect(verdict(s, X('fd00::ff'), P('app', 'db'), 80)).toBe('denied');
    expect(verdict(s, X('10.0.0.9'), P('app', 'db'), 80)).toBe('denied');
  });
});

describe('ports', () => {
  const httpA = pod(
    'app',
    'a',
    { app: 'x' },
    { ips: ['10.0.0.10'], ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] },
  );
  const httpB = pod(
    'app',
    'b',
    { app: 'x' },
    { ips: ['10.0.0.11'], ports: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }] },
  );
  const dnsUdp = pod(
    'app',
    'd',
    { app: 'x' },
    { ips: ['10.0.0.12'], ports: [{ name: 'http', containerPort: 8080, protocol: 'UDP' }] },
  );

  it('named ports resolve on each destination, protocol included (ingress)', () => {
    const p = policy('app', 'p', { ingress: [{ peers: 'any', ports: [{ protocol: 'TCP', port: 'http' }] }] });
    const s = snapshot(base, [web, httpA, httpB, dnsUdp], [p]);
    expect(verdict(s, P('app', 'web'), P('app', 'a'), 8080)).toBe('allowed');
    expect(verdict(s, P('app', 'web'), P('app', 'a'), 9090)).toBe('denied');
    expect(verdict(s, P('app', 'web'), P('app', 'b'), 9090)).toBe('allowed');
    expect(verdict(s, P('app', 'web'), P('app', 'd'), 8080, 'UDP')).toBe('denied');
    expect(verdict(s, P('app', 'web'), P('app', 'd'), 8080, 'TCP')).toBe('denied');
  });

  it('named ports in egress resolve on the destination pod; never on an external address', () => {
    const p = policy('app', 'p', {
      podSelector: sel({ app: 'web' }),
      policyTypes: ['Egress'],
      egress: [{ peers: 'any', ports: [{ protocol: 'TCP', port: 'http' }] }],
    });
    const s = snapshot(base, [web, httpA, httpB], [p]);
    expect(verdict(s, P('app', 'web'), P('app', 'a'), 8080)).toBe('allowed');
    expect(verdict(s, P('app', 'web'), P('app', 'b'), 8080)).toBe('denied');
    expect(verdict(s, P('app', 'web'), P('app', 'b'), 9090)).toBe('allowed');
    expect(verdict(s, P('app', 'web'), X('1.2.3.4'), 8080)).toBe('denied');
  });

  it('endPort makes an inclusive range', () => {
    const p = policy('app', 'p', {
      ingress: [{ peers: 'any', ports: [{ protocol: 'TCP', port: 30000, endPort: 30010 }] }],
    });
    const s = snapshot(base, [web, db], [p]);
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 29999)).toBe('denied');
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 30000)).toBe('allowed');
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 30010)).toBe('allowed');
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 30011)).toBe('denied');
  });

  it('a protocol without a port means every port of that protocol only', () => {
    const p = policy('app', 'p', { ingress: [{ peers: 'any', ports: [{ protocol: 'UDP' }] }] });
    const s = snapshot(base, [web, db], [p]);
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 53, 'UDP')).toBe('allowed');
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 65535, 'UDP')).toBe('allowed');
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 53, 'TCP')).toBe('denied');
  });
});

describe('policy types and isolation', () => {
  it('unset policyTypes: Ingress always, Egress only with egress rules', () => {
    const ingressOnly = policy('app', 'p', { podSelector: sel({ app: 'web' }) });
    const s = snapshot(base, [web, db], [ingressOnly]);
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 80)).toBe('allowed'); // egress of web not isolated
    expect(verdict(s, P('app', 'db'), P('app', 'web'), 80)).toBe('denied');
    const a = createAnalyzer(s);
    expect(a.isolation('app/web').egress.isolated).toBe(false);
    expect(a.isolation('app/web').ingress).toEqual({
      isolated: true,
      policies: ['app/p'],
      adminPolicies: [],
    });
  });

  it('Egress-only policy with no rules denies all egress and leaves ingress alone', () => {
    const p = policy('app', 'deny-egress', { podSelector: sel({ app: 'web' }), policyTypes: ['Egress'] });
    const s = snapshot(base, [web, db], [p]);
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 80)).toBe('denied');
    expect(verdict(s, P('app', 'web'), X('1.1.1.1'), 443)).toBe('denied');
    expect(verdict(s, P('app', 'db'), P('app', 'web'), 80)).toBe('allowed');
    const v = createAnalyzer(s).check({
      from: P('app', 'web'),
      to: P('app', 'db'),
      port: 80,
      protocol: 'TCP',
    });
    expect(v.egress).toEqual({ kind: 'denied', policies: ['app/deny-egress'] });
    expect(v.ingress).toEqual({ kind: 'not-isolated' });
  });

  it('an empty egress rule `- {}` allows all egress', () => {
    const p = policy('app', 'p', {
      podSelector: sel({ app: 'web' }),
      policyTypes: ['Egress'],
      egress: [{ peers: 'any', ports: 'any' }],
    });
    const s = snapshot(base, [web, db], [p]);
    expect(verdict(s, P('app', 'web'), X('1.1.1.1'), 443)).toBe('allowed');
    const v = createAnalyzer(s).check({
      from: P('app', 'web'),
      to: X('1.1.1.1'),
      port: 443,
      protocol: 'TCP',
    });
    expect(v.egress).toEqual({
      kind: 'allowed',
      policies: ['app/p'],
      matches: [{ policy: 'app/p', direction: 'egress', rule: 0, peer: 'any', port: 'any' }],
    });
    expect(v.ingress).toEqual({ kind: 'not-subject', reason: 'external' });
  });

  it('ingress rules of an Egress-only policy are ignored', () => {
    const p = policy('app', 'p', {
      podSelector: sel({ app: 'db' }),
      policyTypes: ['Egress'],
      ingress: [{ peers: 'any', ports: 'any' }],
    });
    const s = snapshot(base, [web, db], [p]);
    expect(createAnalyzer(s).isolation('app/db').ingress.isolated).toBe(false);
    expect(verdict(s, P('app', 'db'), P('app', 'web'), 80)).toBe('denied');
  });

  it('hostNetwork pods are not subject to policies', () => {
    const host = pod('app', 'node-agent', { app: 'web' }, { ips: ['192.168.1.5'], hostNetwork: true });
    const p = policy('app', 'deny-all', { policyTypes: ['Ingress', 'Egress'] });
    const s = snapshot(base, [web, host], [p]);
    expect(verdict(s, P('app', 'node-agent'), P('app', 'web'), 80)).toBe('denied'); // web's ingress denies
    expect(verdict(s, P('app', 'web'), P('app', 'node-agent'), 80)).toBe('denied'); // web's egress denies
    expect(verdict(s, X('1.1.1.1'), P('app', 'node-agent'), 80)).toBe('allowed');
    const a = createAnalyzer(s);
    const v = a.check({ from: P('app', 'node-agent'), to: X('1.1.1.1'), port: 80, protocol: 'TCP' });
    expect(v.egress).toEqual({ kind: 'not-subject', reason: 'host-network' });
    expect(a.isolation('app/node-agent')).toMatchObject({
      hostNetwork: true,
      ingress: { isolated: false, policies: ['app/deny-all'] },
    });
  });

  it('policies add up: one isolating, another allowing', () => {
    const deny = policy('app', 'deny', {});
    const allow = policy('app', 'allow', {
      podSelector: sel({ app: 'db' }),
      ingress: [
        {
          peers: [{ kind: 'selector', podSelector: sel({ app: 'web' }) }],
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
      ],
    });
    const s = snapshot(base, [web, db], [deny, allow]);
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 5432)).toBe('allowed');
    expect(verdict(s, P('app', 'web'), P('app', 'db'), 80)).toBe('denied');
    const v = createAnalyzer(s).check({
      from: P('app', 'web'),
      to: P('app', 'db'),
      port: 5432,
      protocol: 'TCP',
    });
    expect(v.ingress).toEqual({
      kind: 'allowed',
      policies: ['app/allow', 'app/deny'],
      matches: [{ policy: 'app/allow', direction: 'ingress', rule: 0, peer: 0, port: 0 }],
    });
  });
});

describe('queries', () => {
  it('rejects unknown pods and bad addresses', () => {
    const a = createAnalyzer(snapshot(base, [web], []));
    expect(() => a.check({ from: P('app', 'nope'), to: P('app', 'web'), port: 80, protocol: 'TCP' })).toThrow(
      /unknown pod/,
    );
    expect(() => a.check({ from: X('999.1.1.1'), to: P('app', 'web'), port: 80, protocol: 'TCP' })).toThrow(
      /not an IP/,
    );
    expect(() => a.check({ from: X('1.1.1.1'), to: P('app', 'web'), port: 0, protocol: 'TCP' })).toThrow(
      /port/,
    );
  });

  it('mentionedPorts lists numbers, range ends and resolved named ports', () => {
    const named = pod(
      'app',
      'n',
      {},
      { ips: ['10.0.0.9'], ports: [{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }] },
    );
    const p = policy('app', 'p', {
      ingress: [
        {
          peers: 'any',
          ports: [
            { protocol: 'TCP', port: 80 },
            { protocol: 'TCP', port: 30000, endPort: 30010 },
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 'metrics' },
          ],
        },
      ],
    });
    const a = createAnalyzer(snapshot(base, [named], [p]));
    expect(a.mentionedPorts()).toEqual([
      { protocol: 'TCP', port: 80 },
      { protocol: 'TCP', port: 9100 },
      { protocol: 'TCP', port: 30000 },
      { protocol: 'TCP', port: 30010 },
      { protocol: 'UDP', port: 53 },
    ]);
    const u = a.universe();
    expect(u.ports).toContainEqual({ protocol: 'TCP', port: 1 }); // "every other port" representative
    expect(u.externals.length).toBeGreaterThan(0);
  });

  it('stats count classes, not pods', () => {
    const pods = Array.from({ length: 20 }, (_, i) =>
      pod('app', `web-${i}`, { app: 'web', 'pod-template-hash': String(i) }, { ips: [`10.0.0.${i + 1}`] }),
    );
    const p = policy('app', 'p', { podSelector: sel({ app: 'web' }) });
    const a = createAnalyzer(snapshot(base, pods, [p]));
    expect(a.stats().classes).toBe(1);
    expect(a.stats().pods).toBe(20);
  });
});
