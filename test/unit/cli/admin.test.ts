/** The CLI on snapshots with admin-tier policies: check, policy, analyze, lint, diff. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../electron/cli/args.ts';
import { computeAnalyze } from '../../../electron/cli/commands/analyze.ts';
import { computeCheck } from '../../../electron/cli/commands/check.ts';
import { overlay } from '../../../electron/cli/commands/diff.ts';
import { computePolicy } from '../../../electron/cli/commands/policy.ts';
import { analyzeJson, analyzeText } from '../../../electron/cli/format/analyze.ts';
import { checkJson, checkText } from '../../../electron/cli/format/check.ts';
import { policyJson, policyText } from '../../../electron/cli/format/policy.ts';
import { COMMANDS } from '../../../electron/cli/main.ts';
import type { ClusterNetworkPolicy, Snapshot } from '../../../shared/model/snapshot.ts';
import { allNamespaces, arule, cnp, ns, nsPeer, pod, policy, sel, snapshot, tcp } from '../eval/build.ts';
import { cli } from './run-cli.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'admin', 'cluster.yaml');
const LEGACY = join(ROOT, 'test', 'fixtures', 'admin', 'legacy.yaml');
const SEED = join(ROOT, 'test', 'fixtures', 'diff', 'seed');
const NAME = 'kubernetes.io/metadata.name';

/**
 * shop/checkout, db/postgres, monitoring/prom, other/x. Admin: accept-monitoring (5) accepts ingress from
 * monitoring; pass-db (20) passes ingress from shop to db's NetworkPolicies and denies the rest.
 * NetworkPolicy db/allow-web admits shop on 5432. Baseline: default (1000) denies ingress.
 */
function adminSnapshot(extra: ClusterNetworkPolicy[] = []): Snapshot {
  return snapshot(
    [ns('shop'), ns('db'), ns('monitoring'), ns('other')],
    [
      pod('shop', 'checkout', { app: 'checkout' }, { ips: ['10.0.0.1'] }),
      pod('db', 'postgres', { app: 'postgres' }, { ips: ['10.0.0.2'] }),
      pod('monitoring', 'prom', { app: 'prom' }, { ips: ['10.0.0.3'] }),
      pod('other', 'x', { app: 'x' }, { ips: ['10.0.0.4'] }),
    ],
    [
      {
        ...policy('db', 'allow-web', {
          podSelector: sel({ app: 'postgres' }),
          ingress: [
            {
              peers: [{ kind: 'selector', namespaceSelector: sel({ [NAME]: 'shop' }) }],
              ports: [{ protocol: 'TCP', port: 5432 }],
            },
          ],
        }),
        location: { file: 'np.yaml', line: 1, column: 1 },
      },
    ],
    [
      cnp('accept-monitoring', 'Admin', 5, {
        ingress: [arule('Accept', [nsPeer({ [NAME]: 'monitoring' })], 'any', 'scrape')],
      }),
      {
        ...cnp('pass-db', 'Admin', 20, {
          subject: { kind: 'namespaces', namespaceSelector: sel({ [NAME]: 'db' }) },
          ingress: [
            arule('Pass', [nsPeer({ [NAME]: 'shop' })], 'any', 'to-np'),
            arule('Deny', [allNamespaces], 'any', 'deny-rest'),
          ],
        }),
        location: { file: 'admin.yaml', line: 7, column: 1 },
      },
      cnp('default', 'Baseline', 1000, { ingress: [arule('Deny', [allNamespaces], 'any', 'deny')] }),
      ...extra,
    ],
  );
}

function check(s: Snapshot, from: string, to: string, port: string) {
  const r = computeCheck(s, from, to, port);
  return {
    text: checkText(r),
    json: checkJson(r) as Record<string, Record<string, unknown>>,
    verdict: r.verdict,
  };
}

