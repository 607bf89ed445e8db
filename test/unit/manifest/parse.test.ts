import { describe, expect, it } from 'vitest';
import { buildSnapshot, parseManifestText, snapshotFromText } from '../../../shared/manifest/index.ts';
import type { LoadIssue, NetworkPolicy, Snapshot } from '../../../shared/model/snapshot.ts';

const NP_HEAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
  namespace: x
spec:
`;

function load(text: string, file = 'm.yaml'): Snapshot {
  return snapshotFromText(text, file);
}

function errors(s: Snapshot): LoadIssue[] {
  return s.issues.filter((i) => i.severity === 'error');
}

/** The single error of `text`, checked for file/line/field and that the policy was dropped. */
function oneError(text: string, field: string | undefined, line: number, message: RegExp): LoadIssue {
  const s = load(text);
  const errs = errors(s);
  expect(errs, JSON.stringify(errs, null, 2)).toHaveLength(1);
  const e = errs[0]!;
  expect(e.location?.file).toBe('m.yaml');
  expect(e.location?.line).toBe(line);
  expect(e.field).toBe(field);
  expect(e.message).toMatch(message);
  return e;
}

function policyOf(text: string): NetworkPolicy {
  const s = load(text);
  expect(errors(s)).toEqual([]);
  expect(s.policies).toHaveLength(1);
  return s.policies[0]!;
}

describe('good input', () => {
  it('reads multi-document YAML: namespaces, pods, policies', () => {
    const s = load(`apiVersion: v1
kind: Namespace
metadata:
  name: x
  labels: {team: a}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {pod: a}}
spec:
  hostNetwork: false
  containers:
  - name: c
    ports:
    - {containerPort: 80, name: http}
    - {containerPort: 53, protocol: UDP}
status:
  phase: Running
  podIP: 10.0.0.1
  podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]
