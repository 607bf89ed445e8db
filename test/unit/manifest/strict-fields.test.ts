/**
 * Unknown fields, refused as kubectl's strict field validation refuses them (issue 11), with the field
 * path and the position of the field.
 *
 * - Recorded: what kube-apiserver v1.34.12 (with the network-policy-api CRDs test/cluster installs)
 *   answered `kubectl apply --dry-run=server` for these inputs, against what netglass reports. The one
 *   deliberate difference: deep parts of a Pod netglass never reads (field-schema.ts says why).
 * - Complete: every object the schema (field-schema.data.ts) types, in manifests that use every field
 *   of NetworkPolicy and the admin kinds, refuses a stray field at its exact path and line, whether the
 *   kind's reader or the generic check owns it; and every field the schema knows is accepted.
 * - Current: the checked-in table is what the pinned schemas give (when the Go module cache has them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatPath, readDocuments } from '../../../shared/manifest/documents.ts';
import type { FieldPath } from '../../../shared/manifest/documents.ts';
import { schemaFields, schemaRoot } from '../../../shared/manifest/field-schema.ts';
import { parseManifestText, parseManifestValue } from '../../../shared/manifest/index.ts';
import type { LoadIssue } from '../../../shared/model/snapshot.ts';

const unknownFieldErrors = (issues: readonly LoadIssue[]): LoadIssue[] =>
  issues.filter((i) => i.severity === 'error' && i.message.startsWith('unknown field'));

/** Parts of a Pod the server checks and netglass deliberately does not (it never reads them). */
const SERVER_ONLY = [/^spec\.volumes\[/, /^spec\.containers\[\d+\]\.env\[/, /^status\.containerStatuses\[/];

const RECORDED: { name: string; text: string; server: string[] }[] = [
  {
    name: 'NetworkPolicy',
    text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a, namespace: shop, labls: {x: y}}
spec:
  podselector: {}
  ingress:
  - form: []
    from: [{ipblock: {cidr: 10.0.0.0/8}, podSelector: {matchLabel: {a: b}, matchExpressions: [{key: k, operator: In, value: [x]}]}}]
  egress:
  - ports: [{port: 80, endport: 90}]
status: {}
`,
    server: [
      'metadata.labls',
      'spec.egress[0].ports[0].endport',
      'spec.ingress[0].form',
      'spec.ingress[0].from[0].ipblock',
      'spec.ingress[0].from[0].podSelector.matchExpressions[0].value',
      'spec.ingress[0].from[0].podSelector.matchLabel',
      'spec.podselector',
      'status',
    ],
  },
  {
    name: 'Pod',
    text: `apiVersion: v1
kind: Pod
metadata:
  name: a
  namespace: shop
  labls: {x: y}
  ownerReferences: [{apiVersion: v1, kind: ReplicaSet, name: rs, uid: u, controler: true}]
  managedFields: [{manager: m, operation: Update, mangr: x}]
spec:
  hostnetwork: true
  containers:
  - name: c
    image: x
    port: [{containerPort: 80}]
    ports: [{containerPort: 81, nme: http}]
    env: [{name: A, valu: b}]
  volumes: [{name: v, emptyDir: {medum: x}}]
status:
  podIPs: [{ip: 10.0.0.1, ipp: x}]
  containerStatuses: [{nam: c}]
  foo: 1
`,
    server: [
      'metadata.labls',
      'metadata.managedFields[0].mangr',
      'metadata.ownerReferences[0].controler',
      'spec.containers[0].env[0].valu',
      'spec.containers[0].port',
      'spec.containers[0].ports[0].nme',
      'spec.hostnetwork',
      'spec.volumes[0].emptyDir.medum',
      'status.containerStatuses[0].nam',
      'status.foo',
      'status.podIPs[0].ipp',
    ],
  },
  {
    name: 'Namespace',
    text: `apiVersion: v1
kind: Namespace
metadata: {name: b, finalizer: [x]}
spec: {finalizers: [kubernetes], x: 1}
status: {phase: Active, conditions: [{type: A, status: "True", foo: 1}]}
bogus: 1
`,
    server: ['bogus', 'metadata.finalizer', 'spec.x', 'status.conditions[0].foo'],
  },
  {
    name: 'ClusterNetworkPolicy',
    text: `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: a, labls: {x: z}, ownerReferences: [{apiVersion: v1, kind: X, name: o, uid: z, foo: 1}]}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {}, pod: {}}
  ingress:
  - action: Accept
    from: [{namespaces: {matchLabel: {}}}]
    extra: 1
    protocols: [{tcp: {destinationPort: {number: 80, nmber: 1}}}]
status:
  conditions: [{type: A, status: "True", reason: R, message: m, lastTransitionTime: "2024-01-01T00:00:00Z", reson: x}]
  other: 1
bogus: 2
`,
    server: [
      'bogus',
      'metadata.labls',
      'metadata.ownerReferences[0].foo',
      'spec.ingress[0].extra',
      'spec.ingress[0].from[0].namespaces.matchLabel',
      'spec.ingress[0].protocols[0].tcp.destinationPort.nmber',
      'spec.subject.pod',
      'status.conditions[0].reson',
      'status.other',
    ],
  },
  {
    name: 'AdminNetworkPolicy',
    text: `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: a, foo: 1}
spec:
  priority: 1
  subject: {pods: {namespaceSelector: {}, podselector: {}}}
  ingress:
  - action: Allow
    from: [{namespaces: {namespaceSelector: {}}}]
    ports: [{portNumber: {port: 80, protocol: TCP, prot: 1}}]
status:
  conditions: []
  foo: 1
`,
    server: [
      'metadata.foo',
      'spec.ingress[0].ports[0].portNumber.prot',
      'spec.subject.pods.podselector',
      'status.foo',
    ],
  },
  {
    name: 'BaselineAdminNetworkPolicy',
    text: `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  egress:
  - action: Deny
    to: [{pods: {namespaces: {namespaceSelector: {}}, podSelector: {}, podSelectr: {}}}]
    ports: [{portRange: {start: 1, end: 2, ed: 3}}]
  priority: 3
`,
    server: ['spec.egress[0].ports[0].portRange.ed', 'spec.egress[0].to[0].pods.podSelectr', 'spec.priority'],
  },
  {
    name: 'nulls',
    text: `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: nn, foo: null}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {}}
  ingress:
  - action: Accept
    from: [{namespaces: {}}]
    extra: null
