/**
 * The manifest reader for admin-tier policies: ClusterNetworkPolicy (policy.networking.k8s.io v1alpha2
 * and v1beta1) and the legacy v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy, validated as
 * their CRDs (network-policy-api v0.3.0 and v0.1.1/v0.1.7) validate them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, parseManifestText, snapshotFromText } from '../../../shared/manifest/index.ts';
import type { ClusterNetworkPolicy, LoadIssue, Snapshot } from '../../../shared/model/snapshot.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/admin');
const ALL: { matchLabels: Record<string, string>; matchExpressions: never[] } = {
  matchLabels: {},
  matchExpressions: [],
};

function load(text: string, file = 'm.yaml'): Snapshot {
  return snapshotFromText(text, file);
}

function bySeverity(s: Snapshot, severity: LoadIssue['severity']): LoadIssue[] {
  return s.issues.filter((i) => i.severity === severity);
}

/** The one policy of `text`, which must load without errors or warnings. */
function policyOf(text: string): ClusterNetworkPolicy {
  const s = load(text);
  expect(s.issues.filter((i) => i.severity !== 'info')).toEqual([]);
  expect(s.clusterPolicies).toHaveLength(1);
  return s.clusterPolicies[0]!;
}

/** The single error of `text`, checked for file, line, field and message, and that nothing loaded. */
function oneError(text: string, field: string | undefined, line: number, message: RegExp): LoadIssue {
  const s = load(text);
  const errs = bySeverity(s, 'error');
  expect(errs, JSON.stringify(s.issues, null, 2)).toHaveLength(1);
  const e = errs[0]!;
  expect(e.location?.file).toBe('m.yaml');
  expect(e.location?.line).toBe(line);
  expect(e.field).toBe(field);
  expect(e.message).toMatch(message);
  expect(e.message).toMatch(/was not loaded$/);
  expect(s.clusterPolicies).toEqual([]);
  return e;
}

/** A ClusterNetworkPolicy: head (8 lines) then `rest`, indented under spec. Line 9 is rest's first line. */
function cnp(rest: string, apiVersion = 'policy.networking.k8s.io/v1beta1'): string {
  return `apiVersion: ${apiVersion}
kind: ClusterNetworkPolicy
metadata:
  name: p
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {}}
${rest}`;
}

/** An egress rule to everything with `protocols` (line 13 is the protocols list's first entry). */
function withProtocols(protocols: string): string {
  return cnp(`  egress:
  - action: Accept
    to: [{namespaces: {}}]
    protocols:
${protocols}`);
}

function anp(rest: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: a
spec:
  priority: 5
  subject: {namespaces: {}}
${rest}`;
}

function banp(rest: string, name = 'default'): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: ${name}
spec:
  subject: {namespaces: {}}
${rest}`;
}

