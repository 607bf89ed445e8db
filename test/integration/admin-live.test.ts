/**
 * Admin network policies (ClusterNetworkPolicy, legacy AdminNetworkPolicy/BaselineAdminNetworkPolicy)
 * through the live source against a real kube-apiserver with the network-policy-api CRDs: changes
 * followed through the watch, a cluster without the CRDs (and CRDs installed or removed while
 * watching), RBAC that forbids the admin kinds, and the shared admin fixture read live and as
 * manifests giving the same policies and the same verdicts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createAnalyzer,
  type ConnectionQuery,
  type PortProbe,
  type SideResult,
} from '../../shared/eval/index.ts';
import { snapshotFromText } from '../../shared/manifest/index.ts';
import type { ClusterNetworkPolicy, Snapshot } from '../../shared/model/snapshot.ts';
import {
  attachControlPlane,
  setPodIP,
  startControlPlane,
  type ControlPlane,
} from '../cluster/control-plane.ts';
import { Probe, createPod, podNames, unique } from './live-probe.ts';

const GROUP = 'policy.networking.k8s.io';
const NOT_INSTALLED = 'ClusterNetworkPolicy API not installed on this cluster: no admin-tier policies';

type Clients = {
  core: k8s.CoreV1Api;
  custom: k8s.CustomObjectsApi;
  rbac: k8s.RbacAuthorizationV1Api;
  crds: k8s.ApiextensionsV1Api;
};

function clients(kubeconfig: string): Clients {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return {
    core: kc.makeApiClient(k8s.CoreV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    rbac: kc.makeApiClient(k8s.RbacAuthorizationV1Api),
    crds: kc.makeApiClient(k8s.ApiextensionsV1Api),
  };
}

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

const probes: Probe[] = [];
const track = (p: Probe): Probe => (probes.push(p), p);
afterEach(() => {
  for (const p of probes.splice(0)) p.source.stop();
});

const byName = (s: Snapshot, kind: ClusterNetworkPolicy['kind'], name: string) =>
  s.clusterPolicies.find((p) => p.kind === kind && p.name === name);

/** Which tier decided a side, and how (absent for external peers and snapshots without admin policies). */
const tiers = (side: SideResult) => (side.kind === 'not-subject' ? undefined : side.tiers);

const selectNs = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });

/** client → web on 8080/TCP in one namespace. */
const query = (ns: string): ConnectionQuery => ({
  from: { kind: 'pod', namespace: ns, name: 'client' },
  to: { kind: 'pod', namespace: ns, name: 'web' },
  port: 8080,
  protocol: 'TCP',
});

async function twoPods(api: Clients, kubeconfig: string, ns: string, ipBase: string): Promise<void> {
  await api.core.createNamespace({ body: { metadata: { name: ns } } });
  await createPod(api.core, kubeconfig, ns, 'web', { app: 'web' }, `${ipBase}.1`);
  await createPod(api.core, kubeconfig, ns, 'client', { app: 'client' }, `${ipBase}.2`);
}

/** A ClusterNetworkPolicy (v1beta1) on `web` in ns: one ingress rule from `client` on 8080/TCP. */
function cnp(name: string, ns: string, priority: number, action: 'Accept' | 'Deny' | 'Pass') {
  return {
    apiVersion: `${GROUP}/v1beta1`,
    kind: 'ClusterNetworkPolicy',
    metadata: { name },
    spec: {
      tier: 'Admin',
      priority,
      subject: { pods: { namespaceSelector: selectNs(ns), podSelector: { matchLabels: { app: 'web' } } } },
      ingress: [
        {
          name: 'from-client',
          action,
          from: [
            { pods: { namespaceSelector: selectNs(ns), podSelector: { matchLabels: { app: 'client' } } } },
          ],
          protocols: [{ tcp: { destinationPort: { number: 8080 } } }],
        },
      ],
    },
  };
}

/** A legacy v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy with the same shape. */
function legacy(
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy',
  name: string,
  ns: string,
  action: string,
) {
  return {
    apiVersion: `${GROUP}/v1alpha1`,
    kind,
    metadata: { name },
    spec: {
      ...(kind === 'AdminNetworkPolicy' ? { priority: 5 } : {}),
      subject: { pods: { namespaceSelector: selectNs(ns), podSelector: { matchLabels: { app: 'web' } } } },
      ingress: [
        {
          name: 'from-client',
          action,
          from: [
            {
              pods: {
                namespaces: { namespaceSelector: selectNs(ns) },
                podSelector: { matchLabels: { app: 'client' } },
              },
            },
          ],
          ports: [{ portNumber: { protocol: 'TCP', port: 8080 } }],
        },
      ],
    },
  };
}

