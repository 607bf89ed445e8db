/**
 * The editor's API without a cluster: request validation, the dry-run → apply handshake, the
 * dispatcher's rules, saving files, diffs and the API server's refusals in words.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequest, validatePolicyManifest, MAX_POLICY_BYTES } from '../../../shared/api/protocol.ts';
import {
  CLUSTER_TEMPLATES,
  clusterDraftToManifest,
  clusterTemplateById,
  draftToManifest,
  draftToYaml,
  templateById,
  type ClusterPolicyManifest,
  type NetworkPolicyManifest,
  type PolicyManifest,
} from '../../../shared/editor/index.ts';
import {
  DryRunLedger,
  canonicalJson,
  dryRunPolicy,
  failureFromResponse,
  policyResource,
} from '../../../electron/cluster/apply.ts';
import { Dispatcher, type PolicyWriter } from '../../../electron/ipc/dispatcher.ts';
import { savePolicyFile, suggestedPath } from '../../../electron/source/files.ts';
import { SourceManager } from '../../../electron/source/manager.ts';
import { loadManifests } from '../../../electron/manifests/load.ts';

const manifest = (port = 80): NetworkPolicyManifest =>
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

  it('takes force on a dry-run only, and a bare file name for savePolicyAs', () => {
    const m = manifest();
    expect(parseRequest(req('dryRunPolicy', { manifest: m, force: true }))).toMatchObject({
      ok: true,
      value: { params: { force: true } },
    });
    expect(parseRequest(req('dryRunPolicy', { manifest: m, force: 'yes' }))).toMatchObject({
      ok: false,
      error: { field: 'params.force' },
    });
    // An apply repeats its dry-run, force included: it cannot ask for more.
    expect(parseRequest(req('applyPolicy', { manifest: m, dryRunToken: 't', force: true }))).toMatchObject({
      ok: false,
      error: { field: 'params.force' },
    });
    expect(parseRequest(req('savePolicyAs', { yaml: 'x', fileName: 'web.yaml' }))).toMatchObject({
      ok: true,
    });
    for (const fileName of ['/etc/cron.d/x.yaml', '../x.yaml', 'a/b.yaml', 'x.sh', '.hidden.yaml', '']) {
      expect(parseRequest(req('savePolicyAs', { yaml: 'x', fileName })), fileName).toMatchObject({
        ok: false,
        error: { field: 'params.fileName' },
      });
    }
    expect(
      parseRequest(req('savePolicyAs', { yaml: 'x', fileName: 'x.yaml', path: '/tmp/x.yaml' })),
    ).toMatchObject({ ok: false, error: { field: 'params.path' } });
  });
});

describe('DryRunLedger', () => {
  const plan = {
    operation: 'create' as const,
    namespace: 'shop',
    name: 'database-access-api-only',
    force: false,
  };

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

  it('field-conflict: the fields other managers own, and who owns them', () => {
    const f = failureFromResponse(
      status(
        409,
        'Apply failed with 2 conflicts: conflict with "kubectl-label" using networking.k8s.io/v1: .metadata.labels.team\nconflict with "kubectl-client-side-apply" using networking.k8s.io/v1: .spec.ingress',
        {
          reason: 'Conflict',
          details: {
            causes: [
              {
                reason: 'FieldManagerConflict',
                message: 'conflict with "kubectl-label" using networking.k8s.io/v1',
                field: '.metadata.labels.team',
              },
              {
                reason: 'FieldManagerConflict',
                message: 'conflict with "kubectl-client-side-apply" using networking.k8s.io/v1',
                field: '.spec.ingress',
              },
            ],
          },
        },
      ),
      what,
    );
    expect(f).toMatchObject({
      reason: 'field-conflict',
      conflicts: [
        { field: 'metadata.labels.team', manager: 'kubectl-label' },
        { field: 'spec.ingress', manager: 'kubectl-client-side-apply' },
      ],
    });
    expect(f.message).toBe(
      'NetworkPolicy shop/web: 2 fields belong to other field managers and the draft sets them to other values: metadata.labels.team (owned by "kubectl-label"), spec.ingress (owned by "kubectl-client-side-apply"). Nothing was written. Set them in the draft as the cluster has them, remove them from the draft, or force to take them over.',
    );
  });

  it("invalid: server-side apply's schema refusal (a 500) names the field", () => {
    const f = failureFromResponse(
      status(
        500,
        'failed to create typed patch object (shop/web; networking.k8s.io/v1, Kind=NetworkPolicy): .spec.foo: field not declared in schema',
      ),
      what,
    );
    expect(f).toEqual({
      reason: 'invalid',
      message: 'The API server rejected NetworkPolicy shop/web: spec.foo: field not declared in schema',
      causes: [{ field: 'spec.foo', message: 'field not declared in schema', reason: 'FieldValueInvalid' }],
    });
    expect(failureFromResponse(status(500, 'etcdserver: request timed out'), what)).toMatchObject({
      reason: 'rejected',
      status: 500,
    });
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
    // savePolicy writes only policy documents under the given roots (save-policy.test.ts has the rules).
    const policy = (name: string): string =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  podSelector: {}`;
    const roots = [dir];
    const file = path.join(dir, 'web.yaml');
    expect(await savePolicyFile(file, policy('a'), { overwrite: false, roots })).toEqual({
      ok: true,
      value: { path: file, bytes: policy('a').length + 1, replaced: false },
    });
    expect(fs.readFileSync(file, 'utf8')).toBe(`${policy('a')}\n`);
    expect(await savePolicyFile(file, `${policy('b')}\n`, { overwrite: false, roots })).toMatchObject({
      ok: false,
      error: { code: 'exists', path: file },
    });
    expect(fs.readFileSync(file, 'utf8')).toBe(`${policy('a')}\n`);
    expect(await savePolicyFile(file, `${policy('b')}\n`, { overwrite: true, roots })).toMatchObject({
      ok: true,
      value: { replaced: true },
    });
    expect(fs.readFileSync(file, 'utf8')).toBe(`${policy('b')}\n`);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(
      await savePolicyFile(path.join(dir, 'no/such/x.yaml'), policy('c'), { overwrite: false, roots }),
    ).toMatchObject({
      ok: false,
      error: { code: 'write-failed', message: /folder does not exist/ },
    });
    expect(await savePolicyFile('relative.yaml', policy('c'), { overwrite: false, roots })).toMatchObject({
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
    dryRun: (_kc, m, options) => {
      calls.push(`dry-run ${m.metadata.name}`);
      const force = options?.force === true;
      return Promise.resolve({
        ok: true,
        value: {
          operation: 'create',
          namespace: policyResource(m).namespace,
          name: m.metadata.name,
          stored: m as unknown as Record<string, unknown>,
          changes: [],
          unchanged: false,
          force,
          conflicts: force ? [{ field: 'metadata.labels.team', manager: 'kubectl-label', message: 'c' }] : [],
        },
      });
    },
    apply: (_kc, m, plan) => {
      calls.push(`apply ${m.metadata.name} ${plan.operation}${plan.force ? ' force' : ''}`);
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

  it('forces only what a forced dry-run showed: the token carries the force to the apply', async () => {
    const { call } = make(true);
    calls.length = 0;
    const plain = await call('dryRunPolicy', { manifest: manifest() });
    expect(plain).toMatchObject({
      ok: true,
      value: { fieldManager: 'netglass', force: false, conflicts: [] },
    });
    const forced = await call('dryRunPolicy', { manifest: manifest(), force: true });
    expect(forced).toMatchObject({
      ok: true,
      value: {
        fieldManager: 'netglass',
        force: true,
        conflicts: [{ field: 'metadata.labels.team', manager: 'kubectl-label' }],
      },
    });
    if (!plain.ok || !forced.ok) return;
    const token = (r: unknown) => (r as { dryRunToken: string }).dryRunToken;
    expect(
      await call('applyPolicy', { manifest: manifest(), dryRunToken: token(plain.value) }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await call('applyPolicy', { manifest: manifest(), dryRunToken: token(forced.value) }),
    ).toMatchObject({
      ok: true,
    });
    expect(calls).toEqual([
      'dry-run database-access-api-only',
      'dry-run database-access-api-only',
      'apply database-access-api-only create',
      'apply database-access-api-only create force',
    ]);
  });

  it('takes a ClusterNetworkPolicy the same way: dry-run, then apply with its token', async () => {
    const { call } = make(true);
    calls.length = 0;
    const dry = await call('dryRunPolicy', { manifest: cnp() });
    expect(dry).toMatchObject({ ok: true, value: { namespace: '', name: 'deny-cross-namespace-shop' } });
    if (!dry.ok) return;
    const token = (dry.value as { dryRunToken: string }).dryRunToken;
    expect(await call('applyPolicy', { manifest: cnp(), dryRunToken: token })).toMatchObject({
      ok: true,
      value: { operation: 'create', namespace: '', name: 'deny-cross-namespace-shop' },
    });
    expect(calls).toEqual(['dry-run deny-cross-namespace-shop', 'apply deny-cross-namespace-shop create']);
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

// ---------------------------------------------------------------- ClusterNetworkPolicy

const cnp = (): ClusterPolicyManifest =>
  clusterDraftToManifest(clusterTemplateById('platform-deny-cross-namespace')!.create('shop'));

describe('ClusterNetworkPolicy through the API', () => {
  it('the protocol accepts what clusterDraftToManifest writes, cluster-scoped only', () => {
    for (const t of CLUSTER_TEMPLATES) {
      const m = clusterDraftToManifest(t.create('shop'));
      expect(parseRequest(req('dryRunPolicy', { manifest: m })), t.id).toMatchObject({ ok: true });
    }
    const m = cnp();
    const bad: [unknown, string][] = [
      [{ ...m, apiVersion: 'policy.networking.k8s.io/v1alpha1' }, 'params.manifest.apiVersion'],
      [{ ...m, metadata: { ...m.metadata, namespace: 'shop' } }, 'params.manifest.metadata'],
      [{ ...m, spec: { ...m.spec, podSelector: {} } }, 'params.manifest.spec'],
      [{ ...m, spec: { ...m.spec, ingress: [{ from: [] }] } }, 'params.manifest.spec.ingress[0].action'],
      [
        { ...m, spec: { ...m.spec, egress: [{ action: 'Deny', to: [{ networks: [1] }] }] } },
        'params.manifest.spec.egress[0].to[0].networks[0]',
      ],
    ];
    for (const [manifest, field] of bad) {
      expect(parseRequest(req('dryRunPolicy', { manifest })), field).toMatchObject({
        ok: false,
        error: { code: 'invalid-request', field },
      });
    }
    // A cluster-scoped policy is saved under the namespace ''.
    expect(parseRequest(req('suggestPolicyPath', { namespace: '', name: 'deny-x' }))).toMatchObject({
      ok: true,
    });
  });

  it('lives at a cluster-scoped URL of its apiVersion', () => {
    expect(policyResource(cnp())).toMatchObject({
      kind: 'ClusterNetworkPolicy',
      namespace: '',
      name: 'deny-cross-namespace-shop',
      collection: '/apis/policy.networking.k8s.io/v1beta1/clusternetworkpolicies',
      label: 'ClusterNetworkPolicy deny-cross-namespace-shop',
    });
    expect(policyResource({ ...cnp(), apiVersion: 'policy.networking.k8s.io/v1alpha2' }).collection).toBe(
      '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies',
    );
    expect(policyResource(manifest()).collection).toBe(
      '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies',
    );
  });

  it("words the server's refusals for a cluster-scoped object", () => {
    const what = { kind: 'ClusterNetworkPolicy' as const, namespace: '', name: 'deny-x' };
    const forbidden = failureFromResponse(
      {
        status: 403,
        body: {
          kind: 'Status',
          message:
            'clusternetworkpolicies.policy.networking.k8s.io "deny-x" is forbidden: User "alice" cannot create resource "clusternetworkpolicies" in API group "policy.networking.k8s.io" at the cluster scope',
        },
      },
      what,
    );
    expect(forbidden.message).toBe(
      'RBAC: user "alice" may not create clusternetworkpolicies cluster-wide, so ClusterNetworkPolicy deny-x cannot be written with this context. A cluster administrator can grant it with a ClusterRole that allows "create" on clusternetworkpolicies.',
    );
    expect(
      failureFromResponse({ status: 422, body: { kind: 'Status', message: 'bad', details: {} } }, what)
        .message,
    ).toBe('The API server rejected ClusterNetworkPolicy deny-x: bad');
  });

  it('the ledger binds a dry-run of a ClusterNetworkPolicy to its apply', () => {
    const ledger = new DryRunLedger();
    const plan = {
      operation: 'create' as const,
      namespace: '',
      name: 'deny-cross-namespace-shop',
      force: true,
    };
    const { token } = ledger.record('ctx', cnp(), plan);
    expect(ledger.take(token, 'ctx', { ...cnp(), spec: { ...cnp().spec, priority: 7 } })).toMatchObject({
      ok: false,
    });
    const again = ledger.record('ctx', cnp(), plan).token;
    expect(ledger.take(again, 'ctx', cnp())).toEqual({ ok: true, plan });
  });
});

/** A stand-in API server: answers from `route`, records the requests. */
async function fakeApiServer(
  route: (method: string, path: string) => { status: number; body: unknown },
): Promise<{ kubeConfig: KubeConfig; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    requests.push(
      `${request.method ?? ''} ${url.pathname}${url.searchParams.has('dryRun') ? ' dryRun' : ''}`,
    );
    const answer = route(request.method ?? '', url.pathname);
    response.writeHead(answer.status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return {
    kubeConfig,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const notFound = {
  status: 404,
  body: { kind: 'Status', message: 'the server could not find the requested resource', reason: 'NotFound' },
};

describe('a cluster that does not serve ClusterNetworkPolicy', () => {
  it('says the CRDs are not installed, and writes nothing', async () => {
    const api = await fakeApiServer(() => notFound);
    try {
      const result = await dryRunPolicy(api.kubeConfig, cnp());
      expect(result).toMatchObject({ ok: false, failure: { reason: 'not-found' } });
      if (result.ok) return;
      expect(result.failure.message).toBe(
        'This cluster does not serve ClusterNetworkPolicy (404 on /apis/policy.networking.k8s.io/v1beta1/clusternetworkpolicies): the policy.networking.k8s.io CRDs of sigs.k8s.io/network-policy-api are not installed, so ClusterNetworkPolicy deny-cross-namespace-shop cannot be written here.',
      );
      expect(api.requests.filter((r) => !r.startsWith('GET'))).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('names the versions it does serve when the draft asks for another', async () => {
    const api = await fakeApiServer((_method, path) => {
      if (path === '/apis/policy.networking.k8s.io')
        return {
          status: 200,
          body: {
            kind: 'APIGroup',
            versions: [
              { groupVersion: 'policy.networking.k8s.io/v1alpha2', version: 'v1alpha2' },
              { groupVersion: 'policy.networking.k8s.io/v1alpha1', version: 'v1alpha1' },
            ],
          },
        };
      if (path === '/apis/policy.networking.k8s.io/v1alpha2')
        return {
          status: 200,
          body: { kind: 'APIResourceList', resources: [{ name: 'clusternetworkpolicies' }] },
        };
      if (path === '/apis/policy.networking.k8s.io/v1alpha1')
        return {
          status: 200,
          body: { kind: 'APIResourceList', resources: [{ name: 'adminnetworkpolicies' }] },
        };
      return notFound;
    });
    try {
      const result = await dryRunPolicy(api.kubeConfig, cnp());
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.failure.message).toBe(
        "This cluster does not serve ClusterNetworkPolicy at policy.networking.k8s.io/v1beta1 (404 on /apis/policy.networking.k8s.io/v1beta1/clusternetworkpolicies); it serves policy.networking.k8s.io/v1alpha2. Change the draft's apiVersion to one of those.",
      );
    } finally {
      await api.close();
    }
  });

  it('a 404 on a served resource is an absent object: a create, dry-run first', async () => {
    const api = await fakeApiServer((method, path) => {
      if (path === '/apis/policy.networking.k8s.io/v1beta1')
        return {
          status: 200,
          body: { kind: 'APIResourceList', resources: [{ name: 'clusternetworkpolicies' }] },
        };
      if (method === 'PATCH')
        return { status: 201, body: { ...cnp(), metadata: { name: 'deny-cross-namespace-shop', uid: 'u' } } };
      return {
        status: 404,
        body: {
          kind: 'Status',
          message: 'clusternetworkpolicies.policy.networking.k8s.io "deny-cross-namespace-shop" not found',
          reason: 'NotFound',
        },
      };
    });
    try {
      const result = await dryRunPolicy(api.kubeConfig, cnp());
      expect(result).toMatchObject({
        ok: true,
        value: { operation: 'create', namespace: '', name: 'deny-cross-namespace-shop' },
      });
      expect(api.requests).toEqual([
        'GET /apis/policy.networking.k8s.io/v1beta1/clusternetworkpolicies/deny-cross-namespace-shop',
        'GET /apis/policy.networking.k8s.io/v1beta1',
        'PATCH /apis/policy.networking.k8s.io/v1beta1/clusternetworkpolicies/deny-cross-namespace-shop dryRun',
      ]);
    } finally {
      await api.close();
    }
  });
});