describe('fixtures', () => {
  const cluster = readFileSync(join(FIXTURES, 'cluster.yaml'), 'utf8');
  const legacy = readFileSync(join(FIXTURES, 'legacy.yaml'), 'utf8');

  it('cluster.yaml loads with no errors or warnings: namespaces, pods, NetworkPolicies and four CNPs', () => {
    const s = load(cluster, 'cluster.yaml');
    expect(s.issues).toEqual([]);
    expect(s.namespaces.map((n) => n.name)).toEqual([
      'kube-system',
      'monitoring',
      'shop',
      'payments',
      'blog',
      'sandbox',
    ]);
    expect(s.pods).toHaveLength(10);
    expect(s.policies).toHaveLength(6);
    expect(s.clusterPolicies.map((p) => [p.name, p.apiVersion, p.tier, p.priority])).toEqual([
      ['accept-monitoring', 'policy.networking.k8s.io/v1alpha2', 'Admin', 10],
      ['pass-shop-to-payments', 'policy.networking.k8s.io/v1beta1', 'Admin', 20],
      ['deny-cross-namespace', 'policy.networking.k8s.io/v1beta1', 'Admin', 30],
      ['default-deny', 'policy.networking.k8s.io/v1alpha2', 'Baseline', 50],
    ]);
    expect(s.skippedKinds).toEqual({});
  });

  it('cluster.yaml: the policies read as written', () => {
    const s = load(cluster, 'cluster.yaml');
    const [monitoring, pass, deny, baseline] = s.clusterPolicies;
    expect(monitoring).toEqual({
      kind: 'ClusterNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      name: 'accept-monitoring',
      tier: 'Admin',
      priority: 10,
      subject: {
        kind: 'namespaces',
        namespaceSelector: {
          matchLabels: {},
          matchExpressions: [{ key: 'tenant', operator: 'Exists', values: [] }],
        },
      },
      ingress: [
        {
          name: 'accept-prometheus-scrapes',
          action: 'Accept',
          peers: [
            {
              kind: 'namespaces',
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
                matchExpressions: [],
              },
            },
          ],
          ports: [{ kind: 'port', protocol: 'TCP', port: 9100, endPort: 9102 }],
        },
      ],
      egress: [
        {
          name: 'accept-dns',
          action: 'Accept',
          peers: [
            {
              kind: 'pods',
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
                matchExpressions: [],
              },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' }, matchExpressions: [] },
            },
          ],
          ports: [
            { kind: 'port', protocol: 'UDP', port: 53 },
            { kind: 'port', protocol: 'TCP', port: 53 },
          ],
        },
      ],
      labels: {},
      annotations: {},
      location: { file: 'cluster.yaml', line: 367, column: 1 },
    });
    expect(pass?.subject).toEqual({
      kind: 'pods',
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' }, matchExpressions: [] },
      podSelector: { matchLabels: { app: 'payments-api' }, matchExpressions: [] },
    });
    expect(pass?.ingress.map((r) => [r.name, r.action, r.ports])).toEqual([
      ['pass-from-shop', 'Pass', [{ kind: 'port', protocol: 'TCP', port: 8443 }]],
    ]);
    expect(deny?.labels).toEqual({ 'app.kubernetes.io/managed-by': 'platform-team' });
    expect(deny?.annotations).toEqual({ 'example.com/ticket': 'SEC-1042' });
    expect(deny?.ingress[0]?.peers).toEqual([
      {
        kind: 'namespaces',
        namespaceSelector: {
          matchLabels: {},
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['payments'] }],
        },
      },
    ]);
    expect(deny?.egress).toEqual([
      {
        name: 'pass-cluster-pods',
        action: 'Pass',
        peers: [{ kind: 'namespaces', namespaceSelector: ALL }],
        ports: 'any',
      },
      {
        name: 'deny-outside',
        action: 'Deny',
        peers: [{ kind: 'networks', cidrs: ['0.0.0.0/0', '::/0'] }],
        ports: 'any',
      },
    ]);
    expect(baseline?.ingress).toEqual([
      {
        name: 'deny-all-ingress',
        action: 'Deny',
        peers: [{ kind: 'namespaces', namespaceSelector: ALL }],
        ports: 'any',
      },
    ]);
  });

  it('legacy.yaml (v0.1.1 shapes) loads with no issues and maps to the same policies', () => {
    const s = load(legacy, 'legacy.yaml');
    expect(s.issues).toEqual([]);
    expect(s.clusterPolicies.map((p) => [p.kind, p.name, p.tier, p.priority])).toEqual([
      ['AdminNetworkPolicy', 'accept-monitoring', 'Admin', 10],
      ['AdminNetworkPolicy', 'pass-shop-to-payments', 'Admin', 20],
      ['AdminNetworkPolicy', 'deny-cross-namespace', 'Admin', 30],
      ['BaselineAdminNetworkPolicy', 'default', 'Baseline', 1000],
    ]);
    const current = load(cluster, 'cluster.yaml').clusterPolicies;
    const strip = (p: ClusterNetworkPolicy | undefined): unknown =>
      p && {
        subject: p.subject,
        ingress: p.ingress.map((r) => ({ ...r, name: undefined })),
        egress: p.egress.map((r) => ({ ...r, name: undefined })),
      };
    // Allow → Accept, portRange → a range, namespaceSelector wrappers → selectors.
    expect(strip(s.clusterPolicies[0])).toEqual(strip(current[0]));
    expect(strip(s.clusterPolicies[1])).toEqual(strip(current[1]));
    // v0.1.1 has no networks peer: the legacy deny-cross-namespace has no egress rules.
    expect(strip(s.clusterPolicies[2])).toEqual({ ...(strip(current[2]) as object), egress: [] });
    expect(strip(s.clusterPolicies[3])).toEqual(strip(current[3]));
  });

  it('both sets together: one info per tier that mixes the two APIs', () => {
    const s = buildSnapshot(
      [parseManifestText(cluster, 'cluster.yaml'), parseManifestText(legacy, 'legacy.yaml')],
      { kind: 'manifests', paths: ['cluster.yaml', 'legacy.yaml'] },
    );
    expect(s.clusterPolicies).toHaveLength(8);
    expect(s.issues.map((i) => [i.severity, i.object, i.location?.file, i.location?.line])).toEqual([
      ['info', 'AdminNetworkPolicy accept-monitoring', 'legacy.yaml', 9],
      ['info', 'BaselineAdminNetworkPolicy default', 'legacy.yaml', 101],
    ]);
    expect(s.issues[0]?.message).toMatch(
      /^the Admin tier holds both v1alpha1 AdminNetworkPolicy objects \(3\) and ClusterNetworkPolicies \(4?3, e\.g\. accept-monitoring\); most implementations enforce only one/,
    );
    // One API alone: no info.
    expect(load(legacy).issues).toEqual([]);
  });

  const invalid = readdirSync(join(FIXTURES, 'invalid'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  it('finds the invalid fixtures', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(20);
  });

  // Each file holds one object with one error, described by its first line:
  // `# expect: <field> | <line> | <regular expression for the message>`.
  it.each(invalid)('invalid/%s: exactly the expected error, and nothing loaded', (file) => {
    const text = readFileSync(join(FIXTURES, 'invalid', file), 'utf8');
    const expected = /^# expect: (.+?) \| (\d+) \| (.+)$/m.exec(text);
    expect(expected, 'the fixture describes its error').not.toBeNull();
    const [, field, line, message] = expected!;
    const s = load(text, file);
    const errs = bySeverity(s, 'error');
    expect(errs, JSON.stringify(s.issues, null, 2)).toHaveLength(1);
    expect(errs[0]).toMatchObject({ field, location: { file, line: Number(line) } });
    expect(errs[0]?.message).toMatch(new RegExp(message!));
    expect(errs[0]?.message).toMatch(/was not loaded$/);
    expect(s.clusterPolicies).toEqual([]);
  });
});