describe('check with admin tiers', () => {
  const s = adminSnapshot();

  it('Pass, then the NetworkPolicy that allows it, with where each policy is written', () => {
    const r = check(s, 'shop/checkout', 'db/postgres', '5432');
    expect(r.verdict.verdict).toBe('allowed');
    expect(r.text).toContain(
      'ingress at db/postgres:\n  allowed: Admin `pass-db` rule `to-np` (ingress[0]) Pass (priority 20) → ' +
        'NetworkPolicy `db/allow-web` ingress[0] (from[0], ports[0]) Allow\n' +
        '    pass-db at admin.yaml:7\n    db/allow-web at np.yaml:1\n  (isolated for ingress by db/allow-web)\n',
    );
    expect(r.text).toContain(
      'egress at shop/checkout:\n  allowed: default allow (no NetworkPolicy isolates the pod)\n',
    );
  });

  it('Pass, then NetworkPolicy isolation with no matching rule', () => {
    const r = check(s, 'shop/checkout', 'db/postgres', '80');
    expect(r.verdict.verdict).toBe('denied');
    expect(r.text).toContain(
      'denied: Admin `pass-db` rule `to-np` (ingress[0]) Pass (priority 20) → NetworkPolicy `db/allow-web` isolates the pod and no ingress rule of it matches: Deny',
    );
  });

  it('an Admin Accept and an Admin Deny decide alone', () => {
    expect(check(s, 'monitoring/prom', 'db/postgres', '9090').text).toContain(
      'allowed: Admin `accept-monitoring` rule `scrape` (ingress[0]) Accept (priority 5)\n',
    );
    const denied = check(s, 'other/x', 'db/postgres', '5432');
    expect(denied.verdict.verdict).toBe('denied');
    expect(denied.text).toContain(
      'denied: Admin `pass-db` rule `deny-rest` (ingress[1]) Deny (priority 20)\n',
    );
  });

  it('the Baseline tier decides for a pod no NetworkPolicy isolates', () => {
    expect(check(s, 'db/postgres', 'shop/checkout', '80').text).toContain(
      'denied: Baseline `default` rule `deny` (ingress[0]) Deny (priority 1000; no NetworkPolicy isolates the pod)\n',
    );
  });

  it('JSON keeps the structured tiers and adds the chain', () => {
    const { json } = check(s, 'shop/checkout', 'db/postgres', '5432');
    const ingress = json['ingress'] ?? {};
    expect(ingress['kind']).toBe('allowed');
    expect(ingress['tiers']).toMatchObject({
      decidedBy: 'NetworkPolicy',
      adminPolicies: ['accept-monitoring', 'pass-db'],
      admin: { policy: 'pass-db', tier: 'Admin', action: 'Pass', rule: 0, ruleName: 'to-np', priority: 20 },
    });
    expect(ingress['chain']).toMatch(/^Admin `pass-db` rule `to-np` .* → NetworkPolicy `db\/allow-web`/);
  });

  it('without admin policies, sides carry no tiers and no chain', () => {
    const plain: Snapshot = { ...s, clusterPolicies: [] };
    const { json, text } = check(plain, 'shop/checkout', 'db/postgres', '80');
    expect(json['ingress']).toEqual({
      allows: false,
      kind: 'denied',
      policies: ['db/allow-web'],
      nearMisses: [
        {
          policy: 'db/allow-web',
          direction: 'ingress',
          rule: 0,
          peer: 0,
          missed: 'port',
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
      ],
      nearMissText: ['db/allow-web ingress[0] from[0] matches shop/checkout but allows only TCP 5432'],
    });
    expect(text).toContain(
      'closest rules:\n    db/allow-web ingress[0] from[0] matches shop/checkout but allows only TCP 5432',
    );
    expect(text).toContain('denied: isolated for ingress by db/allow-web, and no ingress rule of it matches');
  });
});

describe('policy with admin keys', () => {
  const s = adminSnapshot();

  it('prints tier, priority, subject, rules and the passed connections', () => {
    const r = computePolicy(s, 'pass-db', 1000);
    const text = policyText(r, 20);
    expect(text).toMatch(/^ClusterNetworkPolicy pass-db \(admin\.yaml:7\)\n/);
    expect(text).toContain('tier: Admin, priority 20');
    expect(text).toContain(`subject: all pods in namespaces ${NAME}=db`);
    expect(text).toContain(
      `ingress[0] \`to-np\` Pass from all pods in namespaces ${NAME}=shop; ports: every port`,
    );
    expect(text).toContain('ingress[1] `deny-rest` Deny from all pods in every namespace; ports: every port');
    expect(text).toMatch(/passed by this policy: +[1-9]\d* connections/);
    const j = policyJson(r) as {
      tier: string;
      priority: number;
      kind: string;
      counts: { passed: number; denied: number; permittedFlowing: number; permittedBlocked: number };
      passed: { from: string; to: string }[];
      denied: { from: string; to: string }[];
      rules: { rule: string; action: string; name?: string }[];
    };
    expect(j).toMatchObject({ tier: 'Admin', priority: 20, kind: 'ClusterNetworkPolicy' });
    expect(j.rules.map((x) => [x.rule, x.action, x.name])).toEqual([
      ['ingress[0]', 'Pass', 'to-np'],
      ['ingress[1]', 'Deny', 'deny-rest'],
    ]);
    // Its Pass decides shop -> db; its Deny decides the rest into db, but monitoring is accepted first.
    expect(j.counts.passed).toBe(j.passed.length);
    expect(j.counts.passed).toBeGreaterThan(0);
    expect(j.passed.every((c) => c.from === 'shop/checkout' && c.to === 'db/postgres')).toBe(true);
    expect(j.counts.denied).toBe(j.denied.length);
    expect(new Set(j.denied.map((c) => c.from))).toEqual(new Set(['other/x']));
    expect(j.counts.permittedFlowing + j.counts.permittedBlocked).toBe(0);
  });

  it('a legacy key, and close matches for a bad key', () => {
    const legacy: ClusterNetworkPolicy = {
      ...cnp('legacy', 'Admin', 30, { ingress: [arule('Deny', [allNamespaces])] }),
      kind: 'AdminNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
    };
    const withLegacy = adminSnapshot([legacy]);
    expect(policyText(computePolicy(withLegacy, 'AdminNetworkPolicy:legacy', 5), 5)).toMatch(
      /^AdminNetworkPolicy legacy \(key AdminNetworkPolicy:legacy\)\n/,
    );
    const message = (key: string): string => {
      try {
        computePolicy(withLegacy, key, 5);
      } catch (e) {
        if (e instanceof UsageError) return e.message;
        throw e;
      }
      return 'no error';
    };
    expect(message('pass-dbb')).toBe('unknown policy pass-dbb (did you mean pass-db?)');
    expect(message('legacy')).toBe('unknown policy legacy (did you mean AdminNetworkPolicy:legacy?)');
    expect(message('allow-web')).toBe('unknown policy allow-web (did you mean db/allow-web?)');
    expect(message('nothing-like-it')).toContain('a ClusterNetworkPolicy by its name');
  });
});

describe('analyze with admin tiers', () => {
  it('counts admin policies per tier and lists them in evaluation order', () => {
    const r = computeAnalyze(adminSnapshot(), 0);
    const text = analyzeText(r, false);
    expect(text).toMatch(/admin policies +3 +\(2 Admin tier, 1 Baseline tier\)/);
    expect(text).toMatch(/Admin +5 +accept-monitoring\n +Admin +20 +pass-db\n +Baseline +1000 +default\n/);
    // The snapshot's namespaces have no default deny (ns-no-default-deny); no admin rule finds anything.
    expect(text).not.toContain('[admin-');
    const j = analyzeJson(r) as Record<string, unknown>;
    expect(j['counts']).toMatchObject({ policies: 1, clusterPolicies: 3 });
    expect(j['tiers']).toEqual({ Admin: 2, Baseline: 1 });
    expect(j['clusterPolicies']).toEqual([
      { policy: 'accept-monitoring', kind: 'ClusterNetworkPolicy', tier: 'Admin', priority: 5 },
      { policy: 'pass-db', kind: 'ClusterNetworkPolicy', tier: 'Admin', priority: 20 },
      { policy: 'default', kind: 'ClusterNetworkPolicy', tier: 'Baseline', priority: 1000 },
    ]);
    expect((j['lint'] as { id: string }[]).filter((f) => f.id !== 'ns-no-default-deny')).toEqual([]);
  });

  it('prints lint findings as warnings, and in the JSON lint array', () => {
    const tie = cnp('also-db', 'Admin', 20, {
      subject: { kind: 'namespaces', namespaceSelector: sel({ [NAME]: 'db' }) },
      ingress: [arule('Accept', [allNamespaces], [tcp(22)])],
    });
    const r = computeAnalyze(adminSnapshot([tie]), 0);
    expect(analyzeText(r, false)).toMatch(
      /\nlint: \d+ warnings .*\n {2}also-db: warning: spec\.priority: ClusterNetworkPolicy `also-db` and ClusterNetworkPolicy `pass-db` \(admin\.yaml:7\) .*implementation-defined order.* \[admin-priority-tie\]\n {4}fix: /,
    );
    const j = analyzeJson(r) as { lint: Record<string, unknown>[] };
    expect(j.lint.filter((f) => f['id'] !== 'ns-no-default-deny')).toEqual([
      expect.objectContaining({
        id: 'admin-priority-tie',
        severity: 'warning',
        object: 'also-db',
        location: null,
      }),
    ]);
  });

  it('without admin policies, the text has no admin lines', () => {
    const r = computeAnalyze({ ...adminSnapshot(), clusterPolicies: [] }, 0);
    const text = analyzeText(r, false);
    expect(text).not.toContain('admin');
    expect(text).toContain('accept from anywhere');
  });
});

describe('from manifests (the shared admin fixture)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netglass-cli-admin-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('check: exit 1 and the tier chain', async () => {
    const r = await cli(
      'check',
      '-f',
      FIXTURE,
      '--from',
      'blog/wordpress-0',
      '--to',
      'payments/payments-api-5b7d9c8f6-klmno',
      '--port',
      '8443',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'denied: Admin `deny-cross-namespace` rule `deny-other-namespaces` (ingress[0]) Deny (priority 30)\n',
    );
    expect(r.out).toMatch(/ {4}deny-cross-namespace at .*cluster\.yaml:\d+\n/);
  });

  it('policy: an admin policy by name, in JSON', async () => {
    const r = await cli('policy', '-f', FIXTURE, 'deny-cross-namespace', '-o', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(j).toMatchObject({ policy: 'deny-cross-namespace', tier: 'Admin', priority: 30 });
    expect((j['counts'] as Record<string, number>)['passed']).toBeGreaterThan(0);
  });

  it('lint: no admin finding on the clean fixture, exit 1 with the legacy copy (text and JSON)', async () => {
    // The fixture's namespaces have no default deny (ns-no-default-deny); nothing else is found.
    const clean = await cli('lint', '-f', FIXTURE, '-o', 'json');
    expect(clean.err).toBe('');
    const cleanIds = (JSON.parse(clean.out) as { findings: { id: string }[] }).findings.map((f) => f.id);
    expect(cleanIds.filter((id) => id !== 'ns-no-default-deny')).toEqual([]);
    const both = await cli('lint', '-f', FIXTURE, LEGACY);
    expect(both.code).toBe(1);
    expect(both.out).toMatch(
      /legacy\.yaml:\d+:\d+: warning: kind: AdminNetworkPolicy `accept-monitoring` is a legacy/,
    );
    expect(both.out).toMatch(/\n\d+ warnings\n$/);
    const j = JSON.parse((await cli('lint', '-f', FIXTURE, LEGACY, '-o', 'json')).out) as {
      findings: { id: string; object: string; location: { file: string; line: number } | null }[];
      warnings: number;
    };
    expect(j.warnings).toBe(j.findings.length);
    expect(
      j.findings.some(
        (f) => f.id === 'admin-priority-tie' && f.object === 'AdminNetworkPolicy:accept-monitoring',
      ),
    ).toBe(true);
    const admin = j.findings.filter((f) => f.id.startsWith('admin-'));
    expect(admin.length).toBeGreaterThan(0);
    expect(admin.every((f) => f.location?.file === LEGACY)).toBe(true);
  });

  it('diff: an added ClusterNetworkPolicy is listed with the connections it removes', async () => {
    const cnpFile = join(dir, 'cnp.yaml');
    writeFileSync(
      cnpFile,
      [
        'apiVersion: policy.networking.k8s.io/v1alpha2',
        'kind: ClusterNetworkPolicy',
        'metadata: {name: deny-sandbox-egress}',
        'spec:',
        '  tier: Admin',
        '  priority: 5',
        '  subject: {namespaces: {matchLabels: {env: dev}}}',
        '  egress: [{name: deny-all, action: Deny, to: [{namespaces: {}}]}]',
        '',
      ].join('\n'),
    );
    const r = await cli('diff', '-f', FIXTURE, '--apply', cnpFile, '-o', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as {
      clusterPolicies: { added: string[]; removed: string[]; changed: string[] };
      removed: { from: string }[];
      counts: { removed: number; added: number };
    };
    expect(j.clusterPolicies).toEqual({ added: ['deny-sandbox-egress'], removed: [], changed: [] });
    expect(j.counts.added).toBe(0);
    expect(j.counts.removed).toBeGreaterThan(0);
    expect(j.removed.every((c) => c.from.startsWith('sandbox/'))).toBe(true);
    const text = await cli('diff', '-f', FIXTURE, '--apply', cnpFile);
    expect(text.out).toMatch(/admin policies +added +1 +deny-sandbox-egress/);
  });

  it('diff without admin policies has no clusterPolicies key', async () => {
    const r = await cli('diff', '-f', join(SEED, 'base'), '--against', join(SEED, 'base'), '-o', 'json');
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.out) as object)).not.toContain('clusterPolicies');
  });
});