---
${NP_HEAD}  podSelector: {}
`);
    expect(s.issues).toEqual([]);
    expect(s.namespaces).toEqual([
      {
        name: 'x',
        labels: { team: 'a', 'kubernetes.io/metadata.name': 'x' },
        declared: true,
        location: { file: 'm.yaml', line: 1, column: 1 },
      },
    ]);
    expect(s.pods[0]).toMatchObject({
      namespace: 'x',
      name: 'a',
      labels: { pod: 'a' },
      ips: ['10.0.0.1', 'fd00::1'],
      ports: [
        { name: 'http', containerPort: 80, protocol: 'TCP' },
        { containerPort: 53, protocol: 'UDP' },
      ],
      phase: 'Running',
      hostNetwork: false,
      fromTemplate: false,
    });
    expect(s.policies[0]?.location?.line).toBe(22);
  });

  it('reads kind: List and typed lists (items without kind) in YAML and JSON', () => {
    const yaml = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: a, namespace: x}
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: p, namespace: x}
  spec: {podSelector: {}}
`;
    const s1 = load(yaml);
    expect(errors(s1)).toEqual([]);
    expect(s1.pods.map((p) => p.name)).toEqual(['a']);
    expect(s1.policies.map((p) => p.name)).toEqual(['p']);

    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'PodList',
      items: [{ metadata: { name: 'a', namespace: 'x' } }, { metadata: { name: 'b' } }],
    });
    const s2 = load(json, 'pods.json');
    expect(errors(s2)).toEqual([]);
    expect(s2.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['x/a', 'default/b']);
  });

  it('reads JSON with positions on error', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } },
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', labels: { v: 1 } } },
        ],
      },
      null,
      2,
    );
    const s = load(text, 'dump.json');
    const e = errors(s);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({
      field: 'metadata.labels.v',
      location: { file: 'dump.json', line: 18, column: 16 },
    });
    expect(e[0]?.message).toMatch(
      /must be a string, got the number 1 \(quote it: "1"\); Pod default\/b was not loaded/,
    );
    expect(s.pods.map((p) => p.name)).toEqual(['a']);
  });

  it('reads unquoted yes/no/on/off as kubectl does: booleans, so a label written yes is an error', () => {
    const manifest = (value: string, hostNetwork: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    enabled: ${value}
spec:
  hostNetwork: ${hostNetwork}
  containers: [{ name: c, image: nginx }]
`;
    // Through both readers: the fast one, and the yaml package (a flow mapping it refuses sends the
    // whole file there).
    for (const text of [
      manifest('yes', 'on'),
      `${manifest('yes', 'on')}---
{kind: List, items: [], x: [1,
 2]}
`,
    ]) {
      const s = load(text);
      const e = errors(s).filter((i) => i.field === 'metadata.labels.enabled');
      expect(e).toHaveLength(1);
      expect(e[0]?.location?.line).toBe(6);
      expect(e[0]?.message).toMatch(/got the boolean true \(quote it: .*yes.* booleans to kubectl\)/);
    }
    // Quoted, it is the string kubectl sees too; `hostNetwork: on` is the boolean true.
    const quoted = load(manifest('"yes"', 'on'));
    expect(errors(quoted)).toEqual([]);
    expect(quoted.pods[0]).toMatchObject({ labels: { enabled: 'yes' }, hostNetwork: true });
    expect(load(manifest("'no'", 'off')).pods[0]).toMatchObject({
      labels: { enabled: 'no' },
      hostNetwork: false,
    });
  });

  it('defaults the namespace to default and creates undeclared namespaces with an info issue', () => {
    const s = load(`apiVersion: v1
kind: Pod
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: shop}
`);
    expect(s.namespaces).toEqual([
      { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' }, declared: false },
      { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' }, declared: false },
    ]);
    const infos = s.issues.filter((i) => i.severity === 'info');
    expect(infos).toHaveLength(2);
    expect(infos[1]?.message).toMatch(
      /namespace shop is not declared in the input \(used by Pod shop\/b and 1 more\)/,
    );
    expect(infos[1]?.location?.line).toBe(5); // where Pod shop/b starts
  });

  it('forces kubernetes.io/metadata.name to the namespace name, with a warning', () => {
    const s = load(`apiVersion: v1
kind: Namespace
metadata:
  name: x
  labels: {kubernetes.io/metadata.name: "y"}
`);
    expect(s.namespaces[0]?.labels).toEqual({ 'kubernetes.io/metadata.name': 'x' });
    expect(s.issues[0]).toMatchObject({
      severity: 'warning',
      field: 'metadata.labels["kubernetes.io/metadata.name"]',
    });
  });

  it('counts other kinds and warns about other policy engines', () => {
    const s = load(`apiVersion: v1
kind: Service
metadata: {name: s}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
---
apiVersion: v1
kind: Service
metadata: {name: t}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: c}
`);
    expect(s.skippedKinds).toEqual({ Service: 2, ConfigMap: 1, AuthorizationPolicy: 1 });
    expect(s.issues.filter((i) => i.severity === 'warning')).toHaveLength(1);
  });

  it('ignores empty documents and comments', () => {
    const s = load('# nothing\n---\n---\n# still nothing\n');
    expect(s.issues).toEqual([]);
  });
});

describe('policy normalization', () => {
  it('defaults policyTypes: Ingress always, Egress when egress rules exist', () => {
    expect(policyOf(`${NP_HEAD}  podSelector: {}\n`)).toMatchObject({
      policyTypes: ['Ingress'],
      policyTypesDeclared: false,
    });
    expect(policyOf(`${NP_HEAD}  podSelector: {}\n  egress: [{}]\n`)).toMatchObject({
      policyTypes: ['Ingress', 'Egress'],
      policyTypesDeclared: false,
    });
    expect(policyOf(`${NP_HEAD}  podSelector: {}\n  egress: []\n  policyTypes: []\n`)).toMatchObject({
      policyTypes: ['Ingress'],
      policyTypesDeclared: false,
    });
    expect(policyOf(`${NP_HEAD}  podSelector: {}\n  policyTypes: [Egress, Ingress]\n`)).toMatchObject({
      policyTypes: ['Ingress', 'Egress'],
      policyTypesDeclared: true,
    });
  });

  it('reads rules: {} is any peer and any port; missing/empty lists are any; protocol defaults to TCP', () => {
    const p = policyOf(`${NP_HEAD}  podSelector: {matchLabels: {app: web}}
  ingress:
  - {}
  - from: []
    ports: []
  - from:
    - podSelector: {}
      namespaceSelector: {matchExpressions: [{key: ns, operator: In, values: [x, "y"]}]}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports:
    - port: 80
    - {port: 8000, endPort: 8080, protocol: UDP}
    - {port: http, protocol: SCTP}
    - protocol: UDP
`);
    expect(p.ingress).toEqual([
      { peers: 'any', ports: 'any' },
      { peers: 'any', ports: 'any' },
      {
        peers: [
          {
            kind: 'selector',
            podSelector: { matchLabels: {}, matchExpressions: [] },
            namespaceSelector: {
              matchLabels: {},
              matchExpressions: [{ key: 'ns', operator: 'In', values: ['x', 'y'] }],
            },
          },
          { kind: 'ipBlock', ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
        ],
        ports: [
          { protocol: 'TCP', port: 80 },
          { protocol: 'UDP', port: 8000, endPort: 8080 },
          { protocol: 'SCTP', port: 'http' },
          { protocol: 'UDP' },
        ],
      },
    ]);
    expect(p.podSelector).toEqual({ matchLabels: { app: 'web' }, matchExpressions: [] });
  });

  it('notes ingress rules that policyTypes disables (the seed\'s "disable ingress rules")', () => {
    const s = load(`${NP_HEAD}  podSelector: {}
  policyTypes: [Egress]
  ingress:
  - from: [{podSelector: {}}]
  egress:
  - {}
`);
    expect(s.policies[0]).toMatchObject({ policyTypes: ['Egress'], policyTypesDeclared: true });
    expect(s.policies[0]?.ingress).toHaveLength(1);
    const own = s.issues.filter((i) => i.object === 'NetworkPolicy x/np');
    expect(own.map((i) => [i.severity, i.field])).toEqual([['info', 'spec.ingress']]);
    expect(own[0]?.message).toMatch(/no effect/);
  });

  it('canonicalizes a CIDR with host bits set, with a warning', () => {
    const s = load(`${NP_HEAD}  podSelector: {}\n  egress:\n  - to: [{ipBlock: {cidr: 10.1.2.3/16}}]\n`);
    expect(s.policies[0]?.egress[0]?.peers).toEqual([
      { kind: 'ipBlock', ipBlock: { cidr: '10.1.0.0/16', except: [] } },
    ]);
    expect(s.issues[0]).toMatchObject({ severity: 'warning', field: 'spec.egress[0].to[0].ipBlock.cidr' });
  });

  it('warns about a missing spec or podSelector (selects every pod)', () => {
    const s = load(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\n`);
    expect(s.policies).toHaveLength(1);
    expect(s.issues[0]).toMatchObject({ severity: 'warning', field: 'spec' });
  });
});

