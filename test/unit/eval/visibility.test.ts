/**
 * Partial visibility (a live source with partial RBAC): `unknown` verdicts where an answer depends on
 * what could not be read, and only there. Semantics: shared/eval/visibility.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  CELL_EGRESS_ALLOWS,
  CELL_INGRESS_UNKNOWN,
  CELL_UNKNOWN,
  createAnalyzer,
  type Peer,
} from '../../../shared/eval/index.ts';
import type { Snapshot, Visibility } from '../../../shared/model/snapshot.ts';
import { oracleCheck, type OraclePeer } from '../../oracle/naive.ts';
import { ns, pod, policy, sel, snapshot } from './build.ts';

const P = (namespace: string, name: string): Peer => ({ kind: 'pod', namespace, name });
const X = (ip: string): Peer => ({ kind: 'external', ip });

const web = pod('shop', 'web', { app: 'web' }, { ips: ['10.0.0.1'] });
const db = pod('shop', 'db', { app: 'db' }, { ips: ['10.0.0.2'] });
const client = pod('other', 'client', { app: 'client' }, { ips: ['10.0.1.1'] });
const host = pod('shop', 'node-agent', { app: 'agent' }, { ips: ['10.9.0.1'], hostNetwork: true });
const namespaces = [ns('shop', { team: 'a' }), ns('other', { team: 'b' })];

function partial(s: Snapshot, visibility: Partial<Visibility>): Snapshot {
  return {
    ...s,
    visibility: { policiesUnreadable: [], podsUnreadable: [], namespacesUnreadable: false, ...visibility },
  };
}

/** The engine's verdict, checked against the oracle (verdict and per side). */
function verdict(s: Snapshot, from: Peer, to: Peer, port = 80): string {
  const v = createAnalyzer(s).check({ from, to, port, protocol: 'TCP' });
  const toOracle = (p: Peer): OraclePeer => {
    if (p.kind === 'external') return p;
    const found = s.pods.find((x) => x.namespace === p.namespace && x.name === p.name);
    if (!found) throw new Error('no pod');
    return { kind: 'pod', pod: found };
  };
  const o = oracleCheck(s, toOracle(from), toOracle(to), 'TCP', port);
  expect(v.verdict).toBe(o.verdict);
  return v.verdict;
}

const allowWebToDb = policy('shop', 'allow-web', {
  podSelector: sel({ app: 'db' }),
  ingress: [{ peers: [{ kind: 'selector', podSelector: sel({ app: 'web' }) }], ports: 'any' }],
});
const denyAll = policy('shop', 'deny-all', { policyTypes: ['Ingress', 'Egress'] });

