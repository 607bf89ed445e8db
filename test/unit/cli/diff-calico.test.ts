/**
 * `netglass diff` with Calico policies: `--against` lists the Calico policies added, removed or
 * changed (json `calicoPolicies`, the text's and the markdown's object rows), and `--apply` puts an
 * edited Calico policy in place of the base's one with the same kind, namespace, tier and name, whether
 * or not the file writes the `tier.` prefix; the base's Tier stands for the edited policy's tier.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOP } from '../../fixtures/calico-editor/cluster.ts';
import { cli } from './run-cli.ts';

/** The policy in the base: the web pods' egress passes tier security. */
const WEB_OUT = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.web-out}
spec:
  tier: security
  selector: app == 'web'
  types: [Egress]
  egress:
    - action: Pass
`;

/** The same policy, written without the prefix, now denying the web pods' egress to the API. */
const EDITED = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: web-out}
spec:
  tier: security
  selector: app == 'web'
  types: [Egress]
  egress:
    - action: Deny
      destination:
        selector: app == 'api'
    - action: Pass
`;

const ADDED = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: api-closed, namespace: shop}
spec:
  selector: app == 'api'
  types: [Ingress]
`;

const KEY = 'Calico:GlobalNetworkPolicy/security.web-out';

let dir: string;
const file = (name: string) => join(dir, name);

interface Changes {
  added: string[];
  removed: string[];
  changed: string[];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netglass-diff-calico-'));
  writeFileSync(file('base.yaml'), [SHOP, WEB_OUT].join('---\n'));
  writeFileSync(file('edited.yaml'), EDITED);
  writeFileSync(file('added.yaml'), ADDED);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diff with Calico policies', () => {
  it('--apply replaces the base’s policy of the same key (prefix or not); json lists it as changed', async () => {
    const r = await cli('diff', '-f', file('base.yaml'), '--apply', file('edited.yaml'), '--format', 'json');
    // The edited policy's tier is declared by the base: no warning that it is not.
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as {
      calicoPolicies?: Changes;
      counts: Record<string, number>;
      removed: { from: string; to: string; port: string }[];
    };
    expect(j.calicoPolicies).toEqual({ added: [], removed: [], changed: [KEY] });
    expect(j.counts['added']).toBe(0);
    expect(j.counts['removed']).toBeGreaterThan(0);
    expect(new Set(j.removed.map((c) => `${c.from} -> ${c.to}`))).toEqual(
      new Set(['shop/web-0 -> shop/api-0']),
    );
  });

  it('--against lists an added Calico policy in json, text and markdown', async () => {
    const args = ['diff', '-f', file('base.yaml'), '--against', file('base.yaml'), file('added.yaml')];
    const json = await cli(...args, '--format', 'json');
    expect(json.code).toBe(1);
    expect((JSON.parse(json.out) as { calicoPolicies?: Changes }).calicoPolicies).toEqual({
      added: ['Calico:NetworkPolicy/shop/default.api-closed'],
      removed: [],
      changed: [],
    });
    const text = await cli(...args);
    expect(text.out).toMatch(/Calico policies\s+added\s+1\s+Calico:NetworkPolicy\/shop\/default\.api-closed/);
    const markdown = await cli(...args, '--format', 'markdown');
    expect(markdown.out).toContain('- Calico policies: added `Calico:NetworkPolicy/shop/default.api-closed`');
  });

  it('without Calico policies on either side, json has no calicoPolicies', async () => {
    writeFileSync(file('plain.yaml'), SHOP.split('---\napiVersion: projectcalico.org/v3')[0] ?? '');
    const r = await cli(
      'diff',
      '-f',
      file('plain.yaml'),
      '--against',
      file('plain.yaml'),
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).not.toHaveProperty('calicoPolicies');
  });
});
