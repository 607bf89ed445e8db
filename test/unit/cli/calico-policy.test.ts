/** `netglass policy` on a Calico policy lists, per rule side, the network sets its selector picks. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../../electron/cli/io.ts';
import { runCli } from '../../../electron/cli/main.ts';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'calico-netsets', 'cluster.yaml');
const KEY = 'Calico:NetworkPolicy/shop/default.api-partners';

async function policy(...extra: string[]): Promise<string> {
  const io = memoryIO();
  expect(await runCli(['policy', '-f', FIXTURE, KEY, ...extra], io)).toBe(0);
  return io.stdout();
}

describe('netglass policy: Calico network sets per rule side', () => {
  it('in text, under the rule', async () => {
    const out = await policy();
    expect(out).toContain(
      "  ingress[0] Allow TCP from namespaces global() and selector role == 'partner' to ports 8443\n      source network sets: GlobalNetworkSet:/partners\n",
    );
    expect(out).toContain('      destination network sets: NetworkSet:shop/payment-gateways\n');
  });

  it('in JSON, per rule', async () => {
    const json = JSON.parse(await policy('--format', 'json')) as {
      rules: { rule: string; networkSets: { source: unknown; destination: unknown } }[];
    };
    expect(json.rules.map((r) => [r.rule, r.networkSets])).toEqual([
      [
        'ingress[0]',
        {
          source: { sure: ['GlobalNetworkSet:/partners'], possibly: [] },
          destination: { sure: [], possibly: [] },
        },
      ],
      [
        'egress[0]',
        {
          source: { sure: [], possibly: [] },
          destination: { sure: ['NetworkSet:shop/payment-gateways'], possibly: [] },
        },
      ],
    ]);
  });
});