describe('NetworkPolicies unreadable in a namespace', () => {
  it('a visible rule that matches allows: hidden policies only add', () => {
    const s = partial(snapshot(namespaces, [web, db], [allowWebToDb]), { policiesUnreadable: ['shop'] });
    const v = createAnalyzer(s).check({
      from: P('shop', 'web'),
      to: P('shop', 'db'),
      port: 80,
      protocol: 'TCP',
    });
    expect(v.ingress.kind).toBe('allowed');
    // web's egress: no visible policy selects it, but shop's policies could not be read.
    expect(v.egress).toEqual({
      kind: 'unknown',
      reason: 'NetworkPolicies in namespace shop could not be read',
      policies: [],
      possible: [],
    });
    expect(v.verdict).toBe('unknown');
    expect(verdict(s, P('shop', 'web'), P('shop', 'db'))).toBe('unknown');
  });

  it('no visible match is unknown, not denied, even under a visible default-deny', () => {
    const s = partial(snapshot(namespaces, [web, db], [denyAll]), { policiesUnreadable: ['shop'] });
    const v = createAnalyzer(s).check({
      from: P('shop', 'web'),
      to: P('shop', 'db'),
      port: 80,
      protocol: 'TCP',
    });
    expect(v.ingress).toMatchObject({ kind: 'unknown', policies: ['shop/deny-all'] });
    expect(verdict(s, P('shop', 'web'), P('shop', 'db'))).toBe('unknown');
  });

  it('a side that surely denies makes the connection denied whatever the other side is', () => {
    // client's egress is surely denied (other's policies are readable); shop's ingress is unknown.
    const denyEgress = policy('other', 'deny-egress', { policyTypes: ['Egress'] });
    const s = partial(snapshot(namespaces, [web, client], [denyEgress]), { policiesUnreadable: ['shop'] });
    const v = createAnalyzer(s).check({
      from: P('other', 'client'),
      to: P('shop', 'web'),
      port: 80,
      protocol: 'TCP',
    });
    expect(v.egress.kind).toBe('denied');
    expect(v.ingress.kind).toBe('unknown');
    expect(v.verdict).toBe('denied');
  });

  it('readable namespaces are unaffected; hostNetwork pods and external addresses stay not-subject', () => {
    const s = partial(snapshot(namespaces, [web, db, client, host], [allowWebToDb]), {
      policiesUnreadable: ['shop'],
    });
    const a = createAnalyzer(s);
    expect(
      a.check({ from: P('shop', 'db'), to: P('other', 'client'), port: 80, protocol: 'TCP' }).ingress,
    ).toEqual({
      kind: 'not-isolated',
    });
    const toHost = a.check({
      from: P('other', 'client'),
      to: P('shop', 'node-agent'),
      port: 80,
      protocol: 'TCP',
    });
    expect(toHost.ingress).toEqual({ kind: 'not-subject', reason: 'host-network' });
    expect(toHost.verdict).toBe('allowed');
    const fromOutside = a.check({ from: X('8.8.8.8'), to: P('other', 'client'), port: 80, protocol: 'TCP' });
    expect(fromOutside.verdict).toBe('allowed');
    expect(verdict(s, P('shop', 'db'), X('8.8.8.8'))).toBe('unknown');
  });

  it("'all' hides every namespace's policies", () => {
    const s = partial(snapshot(namespaces, [web, client], []), { policiesUnreadable: 'all' });
    expect(verdict(s, P('other', 'client'), P('shop', 'web'))).toBe('unknown');
    expect(verdict(s, X('8.8.8.8'), P('other', 'client'))).toBe('unknown');
  });

  it('isolation: true when a visible policy isolates, unknown when none does', () => {
    const s = partial(snapshot(namespaces, [web, db, client, host], [allowWebToDb]), {
      policiesUnreadable: ['shop'],
    });
    const a = createAnalyzer(s);
    expect(a.isolation('shop/db')).toEqual({
      pod: 'shop/db',
      hostNetwork: false,
      policiesUnreadable: true,
      ingress: { isolated: true, policies: ['shop/allow-web'], adminPolicies: [] },
      egress: { isolated: 'unknown', policies: [], adminPolicies: [] },
    });
    expect(a.isolation('shop/node-agent').ingress.isolated).toBe(false);
    expect(a.isolation('other/client')).toMatchObject({
      policiesUnreadable: false,
      ingress: { isolated: false },
      egress: { isolated: false },
    });
  });
});