describe('bad input: one issue each, with file, line, field; the policy is not loaded', () => {
  const cases: [string, string, string | undefined, number, RegExp][] = [
    [
      'podSelector as a string',
      `${NP_HEAD}  podSelector: "app=web"\n`,
      'spec.podSelector',
      7,
      /must be a mapping \(a label selector.*got a string "app=web"/,
    ],
    [
      'unknown selector operator',
      `${NP_HEAD}  podSelector:\n    matchExpressions:\n    - {key: a, operator: Equals, values: [b]}\n`,
      'spec.podSelector.matchExpressions[0].operator',
      9,
      /"Equals" is not a valid selector operator.*expected In, NotIn, Exists or DoesNotExist/,
    ],
    [
      'In without values',
      `${NP_HEAD}  podSelector:\n    matchExpressions:\n    - {key: a, operator: In}\n`,
      'spec.podSelector.matchExpressions[0].values',
      9,
      /must be a non-empty list when operator is In/,
    ],
    [
      'NotIn with empty values',
      `${NP_HEAD}  podSelector:\n    matchExpressions:\n    - {key: a, operator: NotIn, values: []}\n`,
      'spec.podSelector.matchExpressions[0].values',
      9,
      /non-empty list when operator is NotIn/,
    ],
    [
      'Exists with values',
      `${NP_HEAD}  podSelector:\n    matchExpressions:\n    - key: a\n      operator: Exists\n      values: [b]\n`,
      'spec.podSelector.matchExpressions[0].values',
      11,
      /must be empty when operator is Exists/,
    ],
    [
      'DoesNotExist with values',
      `${NP_HEAD}  podSelector:\n    matchExpressions:\n    - {key: a, operator: DoesNotExist, values: [b]}\n`,
      'spec.podSelector.matchExpressions[0].values',
      9,
      /must be empty when operator is DoesNotExist/,
    ],
    [
      'bad label key',
      `${NP_HEAD}  podSelector: {matchLabels: {"-bad": x}}\n`,
      'spec.podSelector.matchLabels["-bad"]',
      7,
      /not a valid label key/,
    ],
    [
      'bad label value',
      `${NP_HEAD}  podSelector: {matchLabels: {a: "x y"}}\n`,
      'spec.podSelector.matchLabels.a',
      7,
      /"x y" is not a valid label value/,
    ],
    [
      'numeric label value',
      `${NP_HEAD}  podSelector: {matchLabels: {version: 2}}\n`,
      'spec.podSelector.matchLabels.version',
      7,
      /must be a string, got the number 2 \(quote it: "2"\)/,
    ],
    [
      'bad CIDR',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/33}\n`,
      'spec.ingress[0].from[0].ipBlock.cidr',
      10,
      /invalid prefix length '33'/,
    ],
    [
      'CIDR without prefix',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.1\n`,
      'spec.ingress[0].from[0].ipBlock.cidr',
      11,
      /is not a CIDR/,
    ],
    [
      'CIDR octet out of range',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.300.0/24\n`,
      'spec.ingress[0].from[0].ipBlock.cidr',
      11,
      /greater than 255/,
    ],
    [
      'missing cidr',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {except: [10.0.0.0/8]}\n`,
      'spec.ingress[0].from[0].ipBlock.cidr',
      10,
      /cidr is missing/,
    ],
    [
      'except outside the CIDR',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.0/16\n        except:\n        - 10.1.0.0/24\n`,
      'spec.ingress[0].from[0].ipBlock.except[0]',
      13,
      /10\.1\.0\.0\/24 must be a strict subset of cidr 10\.0\.0\.0\/16/,
    ],
    [
      'except equal to the CIDR',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.0/16]}\n`,
      'spec.ingress[0].from[0].ipBlock.except[0]',
      10,
      /strict subset/,
    ],
    [
      'except of another family',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/16, except: ["fd00::/64"]}\n`,
      'spec.ingress[0].from[0].ipBlock.except[0]',
      10,
      /strict subset/,
    ],
    [
      'port 0',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - port: 0\n`,
      'spec.ingress[0].ports[0].port',
      10,
      /0 must be between 1 and 65535, inclusive/,
    ],
    [
      'port 65536',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - port: 65536\n`,
      'spec.ingress[0].ports[0].port',
      10,
      /65536 must be between 1 and 65535/,
    ],
    [
      'port as a float',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80.5\n`,
      'spec.ingress[0].ports[0].port',
      10,
      /must be an integer port number or a port name/,
    ],
    [
      'quoted port number',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - port: "80"\n`,
      'spec.ingress[0].ports[0].port',
      10,
      /must contain at least one letter.*must not be quoted/,
    ],
    [
      'endPort below port',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80\n      endPort: 79\n`,
      'spec.ingress[0].ports[0].endPort',
      11,
      /must be greater than or equal to port \(80\), got 79/,
    ],
    [
      'endPort out of range',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 80, endPort: 70000}\n`,
      'spec.ingress[0].ports[0].endPort',
      10,
      /70000 must be between 1 and 65535/,
    ],
    [
      'endPort with a named port',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - port: http\n      endPort: 90\n`,
      'spec.ingress[0].ports[0].endPort',
      11,
      /may not be specified when port is a named port \("http"\)/,
    ],
    [
      'endPort without port',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - endPort: 90\n`,
      'spec.ingress[0].ports[0].endPort',
      10,
      /may not be specified when port is not specified/,
    ],
    [
      'port name too long',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - port: a-very-long-port-name\n`,
      'spec.ingress[0].ports[0].port',
      10,
      /no more than 15 characters/,
    ],
    [
      'port name with upper case',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - port: HTTP\n`,
      'spec.ingress[0].ports[0].port',
      10,
      /only lowercase letters, digits and '-'/,
    ],
    [
      'port name with double hyphen',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - port: a--b\n`,
      'spec.ingress[0].ports[0].port',
      10,
      /consecutive hyphens/,
    ],
    [
      'port name without a letter',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - port: 12-34\n`,
      'spec.ingress[0].ports[0].port',
      10,
      /at least one letter/,
    ],
    [
      'unknown protocol',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 80, protocol: ICMP}\n`,
      'spec.ingress[0].ports[0].protocol',
      10,
      /unsupported protocol "ICMP"; expected TCP, UDP or SCTP/,
    ],
    [
      'lower-case protocol',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 80, protocol: udp}\n`,
      'spec.ingress[0].ports[0].protocol',
      10,
      /upper case: UDP/,
    ],
    [
      'ipBlock with a selector',
      `${NP_HEAD}  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n      namespaceSelector: {}\n`,
      'spec.egress[0].to[0]',
      10,
      /may not specify both ipBlock and another peer/,
    ],
    [
      'empty peer',
      `${NP_HEAD}  podSelector: {}\n  egress:\n  - to:\n    - {}\n`,
      'spec.egress[0].to[0]',
      10,
      /must specify a peer/,
    ],
    [
      'unknown field (typo)',
      `${NP_HEAD}  podSelector: {}\n  ingres:\n  - {}\n`,
      'spec.ingres',
      9,
      /unknown field "ingres" \(did you mean "ingress"\?\)/,
    ],
    [
      'unknown field in a peer',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - from:\n    - {podSelector: {}, namespaceselector: {}}\n`,
      'spec.ingress[0].from[0].namespaceselector',
      10,
      /did you mean "namespaceSelector"/,
    ],
    [
      'bad policy type',
      `${NP_HEAD}  podSelector: {}\n  policyTypes: [ingress]\n`,
      'spec.policyTypes[0]',
      8,
      /"ingress" is not a policy type \(did you mean Ingress\?\)/,
    ],
    [
      'three policy types',
      `${NP_HEAD}  podSelector: {}\n  policyTypes: [Ingress, Egress, Ingress]\n`,
      'spec.policyTypes',
      8,
      /may not specify more than two policyTypes/,
    ],
    [
      'ingress not a list',
      `${NP_HEAD}  podSelector: {}\n  ingress: {from: []}\n`,
      'spec.ingress',
      8,
      /must be a list \(ingress rules\), got a mapping/,
    ],
    [
      'from not a list',
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - from: {podSelector: {}}\n`,
      'spec.ingress[0].from',
      9,
      /must be a list \(peers\)/,
    ],
    [
      'matchLabels not a map',
      `${NP_HEAD}  podSelector: {matchLabels: [a]}\n`,
      'spec.podSelector.matchLabels',
      7,
      /must be a mapping/,
    ],
    [
      'spec not a map',
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: deny-all\n`,
      'spec',
      4,
      /must be a mapping \(the policy spec\)/,
    ],
    [
      'bad policy name',
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: Deny_All\nspec: {podSelector: {}}\n`,
      'metadata.name',
      4,
      /"Deny_All" is not a valid NetworkPolicy name/,
    ],
    [
      'bad namespace name',
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: Shop\nspec: {podSelector: {}}\n`,
      'metadata.namespace',
      5,
      /"Shop" is not a valid namespace name/,
    ],
    [
      'old apiVersion',
      `apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec: {podSelector: {}}\n`,
      'apiVersion',
      1,
      /not supported for NetworkPolicy; expected networking\.k8s\.io\/v1/,
    ],
  ];
  for (const [name, text, field, line, message] of cases) {
    it(name, () => {
      const e = oneError(text, field, line, message);
      expect(e.message).toMatch(/was not loaded$/);
      expect(load(text).policies).toEqual([]);
    });
  }

  it('keeps the other objects of the file', () => {
    const s = load(
      `${NP_HEAD}  podSelector: "x"\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n${NP_HEAD.replace('name: np', 'name: ok')}  podSelector: {}\n`,
    );
    expect(s.policies.map((p) => p.name)).toEqual(['ok']);
    expect(s.pods.map((p) => p.name)).toEqual(['a']);
    expect(errors(s)).toHaveLength(1);
  });

  it('reports every error of a policy, in text order', () => {
    const s = load(
      `${NP_HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 0, protocol: tcp}\n  bogus: 1\n`,
    );
    expect(errors(s).map((e) => `${e.location?.line}:${e.location?.column} ${e.field}`)).toEqual([
      '10:14 spec.ingress[0].ports[0].port',
      '10:27 spec.ingress[0].ports[0].protocol',
      '11:10 spec.bogus',
    ]);
  });
});

