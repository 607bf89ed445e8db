import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const DEMO = join(import.meta.dirname, '..', '..', '..', 'shared', 'demo', 'demo-cluster.yaml');
const CHECKOUT = 'shop/checkout-cjbhgdflmb-dxmvt';
const PAYMENTS = 'billing/payments-rdhsjbrgkt-ztx8s';

describe('check explains near misses', () => {
  it('text: the rule that matches the source but not the port, with what its named port is', async () => {
    const r = await cli('check', '-f', DEMO, '--from', CHECKOUT, '--to', PAYMENTS, '--port', '443');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `  closest rules:\n    billing/payments-allow-checkout ingress[0] from[0] matches ${CHECKOUT} but allows only TCP https (TCP 8443 on the destination)\n`,
    );
  });

  it('JSON: structured near misses and their wording', async () => {
    const r = await cli(
      'check',
      '-f',
      DEMO,
      '--from',
      CHECKOUT,
      '--to',
      PAYMENTS,
      '--port',
      '443',
      '-o',
      'json',
    );
    const j = JSON.parse(r.out) as { ingress: { nearMisses: unknown[]; nearMissText: string[] } };
    expect(j.ingress.nearMisses).toEqual([
      {
        policy: 'billing/payments-allow-checkout',
        direction: 'ingress',
        rule: 0,
        peer: 0,
        missed: 'port',
        ports: [{ protocol: 'TCP', port: 'https' }],
        resolved: [{ protocol: 'TCP', port: 8443 }],
      },
    ]);
    expect(j.ingress.nearMissText).toHaveLength(1);
  });

  it('an allowed connection has no near misses', async () => {
    const r = await cli('check', '-f', DEMO, '--from', CHECKOUT, '--to', PAYMENTS, '--port', 'https');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('closest rules');
  });
});

describe('policy output says what stand-in probes stand for', () => {
  it('"any other port" and "any other address" instead of 1/TCP and 0.0.0.1', async () => {
    const r = await cli('policy', '-f', DEMO, 'analytics/report-worker-internet-egress', '--limit', '400');
    expect(r.out).toContain('analytics/report-worker-qdnkjftqjs-j7mg6 -> any other address 443/TCP');
    expect(r.out).toMatch(/-> kube-system\/coredns-\S+ on any other port/);
    expect(r.out).not.toMatch(/ 1\/TCP| 0\.0\.0\.1 /);
    // JSON stays machine-readable: the probe itself.
    const j = JSON.parse(
      (await cli('policy', '-f', DEMO, 'analytics/report-worker-internet-egress', '-o', 'json')).out,
    ) as { permittedFlowing: { to: string; port: string }[] };
    expect(j.permittedFlowing).toContainEqual({
      from: 'analytics/report-worker-qdnkjftqjs-j7mg6',
      to: '0.0.0.1',
      port: '443/TCP',
    });
  });
});
