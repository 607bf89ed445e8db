/**
 * The manifest reader for CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy (cilium.io/v2):
 * normalization of selectors (namespace labels, scoping to the policy's namespace), peers, ports, L7
 * rules and default deny; errors positioned at file, line and field, as Cilium's validation and the
 * CRD refuse them; warnings for what netglass does not evaluate.
 */
import { describe, expect, it } from 'vitest';
import { snapshotFromText } from '../../../shared/manifest/index.ts';
import type { CiliumPolicy, LoadIssue, Snapshot } from '../../../shared/model/snapshot.ts';

function load(text: string): Snapshot {
  return snapshotFromText(text, 'm.yaml');
}

const issuesOf = (s: Snapshot, severity: LoadIssue['severity']): LoadIssue[] =>
  s.issues.filter((i) => i.severity === severity);

/** The one policy of `text`, which must load without errors or warnings. */
function policyOf(text: string): CiliumPolicy {
  const s = load(text);
  expect(
    s.issues.filter((i) => i.severity !== 'info'),
    JSON.stringify(s.issues, null, 2),
  ).toEqual([]);
  expect(s.ciliumPolicies).toHaveLength(1);
  return s.ciliumPolicies![0]!;
}

/** The single error of `text`: file, line, field, message, and that nothing loaded. */
function oneError(text: string, field: string, line: number, message: RegExp): void {
  const s = load(text);
  const errs = issuesOf(s, 'error');
  expect(errs, JSON.stringify(s.issues, null, 2)).toHaveLength(1);
  const e = errs[0]!;
  expect([e.location?.file, e.location?.line, e.field]).toEqual(['m.yaml', line, field]);
  expect(e.message).toMatch(message);
  expect(e.message).toMatch(/was not loaded$/);
  expect(s.ciliumPolicies ?? []).toEqual([]);
}

/** A CiliumNetworkPolicy in namespace shop; `rest` starts at line 6, indented under spec. */
function cnp(rest: string): string {
  return `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  endpointSelector: {matchLabels: {app: api}}
${rest}`;
}

const NS = 'kubernetes.io/metadata.name';