describe('admin policies on the shared control plane', () => {
  const cluster = inject('cluster');
  const api = clients(cluster.adminKubeconfig);
  const ns = unique('adm');
  const cnpName = unique('adm-cnp');
  const anpName = unique('adm-anp');
  const cleanup: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    await twoPods(api, cluster.adminKubeconfig, ns, '10.30.0');
  });
  afterAll(async () => {
    for (const undo of cleanup.reverse()) await undo().catch(() => undefined);
    await api.core.deleteNamespace({ name: ns });
  });

  it('follows a ClusterNetworkPolicy and legacy v1alpha1 policies as they are created, changed and deleted', async () => {
    const probe = track(new Probe(cluster.adminKubeconfig));
    let snap = await probe.until((s) => podNames(s, ns).length === 2, 'the initial list');
    expect(snap.issues.filter((i) => i.message.includes('not installed'))).toEqual([]);
    await probe.untilStatus((s) => s.state === 'live', 'live');
    const verdict = (s: Snapshot) => createAnalyzer(s).check(query(ns));
    expect(verdict(snap).verdict).toBe('allowed');

    const custom = (version: string, plural: string) => ({ group: GROUP, version, plural });
    await api.custom.createClusterCustomObject({
      ...custom('v1beta1', 'clusternetworkpolicies'),
      body: cnp(cnpName, ns, 50, 'Deny'),
    });
    cleanup.push(() =>
      api.custom.deleteClusterCustomObject({ ...custom('v1beta1', 'clusternetworkpolicies'), name: cnpName }),
    );
    snap = await probe.until((s) => byName(s, 'ClusterNetworkPolicy', cnpName) !== undefined, 'the new CNP');
    expect(byName(snap, 'ClusterNetworkPolicy', cnpName)).toMatchObject({
      apiVersion: `${GROUP}/v1beta1`,
      tier: 'Admin',
      priority: 50,
      subject: { kind: 'pods', podSelector: { matchLabels: { app: 'web' } } },
      ingress: [
        { name: 'from-client', action: 'Deny', ports: [{ kind: 'port', protocol: 'TCP', port: 8080 }] },
      ],
      egress: [],
    });
    let v = verdict(snap);
    expect(v.verdict).toBe('denied');
    expect(tiers(v.ingress)?.decidedBy).toBe('Admin');
    expect(tiers(v.ingress)?.admin?.policy).toBe(cnpName);

    // An update (priority and action) arrives as MODIFIED.
    await api.custom.patchClusterCustomObject(
      {
        ...custom('v1beta1', 'clusternetworkpolicies'),
        name: cnpName,
        body: { spec: { priority: 60, ingress: cnp(cnpName, ns, 60, 'Pass').spec.ingress } },
      },
      mergePatch,
    );
    snap = await probe.until(
      (s) => byName(s, 'ClusterNetworkPolicy', cnpName)?.priority === 60,
      'the changed CNP',
    );
    expect(byName(snap, 'ClusterNetworkPolicy', cnpName)?.ingress[0]?.action).toBe('Pass');
    // Pass hands the side to the NetworkPolicy tier; none isolates web, and no baseline: allowed.
    expect(verdict(snap).verdict).toBe('allowed');

    // Legacy v1alpha1: an AdminNetworkPolicy (Allow reads as Accept) and the BaselineAdminNetworkPolicy.
    await api.custom.createClusterCustomObject({
      ...custom('v1alpha1', 'adminnetworkpolicies'),
      body: legacy('AdminNetworkPolicy', anpName, ns, 'Deny'),
    });
    cleanup.push(() =>
      api.custom.deleteClusterCustomObject({ ...custom('v1alpha1', 'adminnetworkpolicies'), name: anpName }),
    );
    snap = await probe.until((s) => byName(s, 'AdminNetworkPolicy', anpName) !== undefined, 'the new ANP');
    expect(byName(snap, 'AdminNetworkPolicy', anpName)).toMatchObject({
      apiVersion: `${GROUP}/v1alpha1`,
      tier: 'Admin',
      priority: 5,
      ingress: [{ action: 'Deny' }],
    });
    v = verdict(snap);
    expect(v.verdict).toBe('denied');
    expect(tiers(v.ingress)?.admin?.policy).toBe(`AdminNetworkPolicy:${anpName}`);

    await api.custom.patchClusterCustomObject(
      {
        ...custom('v1alpha1', 'adminnetworkpolicies'),
        name: anpName,
        body: { spec: { ingress: legacy('AdminNetworkPolicy', anpName, ns, 'Pass').spec.ingress } },
      },
      mergePatch,
    );
    snap = await probe.until(
      (s) => byName(s, 'AdminNetworkPolicy', anpName)?.ingress[0]?.action === 'Pass',
      'the changed ANP',
    );
    expect(verdict(snap).verdict).toBe('allowed');

    // The baseline tier decides once both admin policies pass. Its name must be "default" (CRD rule).
    await api.custom.createClusterCustomObject({
      ...custom('v1alpha1', 'baselineadminnetworkpolicies'),
      body: legacy('BaselineAdminNetworkPolicy', 'default', ns, 'Deny'),
    });
    cleanup.push(() =>
      api.custom.deleteClusterCustomObject({
        ...custom('v1alpha1', 'baselineadminnetworkpolicies'),
        name: 'default',
      }),
    );
    snap = await probe.until(
      (s) => byName(s, 'BaselineAdminNetworkPolicy', 'default') !== undefined,
      'the new BANP',
    );
    expect(byName(snap, 'BaselineAdminNetworkPolicy', 'default')).toMatchObject({ tier: 'Baseline' });
    v = verdict(snap);
    expect(v.verdict).toBe('denied');
    expect(tiers(v.ingress)?.decidedBy).toBe('Baseline');

    // Deletions arrive as DELETED; nothing of ours is left.
    for (const undo of cleanup.splice(0).reverse()) await undo();
    snap = await probe.until(
      (s) => !s.clusterPolicies.some((p) => [cnpName, anpName, 'default'].includes(p.name)),
      'the deleted admin policies',
    );
    expect(verdict(snap).verdict).toBe('allowed');
  });

  it('a user who may read NetworkPolicies but not the admin kinds: admin tiers unreadable, verdicts unknown', async () => {
    const cp = attachControlPlane(cluster.dir);
    if (cp === undefined) throw new Error(`no control plane recorded in ${cluster.dir}`);
    const user = unique('netpol-reader');
    const kubeconfig = await cp.addUser(user);
    await api.rbac.createClusterRole({
      body: {
        metadata: { name: user },
        rules: [
          { apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['get', 'list', 'watch'] },
          {
            apiGroups: ['networking.k8s.io'],
            resources: ['networkpolicies'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      },
    });
    cleanup.push(() => api.rbac.deleteClusterRole({ name: user }));
    await api.rbac.createClusterRoleBinding({
      body: {
        metadata: { name: user },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: user },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      },
    });
    cleanup.push(() => api.rbac.deleteClusterRoleBinding({ name: user }));

    const probe = track(new Probe(kubeconfig));
    const snap = await probe.until((s) => podNames(s, ns).length === 2, 'the pods');
    expect(snap.visibility).toEqual({
      policiesUnreadable: [],
      podsUnreadable: [],
      namespacesUnreadable: false,
      clusterPoliciesUnreadable: true,
    });
    expect(snap.clusterPolicies).toEqual([]);
    expect(snap.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    const status = await probe.untilStatus(
      (s) => s.state === 'live' && s.forbidden.length === 3,
      'live with the admin kinds forbidden',
    );
    const forbidden = status.state === 'live' ? status.forbidden : [];
    expect(forbidden.map((f) => [f.resource, f.namespace])).toEqual([
      ['clusternetworkpolicies', undefined],
      ['adminnetworkpolicies', undefined],
      ['baselineadminnetworkpolicies', undefined],
    ]);
    expect(forbidden[0]?.reason).toMatch(
      new RegExp(`HTTP 403: .*clusternetworkpolicies.* is forbidden: User "${user}" cannot list`),
    );
    // No NetworkPolicy isolates web, but an unread admin rule could decide either side.
    expect(createAnalyzer(snap).check(query(ns)).verdict).toBe('unknown');
  });
});

describe('a cluster without the admin policy CRDs', () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane({ adminPolicyCrds: false });
  }, 5 * 60_000);
  afterAll(async () => {
    await cp?.stop();
  });

  it('says plainly that the API is not installed, stays live, and follows CRDs installed or removed later', async () => {
    const api = clients(cp.adminKubeconfig);
    const ns = unique('nocrd');
    await twoPods(api, cp.adminKubeconfig, ns, '10.40.0');

    const probe = track(new Probe(cp.adminKubeconfig, [], { rediscoverMs: 300 }));
    let snap = await probe.until((s) => podNames(s, ns).length === 2, 'the initial list');
    expect(snap.issues).toEqual([{ severity: 'info', message: NOT_INSTALLED }]);
    expect(snap.clusterPolicies).toEqual([]);
    expect(snap.visibility).toBeUndefined();
    expect(await probe.untilStatus((s) => s.state === 'live', 'live')).toEqual({
      state: 'live',
      forbidden: [],
    });
    expect(createAnalyzer(snap).check(query(ns)).verdict).toBe('allowed');

    // Installed while watching: discovery finds the kinds, and a policy created now shows.
    await cp.installAdminPolicyCrds();
    const name = unique('late');
    await api.custom.createClusterCustomObject({
      group: GROUP,
      version: 'v1alpha2',
      plural: 'clusternetworkpolicies',
      body: { ...cnp(name, ns, 10, 'Deny'), apiVersion: `${GROUP}/v1alpha2` },
    });
    snap = await probe.until(
      (s) => byName(s, 'ClusterNetworkPolicy', name) !== undefined,
      'the late CNP',
      30_000,
    );
    // Written as v1alpha2, read at the preferred v1beta1 (same schema).
    expect(byName(snap, 'ClusterNetworkPolicy', name)?.apiVersion).toBe(`${GROUP}/v1beta1`);
    expect(snap.issues).toEqual([]);
    expect(createAnalyzer(snap).check(query(ns)).verdict).toBe('denied');

    // The ClusterNetworkPolicy CRD removed (its objects go with it): back to "not installed", naming
    // the legacy kinds that remain.
    await api.crds.deleteCustomResourceDefinition({ name: `clusternetworkpolicies.${GROUP}` });
    snap = await probe.until(
      (s) => s.issues.some((i) => i.message.startsWith('ClusterNetworkPolicy API not installed')),
      'the removed CRD',
      30_000,
    );
    expect(snap.issues).toEqual([
      {
        severity: 'info',
        message:
          'ClusterNetworkPolicy API not installed on this cluster: admin-tier policies come only from the ' +
          `legacy AdminNetworkPolicy and BaselineAdminNetworkPolicy (${GROUP}/v1alpha1)`,
      },
    ]);
    expect(snap.clusterPolicies).toEqual([]);
    expect(createAnalyzer(snap).check(query(ns)).verdict).toBe('allowed');
    expect(await probe.untilStatus((s) => s.state === 'live', 'live')).toEqual({
      state: 'live',
      forbidden: [],
    });
  });
});