describe('ClusterNetworkPolicy fields', () => {
  it('reads v1alpha2 and v1beta1 the same way', () => {
    const body = `  ingress:
  - name: r
    action: Deny
    from:
    - pods:
        namespaceSelector: {matchLabels: {a: b}}
        podSelector: {matchExpressions: [{key: app, operator: In, values: [x, w]}]}
    protocols:
    - sctp: {destinationPort: {number: 3868}}
`;
    const a = policyOf(cnp(body, 'policy.networking.k8s.io/v1alpha2'));
    const b = policyOf(cnp(body, 'policy.networking.k8s.io/v1beta1'));
    expect(a.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
    expect(b.apiVersion).toBe('policy.networking.k8s.io/v1beta1');
    expect({ ...a, apiVersion: '' }).toEqual({ ...b, apiVersion: '' });
    expect(a.ingress[0]).toEqual({
      name: 'r',
      action: 'Deny',
      peers: [
        {
          kind: 'pods',
          namespaceSelector: { matchLabels: { a: 'b' }, matchExpressions: [] },
          podSelector: {
            matchLabels: {},
            matchExpressions: [{ key: 'app', operator: 'In', values: ['x', 'w'] }],
          },
        },
      ],
      ports: [{ kind: 'port', protocol: 'SCTP', port: 3868 }],
    });
  });

  it('reads tier, priority bounds and both subjects', () => {
    const base = (
      tier: string,
      priority: number,
      subject: string,
    ): string => `apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: p}
spec: {tier: ${tier}, priority: ${priority}, subject: ${subject}}
`;
    expect(policyOf(base('Admin', 0, '{namespaces: {}}'))).toMatchObject({
      tier: 'Admin',
      priority: 0,
      subject: { kind: 'namespaces', namespaceSelector: ALL },
      ingress: [],
      egress: [],
    });
    // v1alpha2 defaults a pods subject's missing namespaceSelector to every namespace.
    expect(
      policyOf(base('Baseline', 1000, '{pods: {podSelector: {matchLabels: {app: web}}}}')).subject,
    ).toEqual({
      kind: 'pods',
      namespaceSelector: ALL,
      podSelector: { matchLabels: { app: 'web' }, matchExpressions: [] },
    });
  });

  it('reads every peer kind; nodes and domainNames give one info about the experimental CRDs', () => {
    const s = load(
      cnp(`  egress:
  - action: Accept
    to:
    - networks: [10.0.0.0/8, "2001:db8:0:0::/64"]
    - nodes: {matchLabels: {node-role.kubernetes.io/control-plane: ""}}
    - domainNames: ["*.example.com", kubernetes.io, "api.example.org."]
    protocols:
    - tcp: {destinationPort: {number: 443}}
`),
    );
    expect(bySeverity(s, 'error')).toEqual([]);
    expect(bySeverity(s, 'warning')).toEqual([]);
    expect(s.clusterPolicies[0]?.egress[0]?.peers).toEqual([
      { kind: 'networks', cidrs: ['10.0.0.0/8', '2001:db8::/64'] },
      {
        kind: 'nodes',
        nodeSelector: { matchLabels: { 'node-role.kubernetes.io/control-plane': '' }, matchExpressions: [] },
      },
      { kind: 'domainNames', domainNames: ['*.example.com', 'kubernetes.io', 'api.example.org.'] },
    ]);
    const infos = bySeverity(s, 'info');
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({
      field: 'spec.egress[0].to[1].nodes',
      location: { line: 13 },
      object: 'ClusterNetworkPolicy p',
    });
    expect(infos[0]?.message).toBe(
      'uses fields of the experimental channel of network-policy-api: nodes (spec.egress[0].to[1].nodes) and domainNames (spec.egress[0].to[2].domainNames); creating it needs the experimental CRDs (the standard ones do not have these fields and refuse the object)',
    );
  });

  it('reads protocols: numbers, ranges, every protocol and named ports', () => {
    const s = load(
      withProtocols(`    - tcp: {destinationPort: {number: 80}}
    - udp: {destinationPort: {range: {start: 30000, end: 32767}}}
    - sctp: {destinationPort: {number: 65535}}
    - destinationNamedPort: metrics
`),
    );
    expect(bySeverity(s, 'error')).toEqual([]);
    expect(s.clusterPolicies[0]?.egress[0]?.ports).toEqual([
      { kind: 'port', protocol: 'TCP', port: 80 },
      { kind: 'port', protocol: 'UDP', port: 30000, endPort: 32767 },
      { kind: 'port', protocol: 'SCTP', port: 65535 },
      { kind: 'named', name: 'metrics' },
    ]);
    expect(bySeverity(s, 'info').map((i) => [i.field, i.location?.line])).toEqual([
      ['spec.egress[0].protocols[3].destinationNamedPort', 16],
    ]);
  });

  it("ports is 'any' without a protocols list; rule names are optional", () => {
    const p = policyOf(
      cnp(`  ingress:
  - action: Pass
    from: [{namespaces: {matchLabels: {x: z}}}]
`),
    );
    expect(p.ingress).toEqual([
      {
        action: 'Pass',
        peers: [{ kind: 'namespaces', namespaceSelector: { matchLabels: { x: 'z' }, matchExpressions: [] } }],
        ports: 'any',
      },
    ]);
  });

  it('a named port that no container port can have: a warning, and it is kept (it matches nothing)', () => {
    const s = load(withProtocols('    - destinationNamedPort: HTTP_Port\n'));
    expect(bySeverity(s, 'error')).toEqual([]);
    expect(bySeverity(s, 'warning').map((i) => [i.field, i.location?.line, i.message])).toEqual([
      [
        'spec.egress[0].protocols[0].destinationNamedPort',
        13,
        expect.stringMatching(/^"HTTP_Port" can never name a container port .*so it matches nothing$/),
      ],
    ]);
    expect(s.clusterPolicies[0]?.egress[0]?.ports).toEqual([{ kind: 'named', name: 'HTTP_Port' }]);
  });

  it('domainNames in a Deny rule: a warning (the API supports them in Accept rules only)', () => {
    const s = load(
      cnp(`  egress:
  - action: Deny
    to: [{domainNames: [evil.example.com]}]
`),
    );
    expect(bySeverity(s, 'error')).toEqual([]);
    expect(bySeverity(s, 'warning').map((i) => [i.field, i.message])).toEqual([
      [
        'spec.egress[0].to[0].domainNames',
        'domainNames is supported only in Accept rules; implementations may refuse or ignore this Deny rule',
      ],
    ]);
  });

  it('metadata.namespace on a cluster-scoped object: a warning that it is ignored', () => {
    const s = load(`apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata:
  name: p
  namespace: shop
spec: {tier: Admin, priority: 1, subject: {namespaces: {}}}
`);
    expect(s.clusterPolicies).toHaveLength(1);
    expect(s.issues).toEqual([
      {
        severity: 'warning',
        message:
          'is ignored: ClusterNetworkPolicy is cluster-scoped, so the API server drops the namespace (a string "shop")',
        location: { file: 'm.yaml', line: 5, column: 14 },
        field: 'metadata.namespace',
        object: 'ClusterNetworkPolicy p',
      },
    ]);
  });

  it('status and the usual metadata of a live object are accepted', () => {
    const p = policyOf(`apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata:
  name: p
  uid: 0d6c7a4e-1111-2222-3333-444455556666
  resourceVersion: "4242"
  generation: 2
  creationTimestamp: "2026-11-02T10:00:00Z"
  labels: {team: platform}
spec: {tier: Admin, priority: 1, subject: {namespaces: {}}}
status:
  conditions:
  - {type: Ready, status: "True", reason: Programmed, message: "", lastTransitionTime: "2026-11-02T10:00:01Z"}
`);
    expect(p.labels).toEqual({ team: 'platform' });
  });
});

describe('an unrecognised peer fails closed', () => {
  const rule = (action: string, peer: string): string =>
    cnp(`  ingress:
  - action: ${action}
    from:
    - namespaces: {}
    - ${peer}
`);

  it.each([
    ['Accept', 'this Accept rule matches no traffic at all'],
    ['Deny', 'this Deny rule becomes "deny all": it denies all traffic from every source, on every port'],
    ['Pass', 'this Pass rule becomes "deny all": it denies all traffic from every source, on every port'],
  ])('%s', (action, effect) => {
    const s = load(rule(action, 'serviceAccounts: {names: [builder]}'));
    expect(bySeverity(s, 'error')).toEqual([]);
    expect(s.clusterPolicies[0]?.ingress[0]?.peers[1]).toEqual({
      kind: 'unrecognized',
      fields: ['serviceAccounts'],
    });
    expect(bySeverity(s, 'warning')).toEqual([
      {
        severity: 'warning',
        message: `this peer has no field netglass recognises (serviceAccounts; expected namespaces or pods): it may be a field of a newer version of the API; the peer fails closed: ${effect}`,
        location: { file: 'm.yaml', line: 13, column: 7 },
        field: 'spec.ingress[0].from[1]',
        object: 'ClusterNetworkPolicy p',
      },
    ]);
  });

  it('an unknown field beside a known one is an error (strict field validation)', () => {
    oneError(
      rule('Deny', '{namespaces: {}, serviceAccount: {}}'),
      'spec.ingress[0].from[1].serviceAccount',
      13,
      /^unknown field "serviceAccount"; expected namespaces or pods/,
    );
  });

  it('a near miss of a known field is a typo: an error, not an unrecognised peer', () => {
    oneError(
      rule('Deny', '{namespace: {}}'),
      'spec.ingress[0].from[1].namespace',
      13,
      /^unknown field "namespace" \(did you mean "namespaces"\?\); expected namespaces or pods/,
    );
  });

  it('egress: the warning speaks of destinations', () => {
    const s = load(
      cnp(`  egress:
  - action: Deny
    to: [{services: {name: x}}]
`),
    );
    expect(bySeverity(s, 'warning')[0]?.message).toMatch(/denies all traffic to every destination/);
    expect(s.clusterPolicies[0]?.egress[0]?.peers).toEqual([{ kind: 'unrecognized', fields: ['services'] }]);
  });
});

describe('ClusterNetworkPolicy validation (CRD limits and CEL rules)', () => {
  it('spec, tier, priority and subject are required', () => {
    oneError(
      `apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: p}
`,
      'spec',
      1,
      /^spec is missing: it is required \(tier, priority and subject\)/,
    );
    const missing = (spec: string, field: string, line: number, message: RegExp): void => {
      oneError(
        `apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: p}
spec:
${spec}`,
        field,
        line,
        message,
      );
    };
    missing(
      '  priority: 1\n  subject: {namespaces: {}}\n',
      'spec.tier',
      5,
      /^tier is missing: it is required/,
    );
    missing(
      '  tier: Admin\n  subject: {namespaces: {}}\n',
      'spec.priority',
      5,
      /^priority is missing \(the precedence within the tier; lower goes first, 0 to 1000\)/,
    );
    missing('  tier: Admin\n  priority: 1\n', 'spec.subject', 5, /^subject is missing: it is required/);
    missing(
      '  tier: Admin\n  priority: -1\n  subject: {namespaces: {}}\n',
      'spec.priority',
      6,
      /^must be between 0 and 1000, inclusive, got -1/,
    );
    missing(
      '  tier: Admin\n  priority: 1.5\n  subject: {namespaces: {}}\n',
      'spec.priority',
      6,
      /^must be an integer/,
    );
    missing(
      '  tier: Admin\n  priority: 1\n  subject: {}\n',
      'spec.subject',
      7,
      /^must set exactly one of namespaces or pods, got none/,
    );
    missing(
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: null}\n',
      'spec.subject',
      7,
      /^must set exactly one of namespaces or pods, got none/,
    );
    missing(
      '  tier: Admin\n  priority: 1\n  subject: {namespace: {}}\n',
      'spec.subject.namespace',
      7,
      /^unknown field "namespace" \(did you mean "namespaces"\?\)/,
    );
    missing(
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egres: []\n',
      'spec.egres',
      8,
      /^unknown field "egres" \(did you mean "egress"\?\)/,
    );
  });

  it('rules: action, peers, names and list limits', () => {
    oneError(
      cnp('  ingress:\n  - from: [{namespaces: {}}]\n'),
      'spec.ingress[0].action',
      10,
      /^action is missing: it is required \(Accept, Deny or Pass\)/,
    );
    oneError(
      cnp('  ingress:\n  - action: Drop\n    from: [{namespaces: {}}]\n'),
      'spec.ingress[0].action',
      10,
      /^"Drop" is not a ClusterNetworkPolicy action; expected Accept, Deny or Pass/,
    );
    oneError(
      cnp('  ingress:\n  - action: accept\n    from: [{namespaces: {}}]\n'),
      'spec.ingress[0].action',
      10,
      /\(did you mean Accept\?\)/,
    );
    oneError(
      cnp('  ingress:\n  - action: Deny\n    from: []\n'),
      'spec.ingress[0].from',
      11,
      /^must have at least 1 item \(sources\), got an empty list; to match every pod, write \[\{namespaces: \{\}\}\]/,
    );
    oneError(
      cnp('  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    to: [{namespaces: {}}]\n'),
      'spec.ingress[0].to',
      12,
      /^unknown field "to" \(ingress rules name their sources in from\)/,
    );
    oneError(
      cnp('  ingress:\n  - null\n'),
      'spec.ingress[0]',
      10,
      /^must be an ingress rule with action and from, got null/,
    );
    const peers = Array.from({ length: 26 }, (_, i) => `{namespaces: {matchLabels: {n: "${i}"}}}`).join(', ');
    oneError(
      cnp(`  egress:\n  - action: Deny\n    to: [${peers}]\n`),
      'spec.egress[0].to',
      11,
      /^must have at most 25 items \(the CRD's limit\), got 26/,
    );
    const protocols = Array.from(
      { length: 26 },
      (_, i) => `    - tcp: {destinationPort: {number: ${i + 1}}}`,
    ).join('\n');
    oneError(withProtocols(`${protocols}\n`), 'spec.egress[0].protocols', 13, /^must have at most 25 items/);
  });

  it('peers: exactly one field, the right direction', () => {
    oneError(
      cnp('  ingress:\n  - action: Deny\n    from: [{namespaces: {}, pods: {podSelector: {}}}]\n'),
      'spec.ingress[0].from[0]',
      11,
      /^must set exactly one of namespaces or pods, got namespaces and pods \(use one peer for each\)/,
    );
    oneError(
      cnp('  ingress:\n  - action: Deny\n    from: [{nodes: {}}]\n'),
      'spec.ingress[0].from[0].nodes',
      11,
      /^nodes is an egress-only peer; ingress peers are namespaces or pods/,
    );
    oneError(
      cnp('  ingress:\n  - action: Deny\n    from: [{namespaces: null}]\n'),
      'spec.ingress[0].from[0]',
      11,
      /^must set exactly one of namespaces or pods, got none/,
    );
    oneError(
      cnp('  ingress:\n  - action: Deny\n    from: [null]\n'),
      'spec.ingress[0].from[0]',
      11,
      /^must be a peer with one of namespaces or pods, got null/,
    );
    oneError(
      cnp('  ingress:\n  - action: Deny\n    from: [{pods: {podSelector: {}, podSelectors: {}}}]\n'),
      'spec.ingress[0].from[0].pods.podSelectors',
      11,
      /^unknown field "podSelectors" \(did you mean "podSelector"\?\)/,
    );
    oneError(
      cnp('  ingress:\n  - action: Deny\n    from: [{namespaces: {matchLabels: {a: "b c"}}}]\n'),
      'spec.ingress[0].from[0].namespaces.matchLabels.a',
      11,
      /is not a valid label value/,
    );
    oneError(
      cnp(
        '  ingress:\n  - action: Deny\n    from: [{namespaces: {matchExpressions: [{key: a, operator: Equals}]}}]\n',
      ),
      'spec.ingress[0].from[0].namespaces.matchExpressions[0].operator',
      11,
      /is not a valid selector operator/,
    );
  });

  it('networks: CIDRs, canonical, unique, 1 to 25', () => {
    const to = (networks: string): string =>
      cnp(`  egress:\n  - action: Deny\n    to:\n    - networks: ${networks}\n`);
    oneError(
      to('[10.0.0.0/33]'),
      'spec.egress[0].to[0].networks[0]',
      12,
      /^"10.0.0.0\/33" is not a valid CIDR/,
    );
    oneError(to('[10.0.0.1]'), 'spec.egress[0].to[0].networks[0]', 12, /^"10.0.0.1" is not a valid CIDR/);
    oneError(
      to('["fd00::1/8"]'),
      'spec.egress[0].to[0].networks[0]',
      12,
      /^fd00::1\/8 has host bits set; the CRD requires the network address: write fd00::\/8/,
    );
    oneError(to('[]'), 'spec.egress[0].to[0].networks', 12, /^must have at least 1 item \(CIDRs\)/);
    oneError(
      to('[10.0.0.0/8, 10.0.0.0/8]'),
      'spec.egress[0].to[0].networks[1]',
      12,
      /^duplicate value "10.0.0.0\/8"/,
    );
    oneError(
      to('[8]'),
      'spec.egress[0].to[0].networks[0]',
      12,
      /^must be a string \(CIDRs\), got the number 8/,
    );
    const many = Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`).join(', ');
    oneError(to(`[${many}]`), 'spec.egress[0].to[0].networks', 12, /^must have at most 25 items/);
    oneError(
      to('["0000:0000:0000:0000:0000:0000:0000:0000/0128"]'),
      'spec.egress[0].to[0].networks[0]',
      12,
      /^must be no more than 43 characters/,
    );
  });

  it('domainNames: the CRD pattern, unique', () => {
    const to = (names: string): string =>
      cnp(`  egress:\n  - action: Accept\n    to:\n    - domainNames: ${names}\n`);
    oneError(
      to('[localhost]'),
      'spec.egress[0].to[0].domainNames[0]',
      12,
      /^"localhost" is not a valid domain name/,
    );
    oneError(to('["*example.com"]'), 'spec.egress[0].to[0].domainNames[0]', 12, /is not a valid domain name/);
    oneError(
      to('["-a.example.com"]'),
      'spec.egress[0].to[0].domainNames[0]',
      12,
      /is not a valid domain name/,
    );
    oneError(
      to('[a.example.com, a.example.com]'),
      'spec.egress[0].to[0].domainNames[1]',
      12,
      /^duplicate value "a.example.com"/,
    );
  });

  it('protocols: exactly one field, ports 1 to 65535, start < end', () => {
    oneError(
      withProtocols('    - {}\n'),
      'spec.egress[0].protocols[0]',
      13,
      /^must set exactly one of tcp, udp, sctp or destinationNamedPort, got none/,
    );
    oneError(
      withProtocols('    - tcp: null\n'),
      'spec.egress[0].protocols[0]',
      13,
      /^must set exactly one of tcp, udp, sctp or destinationNamedPort, got none/,
    );
    oneError(
      withProtocols('    - {tcp: {destinationPort: {number: 1}}, udp: {destinationPort: {number: 1}}}\n'),
      'spec.egress[0].protocols[0]',
      13,
      /got tcp and udp \(use one entry for each\)/,
    );
    oneError(
      withProtocols('    - TCP: {destinationPort: {number: 80}}\n'),
      'spec.egress[0].protocols[0].TCP',
      13,
      /^unknown field "TCP" \(did you mean "tcp"\?\)/,
    );
    oneError(
      withProtocols('    - tcp: {destinationPort: {}}\n'),
      'spec.egress[0].protocols[0].tcp.destinationPort',
      13,
      /^must set exactly one of number or range, got none/,
    );
    oneError(
      withProtocols('    - tcp: {destinationPort: {number: 80, range: {start: 1, end: 2}}}\n'),
      'spec.egress[0].protocols[0].tcp.destinationPort',
      13,
      /got number and range/,
    );
    oneError(
      withProtocols('    - tcp: {destinationPort: {number: 0}}\n'),
      'spec.egress[0].protocols[0].tcp.destinationPort.number',
      13,
      /^must be between 1 and 65535, inclusive, got 0/,
    );
    oneError(
      withProtocols('    - udp: {destinationPort: {number: 65536}}\n'),
      'spec.egress[0].protocols[0].udp.destinationPort.number',
      13,
      /got 65536/,
    );
    oneError(
      withProtocols('    - udp: {destinationPort: {number: "53"}}\n'),
      'spec.egress[0].protocols[0].udp.destinationPort.number',
      13,
      /a number must not be quoted: 53/,
    );
    oneError(
      withProtocols('    - tcp: {destinationPort: {range: {start: 90, end: 80}}}\n'),
      'spec.egress[0].protocols[0].tcp.destinationPort.range',
      13,
      /^start \(90\) must be less than end \(80\)/,
    );
    oneError(
      withProtocols('    - tcp: {destinationPort: {range: {start: 90}}}\n'),
      'spec.egress[0].protocols[0].tcp.destinationPort.range.end',
      13,
      /^end is missing \(the last port of the range, 1 to 65535\)/,
    );
    oneError(
      withProtocols('    - tcp: {destinationPort: {port: 80}}\n'),
      'spec.egress[0].protocols[0].tcp.destinationPort.port',
      13,
      /^unknown field "port"; expected number or range/,
    );
    oneError(
      withProtocols('    - destinationNamedPort: ""\n'),
      'spec.egress[0].protocols[0].destinationNamedPort',
      13,
      /^must be a container port name, got an empty string/,
    );
  });

  it('a named port cannot go with networks, nodes or domainNames peers (CEL)', () => {
    const rule = (peer: string): string =>
      cnp(`  egress:
  - action: Accept
    to: [${peer}]
    protocols:
    - tcp: {destinationPort: {number: 443}}
    - destinationNamedPort: https
`);
    oneError(
      rule('{nodes: {}}'),
      'spec.egress[0].protocols[1].destinationNamedPort',
      14,
      /^a named port cannot be combined with nodes peers in one rule/,
    );
    oneError(
      rule('{domainNames: [a.example.com]}, {networks: [10.0.0.0/8]}'),
      'spec.egress[0].protocols[1].destinationNamedPort',
      14,
      /^a named port cannot be combined with domainNames and networks peers/,
    );
    // With pods and namespaces only, it is fine.
    expect(bySeverity(load(rule('{pods: {podSelector: {}}}')), 'error')).toEqual([]);
  });

  it('metadata.name must be a DNS subdomain (custom resource validation)', () => {
    oneError(
      `apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: Deny_All}
spec: {tier: Admin, priority: 1, subject: {namespaces: {}}}
`,
      'metadata.name',
      3,
      /^"Deny_All" is not a valid ClusterNetworkPolicy name/,
    );
  });

  it('an error anywhere drops the whole object, other objects still load', () => {
    const s = load(`${cnp('  ingress:\n  - action: Deny\n    from: [{}]\n')}---
apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: ok}
spec: {tier: Baseline, priority: 3, subject: {namespaces: {}}}
`);
    expect(s.clusterPolicies.map((p) => p.name)).toEqual(['ok']);
    expect(bySeverity(s, 'error').map((e) => e.object)).toEqual(['ClusterNetworkPolicy p']);
  });

  it('two objects of one name: the second is a duplicate; a legacy object of the same name is not', () => {
    const one = cnp('');
    const legacy = anp('');
    const s = load(`${one}---\n${one}---\n${legacy.replace('name: a', 'name: p')}`);
    expect(s.clusterPolicies.map((p) => `${p.kind}:${p.name}`)).toEqual([
      'ClusterNetworkPolicy:p',
      'AdminNetworkPolicy:p',
    ]);
    expect(bySeverity(s, 'error').map((e) => e.message)).toEqual([
      expect.stringMatching(/^duplicate ClusterNetworkPolicy p: already defined at m.yaml:1:1/),
    ]);
  });
});

describe('apiVersions and other APIs of the same kind', () => {
  it("EKS's networking.k8s.aws ClusterNetworkPolicy is skipped with a warning, counted apart", () => {
    const s = load(`apiVersion: networking.k8s.aws/v1alpha1
kind: ClusterNetworkPolicy
metadata:
  name: eks-deny
spec:
  tier: Admin
  priority: 100
  subject: {namespaces: {}}
  ingress:
  - action: Deny
    from: [{namespaces: {}}]
    ports: [{portNumber: {port: 80, protocol: TCP}}]
---
apiVersion: crd.antrea.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: acnp}
spec: {priority: 5, appliedTo: [{podSelector: {}}]}
`);
    expect(s.clusterPolicies).toEqual([]);
    expect(s.skippedKinds).toEqual({
      'ClusterNetworkPolicy (networking.k8s.aws)': 1,
      'ClusterNetworkPolicy (crd.antrea.io)': 1,
    });
    expect(s.issues.map((i) => [i.severity, i.field, i.location?.line, i.message])).toEqual([
      [
        'warning',
        'apiVersion',
        1,
        "ClusterNetworkPolicy eks-deny (networking.k8s.aws/v1alpha1) is not evaluated: it belongs to Amazon EKS's own ClusterNetworkPolicy API (VPC CNI network policy agent), not to policy.networking.k8s.io, so verdicts ignore this object",
      ],
      [
        'warning',
        'apiVersion',
        14,
        expect.stringMatching(
          /^ClusterNetworkPolicy acnp \(crd\.antrea\.io\/v1beta1\) is not evaluated: it belongs to Antrea's own/,
        ),
      ],
    ]);
  });

  it('unserved versions of the group are errors', () => {
    oneError(
      cnp('', 'policy.networking.k8s.io/v1'),
      'apiVersion',
      1,
      /^apiVersion "policy.networking.k8s.io\/v1" is not supported for ClusterNetworkPolicy; expected policy.networking.k8s.io\/v1alpha2 or policy.networking.k8s.io\/v1beta1;/,
    );
    oneError(
      anp('').replace('v1alpha1', 'v1beta1'),
      'apiVersion',
      1,
      /^apiVersion "policy.networking.k8s.io\/v1beta1" is not supported for AdminNetworkPolicy; expected policy.networking.k8s.io\/v1alpha1 \(from v1alpha2 on, write a ClusterNetworkPolicy with tier: Admin\)/,
    );
    oneError(cnp('', 'v1beta1'), 'apiVersion', 1, /not supported for ClusterNetworkPolicy/);
  });

  it('other policy engines are still skipped with a warning', () => {
    // Calico's are read now (calico-policy.test.ts); Istio's are another engine.
    const s = load('apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: c}\n');
    expect(s.skippedKinds).toEqual({ AuthorizationPolicy: 1 });
    expect(bySeverity(s, 'warning')[0]?.message).toMatch(/is not evaluated/);
  });
});

describe('JSON input', () => {
  const item = (name: string, priority: unknown): object => ({
    apiVersion: 'policy.networking.k8s.io/v1beta1',
    kind: 'ClusterNetworkPolicy',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '7', managedFields: [{ manager: 'kubectl' }] },
    spec: {
      tier: 'Admin',
      priority,
      subject: { namespaces: {} },
      egress: [
        {
          name: 'dns',
          action: 'Accept',
          to: [{ pods: { podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }],
          protocols: [{ udp: { destinationPort: { number: 53 } } }],
        },
      ],
    },
    status: { conditions: [] },
  });

  it('a `kubectl get -o json` List of ClusterNetworkPolicies', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [item('a', 1), item('b', 2)],
        metadata: { resourceVersion: '' },
      },
      null,
      2,
    );
    const s = load(text, 'cnp.json');
    expect(s.issues).toEqual([]);
    expect(s.clusterPolicies.map((p) => [p.name, p.priority, p.egress[0]?.ports])).toEqual([
      ['a', 1, [{ kind: 'port', protocol: 'UDP', port: 53 }]],
      ['b', 2, [{ kind: 'port', protocol: 'UDP', port: 53 }]],
    ]);
    // Item b's opening brace: three lines above its name (apiVersion, kind, metadata between).
    const bLine = text.split('\n').findIndex((l) => l.includes('"name": "b"')) + 1 - 4;
    expect(s.clusterPolicies[1]?.location).toEqual({ file: 'cnp.json', line: bLine, column: 5 });
  });

  it('a typed list whose items carry no kind, and errors with their JSON positions', () => {
    const strip = (o: object): object => ({ ...o, apiVersion: undefined, kind: undefined });
    const text = JSON.stringify(
      {
        apiVersion: 'policy.networking.k8s.io/v1beta1',
        kind: 'ClusterNetworkPolicyList',
        items: [strip(item('a', 1)), strip(item('b', 5000))],
      },
      null,
      2,
    );
    const s = load(text, 'list.json');
    const priorityLine = text.split('\n').findIndex((l) => l.includes('"priority": 5000')) + 1;
    expect(priorityLine).toBeGreaterThan(1);
    expect(s.clusterPolicies.map((p) => [p.name, p.apiVersion])).toEqual([
      ['a', 'policy.networking.k8s.io/v1beta1'],
    ]);
    expect(bySeverity(s, 'error')).toEqual([
      {
        severity: 'error',
        message: 'must be between 0 and 1000, inclusive, got 5000; ClusterNetworkPolicy b was not loaded',
        location: { file: 'list.json', line: priorityLine, column: 21 },
        field: 'spec.priority',
        object: 'ClusterNetworkPolicy b',
      },
    ]);
  });
});

describe('legacy v1alpha1', () => {
  it('AdminNetworkPolicy: Allow is Accept, ports map to protocols, v0.1.1 peer shapes', () => {
    const p = policyOf(
      anp(`  ingress:
  - name: allow-web
    action: Allow
    from:
    - pods:
        namespaces: {namespaceSelector: {matchLabels: {team: web}}}
        podSelector: {matchLabels: {app: web}}
    ports:
    - portNumber: {port: 8080}
    - portNumber: {protocol: UDP, port: 53}
    - portRange: {start: 9000, end: 9000}
    - portRange: {protocol: SCTP, start: 1, end: 100}
    - namedPort: http
  egress:
  - action: Pass
    to: [{namespaces: {namespaceSelector: {}}}]
  - action: Deny
    to: [{pods: {namespaces: {namespaceSelector: {}}, podSelector: {}}}]
    ports: []
`),
    );
    expect(p).toMatchObject({
      kind: 'AdminNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      tier: 'Admin',
      priority: 5,
    });
    expect(p.ingress).toEqual([
      {
        name: 'allow-web',
        action: 'Accept',
        peers: [
          {
            kind: 'pods',
            namespaceSelector: { matchLabels: { team: 'web' }, matchExpressions: [] },
            podSelector: { matchLabels: { app: 'web' }, matchExpressions: [] },
          },
        ],
        ports: [
          { kind: 'port', protocol: 'TCP', port: 8080 },
          { kind: 'port', protocol: 'UDP', port: 53 },
          { kind: 'port', protocol: 'TCP', port: 9000 },
          { kind: 'port', protocol: 'SCTP', port: 1, endPort: 100 },
          { kind: 'named', name: 'http' },
        ],
      },
    ]);
    expect(p.egress).toEqual([
      { action: 'Pass', peers: [{ kind: 'namespaces', namespaceSelector: ALL }], ports: 'any' },
      { action: 'Deny', peers: [{ kind: 'pods', namespaceSelector: ALL, podSelector: ALL }], ports: 'any' },
    ]);
  });

  it('AdminNetworkPolicy: v0.1.7 peer shapes, networks with host bits as a warning', () => {
    const s = load(
      anp(`  egress:
  - action: Deny
    to:
    - namespaces: {matchLabels: {a: b}}
    - pods: {namespaceSelector: {}, podSelector: {matchLabels: {x: z}}}
    - networks: [10.1.2.3/16]
`),
    );
    expect(bySeverity(s, 'error')).toEqual([]);
    expect(bySeverity(s, 'warning').map((i) => [i.field, i.location?.line, i.message])).toEqual([
      ['spec.egress[0].to[2].networks[0]', 13, '10.1.2.3/16 has host bits set; it is treated as 10.1.0.0/16'],
    ]);
    expect(s.clusterPolicies[0]?.egress[0]?.peers).toEqual([
      { kind: 'namespaces', namespaceSelector: { matchLabels: { a: 'b' }, matchExpressions: [] } },
      {
        kind: 'pods',
        namespaceSelector: ALL,
        podSelector: { matchLabels: { x: 'z' }, matchExpressions: [] },
      },
      { kind: 'networks', cidrs: ['10.1.0.0/16'] },
    ]);
  });

  it('sameLabels / notSameLabels: read as an unrecognised peer that fails closed, with a warning', () => {
    const s = load(
      anp(`  ingress:
  - action: Allow
    from:
    - namespaces: {sameLabels: [tenant]}
  - action: Deny
    from:
    - pods: {namespaces: {notSameLabels: [tenant]}, podSelector: {}}
`),
    );
    expect(bySeverity(s, 'error')).toEqual([]);
    expect(s.clusterPolicies[0]?.ingress.map((r) => r.peers)).toEqual([
      [{ kind: 'unrecognized', fields: ['namespaces.sameLabels'] }],
      [{ kind: 'unrecognized', fields: ['pods.namespaces.notSameLabels'] }],
    ]);
    expect(bySeverity(s, 'warning').map((i) => [i.field, i.location?.line, i.message])).toEqual([
      [
        'spec.ingress[0].from[0].namespaces.sameLabels',
        11,
        "sameLabels is not evaluated by netglass: it selects namespaces relative to the subject's own labels, and was removed from the API in v0.1.7; the peer fails closed: this Allow rule matches no traffic at all",
      ],
      [
        'spec.ingress[1].from[0].pods.namespaces.notSameLabels',
        14,
        expect.stringMatching(
          /^notSameLabels is not evaluated .*this Deny rule becomes "deny all": it denies all traffic from every source/,
        ),
      ],
    ]);
  });

  it('AdminNetworkPolicy errors: actions, ports, shapes', () => {
    oneError(
      anp('  ingress:\n  - action: Accept\n    from: [{namespaces: {namespaceSelector: {}}}]\n'),
      'spec.ingress[0].action',
      9,
      /^"Accept" is not a AdminNetworkPolicy action \(v1alpha1 calls it Allow\); expected Allow, Deny or Pass/,
    );
    oneError(
      anp(
        '  ingress:\n  - action: Deny\n    from: [{namespaces: {namespaceSelector: {}, sameLabels: [a]}}]\n',
      ),
      'spec.ingress[0].from[0].namespaces',
      10,
      /^must set exactly one of namespaceSelector, sameLabels or notSameLabels, got namespaceSelector and sameLabels/,
    );
    oneError(
      anp('  ingress:\n  - action: Deny\n    from: [{pods: {namespaces: {namespaceSelector: {}}}}]\n'),
      'spec.ingress[0].from[0].pods.podSelector',
      10,
      /^podSelector is missing/,
    );
    oneError(
      anp('  ingress:\n  - action: Deny\n    from: [{pods: {podSelector: {}}}]\n'),
      'spec.ingress[0].from[0].pods.namespaceSelector',
      10,
      /^namespaceSelector is missing/,
    );
    oneError(
      anp(
        '  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    protocols: [{tcp: {destinationPort: {number: 1}}}]\n',
      ),
      'spec.ingress[0].protocols',
      11,
      /^unknown field "protocols" \(v1alpha1 rules list ports/,
    );
    oneError(
      anp(
        '  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portNumber: {protocol: tcp, port: 80}}]\n',
      ),
      'spec.ingress[0].ports[0].portNumber.protocol',
      11,
      /^unsupported protocol "tcp" \(protocols are upper case: TCP\)/,
    );
    oneError(
      anp(
        '  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portNumber: {protocol: TCP}}]\n',
      ),
      'spec.ingress[0].ports[0].portNumber.port',
      11,
      /^port is missing/,
    );
    oneError(
      anp(
        '  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portRange: {start: 10, end: 9}}]\n',
      ),
      'spec.ingress[0].ports[0].portRange',
      11,
      /^start \(10\) must be less than end \(9\)/,
    );
    oneError(
      anp(
        '  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portNumber: {port: 80}, namedPort: http}]\n',
      ),
      'spec.ingress[0].ports[0]',
      11,
      /^must set exactly one of portNumber, portRange or namedPort, got portNumber and namedPort/,
    );
    oneError(
      anp(
        '  egress:\n  - action: Allow\n    to: [{networks: [10.0.0.0/8]}]\n    ports: [{namedPort: http}]\n',
      ),
      'spec.egress[0].ports[0].namedPort',
      11,
      /^a named port cannot be combined with networks peers/,
    );
    oneError(
      anp('  tier: Admin\n'),
      'spec.tier',
      8,
      /^unknown field "tier" \(an AdminNetworkPolicy is always in the Admin tier; tier is a ClusterNetworkPolicy field\)/,
    );
  });

  it('BaselineAdminNetworkPolicy: tier Baseline, priority 1000, Allow and Deny', () => {
    const p = policyOf(
      banp(`  ingress:
  - action: Allow
    from: [{namespaces: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}}]
  - action: Deny
    from: [{namespaces: {namespaceSelector: {}}}]
`),
    );
    expect(p).toMatchObject({
      kind: 'BaselineAdminNetworkPolicy',
      name: 'default',
      tier: 'Baseline',
      priority: 1000,
    });
    expect(p.ingress.map((r) => r.action)).toEqual(['Accept', 'Deny']);
  });

  it('BaselineAdminNetworkPolicy errors: name, priority, domainNames', () => {
    oneError(
      banp('', 'baseline'),
      'metadata.name',
      4,
      /^must be "default", got "baseline": the CRD allows one BaselineAdminNetworkPolicy per cluster, named default/,
    );
    oneError(
      banp('  priority: 10\n'),
      'spec.priority',
      7,
      /^unknown field "priority" \(a BaselineAdminNetworkPolicy has no priority/,
    );
    oneError(
      banp('  egress:\n  - action: Allow\n    to: [{domainNames: [example.com]}]\n'),
      'spec.egress[0].to[0].domainNames',
      9,
      /^BaselineAdminNetworkPolicy has no domainNames peer; its egress peers are namespaces, pods, networks or nodes/,
    );
  });
});