describe('diff --apply with admin policies', () => {
  it('replaces the admin policy of the same key and adds new ones', () => {
    const base = adminSnapshot();
    const edited = cnp('pass-db', 'Admin', 25, { ingress: [arule('Deny', [allNamespaces])] });
    const added = cnp('new-one', 'Baseline', 3, {});
    const result = overlay(base, { ...snapshot([], [], [], [edited, added]) });
    expect(result.clusterPolicies.map((p) => [p.name, p.priority])).toEqual([
      ['accept-monitoring', 5],
      ['pass-db', 25],
      ['default', 1000],
      ['new-one', 3],
    ]);
  });
});

describe('help and README', () => {
  it('lint is a command; its help lists every rule', async () => {
    expect((await cli('--help')).out).toMatch(/\n {2}lint +policies that load/);
    const help = await cli('lint', '--help');
    expect(help.code).toBe(0);
    for (const id of ['admin-priority-tie', 'admin-shadowed-rule', 'admin-legacy-and-v1alpha2'])
      expect(help.out).toContain(id);
  });

  it("every command's synopsis in electron/cli/README.md is its --help usage", () => {
    const readme = readFileSync(join(ROOT, 'electron', 'cli', 'README.md'), 'utf8');
    for (const c of COMMANDS) expect(readme).toContain(`\n${c.usage}\n`);
  });
});
