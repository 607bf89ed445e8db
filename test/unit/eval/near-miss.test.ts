import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import type { Peer, SideResult } from '../../../shared/eval/index.ts';
import {
  addressText,
  nearMissText,
  policyPortsText,
  probeText,
  wordingContext,
} from '../../../shared/eval/wording.ts';
import { denialOf } from '../../../shared/eval/denial.ts';
import { openPorts } from '../../../shared/eval/open-ports.ts';
import { parsePortField, resolvePortField } from '../../../shared/eval/port-field.ts';
import { ns, pod, policy, sel, snapshot } from './build.ts';

const checkout: Peer = { kind: 'pod', namespace: 'shop', name: 'checkout' };
const payments: Peer = { kind: 'pod', namespace: 'billing', name: 'payments' };

function cluster() {
  return snapshot(
    [ns('shop'), ns('billing')],
    [
      pod('shop', 'checkout', { app: 'checkout' }),
      pod('shop', 'cart', { app: 'cart' }),
      pod(
        'billing',
        'payments',
        { app: 'payments' },
        { ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }] },
      ),
      pod('billing', 'ledger', { app: 'checkout' }),
    ],
    [
      policy('billing', 'allow-checkout', {
        podSelector: sel({ app: 'payments' }),
        ingress: [
          {
            peers: [
              {
                kind: 'selector',
                namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'shop' }),
                podSelector: sel({ app: 'checkout' }),
              },
            ],
            ports: [{ protocol: 'TCP', port: 'https' }],
          },
          // A lone podSelector: pods of billing only, whatever their labels elsewhere.
          {
            peers: [{ kind: 'selector', podSelector: sel({ app: 'checkout' }) }],
            ports: [{ protocol: 'TCP', port: 9000 }],
          },
        ],
      }),
    ],
  );
}

function denied(side: SideResult) {
  if (side.kind !== 'denied') throw new Error(`expected denied, got ${side.kind}`);
  return side.nearMisses ?? [];
}

describe('near misses of a denied connection', () => {
  it('names the rule that matches the peer but not the port, with what its named port stands for', () => {
    const v = createAnalyzer(cluster()).check({ from: checkout, to: payments, port: 443, protocol: 'TCP' });
    expect(v.verdict).toBe('denied');
    const misses = denied(v.ingress);
    expect(misses).toContainEqual({
      policy: 'billing/allow-checkout',
      direction: 'ingress',
      rule: 0,
      peer: 0,
      missed: 'port',
      ports: [{ protocol: 'TCP', port: 'https' }],
      resolved: [{ protocol: 'TCP', port: 8443 }],
    });
    const first = misses.find((m) => m.rule === 0);
    expect(first && nearMissText(first, checkout)).toBe(
      'billing/allow-checkout ingress[0] from[0] matches shop/checkout but allows only TCP https (TCP 8443 on the destination)',
    );
  });

  it('says a lone podSelector selects in its own namespace only', () => {
    const v = createAnalyzer(cluster()).check({ from: checkout, to: payments, port: 9000, protocol: 'TCP' });
    const miss = denied(v.ingress).find((m) => m.rule === 1);
    expect(miss).toMatchObject({ missed: 'namespace', ownNamespace: 'billing', peer: 0 });
    expect(miss && nearMissText(miss, checkout)).toContain('selects only in namespace billing');
  });

  it('names a namespace match whose podSelector misses the pod', () => {
    const cart: Peer = { kind: 'pod', namespace: 'shop', name: 'cart' };
    const v = createAnalyzer(cluster()).check({ from: cart, to: payments, port: 8443, protocol: 'TCP' });
    const miss = denied(v.ingress).find((m) => m.rule === 0);
    expect(miss).toMatchObject({ missed: 'pod', peer: 0 });
    expect(miss && nearMissText(miss, cart)).toContain('podSelector does not match that pod');
  });

  it('names a podSelector match whose namespaceSelector misses the namespace', () => {
    const ledger: Peer = { kind: 'pod', namespace: 'billing', name: 'ledger' };
    const v = createAnalyzer(cluster()).check({ from: ledger, to: payments, port: 8443, protocol: 'TCP' });
    // rule 1 (TCP 9000) misses on the port; rule 0 matches the pod labels but not namespace billing.
    const miss = denied(v.ingress).find((m) => m.rule === 0);
    expect(miss).toMatchObject({ missed: 'namespace', peer: 0 });
    expect(miss?.ownNamespace).toBeUndefined();
    expect(miss && nearMissText(miss, ledger)).toContain(
      'namespaceSelector does not match namespace billing',
    );
  });

  it('says nothing about rules that miss on both peer and port', () => {
    const other: Peer = { kind: 'external', ip: '203.0.113.9' };
    const v = createAnalyzer(cluster()).check({ from: other, to: payments, port: 443, protocol: 'TCP' });
    expect(v.ingress.kind).toBe('denied');
    expect(denied(v.ingress)).toEqual([]);
    expect('nearMisses' in v.ingress).toBe(false);
  });
});

