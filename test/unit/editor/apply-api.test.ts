/**
 * The editor's API without a cluster: request validation, the dry-run → apply handshake, the
 * dispatcher's rules, saving files, diffs and the API server's refusals in words.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequest, validatePolicyManifest, MAX_POLICY_BYTES } from '../../../shared/api/protocol.ts';
import {
  draftToManifest,
  draftToYaml,
  templateById,
  type PolicyManifest,
} from '../../../shared/editor/index.ts';
import {
  DryRunLedger,
  canonicalJson,
  diffPolicies,
  failureFromResponse,
} from '../../../electron/cluster/apply.ts';
import { Dispatcher, type PolicyWriter } from '../../../electron/ipc/dispatcher.ts';
import { savePolicyFile, suggestedPath } from '../../../electron/source/files.ts';
import { SourceManager } from '../../../electron/source/manager.ts';
import { loadManifests } from '../../../electron/manifests/load.ts';

const manifest = (port = 80): PolicyManifest =>
  draftToManifest({
    ...templateById('database-access-api-only')!.create('shop'),
    ingress: [
      {
        peers: [{ kind: 'pods', namespaces: 'same', pods: 'all' }],
        ports: [{ protocol: 'TCP', port: String(port), endPort: '' }],
      },
    ],
  });

const req = (method: string, params: unknown) => ({ kind: 'request', id: 1, method, params });

describe('protocol: the editor methods', () => {
  it('accepts what draftToManifest writes', () => {
    for (const t of ['allow-dns-egress', 'microsvc-users-api-allow', 'disable-ingress-rules']) {
      const m = draftToManifest(templateById(t)!.create('x'));
      expect(parseRequest(req('dryRunPolicy', { manifest: m }))).toMatchObject({ ok: true });
    }
    expect(
      parseRequest(req('applyPolicy', { context: 'kind', manifest: manifest(), dryRunToken: 'abc' })),
    ).toMatchObject({ ok: true, value: { params: { context: 'kind', dryRunToken: 'abc' } } });
  });

  it('refuses anything outside the NetworkPolicy shape, naming the field', () => {
    const m = manifest();
    const bad: [unknown, string][] = [
      [{ ...m, kind: 'Pod' }, 'params.manifest.kind'],
      [{ ...m, status: {} }, 'params.manifest'],
      [{ ...m, metadata: { ...m.metadata, resourceVersion: '1' } }, 'params.manifest.metadata'],
      [{ ...m, metadata: { name: 'x' } }, 'params.manifest.metadata.namespace'],
      [{ ...m, metadata: { name: 'x', namespace: 'Bad_NS' } }, 'params.manifest.metadata.namespace'],
      [
        { ...m, spec: { ...m.spec, podSelector: { matchLabels: { a: 1 } } } },
        'params.manifest.spec.podSelector.matchLabels["a"]',
      ],
      [{ ...m, spec: { ...m.spec, policyTypes: ['ingress'] } }, 'params.manifest.spec.policyTypes[0]'],
      [
        { ...m, spec: { ...m.spec, ingress: [{ from: [{ pods: {} }] }] } },
        'params.manifest.spec.ingress[0].from[0]',
      ],
      [
        { ...m, spec: { ...m.spec, egress: [{ ports: [{ endPort: '9' }] }] } },
        'params.manifest.spec.egress[0].ports[0].endPort',
      ],
      [{ ...m, spec: { ...m.spec, ingress: new Array(300).fill({}) } }, 'params.manifest.spec.ingress'],
    ];
    for (const [manifest, field] of bad) {
      expect(parseRequest(req('dryRunPolicy', { manifest })), field).toMatchObject({
        ok: false,
        error: { code: 'invalid-request', field },
      });
    }
    const huge = { ...m, metadata: { ...m.metadata, annotations: { a: 'x'.repeat(MAX_POLICY_BYTES) } } };
    expect(validatePolicyManifest(huge)).toMatchObject({ ok: false, error: { message: /larger than/ } });
    expect(parseRequest(req('applyPolicy', { manifest: m }))).toMatchObject({
      ok: false,
      error: { field: 'params.dryRunToken' },
    });
    expect(parseRequest(req('dryRunPolicy', { manifest: m, dryRunToken: 'x' }))).toMatchObject({
      ok: false,
      error: { field: 'params.dryRunToken' },
    });
  });

  it('checks save and suggest params', () => {
    expect(parseRequest(req('savePolicy', { path: '/a/b.yaml', yaml: 'x', overwrite: false }))).toMatchObject(
      {
        ok: true,
      },
    );
    expect(parseRequest(req('savePolicy', { path: '/a/b.sh', yaml: 'x', overwrite: false }))).toMatchObject({
      ok: false,
      error: { field: 'params.path' },
    });
    expect(parseRequest(req('savePolicy', { path: '/a/b.yml', yaml: 'x' }))).toMatchObject({
      ok: false,
      error: { field: 'params.overwrite' },
    });
    expect(parseRequest(req('suggestPolicyPath', { namespace: 'shop', name: 'web' }))).toMatchObject({
      ok: true,
    });
    expect(parseRequest(req('suggestPolicyPath', { namespace: 'shop', name: '../x' }))).toMatchObject({
      ok: false,
      error: { field: 'params.name' },
    });
  });
});

describe('DryRunLedger', () => {
  const plan = { operation: 'create' as const, namespace: 'shop', name: 'database-access-api-only' };

  it('gives a single-use token for the same context and manifest, any key order', () => {
    const ledger = new DryRunLedger();
    const { token } = ledger.record('ctx', manifest(), plan);
    const { spec, metadata, kind, apiVersion } = manifest();
    const reordered = JSON.parse(JSON.stringify({ spec, metadata, kind, apiVersion })) as PolicyManifest;
    expect(ledger.take(token, 'ctx', reordered)).toEqual({ ok: true, plan });
    expect(ledger.take(token, 'ctx', manifest())).toMatchObject({ ok: false, message: /used already/ });
  });

  it('refuses another manifest, another context, or an old dry-run', () => {
    let now = 0;
    const ledger = new DryRunLedger({ now: () => now, ttlMs: 1000 });
    const a = ledger.record('ctx', manifest(), plan).token;
    expect(ledger.take(a, 'ctx', manifest(81))).toMatchObject({ ok: false, message: /changed since/ });
    const b = ledger.record('ctx', manifest(), plan).token;
    expect(ledger.take(b, 'other', manifest())).toMatchObject({ ok: false, message: /context "ctx"/ });
    const c = ledger.record('ctx', manifest(), plan).token;
    now = 1000;
    expect(ledger.take(c, 'ctx', manifest())).toMatchObject({ ok: false, message: /too old|used already/ });
  });

  it('canonical JSON ignores key order only', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });
});

describe('diffPolicies', () => {
  it('lists changed leaves of labels, annotations and spec, not server bookkeeping', () => {
    const live = {
      metadata: { name: 'p', namespace: 'n', resourceVersion: '5', labels: { a: '1' }, uid: 'u' },
      spec: {
        podSelector: {},
        ingress: [{ ports: [{ protocol: 'TCP', port: 80 }] }],
        policyTypes: ['Ingress'],
      },
    };
    const next = {
      metadata: { name: 'p', namespace: 'n', resourceVersion: '6', annotations: { x: 'y' } },
      spec: {
        podSelector: {},
        ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }, {}],
        policyTypes: ['Ingress'],
      },
    };
    expect(diffPolicies(live, next)).toEqual([
      { path: 'metadata.labels.a', change: 'removed', before: '1' },
      { path: 'metadata.annotations.x', change: 'added', after: 'y' },
      { path: 'spec.ingress[0].ports[0].port', change: 'changed', before: 80, after: 8080 },
      { path: 'spec.ingress[1]', change: 'added', after: {} },
    ]);
    expect(diffPolicies(live, live)).toEqual([]);
    expect(diffPolicies(undefined, { metadata: { name: 'p' }, spec: { podSelector: {} } })).toEqual([
      { path: 'metadata.name', change: 'added', after: 'p' },
      { path: 'spec.podSelector', change: 'added', after: {} },
    ]);
  });
});

describe("the API server's refusals in words", () => {
  const what = { namespace: 'shop', name: 'web' };
  const status = (code: number, message: string, extra: object = {}) => ({
    status: code,
    body: { kind: 'Status', status: 'Failure', message, code, ...extra },
  });

  it('forbidden: who may not do what where', () => {
    const f = failureFromResponse(
      status(
        403,
        'networkpolicies.networking.k8s.io is forbidden: User "alice" cannot create resource "networkpolicies" in API group "networking.k8s.io" in the namespace "shop"',
        { reason: 'Forbidden' },
      ),
      what,
    );
    expect(f).toMatchObject({
      reason: 'forbidden',
      user: 'alice',
      verb: 'create',
      resource: 'networkpolicies',
      namespace: 'shop',
    });
    expect(f.message).toMatch(/^RBAC: user "alice" may not create networkpolicies in namespace "shop"/);
  });

  it('invalid: the causes with their fields; strict decoding: the unknown fields', () => {
    const f = failureFromResponse(
      status(
        422,
        'NetworkPolicy.networking.k8s.io "web" is invalid: spec.ingress[0].ports[0].port: Invalid value: 0',
        {
          reason: 'Invalid',
          details: {
            causes: [
              {
                reason: 'FieldValueInvalid',
                message: 'Invalid value: 0',
                field: 'spec.ingress[0].ports[0].port',
              },
            ],
          },
        },
      ),
      what,
    );
    expect(f).toMatchObject({
      reason: 'invalid',
      causes: [
        { field: 'spec.ingress[0].ports[0].port', message: 'Invalid value: 0', reason: 'FieldValueInvalid' },
      ],
    });
    const strict = failureFromResponse(status(400, 'strict decoding error: unknown field "spec.foo"'), what);
    expect(strict).toMatchObject({ reason: 'invalid', causes: [{ field: 'spec.foo' }] });
  });

  it('conflict, missing namespace, credentials, anything else', () => {
    expect(failureFromResponse(status(409, 'x', { reason: 'Conflict' }), what)).toMatchObject({
      reason: 'conflict',
    });
    expect(failureFromResponse(status(409, 'x', { reason: 'AlreadyExists' }), what).message).toMatch(
      /created by someone else/,
    );
    expect(failureFromResponse(status(404, 'namespaces "shop" not found'), what).message).toBe(
      'Namespace "shop" does not exist in this cluster.',
    );
    expect(failureFromResponse(status(401, 'Unauthorized'), what)).toMatchObject({ reason: 'unauthorized' });
    expect(failureFromResponse({ status: 502, body: '<html>bad gateway</html>' }, what)).toMatchObject({
      reason: 'rejected',
      status: 502,
    });
  });
});

describe('files', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-save-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes atomically, refuses to overwrite without the flag, replaces with it', async () => {
    const file = path.join(dir, 'web.yaml');
    expect(await savePolicyFile(file, 'a: 1', { overwrite: false })).toEqual({
      ok: true,
      value: { path: file, bytes: 5, replaced: false },
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('a: 1\n');
    expect(await savePolicyFile(file, 'a: 2\n', { overwrite: false })).toMatchObject({
      ok: false,
      error: { code: 'exists', path: file },
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('a: 1\n');
    expect(await savePolicyFile(file, 'a: 2\n', { overwrite: true })).toMatchObject({
      ok: true,
      value: { replaced: true },
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('a: 2\n');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await savePolicyFile(path.join(dir, 'no/such/x.yaml'), 'a', { overwrite: false })).toMatchObject({
      ok: false,
      error: { code: 'write-failed', message: /folder does not exist/ },
    });
    expect(await savePolicyFile('relative.yaml', 'a', { overwrite: false })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });

  it('suggests the policy file itself when it holds the policy alone, else a file next to it', async () => {
    const sub = path.join(dir, 'manifests');
    fs.mkdirSync(sub);
    const draft = templateById('deny-restricted-egress')!.create('billing');
    const alone = path.join(sub, 'deny.yaml');
    fs.writeFileSync(alone, draftToYaml(draft));
    const mixed = path.join(sub, 'all.yaml');
    fs.writeFileSync(
      mixed,
      `${draftToYaml(draft)}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: billing}\n`,
    );
    const policy = { namespace: 'billing', name: 'deny-restricted-egress' };

    expect(await suggestedPath([sub], policy, alone)).toEqual({ path: alone, exists: true });
    const next = await suggestedPath([sub], policy, mixed);
    expect(next).toMatchObject({ path: path.join(sub, 'deny-restricted-egress.yaml'), exists: false });
    expect(next.note).toMatch(/holds other objects too/);
    expect(await suggestedPath([sub], { namespace: 'billing', name: 'fresh' })).toEqual({
      path: path.join(sub, 'fresh.yaml'),
      exists: false,
    });
    expect(await suggestedPath([mixed], { namespace: 'billing', name: 'fresh' })).toEqual({
      path: path.join(sub, 'fresh.yaml'),
      exists: false,
    });
    // A file outside the loaded paths is not read.
    expect(await suggestedPath([sub], policy, '/etc/passwd')).toMatchObject({
      path: path.join(sub, 'deny-restricted-egress.yaml'),
    });
  });
});

describe('dispatcher', () => {
  const calls: string[] = [];
  const writer: PolicyWriter = {
    dryRun: (_kc, m) => {
      calls.push(`dry-run ${m.metadata.name}`);
      return Promise.resolve({
        ok: true,
        value: {
          operation: 'create',
          namespace: m.metadata.namespace,
          name: m.metadata.name,
          stored: m as unknown as Record<string, unknown>,
          changes: [],
          unchanged: false,
        },
      });
    },
    apply: (_kc, m, plan) => {
      calls.push(`apply ${m.metadata.name} ${plan.operation}`);
      return Promise.resolve({
        ok: true,
        value: { ...plan, stored: m as unknown as Record<string, unknown>, resourceVersion: '7' },
      });
    },
  };

  function make(live: boolean) {
    const manager = new SourceManager({
      loaders: {
        demoPath: path.join(import.meta.dirname, '../../../shared/demo/demo-cluster.yaml'),
        loadManifests,
      },
      log: () => {},
    });
    if (live) {
      Object.defineProperty(manager, 'liveCluster', {
        value: { context: 'ctx', kubeConfig: new KubeConfig() },
      });
    }
    const dispatcher = new Dispatcher({ manager, appVersion: '0', policyWriter: writer, log: () => {} });
    const call = async (method: string, params: unknown) =>
      (await dispatcher.handle({ send: () => {} }, { kind: 'request', id: 1, method, params })).result;
    return { manager, call };
  }

  it('refuses to write anywhere but a live cluster source', async () => {
    const { call } = make(false);
    expect(await call('dryRunPolicy', { manifest: manifest() })).toMatchObject({
      ok: false,
      error: { code: 'no-cluster', message: /open a kubeconfig context/ },
    });
    expect(calls).toEqual([]);
  });

  it('applies only after a dry-run of the same manifest, once', async () => {
    const { call } = make(true);
    const dry = await call('dryRunPolicy', { manifest: manifest() });
    expect(dry).toMatchObject({
      ok: true,
      value: { context: 'ctx', operation: 'create', dryRunToken: expect.any(String) as unknown },
    });
    if (!dry.ok) return;
    const token = (dry.value as { dryRunToken: string }).dryRunToken;
    expect(
      await call('applyPolicy', { context: 'other', manifest: manifest(), dryRunToken: token }),
    ).toMatchObject({
      ok: false,
      error: { code: 'no-cluster' },
    });
    expect(await call('applyPolicy', { manifest: manifest(), dryRunToken: token })).toMatchObject({
      ok: true,
      value: { context: 'ctx', operation: 'create', resourceVersion: '7' },
    });
    expect(await call('applyPolicy', { manifest: manifest(), dryRunToken: token })).toMatchObject({
      ok: false,
      error: { code: 'dry-run-required' },
    });
    expect(calls).toEqual(['dry-run database-access-api-only', 'apply database-access-api-only create']);
  });

  it('suggests a path only for a manifest source, and saves', async () => {
    const { manager, call } = make(false);
    expect(await call('suggestPolicyPath', { namespace: 'shop', name: 'web' })).toEqual({
      ok: true,
      value: { exists: false },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-disp-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'ns.yaml'),
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
      );
      await manager.open({ kind: 'manifests', paths: [dir] });
      const suggestion = await call('suggestPolicyPath', { namespace: 'shop', name: 'web' });
      expect(suggestion).toEqual({ ok: true, value: { path: path.join(dir, 'web.yaml'), exists: false } });
      const saved = await call('savePolicy', {
        path: path.join(dir, 'web.yaml'),
        yaml: draftToYaml(templateById('default-deny-all')!.create('shop')),
        overwrite: false,
      });
      expect(saved).toMatchObject({ ok: true, value: { replaced: false } });
      await manager.reload();
      expect(manager.snapshot?.policies.map((p) => p.name)).toEqual(['default-deny-all']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
