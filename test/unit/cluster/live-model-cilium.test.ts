/**
 * Cilium policies in the live model: CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy watch
 * events become `upsertCiliumPolicy`/`removeCiliumPolicy` deltas that rebuild the same snapshot a
 * whole read gives, `ciliumPolicies` stays absent when there are none, a forbidden Cilium list is
 * named, and what the manifest reader refuses is an issue rather than a policy.
 */
import { describe, expect, it } from 'vitest';
import { LiveModel } from '../../../electron/cluster/live-model.ts';
import type { KubeObject } from '../../../electron/cluster/reflector.ts';
import { liveSnapshot } from '../../../electron/cluster/to-snapshot.ts';
import { applySnapshotChange } from '../../../shared/model/delta.ts';
import { ciliumPolicyKey, type Snapshot } from '../../../shared/model/snapshot.ts';

const origin = { context: 'test', server: 'https://127.0.0.1:6443' };
const noAdmin = { versions: {}, unreadable: {} };

let rv = 0;
const meta = (name: string, namespace?: string) => ({
  name,
  ...(namespace !== undefined ? { namespace } : {}),
  resourceVersion: String(++rv),
});
const ns = (name: string): KubeObject =>
  ({ metadata: { ...meta(name), labels: { 'kubernetes.io/metadata.name': name } } }) as KubeObject;
/** List items come without kind and apiVersion: the model adds them per resource. */
const cnp = (namespace: string, name: string, port: string): KubeObject =>
  ({
    metadata: meta(name, namespace),
    spec: {
      endpointSelector: { matchLabels: { app: 'web' } },
      ingress: [{ toPorts: [{ ports: [{ port, protocol: 'TCP' }] }] }],
    },
    status: {},
  }) as KubeObject;
const ccnp = (name: string): KubeObject =>
  ({
    metadata: meta(name),
    spec: { endpointSelector: {}, egressDeny: [{ toEntities: ['world'] }] },
  }) as KubeObject;

const keys = (s: Snapshot | undefined): string[] => (s?.ciliumPolicies ?? []).map(ciliumPolicyKey).sort();

describe('LiveModel with Cilium policies', () => {
  it('reads both kinds at cilium.io/v2 and follows them as deltas a client can apply', () => {
    const model = new LiveModel(origin);
    model.event('namespaces', { type: 'replace', items: [ns('shop')] });
    model.event('ciliumnetworkpolicies', { type: 'replace', items: [] });
    model.event('ciliumclusterwidenetworkpolicies', { type: 'replace', items: [] });
    const first = model.flush(noAdmin, undefined);
    expect(first?.change).toBeUndefined();
    // None: absent, as the manifest reader builds a snapshot without Cilium policies.
    expect(first?.snapshot.ciliumPolicies).toBeUndefined();
    let replica = first?.snapshot as Snapshot;

    const web = cnp('shop', 'web', '8080');
    model.event('ciliumnetworkpolicies', { type: 'upsert', item: web });
    model.event('ciliumclusterwidenetworkpolicies', { type: 'upsert', item: ccnp('no-world') });
    let next = model.flush(noAdmin, undefined);
    expect(next?.change?.deltas.map((d) => d.kind)).toEqual(['upsertCiliumPolicy', 'upsertCiliumPolicy']);
    replica = applySnapshotChange(replica, next?.change ?? { deltas: [] });
    expect(keys(replica)).toEqual([
      'CiliumClusterwideNetworkPolicy:no-world',
      'CiliumNetworkPolicy:shop/web',
    ]);
    expect(replica).toEqual(next?.snapshot);
    const read = next?.snapshot.ciliumPolicies?.find((p) => p.name === 'web');
    expect(read).toMatchObject({
      kind: 'CiliumNetworkPolicy',
      apiVersion: 'cilium.io/v2',
      namespace: 'shop',
    });
    expect(read?.specs[0]?.ingress[0]?.toPorts).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);

    // A change of one policy is one upsert; the deletion of the other one removal by its key.
    model.event('ciliumnetworkpolicies', { type: 'upsert', item: cnp('shop', 'web', '9090') });
    model.event('ciliumclusterwidenetworkpolicies', { type: 'delete', item: ccnp('no-world') });
    next = model.flush(noAdmin, undefined);
    expect(next?.change?.deltas).toMatchObject([
      { kind: 'upsertCiliumPolicy', policy: { name: 'web' } },
      { kind: 'removeCiliumPolicy', key: 'CiliumClusterwideNetworkPolicy:no-world' },
    ]);
    replica = applySnapshotChange(replica, next?.change ?? { deltas: [] });
    expect(replica).toEqual(next?.snapshot);

    // The last one gone: the field is absent again, on both sides.
    model.event('ciliumnetworkpolicies', { type: 'replace', items: [] });
    next = model.flush(noAdmin, undefined);
    replica = applySnapshotChange(replica, next?.change ?? { deltas: [] });
    expect(replica.ciliumPolicies).toBeUndefined();
    expect(replica).toEqual(next?.snapshot);
  });

  it('gives the same snapshot as a whole read', () => {
    const objects = {
      namespaces: [ns('shop')],
      pods: [],
      networkpolicies: [],
      clusternetworkpolicies: [],
      adminnetworkpolicies: [],
      baselineadminnetworkpolicies: [],
      ciliumnetworkpolicies: [cnp('shop', 'web', '8080')],
      ciliumclusterwidenetworkpolicies: [ccnp('no-world')],
      adminApis: noAdmin,
    };
    const whole = liveSnapshot(objects, undefined, origin);
    expect(keys(whole)).toEqual(['CiliumClusterwideNetworkPolicy:no-world', 'CiliumNetworkPolicy:shop/web']);
  });

  it('assumes the namespace of a CiliumNetworkPolicy it cannot read, as the manifest reader does', () => {
    const model = new LiveModel(origin);
    model.event('ciliumnetworkpolicies', { type: 'replace', items: [cnp('hidden', 'p', '80')] });
    const s = model.flush(noAdmin, undefined)?.snapshot;
    expect(s?.namespaces).toEqual([
      { name: 'hidden', labels: { 'kubernetes.io/metadata.name': 'hidden' }, declared: false },
    ]);
  });

  it('refuses a policy the manifest reader refuses, with an issue naming it', () => {
    const model = new LiveModel(origin);
    const bad = {
      metadata: meta('bad', 'shop'),
      spec: { endpointSelector: {}, ingress: [{ fromEndpoints: [{}], fromCIDR: ['10.0.0.0/8'] }] },
    } as KubeObject;
    model.event('ciliumnetworkpolicies', { type: 'replace', items: [bad] });
    const s = model.flush(noAdmin, undefined)?.snapshot;
    expect(s?.ciliumPolicies).toBeUndefined();
    expect(s?.issues.some((i) => i.severity === 'error' && i.object === 'CiliumNetworkPolicy shop/bad')).toBe(
      true,
    );
  });

  it('names a Cilium kind whose list is forbidden, and a change of that is a whole snapshot', () => {
    const model = new LiveModel(origin);
    model.event('namespaces', { type: 'replace', items: [ns('shop')] });
    model.flush(noAdmin, undefined);
    const next = model.flush(noAdmin, undefined, ['ciliumclusterwidenetworkpolicies']);
    expect(next?.change).toBeUndefined();
    expect(next?.snapshot.issues.filter((i) => i.message.includes('Cilium'))).toEqual([
      {
        severity: 'info',
        message:
          'your user may not list CiliumClusterwideNetworkPolicy (cilium.io/v2) cluster-wide: ' +
          'verdicts that Cilium policies could decide are unknown',
      },
    ]);
  });
});
