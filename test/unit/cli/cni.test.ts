/** `--cni` and `--cilium-cidr-match-mode` through the CLI: verdicts, exit statuses, what analyze says. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'cni', 'host-and-ipblock.yaml');

const check = (port: string, from: string, ...cni: string[]) =>
  cli('check', '-f', FIXTURE, '--from', from, '--to', 'a/server', '--port', port, ...cni);

describe('netglass --cni', () => {
  it('without it, ipBlock matches pod addresses (what Kubernetes tests expect)', async () => {
    expect((await check('80', 'a/client')).code).toBe(0);
  });

  it('cilium: CIDRs miss pods unless policy-cidr-match-mode says pods', async () => {
    const plain = await check('80', 'a/client', '--cni', 'cilium');
    expect(plain.code).toBe(1);
    expect(plain.out).toContain('DENIED');
    expect((await check('80', 'a/client', '--cni', 'cilium', '--cilium-cidr-match-mode', 'pods')).code).toBe(
      0,
    );
    expect(
      (await check('82', 'a/agent', '--cni', 'cilium', '--cilium-cidr-match-mode', 'nodes,pods')).code,
    ).toBe(0);
  });

  it('calico: a pod selector misses a host-network pod; its node address is matched', async () => {
    expect((await check('81', 'a/agent', '--cni', 'calico')).code).toBe(1);
    expect((await check('82', 'a/agent', '--cni', 'calico')).code).toBe(0);
  });

  it('generic: unknown (exit 3), with the reason and what to do', async () => {
    const r = await check('80', 'a/client', '--cni', 'generic');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(
      /whether an ipBlock matches pod addresses depends on the CNI \(profile Generic \(spec only\)\); choose the cluster's CNI/,
    );
    const json = await check('81', 'a/agent', '--cni', 'generic', '-o', 'json');
    expect(JSON.parse(json.out)).toMatchObject({ verdict: 'unknown' });
  });

  it('refuses a mode without Cilium, an unknown mode and an unknown CNI', async () => {
    const noCilium = await check('80', 'a/client', '--cilium-cidr-match-mode', 'pods');
    expect(noCilium.code).toBe(2);
    expect(noCilium.err).toContain('give it with --cni cilium');
    const badMode = await check('80', 'a/client', '--cni', 'cilium', '--cilium-cidr-match-mode', 'pod');
    expect(badMode.code).toBe(2);
    expect(badMode.err).toContain('"pod" is not a mode');
    const badCni = await check('80', 'a/client', '--cni', 'flannel');
    expect(badCni.code).toBe(2);
    expect(badCni.err).toMatch(
      /--cni must be one of upstream, generic, calico, cilium, antrea, ovn-kubernetes/,
    );
  });

  it('analyze names the profile it assumed (text and JSON)', async () => {
    const text = await cli('analyze', '-f', FIXTURE, '--cni', 'antrea');
    expect(text.out).toContain('CNI profile: Antrea (chosen)');
    const json = await cli(
      'analyze',
      '-f',
      FIXTURE,
      '--cni',
      'cilium',
      '--cilium-cidr-match-mode',
      'pods',
      '-o',
      'json',
    );
    expect((JSON.parse(json.out) as { cni: unknown }).cni).toEqual({
      cni: 'cilium',
      ciliumCidrMatch: ['pods'],
      origin: 'chosen',
      label: 'Cilium (policy-cidr-match-mode: pods)',
      ignoredPolicies: {},
    });
    const plain = JSON.parse((await cli('analyze', '-f', FIXTURE, '-o', 'json')).out) as { cni?: unknown };
    expect(plain.cni).toBeUndefined();
  });

  it('report names the profile it assumed (markdown and JSON)', async () => {
    const md = await cli('report', '-f', FIXTURE, '--cni', 'calico');
    expect(md.out).toContain('(CNI: Calico).');
    const json = await cli('report', '-f', FIXTURE, '--cni', 'generic', '--format', 'json');
    expect((JSON.parse(json.out) as { cni?: string }).cni).toBe('Generic (spec only)');
    const plain = await cli('report', '-f', FIXTURE, '--format', 'json');
    expect((JSON.parse(plain.out) as { cni?: string }).cni).toBeUndefined();
  });
});
