/**
 * The dry-run's list of changes: every field of the whole object that differs between the live
 * policy and what the server would store, server bookkeeping aside.
 */
import { describe, expect, it } from 'vitest';
import { diffObjects, withoutManagedFields } from '../../../electron/cluster/field-diff.ts';

const live = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'u-1',
    resourceVersion: '5',
    generation: 2,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'netglass', operation: 'Apply' }],
    labels: { app: 'web', team: 'a' },
    annotations: { 'example.com/owner': 'ops' },
    ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'o-1' }],
    finalizers: ['example.com/keep'],
  },
  spec: {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ ports: [{ protocol: 'TCP', port: 80 }] }],
    policyTypes: ['Ingress'],
  },
};

type Live = typeof live;
const edit = (change: (copy: Live) => void): Live => {
  const copy = structuredClone(live);
  change(copy);
  return copy;
};

describe('diffObjects', () => {
  it('finds nothing between an object and itself, nor in server bookkeeping', () => {
    expect(diffObjects(live, live)).toEqual([]);
    const rewritten = edit((o) => {
      o.metadata.resourceVersion = '6';
      o.metadata.generation = 3;
      o.metadata.uid = 'u-2';
      o.metadata.creationTimestamp = '2027-01-01T00:00:00Z';
      o.metadata.managedFields = [];
    });
    expect(diffObjects(live, rewritten)).toEqual([]);
  });

  it('lists changes outside spec and labels: annotations, owner references, finalizers, status', () => {
    const next = edit((o) => {
      o.metadata.annotations['example.com/owner'] = 'dev';
      o.metadata.ownerReferences = [];
      o.metadata.finalizers = [];
      Object.assign(o, { status: { conditions: [{ type: 'Ready' }] } });
    });
    expect(diffObjects(live, next)).toEqual([
      { path: 'metadata.annotations["example.com/owner"]', change: 'changed', before: 'ops', after: 'dev' },
      {
        path: 'metadata.ownerReferences[0].apiVersion',
        change: 'removed',
        before: 'v1',
      },
      { path: 'metadata.ownerReferences[0].kind', change: 'removed', before: 'ConfigMap' },
      { path: 'metadata.ownerReferences[0].name', change: 'removed', before: 'owner' },
      { path: 'metadata.ownerReferences[0].uid', change: 'removed', before: 'o-1' },
      { path: 'metadata.finalizers[0]', change: 'removed', before: 'example.com/keep' },
      { path: 'status.conditions[0].type', change: 'added', after: 'Ready' },
    ]);
  });

  it('lists a removed field as removed, and an added list entry leaf by leaf', () => {
    const next = edit((o) => {
      delete (o.metadata.labels as Partial<Live['metadata']['labels']>).team;
      o.spec.ingress[0]!.ports[0]!.port = 8080;
      o.spec.ingress.push({ ports: [{ protocol: 'UDP', port: 53 }] });
    });
    expect(diffObjects(live, next)).toEqual([
      { path: 'metadata.labels.team', change: 'removed', before: 'a' },
      { path: 'spec.ingress[0].ports[0].port', change: 'changed', before: 80, after: 8080 },
      { path: 'spec.ingress[1].ports[0].protocol', change: 'added', after: 'UDP' },
      { path: 'spec.ingress[1].ports[0].port', change: 'added', after: 53 },
    ]);
  });

  it('shows an empty object or list as set, and a change of kind as one change', () => {
    const next = edit((o) => {
      o.spec.podSelector = {} as Live['spec']['podSelector'];
      Object.assign(o.spec, { egress: [] });
      Object.assign(o.spec, { policyTypes: 'Ingress' });
    });
    expect(diffObjects(live, next)).toEqual([
      { path: 'spec.podSelector.matchLabels.app', change: 'removed', before: 'web' },
      { path: 'spec.policyTypes', change: 'changed', before: ['Ingress'], after: 'Ingress' },
      { path: 'spec.egress', change: 'added', after: [] },
    ]);
  });

  it('tells null from absent, and numbers from strings', () => {
    const before = { spec: { a: null, b: 1, c: '1' } };
    expect(diffObjects(before, { spec: { b: 1, c: '1' } })).toEqual([
      { path: 'spec.a', change: 'removed', before: null },
    ]);
    expect(diffObjects(before, { spec: { a: null, b: '1', c: 1 } })).toEqual([
      { path: 'spec.b', change: 'changed', before: 1, after: '1' },
      { path: 'spec.c', change: 'changed', before: '1', after: 1 },
    ]);
  });

  it('lists every field of a created object, bookkeeping aside', () => {
    expect(diffObjects(undefined, live)).toEqual([
      { path: 'apiVersion', change: 'added', after: 'networking.k8s.io/v1' },
      { path: 'kind', change: 'added', after: 'NetworkPolicy' },
      { path: 'metadata.name', change: 'added', after: 'web' },
      { path: 'metadata.namespace', change: 'added', after: 'shop' },
      { path: 'metadata.labels.app', change: 'added', after: 'web' },
      { path: 'metadata.labels.team', change: 'added', after: 'a' },
      { path: 'metadata.annotations["example.com/owner"]', change: 'added', after: 'ops' },
      { path: 'metadata.ownerReferences[0].apiVersion', change: 'added', after: 'v1' },
      { path: 'metadata.ownerReferences[0].kind', change: 'added', after: 'ConfigMap' },
      { path: 'metadata.ownerReferences[0].name', change: 'added', after: 'owner' },
      { path: 'metadata.ownerReferences[0].uid', change: 'added', after: 'o-1' },
      { path: 'metadata.finalizers[0]', change: 'added', after: 'example.com/keep' },
      { path: 'spec.podSelector.matchLabels.app', change: 'added', after: 'web' },
      { path: 'spec.ingress[0].ports[0].protocol', change: 'added', after: 'TCP' },
      { path: 'spec.ingress[0].ports[0].port', change: 'added', after: 80 },
      { path: 'spec.policyTypes[0]', change: 'added', after: 'Ingress' },
    ]);
  });

  it('ignores bookkeeping names only under the object metadata', () => {
    const before = { spec: { uid: 'a', metadata: { resourceVersion: '1' } } };
    const after = { spec: { uid: 'b', metadata: { resourceVersion: '2' } } };
    expect(diffObjects(before, after)).toEqual([
      { path: 'spec.uid', change: 'changed', before: 'a', after: 'b' },
      { path: 'spec.metadata.resourceVersion', change: 'changed', before: '1', after: '2' },
    ]);
  });
});

describe('withoutManagedFields', () => {
  it('drops managedFields only, without touching the original', () => {
    const stripped = withoutManagedFields(live);
    expect(stripped['metadata']).not.toHaveProperty('managedFields');
    expect(stripped['metadata']).toMatchObject({ name: 'web', finalizers: ['example.com/keep'] });
    expect(live.metadata.managedFields).toHaveLength(1);
    const bare = { kind: 'X' };
    expect(withoutManagedFields(bare)).toBe(bare);
  });
});