describe('Namespaces unreadable', () => {
  const fromTeam = (namespaceSelector: ReturnType<typeof sel>) =>
    policy('shop', 'from-ns', {
      podSelector: sel({ app: 'db' }),
      ingress: [{ peers: [{ kind: 'selector', namespaceSelector }], ports: [{ protocol: 'TCP', port: 80 }] }],
    });
  const hiddenNs = (p: ReturnType<typeof policy>) =>
    partial(snapshot(namespaces, [web, db, client], [p]), { namespacesUnreadable: true });

  it('a namespaceSelector on other labels possibly matches: unknown, with the possible rule listed', () => {
    const s = hiddenNs(fromTeam(sel({ team: 'b' })));
    const v = createAnalyzer(s).check({
      from: P('other', 'client'),
      to: P('shop', 'db'),
      port: 80,
      protocol: 'TCP',
    });
    expect(v.ingress).toEqual({
      kind: 'unknown',
      reason: 'the labels of namespace other could not be read (Namespaces could not be listed)',
      policies: ['shop/from-ns'],
      possible: [{ policy: 'shop/from-ns', direction: 'ingress', rule: 0, peer: 0, port: 0 }],
    });
    expect(v.verdict).toBe('unknown');
    // The port does not match at all: nothing even possibly matches, so denied stays denied.
    expect(verdict(s, P('other', 'client'), P('shop', 'db'), 443)).toBe('denied');
  });

  it('{} and kubernetes.io/metadata.name selectors are still decided', () => {
    expect(verdict(hiddenNs(fromTeam(sel())), P('other', 'client'), P('shop', 'db'))).toBe('allowed');
    const byName = fromTeam(sel({ 'kubernetes.io/metadata.name': 'other' }));
    expect(verdict(hiddenNs(byName), P('other', 'client'), P('shop', 'db'))).toBe('allowed');
    expect(verdict(hiddenNs(byName), P('shop', 'web'), P('shop', 'db'))).toBe('denied');
    const notIn = fromTeam(
      sel({}, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['shop'] }]),
    );
    expect(verdict(hiddenNs(notIn), P('other', 'client'), P('shop', 'db'))).toBe('allowed');
  });

  it('a name requirement that fails decides the selector even with unknown labels beside it', () => {
    const p = fromTeam(sel({ 'kubernetes.io/metadata.name': 'elsewhere', team: 'b' }));
    expect(verdict(hiddenNs(p), P('other', 'client'), P('shop', 'db'))).toBe('denied');
    const q = fromTeam(sel({ 'kubernetes.io/metadata.name': 'other', team: 'b' }));
    expect(verdict(hiddenNs(q), P('other', 'client'), P('shop', 'db'))).toBe('unknown');
  });

  it('labels the snapshot still carries for namespaces are not trusted', () => {
    // ns('other', { team: 'b' }) carries team=b, but Namespaces could not be listed.
    expect(verdict(hiddenNs(fromTeam(sel({ team: 'b' }))), P('other', 'client'), P('shop', 'db'))).toBe(
      'unknown',
    );
    const full = snapshot(namespaces, [web, db, client], [fromTeam(sel({ team: 'b' }))]);
    expect(verdict(full, P('other', 'client'), P('shop', 'db'))).toBe('allowed');
  });

  it('a sure match elsewhere wins over a possible one', () => {
    const p = policy('shop', 'both', {
      podSelector: sel({ app: 'db' }),
      ingress: [
        { peers: [{ kind: 'selector', namespaceSelector: sel({ team: 'b' }) }], ports: 'any' },
        { peers: [{ kind: 'ipBlock', ipBlock: { cidr: '10.0.1.0/24', except: [] } }], ports: 'any' },
      ],
    });
    const v = createAnalyzer(hiddenNs(p)).check({
      from: P('other', 'client'),
      to: P('shop', 'db'),
      port: 80,
      protocol: 'TCP',
    });
    expect(v.ingress).toMatchObject({ kind: 'allowed', matches: [{ rule: 1 }] });
  });

  it('incremental updates keep possible matches for new classes', () => {
    const s = hiddenNs(fromTeam(sel({ team: 'b' })));
    const a = createAnalyzer(s);
    a.summary();
    const newcomer = pod('other', 'newcomer', { app: 'client', tier: 'x' }, { ips: ['10.0.1.2'] });
    expect(a.update([{ kind: 'upsertPod', pod: newcomer }]).mode).toBe('incremental');
    const q = { from: P('other', 'newcomer'), to: P('shop', 'db'), port: 80, protocol: 'TCP' } as const;
    expect(a.check(q).verdict).toBe('unknown');
    expect(a.reach([q.from, q.to], [{ protocol: 'TCP', port: 80 }]).cell(0, 1, 0).unknown).toBe(true);
    const fresh = createAnalyzer({ ...s, pods: [...s.pods, newcomer] });
    expect(a.summary().matrix).toEqual(fresh.summary().matrix);
  });

  it('incremental updates: a new class a sure peer matches is possible too (rule with mixed peers)', () => {
    const mixed = policy('shop', 'mixed', {
      podSelector: sel({ app: 'db' }),
      ingress: [
        {
          peers: [
            // Possibly matches pods of `other` only.
            {
              kind: 'selector',
              namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'other', team: 'b' }),
            },
            { kind: 'selector', podSelector: sel({ app: 'web' }) },
          ],
          ports: 'any',
        },
      ],
    });
    const s = partial(snapshot(namespaces, [web, db, client], [mixed]), { namespacesUnreadable: true });
    const a = createAnalyzer(s);
    // A named port makes it a class of its own.
    const web2 = pod(
      'shop',
      'web2',
      { app: 'web' },
      { ips: ['10.0.0.3'], ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] },
    );
    const hostOther = pod('other', 'host', { tier: 'y' }, { hostNetwork: true });
    expect(
      a.update([
        { kind: 'upsertPod', pod: web2 },
        { kind: 'upsertPod', pod: hostOther },
      ]).mode,
    ).toBe('incremental');
    expect(a.check({ from: P('shop', 'web2'), to: P('shop', 'db'), port: 80, protocol: 'TCP' }).verdict).toBe(
      'allowed',
    );
    const fresh = createAnalyzer({ ...s, pods: [...s.pods, web2, hostOther] }).summary();
    const mine = a.summary();
    expect(mine.matrix).toEqual(fresh.matrix);
    expect(mine.allowedPodPairs).toEqual(fresh.allowedPodPairs);
    expect(mine.allowedPodPairs.every((p) => p.unknown >= 0)).toBe(true);
  });
});