status: {other: null}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: nn, namespace: shop, foo: null}
spec: {podSelector: {matchLabel: null}, bar: null, ingress: [{form: null}]}
status: null
---
apiVersion: v1
kind: Pod
metadata: {name: nn, namespace: shop, foo: null}
spec: {hostnetwork: null, containers: [{name: c, image: x, foo: null, ports: [{containerPort: 80, nme: null}]}]}
status: {foo: null}
---
apiVersion: v1
kind: Namespace
metadata: {name: nn, foo: null}
spec: {x: null}
`,
    server: [],
  },
];

describe('unknown fields, as the API server refuses them', () => {
  for (const c of RECORDED) {
    it(`${c.name}: the fields the server named, at their lines`, () => {
      const r = parseManifestText(c.text, 'case.yaml');
      const errors = unknownFieldErrors(r.issues);
      expect(errors.map((e) => e.field).sort()).toEqual(
        c.server.filter((f) => !SERVER_ONLY.some((re) => re.test(f))).sort(),
      );
      const lines = c.text.split('\n');
      for (const e of errors) {
        const key = /"([^"]+)"/.exec(e.message)?.[1] ?? '';
        expect(e.location?.file).toBe('case.yaml');
        expect(lines[(e.location?.line ?? 0) - 1], `${e.field}: ${e.message}`).toContain(key);
        expect(e.message).toMatch(/was not loaded$/);
      }
    });
  }

  it('says what the field may have meant, and which schema has no such field', () => {
    const r = parseManifestText(RECORDED[1]?.text ?? '', 'pod.yaml');
    const labls = r.issues.find((i) => i.field === 'metadata.labls');
    expect(labls?.message).toBe(
      'unknown field "labls" (did you mean "labels"?): ObjectMeta (Kubernetes 1.34) has no such field, and the API server refuses unknown fields; Pod shop/a was not loaded',
    );
    expect(labls?.location).toEqual({ file: 'pod.yaml', line: 6, column: 10 });
    const ip = r.issues.find((i) => i.field === 'status.podIPs[0].ipp');
    expect(ip?.message).toMatch(/^unknown field "ipp" \(did you mean "ip"\?\); expected ip;/);
    expect(r.pods).toEqual([]);
  });

  it('a live object is not checked: the server took it, and its schema may be newer', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'a', namespace: 'shop', fieldFromTheFuture: 'x' },
      spec: { containers: [{ name: 'c', image: 'x', newField: 1 }] },
      status: { podIP: '10.0.0.1', alsoNew: {} },
    };
    const live = parseManifestValue(pod, 'context kind');
    expect(live.issues).toEqual([]);
    expect(live.pods.map((p) => p.name)).toEqual(['a']);
    expect(unknownFieldErrors(parseManifestText(JSON.stringify(pod), 'pod.json').issues)).toHaveLength(3);
  });
});

describe('field names that are also Object.prototype names', () => {
  it('are unknown fields like any other, not an internal error', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  constructor: x\n  toString: y\nspec:\n  hasOwnProperty: 1\n';
    const r = parseManifestText(text, 'proto.yaml');
    expect(r.issues.map((i) => [i.field, i.location?.line, i.message.slice(0, 30)])).toEqual([
      ['metadata.constructor', 5, 'unknown field "constructor": O'],
      ['metadata.toString', 6, 'unknown field "toString": Obje'],
      ['spec.hasOwnProperty', 8, 'unknown field "hasOwnProperty"'],
    ]);
    const json = parseManifestText(
      '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a", "__proto__": {"x": 1}}}',
      'proto.json',
    );
    expect(json.issues.map((i) => i.field)).toEqual(['metadata.__proto__']);
  });
});

const RICH = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: rich
  namespace: shop
  labels: {app: web}
  annotations: {note: x}
spec:
  podSelector:
    matchLabels: {app: web}
    matchExpressions: [{key: tier, operator: In, values: [a]}]
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: api}}
      namespaceSelector: {matchLabels: {team: a}}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports:
    - {protocol: TCP, port: 80, endPort: 90}
  egress:
  - to: [{namespaceSelector: {}}]
    ports: [{port: 53, protocol: UDP}]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: rich-namespaces}
spec:
  tier: Admin
  priority: 5
  subject:
    namespaces: {matchLabels: {a: b}}
  ingress:
  - name: i
    action: Accept
    from:
    - namespaces: {matchExpressions: [{key: a, operator: Exists}]}
    - pods: {namespaceSelector: {matchLabels: {a: b}}, podSelector: {matchLabels: {c: d}}}
    protocols:
    - tcp: {destinationPort: {number: 80}}
    - udp: {destinationPort: {range: {start: 1, end: 10}}}
    - sctp: {destinationPort: {number: 9}}
  egress:
  - name: e
    action: Deny
    to:
    - networks: [10.0.0.0/8]
    - nodes: {matchLabels: {a: b}}
    protocols:
    - tcp: {destinationPort: {number: 443}}
  - name: named
    action: Pass
    to:
    - namespaces: {}
    - pods: {namespaceSelector: {}, podSelector: {}}
    protocols:
    - destinationNamedPort: http
  - name: dns
    action: Accept
    to:
    - domainNames: [example.com]
status:
  conditions:
  - {type: Ready, status: "True", reason: Ok, message: fine, lastTransitionTime: "2024-01-01T00:00:00Z", observedGeneration: 1}
---
apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: rich-pods}
spec:
  tier: Baseline
  priority: 5
  subject:
    pods: {namespaceSelector: {}, podSelector: {matchLabels: {a: b}}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: rich-v011}
spec:
  priority: 3
  subject: {pods: {namespaceSelector: {}, podSelector: {}}}
  ingress:
  - name: i
    action: Allow
    from:
    - namespaces: {namespaceSelector: {matchLabels: {a: b}}}
    - namespaces: {sameLabels: [tenant]}
    - namespaces: {notSameLabels: [tenant]}
    - pods: {namespaces: {namespaceSelector: {}}, podSelector: {}}
    ports:
    - portNumber: {protocol: TCP, port: 80}
    - portRange: {protocol: UDP, start: 1, end: 5}
    - namedPort: http
  egress:
  - name: e
    action: Pass
    to:
    - pods: {namespaces: {sameLabels: [x]}, podSelector: {}}
    - pods: {namespaces: {notSameLabels: [x]}, podSelector: {}}
    ports:
    - portNumber: {protocol: TCP, port: 80}
status:
  conditions: []
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: rich-v017}
spec:
  priority: 4
  subject: {namespaces: {matchLabels: {a: b}}}
  ingress:
  - name: i
    action: Deny
    from:
    - namespaces: {matchExpressions: [{key: a, operator: Exists}]}
    - pods: {namespaceSelector: {}, podSelector: {}}
  egress:
  - name: e
    action: Allow
    to:
    - networks: [10.0.0.0/8]
    - nodes: {matchLabels: {a: b}}
    - domainNames: [example.com]
    - namespaces: {matchLabels: {a: b}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - name: i
    action: Deny
    from: [{namespaces: {}}]
    ports: [{portNumber: {protocol: TCP, port: 80}}]
  egress:
  - name: e
    action: Allow
    to:
    - networks: [10.0.0.0/8]
    - nodes: {matchLabels: {a: b}}
    - pods: {namespaceSelector: {}, podSelector: {}}
    - namespaces: {}
    ports: [{portNumber: {protocol: TCP, port: 443}}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  labels: {app: web}
  annotations: {note: x}
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9, uid: u1, controller: true, blockOwnerDeletion: true}
  managedFields:
  - {manager: kubectl, operation: Update, apiVersion: v1, time: "2024-01-01T00:00:00Z", fieldsType: FieldsV1, fieldsV1: {f:metadata: {}}}
  finalizers: [example.com/keep]
  uid: u2
  resourceVersion: "7"
spec:
  hostNetwork: false
  containers:
  - name: c
    image: registry.example/app:1
    ports: [{name: http, containerPort: 8080, protocol: TCP, hostPort: 18080, hostIP: 0.0.0.0}]
  initContainers:
  - {name: init, image: busybox, ports: [{containerPort: 9000}]}
status:
  phase: Running
  podIP: 10.0.0.1
  podIPs: [{ip: 10.0.0.1}]
  hostIP: 192.168.0.1
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: a}}
spec: {finalizers: [kubernetes]}
status:
  phase: Active
  conditions: [{type: NamespaceDeletionDiscoveryFailure, status: "False", reason: R, message: m, lastTransitionTime: "2024-01-01T00:00:00Z"}]
`;