describe('bad documents', () => {
  it('malformed YAML: parser position, document skipped, others kept', () => {
    const s = load(
      `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: c}\n`,
    );
    const e = errors(s);
    expect(e.length).toBeGreaterThanOrEqual(1);
    expect(e[0]?.message).toMatch(/^malformed YAML: .*; this document was not loaded$/);
    expect(e[0]?.location?.line).toBeGreaterThanOrEqual(7);
    expect(s.pods.map((p) => p.name)).toEqual(['a', 'c']);
  });

  it('duplicate keys: the last one wins, as kubectl reads them, with a warning at the duplicate', () => {
    const s = load(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n`);
    expect(errors(s)).toEqual([]);
    expect(s.pods.map((p) => p.name)).toEqual(['b']);
    const warning = s.issues.find((i) => i.severity === 'warning' && /duplicate key "name"/.test(i.message));
    expect(warning).toMatchObject({ location: { line: 5, column: 3 } });
  });

  it('malformed JSON: position from the parser, file not loaded', () => {
    const s = load(
      '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "a",}\n}\n',
      'bad.json',
    );
    const e = errors(s);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ location: { file: 'bad.json', line: 4, column: 28 } });
    expect(e[0]?.message).toMatch(/^malformed JSON: .*nothing in this file was loaded$/);
  });

  it('truncated JSON', () => {
    const e = errors(load('{"apiVersion": "v1", "kind": "Pod"', 'cut.json'));
    expect(e[0]?.message).toMatch(/malformed JSON/);
    expect(e[0]?.location?.line).toBe(1);
  });

  it('a document that is not a mapping', () => {
    oneError(
      '- a\n- b\n',
      undefined,
      1,
      /a manifest document must be a mapping \(a Kubernetes object\), got a list/,
    );
    oneError('just text\n', undefined, 1, /got a string "just text"/);
  });

  it('missing kind, apiVersion, metadata.name', () => {
    oneError(
      'apiVersion: v1\nmetadata: {name: a}\n',
      'kind',
      1,
      /kind is missing; this document was not loaded/,
    );
    oneError(
      'kind: Pod\nmetadata: {name: a}\n',
      'apiVersion',
      1,
      /apiVersion is missing; this Pod was not loaded/,
    );
    oneError(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\n',
      'metadata.name',
      4,
      /metadata\.name is missing; this Pod was not loaded/,
    );
    oneError(
      'apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\n',
      'metadata.name',
      3,
      /metadata\.name is missing \(generateName needs a server/,
    );
    oneError('apiVersion: v1\nkind: Pod\n', 'metadata.name', 1, /metadata\.name is missing/);
  });

  it('wrong types in pods: labels, ports, hostNetwork', () => {
    oneError(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: app=web\n',
      'metadata.labels',
      5,
      /must be a mapping \(labels\), got a string "app=web"; Pod default\/a was not loaded/,
    );
    oneError(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - ports:\n    - containerPort: 0\n',
      'spec.containers[0].ports[0].containerPort',
      7,
      /0 must be between 1 and 65535/,
    );
    oneError(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - ports:\n    - {containerPort: 80, name: Web_Port}\n',
      'spec.containers[0].ports[0].name',
      7,
      /not a valid port name/,
    );
    oneError(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  hostNetwork: "yes"\n',
      'spec.hostNetwork',
      5,
      /must be true or false/,
    );
  });

  it('duplicate objects: the first is kept, the error names both places', () => {
    const a = parseManifestText(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {v: "1"}}\n',
      'one.yaml',
    );
    const b = parseManifestText(
      '# again\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {v: "2"}}\n',
      'two.yaml',
    );
    const s = buildSnapshot([a, b], { kind: 'manifests', paths: ['one.yaml', 'two.yaml'] });
    expect(s.pods).toHaveLength(1);
    expect(s.pods[0]?.labels).toEqual({ v: '1' });
    const e = errors(s);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ location: { file: 'two.yaml', line: 2 }, object: 'Pod x/a' });
    expect(e[0]?.message).toBe(
      'duplicate Pod x/a: already defined at one.yaml:1:1; this definition was not loaded (the first one is kept)',
    );
  });

  it('the same name in different kinds or namespaces is not a duplicate', () => {
    const s = load(
      `${NP_HEAD}  podSelector: {}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: np, namespace: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: np, namespace: "y"}\n`,
    );
    expect(errors(s)).toEqual([]);
  });
});

describe('workloads', () => {
  const deploy = (kind: string, api: string, extra = '', replicas = ''): string => `apiVersion: ${api}
kind: ${kind}
metadata: {name: web, namespace: shop}
spec:
${replicas}  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: false
      containers:
      - name: c
        ports: [{containerPort: 8080, name: http}]
${extra}`;

  it('Deployment and StatefulSet: one pod per replica, bounded', () => {
    const s = load(deploy('Deployment', 'apps/v1', '', '  replicas: 2\n'));
    expect(s.pods.map((p) => p.name)).toEqual(['web-0', 'web-1']);
    expect(s.pods[0]).toMatchObject({
      namespace: 'shop',
      labels: { app: 'web' },
      ips: [],
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      owner: { kind: 'Deployment', name: 'web' },
      fromTemplate: true,
    });
    expect(load(deploy('StatefulSet', 'apps/v1', '', '  replicas: 50\n')).pods).toHaveLength(3);
    expect(load(deploy('Deployment', 'apps/v1')).pods).toHaveLength(1);
    const zero = load(deploy('Deployment', 'apps/v1', '', '  replicas: 0\n'));
    expect(zero.pods).toHaveLength(0);
    expect(zero.issues.some((i) => i.severity === 'info' && /0 replicas/.test(i.message))).toBe(true);
  });

  it('DaemonSet, ReplicaSet, ReplicationController, Job', () => {
    expect(load(deploy('DaemonSet', 'apps/v1')).pods.map((p) => p.owner?.kind)).toEqual(['DaemonSet']);
    expect(load(deploy('ReplicaSet', 'apps/v1', '', '  replicas: 2\n')).pods).toHaveLength(2);
    expect(load(deploy('ReplicationController', 'v1')).pods.map((p) => p.owner?.kind)).toEqual([
      'ReplicationController',
    ]);
    expect(load(deploy('Job', 'batch/v1')).pods.map((p) => p.name)).toEqual(['web-0']);
  });

  it('CronJob uses jobTemplate.spec.template', () => {
    const s = load(`apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: ops}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {job: backup}}
        spec:
          containers: [{name: c}]
`);
    expect(s.pods).toEqual([
      expect.objectContaining({
        namespace: 'ops',
        name: 'backup-0',
        labels: { job: 'backup' },
        owner: { kind: 'CronJob', name: 'backup' },
      }),
    ]);
  });

  it('a workload without a template is an error', () => {
    oneError(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n',
      'spec.template',
      5,
      /spec\.template is missing: a Deployment needs a pod template; Deployment default\/web was not loaded/,
    );
  });

  it('real pods owned through a ReplicaSet get the Deployment as owner and suppress template pods', () => {
    const s = load(`${deploy('Deployment', 'apps/v1', '', '  replicas: 3\n')}---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d8f7c9b6
  namespace: shop
  labels: {app: web, pod-template-hash: 5d8f7c9b6}
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: u}]
spec:
  replicas: 3
  template:
    metadata: {labels: {app: web, pod-template-hash: 5d8f7c9b6}}
    spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-5d8f7c9b6-abcde
  namespace: shop
  labels: {app: web, pod-template-hash: 5d8f7c9b6}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f7c9b6, controller: true, uid: v}]