describe('wording of stand-in probes', () => {
  it('reads an unmentioned port as "any other" port, named ones as numbers', () => {
    const a = createAnalyzer(cluster());
    const ctx = wordingContext([{ analyzer: a, snapshot: cluster() }]);
    const tcp = a.universe().ports.filter((p) => p.protocol === 'TCP');
    const texts = tcp.map((p) => probeText(p, ctx.mentioned, 'cli', a.universe().ports));
    expect(texts).toContain('8443/TCP');
    expect(texts).toContain('9000/TCP');
    expect(texts).toContain('any other port');
    expect(probeText({ protocol: 'UDP', port: 1 }, ctx.mentioned, 'ui')).toBe('any UDP port');
  });

  it('keeps classes of unnamed ports apart when a range splits them', () => {
    const mentioned = [
      { protocol: 'TCP' as const, port: 8000 },
      { protocol: 'TCP' as const, port: 8080 },
    ];
    const universe = [
      { protocol: 'TCP' as const, port: 1 },
      ...mentioned,
      { protocol: 'TCP' as const, port: 8001 },
    ];
    expect(probeText({ protocol: 'TCP', port: 8001 }, mentioned, 'ui', universe)).toBe(
      'other TCP ports like 8001',
    );
  });

  it('reads an address no ipBlock names as "any other address"', () => {
    expect(addressText('0.0.0.1', ['10.0.0.0/8'])).toBe('any other address');
    expect(addressText('10.1.2.3', ['10.0.0.0/8'])).toBe('10.1.2.3');
    // "0.0.0.0/0 except the cluster" names no address in particular.
    expect(addressText('0.0.0.1', ['0.0.0.0/0', '10.0.0.0/8'])).toBe('any other address');
    expect(addressText('::1', ['10.0.0.0/8'])).toBe('any IPv6 address');
    expect(addressText('2001:db8::1', ['fd00::/8'])).toBe('any other IPv6 address');
  });

  it('writes rule ports as written', () => {
    expect(policyPortsText('any')).toBe('any port');
    expect(
      policyPortsText([
        { protocol: 'TCP', port: 8000, endPort: 8080 },
        { protocol: 'UDP', port: 'dns' },
        { protocol: 'SCTP' },
      ]),
    ).toBe('TCP 8000-8080, UDP dns, any SCTP port');
  });
});

describe('open ports between two ends', () => {
  it('lists every universe port with the verdict check gives', () => {
    const a = createAnalyzer(cluster());
    const open = openPorts(a, checkout, payments);
    expect(open.ports.map((p) => p.probe)).toEqual(a.universe().ports);
    for (const p of open.ports)
      expect(p.verdict).toBe(a.check({ from: checkout, to: payments, ...p.probe }).verdict);
    expect(open.ports.filter((p) => p.verdict === 'allowed').map((p) => p.probe)).toEqual([
      { protocol: 'TCP', port: 8443 },
    ]);
  });
});

describe('a port field', () => {
  const target = cluster().pods.find((p) => p.name === 'payments');
  it('takes numbers, numbers with a protocol, and names resolved on the destination', () => {
    expect(parsePortField('443')).toEqual({ kind: 'number', port: 443 });
    expect(parsePortField('53/udp')).toEqual({ kind: 'number', port: 53, protocol: 'UDP' });
    expect(resolvePortField(parsePortField('https'), target, 'UDP')).toEqual({
      kind: 'ok',
      probe: { protocol: 'TCP', port: 8443 },
    });
    expect(resolvePortField(parsePortField('8080'), target, 'UDP')).toEqual({
      kind: 'ok',
      probe: { protocol: 'UDP', port: 8080 },
    });
  });
  it('says what is wrong', () => {
    expect(parsePortField('70000')).toMatchObject({ kind: 'invalid', problem: 'range' });
    expect(parsePortField('-http')).toMatchObject({ kind: 'invalid', problem: 'syntax' });
    expect(parsePortField('80/TCPX')).toEqual({
      kind: 'invalid',
      problem: 'protocol',
      written: 'TCPX',
      message: 'Unknown protocol TCPX (expected TCP, UDP or SCTP).',
    });
    expect(resolvePortField(parsePortField('metrics'), target, 'TCP')).toEqual({
      kind: 'error',
      message: 'billing/payments declares no container port named metrics.',
    });
    expect(resolvePortField(parsePortField('https'), undefined, 'TCP')).toMatchObject({ kind: 'error' });
  });
});

describe('who denies', () => {
  it('names the isolating policy of the denying side, not the side that allows', () => {
    const a = createAnalyzer(cluster());
    const d = denialOf(a, [[checkout, payments]], [{ protocol: 'TCP', port: 443 }]);
    expect(d).toEqual({
      isolating: [{ direction: 'ingress', policy: 'billing/allow-checkout' }],
      adminDeny: [],
      sampled: 1,
    });
    expect(denialOf(a, [[checkout, payments]], [{ protocol: 'TCP', port: 8443 }]).isolating).toEqual([]);
  });
});