interface TypedObject {
  readonly doc: number;
  readonly path: FieldPath;
  readonly type: string;
}

/** Every object of the documents the schema types, and the fields each type's objects use. */
function typedObjects(docs: readonly unknown[]): { objects: TypedObject[]; used: Map<string, Set<string>> } {
  const objects: TypedObject[] = [];
  const used = new Map<string, Set<string>>();
  const walk = (doc: number, v: unknown, ref: string, path: FieldPath): void => {
    if (ref === '' || v === null || typeof v !== 'object') return;
    if (ref.startsWith('[]')) {
      if (Array.isArray(v)) v.forEach((x, i) => walk(doc, x, ref.slice(2), [...path, i]));
      return;
    }
    if (ref.startsWith('{}')) {
      for (const [k, x] of Object.entries(v)) walk(doc, x, ref.slice(2), [...path, k]);
      return;
    }
    const fields = schemaFields(ref);
    if (fields === undefined || Array.isArray(v)) return;
    objects.push({ doc, path, type: ref });
    const seen = used.get(ref) ?? new Set<string>();
    used.set(ref, seen);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === null) continue;
      seen.add(k);
      const child = fields.get(k);
      if (child !== undefined) walk(doc, x, child, [...path, k]);
    }
  };
  docs.forEach((d, i) => {
    const o = d as { apiVersion: string; kind: string };
    const root = schemaRoot(o.apiVersion, o.kind);
    if (root === undefined) throw new Error(`no schema for ${o.apiVersion} ${o.kind}`);
    walk(i, d, root, []);
  });
  return { objects, used };
}