status: {podIP: 10.0.0.9}
`);
    expect(s.pods.map((p) => [p.name, p.owner, p.fromTemplate])).toEqual([
      ['web-5d8f7c9b6-abcde', { kind: 'Deployment', name: 'web' }, false],
    ]);
  });

  it('a ReplicaSet whose Deployment is absent stands for it, with the Deployment as owner', () => {
    const s = load(`apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-abc
  ownerReferences: [{kind: Deployment, name: web, controller: true}]
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c}]}
`);
    expect(s.pods.map((p) => [p.name, p.owner])).toEqual([
      ['web-abc-0', { kind: 'Deployment', name: 'web' }],
    ]);
  });

  it('template pod names that collide get the kind in the name', () => {
    const s = load(`${deploy('Deployment', 'apps/v1')}---\n${deploy('StatefulSet', 'apps/v1')}`);
    expect(s.pods.map((p) => p.name)).toEqual(['web-0', 'web-statefulset-0']);
  });

  it('unsupported workload apiVersions are skipped with a warning', () => {
    const s = load(deploy('Deployment', 'apps/v1beta1'));
    expect(s.pods).toEqual([]);
    expect(s.skippedKinds).toEqual({ Deployment: 1 });
    expect(s.issues[0]).toMatchObject({ severity: 'warning', field: 'apiVersion' });
  });
});
