import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { ns, pod, policy, sel, snapshot } from './build.ts';

const a1 = pod('a', 'a1', { app: 'x' }, { ips: ['10.0.0.1'] });
const a2 = pod('a', 'a2', { app: 'y' }, { ips: ['10.0.0.2'] });
const b1 = pod('b', 'b1', { app: 'x' }, { ips: ['10.0.1.1'] });
const base = [ns('a'), ns('b')];

describe('policy effect', () => {
  it('splits permitted (flowing / blocked at the other side), denied and unaffected', () => {
    const denyA = policy('a', 'deny', {});
    const allowY = policy('a', 'allow-y', {
      podSelector: sel({ app: 'y' }),
      ingress: [
        {
          peers: [{ kind: 'selector', podSelector: sel({ app: 'x' }) }],
          ports: [{ protocol: 'TCP', port: 80 }],
        },
      ],
    });
    const egressB = policy('b', 'deny-egress', { policyTypes: ['Egress'] });
    const a = createAnalyzer(snapshot(base, [a1, a2, b1], [denyA, allowY, egressB]));
    const e = a.policyEffect('a/allow-y');
    expect(e.selects).toEqual(['a/a2']);
    expect(e.isolates).toEqual({ ingress: true, egress: false });
    // a1 → a2:80 flows thanks to allow-y; nothing else matches its peer (b1 is in another namespace).
    expect(e.permittedFlowing).toEqual([
      {
        from: { kind: 'pod', namespace: 'a', name: 'a1' },
        to: { kind: 'pod', namespace: 'a', name: 'a2' },
        protocol: 'TCP',
        port: 80,
      },
    ]);
    expect(e.counts.permittedBlocked).toBe(0);
    expect(e.counts.denied).toBe(0); // the namespace default-deny already denies the rest
    expect(e.rules).toEqual([
      { direction: 'ingress', rule: 0, matched: 1, unknown: 0, matchesNothing: false },
    ]);

    const d = a.policyEffect('a/deny');
    expect(d.counts.permittedFlowing + d.counts.permittedBlocked).toBe(0);
    expect(d.denied.some((c) => c.to.kind === 'pod' && c.to.name === 'a1')).toBe(true);
    // b1 → a2:80 would be permitted by allow-y's peer? No: peer is same-namespace only; b1's egress is denied anyway.
    const counts = d.counts;
    expect(counts.total).toBe(
      counts.permittedFlowing + counts.permittedBlocked + counts.denied + counts.unaffected,
    );
  });

  it('permitted but blocked: the other side denies', () => {
    const allowFromB = policy('a', 'allow-from-b', {
      ingress: [
        {
          peers: [{ kind: 'selector', namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'b' }) }],
          ports: 'any',
        },
      ],
    });
    const egressB = policy('b', 'deny-egress', { policyTypes: ['Egress'] });
    const e = createAnalyzer(snapshot(base, [a1, b1], [allowFromB, egressB])).policyEffect('a/allow-from-b');
    expect(e.counts.permittedFlowing).toBe(0);
    expect(e.counts.permittedBlocked).toBeGreaterThan(0);
    expect(e.permittedBlocked[0]).toMatchObject({ from: { name: 'b1' }, to: { name: 'a1' } });
  });

  it('rules that match nothing are flagged', () => {
    const p = policy('a', 'p', {
      ingress: [{ peers: [{ kind: 'selector', podSelector: sel({ app: 'ghost' }) }], ports: 'any' }],
    });
    const e = createAnalyzer(snapshot(base, [a1], [p])).policyEffect('a/p');
    expect(e.rules[0]?.matchesNothing).toBe(true);
  });
});

describe('summary', () => {
  it('namespace matrix: all / some / none / empty', () => {
    const p = policy('a', 'only-x', {
      ingress: [
        {
          peers: [{ kind: 'selector', namespaceSelector: sel(), podSelector: sel({ app: 'x' }) }],
          ports: 'any',
        },
      ],
    });
    const s = createAnalyzer(snapshot([...base, ns('c')], [a1, a2, b1], [p])).summary();
    const cell = (from: string, to: string) => s.matrix.find((c) => c.from === from && c.to === to)?.coverage;
    expect(cell('b', 'a')).toBe('all'); // b1 has app=x
    expect(cell('a', 'a')).toBe('some'); // a1 → a2 allowed, a2 → a1 not
    expect(cell('a', 'b')).toBe('all');
    expect(cell('b', 'b')).toBe('empty');
    expect(cell('c', 'a')).toBe('empty');
    expect(s.isolated).toEqual({ ingress: 2, egress: 0, hostNetwork: 0 });
  });
});

describe('update', () => {
  it('patches policy and pod changes incrementally and rebuilds when a new label key appears', () => {
    const a = createAnalyzer(
      snapshot(base, [a1, a2], [policy('a', 'p', { podSelector: sel({ app: 'x' }) })]),
    );
    const q = {
      from: { kind: 'pod', namespace: 'a', name: 'a2' },
      to: { kind: 'pod', namespace: 'a', name: 'a1' },
      port: 80,
      protocol: 'TCP',
    } as const;
    expect(a.check(q).verdict).toBe('denied');
    expect(a.update([{ kind: 'removePolicy', namespace: 'a', name: 'p' }])).toEqual({ mode: 'incremental' });
    expect(a.check(q).verdict).toBe('allowed');
    expect(a.update([{ kind: 'upsertPod', pod: pod('a', 'a3', { app: 'z' }) }]).mode).toBe('incremental');
    expect(a.hasPod('a', 'a3')).toBe(true);
    const r = a.update([
      { kind: 'upsertPolicy', policy: policy('a', 'p2', { podSelector: sel({ role: 'db' }) }) },
    ]);
    expect(r).toEqual({ mode: 'rebuild', reason: 'new label key role' });
  });

  it('whatIf leaves the original alone', () => {
    const a = createAnalyzer(snapshot(base, [a1, a2], [policy('a', 'p', {})]));
    const b = a.whatIf([{ kind: 'removePolicy', namespace: 'a', name: 'p' }]);
    const q = {
      from: { kind: 'pod', namespace: 'a', name: 'a2' },
      to: { kind: 'pod', namespace: 'a', name: 'a1' },
      port: 80,
      protocol: 'TCP',
    } as const;
    expect(a.check(q).verdict).toBe('denied');
    expect(b.check(q).verdict).toBe('allowed');
  });
});