describe('Pods unreadable', () => {
  it('changes no verdict, but whole-cluster answers say they are partial', () => {
    const full = snapshot(namespaces, [web, db, client], [allowWebToDb]);
    const s = partial({ ...full, pods: [web, db] }, { podsUnreadable: ['other'] });
    const a = createAnalyzer(s);
    expect(a.check({ from: P('shop', 'web'), to: P('shop', 'db'), port: 80, protocol: 'TCP' }).verdict).toBe(
      'allowed',
    );
    const summary = a.summary();
    expect(summary.partial).toBe(true);
    expect(summary.visibility).toEqual(s.visibility);
    expect(summary.universe.partial).toBe(true);
    expect(a.universe().partial).toBe(true);
    expect(a.visibility()).toEqual(s.visibility);
    expect(summary.matrix.every((c) => c.unknown === 0)).toBe(true);
  });
});

describe('full visibility', () => {
  it('an empty visibility, or none, reads as everything read', () => {
    const s = snapshot(namespaces, [web, db, client], [allowWebToDb]);
    for (const t of [s, partial(s, {})]) {
      const a = createAnalyzer(t);
      const summary = a.summary();
      expect(summary.partial).toBe(false);
      expect(summary.isolatedUnknown).toEqual({ ingress: 0, egress: 0 });
      expect(a.universe().partial).toBe(false);
      expect(a.isolation('shop/db').policiesUnreadable).toBe(false);
      expect(verdict(t, P('other', 'client'), P('shop', 'db'))).toBe('denied');
    }
    expect(createAnalyzer(s).summary().visibility).toBeUndefined();
    expect(createAnalyzer(s).visibility()).toBeUndefined();
  });
});