describe('every object the schema types refuses a stray field', () => {
  const docs = readDocuments(RICH, 'rich.yaml').docs.map((d) => d.value);
  const { objects, used } = typedObjects(docs);

  it('the rich manifests load without errors', () => {
    const r = parseManifestText(RICH, 'rich.yaml');
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect([r.namespaces.length, r.pods.length, r.policies.length, r.clusterPolicies.length]).toEqual([
      1, 1, 1, 5,
    ]);
  });

  it('they use every field of every type under the spec of NetworkPolicy and the admin kinds', () => {
    // These parts are checked by the kinds' own readers: a field the schema gained must be known there.
    const specTypes = new Set<string>();
    const reach = (ref: string): void => {
      const type = ref.replace(/^(\[\]|\{\})+/, '');
      const fields = schemaFields(type);
      if (fields === undefined || specTypes.has(type)) return;
      specTypes.add(type);
      for (const r of fields.values()) reach(r);
    };
    for (const d of docs) {
      const o = d as { apiVersion: string; kind: string };
      if (o.kind === 'Pod' || o.kind === 'Namespace') continue;
      reach(schemaFields(schemaRoot(o.apiVersion, o.kind) ?? '')?.get('spec') ?? '');
    }
    expect(specTypes.size).toBeGreaterThan(20);
    const unused = [...specTypes].flatMap((t) =>
      [...(schemaFields(t)?.keys() ?? [])].filter((f) => !used.get(t)?.has(f)).map((f) => `${t}.${f}`),
    );
    expect(unused).toEqual([]);
  });

  it('at its path and line, in every typed object', () => {
    expect(objects.length).toBeGreaterThan(140);
    const missed: string[] = [];
    for (const o of objects) {
      const copy = structuredClone(docs[o.doc]) as Record<string, unknown>;
      let target: unknown = copy;
      for (const seg of o.path) target = (target as Record<string | number, unknown>)[seg];
      (target as Record<string, unknown>)['zzStray'] = 1;
      const text = JSON.stringify(copy, null, 2);
      const r = parseManifestText(text, 'stray.json');
      const field = formatPath([...o.path, 'zzStray']);
      const line = text.split('\n').findIndex((l) => l.includes('"zzStray"')) + 1;
      const hit = unknownFieldErrors(r.issues).find((i) => i.field === field);
      if (hit?.location?.line !== line || !hit.message.startsWith('unknown field "zzStray"'))
        missed.push(`${o.type} at ${field}: ${JSON.stringify(hit)}`);
    }
    expect(missed).toEqual([]);
  });
});

describe('the field table', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const go = ['/usr/local/go/bin/go', 'go'].find((g) => g === 'go' || existsSync(g)) ?? 'go';
  const cache =
    spawnSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8', timeout: 30_000 }).stdout?.trim() ?? '';
  const available = cache !== '' && existsSync(join(cache, 'k8s.io', 'kubernetes@v1.34.12'));

  it.skipIf(!available)('is what the pinned Kubernetes and network-policy-api schemas give', () => {
    const r = spawnSync(process.execPath, [join(root, 'test/schema/generate-field-schema.ts'), '--check'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GOMODCACHE: cache },
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