describe('CiliumNetworkPolicy reader', () => {
  it('scopes the endpointSelector and peer selectors to the policy namespace', () => {
    const p = policyOf(
      cnp(`  ingress:
  - fromEndpoints:
    - matchLabels: {"k8s:app": web}
    - matchLabels: {"k8s:io.kubernetes.pod.namespace": ops, app: mon}
    - matchLabels: {"io.cilium.k8s.namespace.labels.team": blue}
    - {}`),
    );
    expect(p.namespace).toBe('shop');
    const spec = p.specs[0]!;
    expect(spec.subject).toEqual({
      namespaceSelector: { matchLabels: { [NS]: 'shop' }, matchExpressions: [] },
      podSelector: { matchLabels: { app: 'api' }, matchExpressions: [] },
    });
    expect(spec.ingress[0]?.peers).toEqual([
      {
        kind: 'endpoints',
        namespaceSelector: { matchLabels: { [NS]: 'shop' }, matchExpressions: [] },
        podSelector: { matchLabels: { app: 'web' }, matchExpressions: [] },
      },
      {
        kind: 'endpoints',
        namespaceSelector: { matchLabels: { [NS]: 'ops' }, matchExpressions: [] },
        podSelector: { matchLabels: { app: 'mon' }, matchExpressions: [] },
      },
      {
        kind: 'endpoints',
        namespaceSelector: { matchLabels: { team: 'blue' }, matchExpressions: [] },
        podSelector: { matchLabels: {}, matchExpressions: [] },
      },
      {
        kind: 'endpoints',
        namespaceSelector: { matchLabels: { [NS]: 'shop' }, matchExpressions: [] },
        podSelector: { matchLabels: {}, matchExpressions: [] },
      },
    ]);
    expect(spec.defaultDeny).toEqual({ ingress: true, egress: false });
  });

  it('a cluster-wide policy selects across namespaces; matchExpressions on the namespace label', () => {
    const p = policyOf(`apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: all}
spec:
  endpointSelector:
    matchExpressions: [{key: io.kubernetes.pod.namespace, operator: NotIn, values: [kube-system]}]
  egress: [{toEntities: [world, cluster]}]`);
    expect(p.namespace).toBeUndefined();
    expect(p.specs[0]?.subject?.namespaceSelector).toEqual({
      matchLabels: {},
      matchExpressions: [{ key: NS, operator: 'NotIn', values: ['kube-system'] }],
    });
    expect(p.specs[0]?.egress[0]?.peers).toEqual([
      { kind: 'entity', entity: 'world' },
      { kind: 'entity', entity: 'cluster' },
    ]);
  });

  it('ports: ANY expands, 0 is every port, ranges, named ports, L7 rules, CIDR sets', () => {
    const p = policyOf(
      cnp(`  egress:
  - toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.96.0.0/12]}, {cidr: 1.2.3.4}]
  - toEndpoints: [{}]
    toPorts:
    - ports: [{port: "53", protocol: ANY}, {port: "0", protocol: UDP}, {port: "8000", endPort: 8080}]
    - ports: [{port: http, protocol: TCP}]
      rules: {http: [{method: GET, path: /api}]}`),
    );
    const [cidrs, ports] = p.specs[0]!.egress;
    expect(cidrs?.peers).toEqual([
      { kind: 'cidr', cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] },
      { kind: 'cidr', cidr: '1.2.3.4/32', except: [] },
    ]);
    expect(ports?.toPorts).toEqual([
      {
        ports: [
          { protocol: 'TCP', port: 53 },
          { protocol: 'UDP', port: 53 },
          { protocol: 'SCTP', port: 53 },
          { protocol: 'UDP' },
          { protocol: 'TCP', port: 8000, endPort: 8080 },
          { protocol: 'UDP', port: 8000, endPort: 8080 },
          { protocol: 'SCTP', port: 8000, endPort: 8080 },
        ],
      },
      { ports: [{ protocol: 'TCP', port: 'http' }], l7: 'HTTP GET /api' },
    ]);
  });

  it('{} matches nothing, toPorts alone every peer; deny rules and enableDefaultDeny', () => {
    const p = policyOf(
      cnp(`  enableDefaultDeny: {ingress: false}
  ingress: [{}, {toPorts: [{ports: [{port: "80"}]}]}]
  egressDeny: [{toEntities: [world]}]
  egress: [{toFQDNs: [{matchName: example.com}]}, {toServices: [{k8sService: {serviceName: db}}]}]`),
    );
    const spec = p.specs[0]!;
    expect(spec.ingress.map((r) => r.peers)).toEqual(['none', 'all']);
    expect(spec.egressDeny[0]?.peers).toEqual([{ kind: 'entity', entity: 'world' }]);
    expect(spec.egress.map((r) => r.peers)).toEqual([
      [{ kind: 'fqdn', pattern: 'example.com' }],
      [{ kind: 'service', service: 'Service shop/db' }],
    ]);
    expect(spec.defaultDeny).toEqual({ ingress: false, egress: true });
  });

  it('specs: a list of rules, each read in turn', () => {
    const p = policyOf(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: p, namespace: shop}
specs:
- endpointSelector: {}
  ingress: [{}]
- endpointSelector: {}
  egress: [{}]`);
    expect(p.multi).toBe(true);
    expect(p.specs.map((s) => s.defaultDeny)).toEqual([
      { ingress: true, egress: false },
      { ingress: false, egress: true },
    ]);
  });

  it('errors name file, line and field, and the policy is not loaded', () => {
    oneError(
      cnp(`  ingress:
  - fromEndpoints: [{}]
    fromCIDR: [10.0.0.0/8]`),
      'spec.ingress[0].fromCIDR',
      8,
      /combining fromEndpoints and fromCIDR in one rule is not supported by Cilium/,
    );
    oneError(
      cnp(`  ingress: [{fromEntity: [world]}]`),
      'spec.ingress[0].fromEntity',
      6,
      /did you mean "fromEntities"/,
    );
    oneError(
      cnp(`  egress: [{toEntities: [wrold]}]`),
      'spec.egress[0].toEntities[0]',
      6,
      /did you mean world/,
    );
    oneError(
      cnp(`  ingressDeny:
  - toPorts: [{ports: [{port: "80"}], rules: {http: [{}]}}]`),
      'spec.ingressDeny[0].toPorts[0].rules',
      7,
      /deny rules cannot have rules/,
    );
    oneError(
      cnp(`  egress: [{toPorts: [{ports: [{port: 80}]}]}]`),
      'spec.egress[0].toPorts[0].ports[0].port',
      6,
      /must be a string.*quote it/,
    );
    oneError(
      cnp(`  egress: [{toPorts: [{ports: [{port: "90", endPort: 80}]}]}]`),
      'spec.egress[0].toPorts[0].ports[0].endPort',
      6,
      /between port \(90\) and 65535/,
    );
    oneError(
      cnp(`  egress: [{toCIDRSet: [{cidr: 10.0.0.0/16, except: [10.1.0.0/24]}]}]`),
      'spec.egress[0].toCIDRSet[0].except[0]',
      6,
      /not inside cidr 10\.0\.0\.0\/16/,
    );
    oneError(
      `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  nodeSelector: {}`,
      'spec.nodeSelector',
      5,
      /only allowed in a CiliumClusterwideNetworkPolicy/,
    );
    oneError(
      `apiVersion: cilium.io/v1
kind: CiliumNetworkPolicy
metadata: {name: p, namespace: shop}
spec: {endpointSelector: {}}`,
      'apiVersion',
      1,
      /expected cilium\.io\/v2/,
    );
  });

  it('warns about what netglass does not evaluate, and still loads the rest', () => {
    const s = load(`apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: hosts}
specs:
- nodeSelector: {}
  ingress: [{fromEntities: [world]}]
- endpointSelector: {matchLabels: {"io.cilium.k8s.policy.serviceaccount": sa}}
- endpointSelector: {}
  egress:
  - toNodes: [{}]
  - toEndpoints: [{matchLabels: {"reserved:host": ""}}]
  - toPorts: [{ports: [{protocol: ICMP}]}]`);
    expect(issuesOf(s, 'error')).toEqual([]);
    const warnings = issuesOf(s, 'warning').map((w) => [w.location?.line, w.field, w.message]);
    expect(warnings).toEqual([
      [5, 'specs[0].nodeSelector', expect.stringMatching(/host policies \(nodeSelector\) are not evaluated/)],
      [7, 'specs[1].endpointSelector', expect.stringMatching(/pod service account/)],
      [10, 'specs[2].egress[0].toNodes', expect.stringMatching(/toNodes is not evaluated/)],
      [
        11,
        'specs[2].egress[1].toEndpoints[0]',
        expect.stringMatching(/reserved:host.*fromEntities\/toEntities/),
      ],
      [12, 'specs[2].egress[2].toPorts[0].ports[0].protocol', expect.stringMatching(/ICMP is not evaluated/)],
    ]);
    expect(s.ciliumPolicies?.[0]?.specs.map((sp) => sp.subject === undefined)).toEqual([true, true, false]);
  });

  it('a duplicate is reported and the first kept; CNPs in other namespaces are distinct', () => {
    const one = cnp('  ingress: [{}]');
    const s = load(`${one}\n---\n${one}\n---\n${one.replace('namespace: shop', 'namespace: ops')}`);
    expect(issuesOf(s, 'error').map((e) => e.message)).toEqual([
      expect.stringMatching(/^duplicate CiliumNetworkPolicy shop\/p: already defined at m\.yaml:1:1/),
    ]);
    expect(s.ciliumPolicies?.map((p) => p.namespace)).toEqual(['shop', 'ops']);
  });
});

describe('the endpointSelector of a CiliumNetworkPolicy', () => {
  it('stays in the policy namespace: a namespace written there is replaced, with a warning', () => {
    const s = load(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  endpointSelector: {matchLabels: {"k8s:io.kubernetes.pod.namespace": ops}}
  ingress: [{}]`);
    expect(issuesOf(s, 'warning').map((w) => [w.location?.line, w.field, w.message])).toEqual([
      [5, 'spec.endpointSelector', expect.stringMatching(/Cilium replaces it with shop$/)],
    ]);
    expect(s.ciliumPolicies?.[0]?.specs[0]?.subject?.namespaceSelector).toEqual({
      matchLabels: { 'kubernetes.io/metadata.name': 'shop' },
      matchExpressions: [],
    });
  });
});