describe('bulk answers', () => {
  const s = partial(snapshot(namespaces, [web, db, client], [allowWebToDb]), {
    policiesUnreadable: ['shop'],
  });

  it('reach() marks unknown sides and verdicts with their own bits', () => {
    const t = createAnalyzer(s).reach(
      [P('other', 'client'), P('shop', 'db')],
      [{ protocol: 'TCP', port: 80 }],
    );
    expect(t.cell(0, 1, 0)).toEqual({
      allowed: false,
      egress: true,
      ingress: false,
      unknown: true,
      egressUnknown: false,
      ingressUnknown: true,
    });
    expect(t.cells[(0 * 2 + 1) * 1 + 0]).toBe(CELL_EGRESS_ALLOWS | CELL_INGRESS_UNKNOWN | CELL_UNKNOWN);
  });

  it('summary: unknown counts, coverage stated only when certain, isolation unknown', () => {
    const summary = createAnalyzer(s).summary();
    const cell = (from: string, to: string) => summary.matrix.find((c) => c.from === from && c.to === to);
    // Everything into or out of shop is unknown except web → db (allowed by ingress, egress unknown).
    expect(cell('other', 'shop')).toMatchObject({ coverage: 'unknown', allowed: 0 });
    expect(cell('other', 'shop')?.unknown).toBe(cell('other', 'shop')?.total);
    expect(cell('other', 'other')).toMatchObject({ coverage: 'empty', unknown: 0 });
    expect(summary.isolated).toEqual({ ingress: 1, egress: 0, hostNetwork: 0 });
    expect(summary.isolatedUnknown).toEqual({ ingress: 1, egress: 2 });
    for (const p of summary.allowedPodPairs) expect(p.allowed + p.unknown).toBeLessThanOrEqual(p.total);
  });

  it('summary coverage: some when one connection surely flows and another surely does not', () => {
    const denyEgress = policy('other', 'deny-80', {
      policyTypes: ['Egress'],
      egress: [{ peers: 'any', ports: [{ protocol: 'TCP', port: 443 }] }],
    });
    const t = partial(snapshot(namespaces, [web, client], [denyEgress]), { policiesUnreadable: ['shop'] });
    const summary = createAnalyzer(t).summary();
    // other → shop: egress allows 443 only, shop's ingress is unknown: nothing sure to flow → unknown.
    expect(summary.matrix.find((c) => c.from === 'other' && c.to === 'shop')?.coverage).toBe('unknown');
    const from80 = policy('shop', 'from-b', {
      podSelector: sel({ app: 'db' }),
      ingress: [
        {
          peers: [{ kind: 'selector', namespaceSelector: sel({ team: 'b' }) }],
          ports: [{ protocol: 'TCP', port: 80 }],
        },
      ],
    });
    const u = partial(snapshot(namespaces, [web, db, client], [from80]), { namespacesUnreadable: true });
    // client → web flows (web is not isolated), client → db:80 is unknown, client → db:1 is denied.
    const cell = createAnalyzer(u)
      .summary()
      .matrix.find((c) => c.from === 'other' && c.to === 'shop');
    expect(cell?.coverage).toBe('some');
  });

  it('policy effect: unknown where the class depends on what could not be read', () => {
    // shop/allow-web isolates db's ingress; web's egress is unknown (shop's other policies unread).
    const e = createAnalyzer(s).policyEffect('shop/allow-web');
    expect(e.counts.permittedFlowing).toBe(0);
    expect(e.unknown.some((c) => c.from.kind === 'pod' && c.from.name === 'web')).toBe(true);
    expect(e.counts.total).toBe(
      e.counts.permittedFlowing +
        e.counts.permittedBlocked +
        e.counts.denied +
        e.counts.unknown +
        e.counts.unaffected,
    );
    // client → db: P denies it only if no unread shop policy allows it.
    expect(
      e.unknown.some(
        (c) => c.from.kind === 'pod' && c.from.name === 'client' && c.to.kind === 'pod' && c.to.name === 'db',
      ),
    ).toBe(true);
    expect(e.rules).toEqual([
      { direction: 'ingress', rule: 0, matched: e.rules[0]?.matched, unknown: 0, matchesNothing: false },
    ]);
  });

  it('policy effect: denied when P alone isolates and the other side surely allows', () => {
    const t = partial(snapshot(namespaces, [web, db, client], [allowWebToDb]), {
      policiesUnreadable: ['zzz'],
    });
    const e = createAnalyzer(t).policyEffect('shop/allow-web');
    expect(e.counts.unknown).toBe(0);
    expect(e.denied.some((c) => c.from.kind === 'pod' && c.from.name === 'client')).toBe(true);
  });

  it('policy effect: rules that only possibly match count as unknown, not as matching nothing', () => {
    const p = policy('shop', 'from-b', {
      podSelector: sel({ app: 'db' }),
      ingress: [{ peers: [{ kind: 'selector', namespaceSelector: sel({ team: 'b' }) }], ports: 'any' }],
    });
    const t = partial(snapshot(namespaces, [web, db, client], [p]), { namespacesUnreadable: true });
    const e = createAnalyzer(t).policyEffect('shop/from-b');
    expect(e.rules[0]).toMatchObject({ matched: 0, matchesNothing: false });
    expect(e.rules[0]?.unknown).toBeGreaterThan(0);
    expect(e.counts.unknown).toBeGreaterThan(0);
  });

  it('whatIf keeps the visibility', () => {
    const b = createAnalyzer(s).whatIf([{ kind: 'removePolicy', namespace: 'shop', name: 'allow-web' }]);
    expect(b.visibility()).toEqual(s.visibility);
    expect(
      b.check({ from: P('other', 'client'), to: P('shop', 'db'), port: 80, protocol: 'TCP' }).verdict,
    ).toBe('unknown');
  });
});