const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/admin');
const readFixture = (name: string): string => fs.readFileSync(path.join(fixtureDir, name), 'utf8');

/** cluster.yaml's namespaces, pods and NetworkPolicies with legacy.yaml's ANPs and BANP (as legacy.yaml says). */
function legacyCluster(): string {
  const rest = parseAllDocuments(readFixture('cluster.yaml'))
    .filter((d) => (d.toJS() as { kind?: string } | null)?.kind !== 'ClusterNetworkPolicy')
    .map((d) => d.toString());
  return `${rest.join('---\n')}---\n${readFixture('legacy.yaml')}`;
}

describe.each([
  {
    name: 'cluster.yaml (ClusterNetworkPolicy v1alpha2 and v1beta1)',
    text: () => readFixture('cluster.yaml'),
  },
  { name: 'legacy.yaml (AdminNetworkPolicy, BaselineAdminNetworkPolicy v1alpha1)', text: legacyCluster },
])('the admin fixture $name, live and as manifests', ({ text: fixtureText }) => {
  let cp: ControlPlane;
  let live: Snapshot;
  let manifests: Snapshot;
  let dir: string;

  beforeAll(async () => {
    cp = await startControlPlane();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-admin-fixture-'));
    const fixture = path.join(dir, 'fixture.yaml');
    const text = fixtureText();
    fs.writeFileSync(fixture, text);
    manifests = snapshotFromText(text, fixture);
    // Server-side apply: client-side apply would add its last-applied annotation to every object.
    execFileSync(
      cp.kubectl ?? 'kubectl',
      ['--kubeconfig', cp.adminKubeconfig, 'apply', '--server-side', '-f', fixture],
      { encoding: 'utf8', timeout: 60_000 },
    );
    // The API server ignores status on create; give pods the IPs their manifests record.
    for (const doc of parseAllDocuments(text)) {
      const o = doc.toJS() as {
        kind?: string;
        metadata?: { name?: string; namespace?: string };
        status?: { podIP?: string };
      } | null;
      if (o?.kind === 'Pod' && o.status?.podIP !== undefined && o.metadata?.name !== undefined) {
        await setPodIP(
          cp.adminKubeconfig,
          o.metadata.namespace ?? 'default',
          o.metadata.name,
          o.status.podIP,
        );
      }
    }
    // Not tracked: afterEach would stop it after the first test; it is stopped below.
    const probe = new Probe(cp.adminKubeconfig);
    const wanted = manifests.pods.filter((p) => p.ips.length > 0).length;
    try {
      live = await probe.until(
        (s) =>
          s.clusterPolicies.length === manifests.clusterPolicies.length &&
          s.pods.filter((p) => p.ips.length > 0).length === wanted,
        'the fixture',
        30_000,
      );
    } finally {
      probe.source.stop();
    }
  }, 5 * 60_000);
  afterAll(async () => {
    await cp?.stop();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Normalized objects without where they were read from; CNP versions v1alpha2/v1beta1 are one schema. */
  const comparable = (s: Snapshot) =>
    s.clusterPolicies
      .map(({ location: _location, ...p }) =>
        p.kind === 'ClusterNetworkPolicy' ? { ...p, apiVersion: `${GROUP}/(v1alpha2|v1beta1)` } : p,
      )
      .sort((a, b) => `${a.kind}:${a.name}`.localeCompare(`${b.kind}:${b.name}`));

  it('reads the same admin policies as the manifests', () => {
    expect(manifests.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(manifests.clusterPolicies.length).toBeGreaterThan(0);
    expect(live.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(comparable(live)).toEqual(comparable(manifests));
    for (const p of live.clusterPolicies.filter((c) => c.kind === 'ClusterNetworkPolicy'))
      expect(p.apiVersion).toBe(`${GROUP}/v1beta1`);
  });

  it('gives the same matrix and the same verdicts', () => {
    const a = createAnalyzer(live);
    const b = createAnalyzer(manifests);
    // The cluster has namespaces of its own (default, kube-public, …) with no pods: compare the fixture's.
    const fixtureNamespaces = new Set(b.summary().namespaces);
    const cells = (an: typeof a) =>
      an.summary().matrix.filter((c) => fixtureNamespaces.has(c.from) && fixtureNamespaces.has(c.to));
    expect(cells(b).length).toBe(fixtureNamespaces.size ** 2);
    expect(cells(a)).toEqual(cells(b));
    // Every ordered pair of pods on the ports the policies mention (and 80/TCP).
    const pods = manifests.pods.filter((p) => p.ips.length > 0);
    const http: PortProbe = { protocol: 'TCP', port: 80 };
    const ports: PortProbe[] = [http, ...b.mentionedPorts()].slice(0, 4);
    let compared = 0;
    let admin = 0;
    for (const from of pods)
      for (const to of pods) {
        if (from === to) continue;
        for (const probe of ports) {
          const q: ConnectionQuery = {
            from: { kind: 'pod', namespace: from.namespace, name: from.name },
            to: { kind: 'pod', namespace: to.namespace, name: to.name },
            ...probe,
          };
          const left = a.check(q);
          expect(left).toEqual(b.check(q));
          compared++;
          const deciders = [tiers(left.ingress)?.decidedBy, tiers(left.egress)?.decidedBy];
          if (deciders.includes('Admin') || deciders.includes('Baseline')) admin++;
        }
      }
    expect(compared).toBeGreaterThan(0);
    // The fixture is about admin tiers: some verdicts must come from them, or the comparison proves little.
    expect(admin).toBeGreaterThan(0);
  });
});
