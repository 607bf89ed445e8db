/**
 * ClusterNetworkPolicy drafts: the draft model against the manifest reader (every admin fixture
 * survives policy → draft → manifest/YAML → reader), validation keyed by form field with the
 * reader's words, the equal-priority warning from the snapshot, the templates (checked by what the
 * evaluator makes of them), the operations, and the what-if deltas.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import type { ConnectionQuery } from '../../../shared/eval/index.ts';
import { parseManifestText, snapshotFromText } from '../../../shared/manifest/index.ts';
import type { ClusterNetworkPolicy, Snapshot } from '../../../shared/model/snapshot.ts';
import {
  CLUSTER_TEMPLATES,
  DEFAULT_CLUSTER_POLICY_API_VERSION,
  DESCRIPTION_ANNOTATION,
  NEW_CLUSTER_DRAFT_EXPLANATION,
  canEditClusterPolicy,
  clusterDraftDeltas,
  clusterDraftFromPolicy,
  clusterDraftFromYaml,
  clusterDraftPathFor,
  clusterDraftToManifest,
  clusterDraftToPolicy,
  clusterDraftToYaml,
  clusterTemplateById,
  draftToYaml,
  duplicateClusterDraft,
  editorDraftDeltas,
  editorDraftFromYaml,
  editorDraftKey,
  editorDraftOriginKey,
  editorDraftReplaces,
  freePriority,
  isClusterDraft,
  issuesAt,
  moveRule,
  newClusterDraft,
  newDraft,
  replacedClusterKey,
  samePriorityPolicies,
  validateClusterDraft,
  validateEditorDraft,
  withoutLoadTail,
  type AdminRuleDraft,
  type ClusterPolicyDraft,
} from '../../../shared/editor/index.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return f === 'invalid' ? [] : yamlFiles(p);
      return /\.ya?ml$/.test(f) ? [p] : [];
    });
}

function withoutLocation(policy: ClusterNetworkPolicy): Omit<ClusterNetworkPolicy, 'location'> {
  const { location: _location, ...rest } = policy;
  return rest;
}

const fixturePolicies = [
  ...yamlFiles(join(FIXTURES, 'admin')),
  ...yamlFiles(join(FIXTURES, 'conformance-admin')),
].flatMap((file) =>
  snapshotFromText(readFileSync(file, 'utf8'), file).clusterPolicies.map(
    (policy) => [`${file.slice(FIXTURES.length + 1)}: ${policy.kind} ${policy.name}`, policy] as const,
  ),
);
const editable = fixturePolicies.filter(([, p]) => canEditClusterPolicy(p));

const base = (): ClusterPolicyDraft => ({
  kind: 'ClusterNetworkPolicy',
  apiVersion: DEFAULT_CLUSTER_POLICY_API_VERSION,
  name: 'isolate-shop',
  description: '',
  tier: 'Admin',
  priority: '100',
  subject: {
    kind: 'namespaces',
    namespaces: {
      matchLabels: [{ key: 'kubernetes.io/metadata.name', value: 'shop' }],
      matchExpressions: [],
    },
  },
  ingress: [],
  egress: [],
  labels: {},
  annotations: {},
});

const denyFromAll: AdminRuleDraft = {
  name: 'deny-all',
  action: 'Deny',
  peers: [{ kind: 'namespaces', namespaces: { matchLabels: [], matchExpressions: [] } }],
  ports: 'any',
};

describe('round trip of every admin fixture policy', () => {
  it('finds the fixtures, and leaves out only the legacy kinds', () => {
    expect(editable.length).toBeGreaterThan(20);
    for (const [, p] of fixturePolicies)
      expect(canEditClusterPolicy(p)).toBe(p.kind === 'ClusterNetworkPolicy');
  });

  it.each(editable)('%s', (_name, policy) => {
    const draft = clusterDraftFromPolicy(policy);
    expect(draft.origin).toEqual({ name: policy.name });
    expect(draft.apiVersion).toBe(policy.apiVersion);

    const fromJson = parseManifestText(JSON.stringify(clusterDraftToManifest(draft)), 'draft.json');
    expect(fromJson.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(fromJson.clusterPolicies.map(withoutLocation)).toEqual([withoutLocation(policy)]);

    const back = clusterDraftFromYaml(clusterDraftToYaml(draft), { origin: { name: policy.name } });
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.draft).toEqual(draft);

    const asPolicy = clusterDraftToPolicy(draft);
    expect(asPolicy.ok).toBe(true);
    if (asPolicy.ok) expect(withoutLocation(asPolicy.policy)).toEqual(withoutLocation(policy));
  });
});

describe('manifest and YAML', () => {
  it('writes the canonical object, cluster-scoped, keeping the description in its annotation', () => {
    const draft: ClusterPolicyDraft = {
      ...base(),
      description: 'Shop: no traffic from other tenants',
      ingress: [
        {
          name: 'web-ports',
          action: 'Accept',
          peers: [
            {
              kind: 'pods',
              namespaces: { matchLabels: [{ key: 'team', value: 'web' }], matchExpressions: [] },
              pods: { matchLabels: [{ key: 'app', value: 'lb' }], matchExpressions: [] },
            },
          ],
          ports: [
            { kind: 'port', protocol: 'TCP', port: '443', endPort: '' },
            { kind: 'port', protocol: 'UDP', port: '8000', endPort: '8099' },
            { kind: 'named', name: 'metrics' },
          ],
        },
      ],
      egress: [{ ...denyFromAll, peers: [{ kind: 'networks', cidrs: ['10.0.0.0/8'] }] }],
    };
    expect(clusterDraftToYaml(draft)).toBe(`apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata:
  name: isolate-shop
  annotations:
    ${DESCRIPTION_ANNOTATION}: "Shop: no traffic from other tenants"
spec:
  tier: Admin
  priority: 100
  subject:
    namespaces:
      matchLabels:
        kubernetes.io/metadata.name: shop
  ingress:
    - name: web-ports
      action: Accept
      from:
        - pods:
            namespaceSelector:
              matchLabels:
                team: web
            podSelector:
              matchLabels:
                app: lb
      protocols:
        - tcp:
            destinationPort:
              number: 443
        - udp:
            destinationPort:
              range:
                start: 8000
                end: 8099
        - destinationNamedPort: metrics
  egress:
    - name: deny-all
      action: Deny
      to:
        - networks:
            - 10.0.0.0/8
`);
    expect(clusterDraftToManifest(draft).metadata).not.toHaveProperty('namespace');
    const back = clusterDraftFromYaml(clusterDraftToYaml(draft));
    expect(back).toMatchObject({ ok: true, draft });
  });

  it('keeps the apiVersion of the object it edits', () => {
    const yaml = clusterDraftToYaml({ ...base(), apiVersion: 'policy.networking.k8s.io/v1alpha2' });
    expect(yaml).toMatch(/^apiVersion: policy\.networking\.k8s\.io\/v1alpha2$/m);
    const back = clusterDraftFromYaml(yaml);
    expect(back.ok && back.draft.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
  });

  it('wants exactly one ClusterNetworkPolicy in the pane, at its line', () => {
    const one = clusterDraftToYaml(base());
    const two = clusterDraftFromYaml(`${one}---\n${one.replace('isolate-shop', 'other')}`);
    expect(two.ok).toBe(false);
    if (!two.ok) {
      expect(two.issues.map((i) => i.message)).toContain(
        'the editor edits one ClusterNetworkPolicy at a time; this text holds 2',
      );
    }
    const np = clusterDraftFromYaml(draftToYaml(newDraft('shop')));
    expect(np.ok).toBe(false);
    if (!np.ok) {
      expect(np.issues.filter((i) => i.severity === 'error').map((i) => i.message)).toEqual([
        'only one ClusterNetworkPolicy belongs in this draft; this text also holds NetworkPolicy',
      ]);
    }
    const legacy = clusterDraftFromYaml(readFileSync(join(FIXTURES, 'admin/legacy.yaml'), 'utf8'));
    expect(legacy.ok).toBe(false);
    if (!legacy.ok) expect(legacy.issues.map((i) => i.message).join('\n')).toMatch(/AdminNetworkPolicy/);
    // And the NetworkPolicy pane refuses a ClusterNetworkPolicy.
    const intoNp = editorDraftFromYaml(one, newDraft('shop'));
    expect(intoNp.ok).toBe(false);
    if (!intoNp.ok) expect(intoNp.issues[0]?.message).toMatch(/holds ClusterNetworkPolicy/);
  });

  it("reports a YAML mistake with the reader's message at its line", () => {
    const yaml = clusterDraftToYaml(base()).replace('tier: Admin', 'tier: admin');
    const result = clusterDraftFromYaml(yaml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const reader = parseManifestText(yaml, 'draft.yaml').issues.filter((i) => i.severity === 'error');
    expect(reader.length).toBeGreaterThan(0);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual(reader);
    const line = yaml.split('\n').findIndex((l) => l.includes('tier: admin')) + 1;
    expect(result.issues[0]?.location?.line).toBe(line);
  });
});

describe('validation keyed by form field', () => {
  it("puts the reader's messages, word for word, on the inputs they are about", () => {
    const draft: ClusterPolicyDraft = {
      ...base(),
      priority: '2000',
      ingress: [{ ...denyFromAll, ports: [{ kind: 'port', protocol: 'TCP', port: '90', endPort: '80' }] }],
      egress: [
        {
          name: 'x'.repeat(101),
          action: 'Accept',
          peers: [{ kind: 'networks', cidrs: ['10.0.0.0/8', '10.0.0.1/8'] }],
          ports: 'any',
        },
      ],
    };
    const validation = validateClusterDraft(draft);
    expect(validation.valid).toBe(false);
    const reader = parseManifestText(clusterDraftToYaml(draft), 'draft.yaml').issues;
    const byField = (manifestField: string) => reader.find((i) => i.field === manifestField)?.message;
    const expectAt = (field: string, manifestField: string) => {
      const message = byField(manifestField);
      expect(message, manifestField).toBeDefined();
      // The reader's words, less its "… was not loaded" tail (the draft is the only object here).
      expect(issuesAt(validation, field).map((i) => i.message)).toContain(withoutLoadTail(message ?? ''));
    };
    expectAt('priority', 'spec.priority');
    expectAt('ingress[0].ports[0].endPort', 'spec.ingress[0].protocols[0].tcp.destinationPort.range');
    expectAt('egress[0].name', 'spec.egress[0].name');
    expectAt('egress[0].peers[0].cidrs[1]', 'spec.egress[0].to[0].networks[1]');
    // Lines point into the YAML pane.
    const yamlLines = clusterDraftToYaml(draft).split('\n');
    const priority = issuesAt(validation, 'priority')[0];
    expect(yamlLines[(priority?.line ?? 0) - 1]).toContain('priority: 2000');
  });

  it('reports an empty list once, in the reader’s words, and a duplicate label key itself', () => {
    const draft: ClusterPolicyDraft = {
      ...base(),
      subject: {
        kind: 'pods',
        namespaces: { matchLabels: [], matchExpressions: [] },
        pods: {
          matchLabels: [
            { key: 'app', value: 'a' },
            { key: 'app', value: 'b' },
          ],
          matchExpressions: [],
        },
      },
      ingress: [{ name: '', action: 'Accept', peers: [], ports: 'any' }],
    };
    const validation = validateClusterDraft(draft);
    const peers = issuesAt(validation, 'ingress[0].peers');
    expect(peers).toHaveLength(1);
    expect(peers[0]?.source).toBe('loader');
    expect(issuesAt(validation, 'subject.pods.matchLabels[1].key')).toMatchObject([
      {
        severity: 'error',
        source: 'editor',
        message: expect.stringMatching(/duplicate label key "app"/) as unknown,
      },
    ]);
  });

  it('maps manifest paths of the reader and of the API server to form fields', () => {
    const draft: ClusterPolicyDraft = {
      ...base(),
      subject: {
        kind: 'pods',
        namespaces: { matchLabels: [{ key: 'team', value: 'web' }], matchExpressions: [] },
        pods: { matchLabels: [{ key: 'app', value: 'x' }], matchExpressions: [] },
      },
      ingress: [
        {
          ...denyFromAll,
          peers: [
            { kind: 'namespaces', namespaces: { matchLabels: [], matchExpressions: [] } },
            {
              kind: 'pods',
              namespaces: { matchLabels: [], matchExpressions: [] },
              pods: { matchLabels: [{ key: 'app', value: 'y' }], matchExpressions: [] },
            },
          ],
        },
      ],
    };
    const cases: [string, string, string?][] = [
      ['metadata.name', 'name'],
      [`metadata.annotations["${DESCRIPTION_ANNOTATION}"]`, 'description'],
      ['spec.tier', 'tier'],
      ['spec.priority', 'priority'],
      ['spec.subject', 'subject'],
      ['spec.subject.pods.namespaceSelector.matchLabels["team"]', 'subject.namespaces.matchLabels[0].value'],
      ['spec.subject.pods.podSelector.matchLabels[app]', 'subject.pods.matchLabels[0].key', 'key "app" bad'],
      ['spec.ingress[0].action', 'ingress[0].action'],
      ['spec.ingress[0].from', 'ingress[0].peers'],
      [
        'spec.ingress[0].from[1].pods.podSelector.matchLabels["app"]',
        'ingress[0].peers[1].pods.matchLabels[0].value',
      ],
      ['spec.ingress[0].from[1].pods.namespaceSelector', 'ingress[0].peers[1].namespaces'],
      [
        'spec.ingress[0].from[0].namespaces.matchExpressions[2].values',
        'ingress[0].peers[0].namespaces.matchExpressions[2].values',
      ],
      ['spec.ingress[0].protocols', 'ingress[0].ports'],
      ['spec.ingress[0].protocols[1].sctp.destinationPort.number', 'ingress[0].ports[1].port'],
      ['spec.ingress[0].protocols[1].tcp.destinationPort.range.start', 'ingress[0].ports[1].port'],
      ['spec.ingress[0].protocols[1].tcp.destinationPort.range.end', 'ingress[0].ports[1].endPort'],
      ['spec.ingress[0].protocols[1].tcp', 'ingress[0].ports[1].protocol'],
      ['spec.ingress[0].protocols[2].destinationNamedPort', 'ingress[0].ports[2].name'],
      ['spec.egress[3].to[1].networks[0]', 'egress[3].peers[1].cidrs[0]'],
      ['spec.egress[3].to[1].domainNames[2]', 'egress[3].peers[1].domainNames[2]'],
      [
        'spec.egress[3].to[0].nodes.matchExpressions[0].key',
        'egress[3].peers[0].nodes.matchExpressions[0].key',
      ],
      ['spec', ''],
    ];
    for (const [manifest, field, message] of cases) {
      expect(clusterDraftPathFor(draft, manifest, message), manifest).toBe(field);
    }
  });

  it('warns, from the snapshot, when another policy of the tier has the same priority', () => {
    const snapshot = snapshotFromText(readFileSync(join(FIXTURES, 'admin/cluster.yaml'), 'utf8'));
    const taken = snapshot.clusterPolicies.find((p) => p.tier === 'Admin');
    expect(taken).toBeDefined();
    if (taken === undefined) return;
    const draft = { ...base(), priority: String(taken.priority) };
    expect(samePriorityPolicies(draft, snapshot.clusterPolicies)).toEqual([taken.name]);
    const validation = validateClusterDraft(draft, { clusterPolicies: snapshot.clusterPolicies });
    expect(validation.valid).toBe(true);
    expect(issuesAt(validation, 'priority')).toMatchObject([
      { severity: 'warning', message: expect.stringContaining(`(${taken.name})`) as unknown },
    ]);
    // Another tier, the policy itself (edited or replaced), or no snapshot: no warning.
    expect(samePriorityPolicies({ ...draft, tier: 'Baseline' }, snapshot.clusterPolicies)).toEqual(
      snapshot.clusterPolicies
        .filter((p) => p.tier === 'Baseline' && p.priority === taken.priority)
        .map((p) => p.name),
    );
    expect(samePriorityPolicies({ ...draft, name: taken.name }, snapshot.clusterPolicies)).toEqual([]);
    expect(
      samePriorityPolicies({ ...draft, origin: { name: taken.name } }, snapshot.clusterPolicies),
    ).toEqual([]);
    expect(issuesAt(validateClusterDraft(draft), 'priority')).toEqual([]);
  });
});

// A small cluster for what the evaluator makes of the templates.
const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: monitoring, labels: {kubernetes.io/metadata.name: monitoring}}
---
apiVersion: v1
kind: Namespace
metadata: {name: billing, labels: {kubernetes.io/metadata.name: billing}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: prometheus, namespace: monitoring, labels: {app: prometheus}}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: pay, namespace: billing, labels: {app: pay}}
status: {podIP: 10.0.2.1}
`;

const toWeb = (namespace: string, name: string): ConnectionQuery => ({
  from: { kind: 'pod', namespace, name },
  to: { kind: 'pod', namespace: 'shop', name: 'web' },
  port: 8080,
  protocol: 'TCP',
});

function deltasOf(draft: ClusterPolicyDraft) {
  const result = clusterDraftDeltas(draft);
  if (!result.ok) throw new Error(JSON.stringify(result.validation.issues));
  return result.deltas;
}

describe('templates', () => {
  it('are the three of the issue, valid, each with a title and a one-sentence description', () => {
    expect(CLUSTER_TEMPLATES.map((t) => t.id)).toEqual([
      'platform-deny-cross-namespace',
      'baseline-default-deny',
      'pass-to-networkpolicies',
    ]);
    for (const t of CLUSTER_TEMPLATES) {
      expect(t.title).not.toBe('');
      expect(t.description).toMatch(/^[A-Z].*\.$/);
      expect(t.description.split(/\.\s/)).toHaveLength(1);
      const draft = t.create('shop');
      expect(draft.origin).toBeUndefined();
      expect(validateClusterDraft(draft).issues.filter((i) => i.severity !== 'info')).toEqual([]);
    }
  });

  it('deny cross-namespace: Accept from monitoring first, then Deny from the other namespaces', () => {
    const draft = clusterTemplateById('platform-deny-cross-namespace')!.create('shop');
    expect(draft.tier).toBe('Admin');
    expect(draft.ingress.map((r) => r.action)).toEqual(['Accept', 'Deny']);
    const analyzer = createAnalyzer(snapshotFromText(CLUSTER));
    for (const from of [
      ['monitoring', 'prometheus'],
      ['billing', 'pay'],
      ['shop', 'client'],
    ] as const) {
      expect(analyzer.check(toWeb(from[0], from[1])).verdict).toBe('allowed');
    }
    const after = analyzer.whatIf(deltasOf(draft));
    const prometheus = after.check(toWeb('monitoring', 'prometheus'));
    expect(prometheus.verdict).toBe('allowed');
    expect(prometheus.ingress).toMatchObject({
      tiers: { decidedBy: 'Admin', admin: { action: 'Accept', rule: 0 } },
    });
    const pay = after.check(toWeb('billing', 'pay'));
    expect(pay.verdict).toBe('denied');
    expect(pay.ingress).toMatchObject({ tiers: { decidedBy: 'Admin', admin: { action: 'Deny', rule: 1 } } });
    // Inside the namespace no rule matches: the NetworkPolicy tier (none here) and the default decide.
    expect(after.check(toWeb('shop', 'client')).verdict).toBe('allowed');

    // Order matters: with the Deny first, monitoring is refused too.
    const swapped = { ...draft, ingress: moveRule(draft.ingress, 1, -1) };
    expect(analyzer.whatIf(deltasOf(swapped)).check(toWeb('monitoring', 'prometheus')).verdict).toBe(
      'denied',
    );
  });

  it('baseline default-deny: refuses where no NetworkPolicy isolates the pod, and only there', () => {
    const draft = clusterTemplateById('baseline-default-deny')!.create('ignored');
    expect(draft).toMatchObject({ tier: 'Baseline', ingress: [{ action: 'Deny' }] });
    const analyzer = createAnalyzer(snapshotFromText(CLUSTER)).whatIf(deltasOf(draft));
    expect(analyzer.check(toWeb('shop', 'client')).verdict).toBe('denied');
    expect(analyzer.check(toWeb('billing', 'pay')).ingress).toMatchObject({
      kind: 'denied',
      tiers: { decidedBy: 'Baseline' },
    });
    const withPolicy = snapshotFromText(`${CLUSTER}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]
`);
    const isolated = createAnalyzer(withPolicy).whatIf(deltasOf(draft));
    expect(isolated.check(toWeb('shop', 'client')).verdict).toBe('allowed');
    expect(isolated.check(toWeb('billing', 'pay')).ingress).toMatchObject({
      tiers: { decidedBy: 'NetworkPolicy' },
    });
  });

  it('pass: the namespace’s traffic skips later Admin-tier policies', () => {
    const denyAll = { ...base(), name: 'deny-all-into-shop', priority: '50', ingress: [denyFromAll] };
    const pass = clusterTemplateById('pass-to-networkpolicies')!.create('shop');
    expect(Number(pass.priority)).toBeLessThan(50);
    const analyzer = createAnalyzer(snapshotFromText(CLUSTER));
    expect(analyzer.whatIf(deltasOf(denyAll)).check(toWeb('billing', 'pay')).verdict).toBe('denied');
    const both = analyzer.whatIf([...deltasOf(denyAll), ...deltasOf(pass)]).check(toWeb('billing', 'pay'));
    expect(both.verdict).toBe('allowed');
    expect(both.ingress).toMatchObject({ tiers: { admin: { action: 'Pass', policy: pass.name } } });
  });
});

describe('operations', () => {
  it('a new draft applies to one namespace, has no rules, and takes a free name and priority', () => {
    const taken = [
      { tier: 'Admin' as const, priority: 100 },
      { tier: 'Admin' as const, priority: 101 },
      { tier: 'Baseline' as const, priority: 102 },
    ];
    const draft = newClusterDraft('shop', ['new-cluster-policy'], taken);
    expect(draft).toMatchObject({
      kind: 'ClusterNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1beta1',
      name: 'new-cluster-policy-2',
      tier: 'Admin',
      priority: '102',
      ingress: [],
      egress: [],
    });
    expect(validateClusterDraft(draft).valid).toBe(true);
    expect(NEW_CLUSTER_DRAFT_EXPLANATION.split(/\.\s/)).toHaveLength(1);
    expect(freePriority('Baseline', 102, taken)).toBe(103);
    expect(freePriority('Admin', 1000, [{ tier: 'Admin', priority: 1000 }])).toBe(999);
  });

  it('moves rules up and down, and leaves them at either end', () => {
    const rules: AdminRuleDraft[] = ['a', 'b', 'c'].map((name) => ({ ...denyFromAll, name }));
    expect(moveRule(rules, 2, -1).map((r) => r.name)).toEqual(['a', 'c', 'b']);
    expect(moveRule(rules, 0, 1).map((r) => r.name)).toEqual(['b', 'a', 'c']);
    expect(moveRule(rules, 0, -1)).toBe(rules);
    expect(moveRule(rules, 2, 1)).toBe(rules);
  });

  it('duplicate drops the origin and picks a free name', () => {
    const copy = duplicateClusterDraft({ ...base(), origin: { name: 'isolate-shop' } }, [
      'isolate-shop-copy',
    ]);
    expect(copy.origin).toBeUndefined();
    expect(copy.name).toBe('isolate-shop-copy-2');
  });
});

describe('what-if deltas and keys', () => {
  const snapshot: Snapshot = snapshotFromText(`${CLUSTER}---
${clusterDraftToYaml({ ...base(), name: 'existing', ingress: [denyFromAll] })}`);
  const existing = snapshot.clusterPolicies[0]!;

  it('upserts the draft; an edit that renames its policy removes the original by key', () => {
    const edit = clusterDraftFromPolicy(existing);
    expect(deltasOf(edit).map((d) => d.kind)).toEqual(['upsertClusterPolicy']);
    const renamed = { ...edit, name: 'existing-v2' };
    expect(deltasOf(renamed)).toMatchObject([
      { kind: 'removeClusterPolicy', key: 'existing' },
      { kind: 'upsertClusterPolicy', policy: { name: 'existing-v2' } },
    ]);
    const analyzer = createAnalyzer(snapshot);
    expect(analyzer.check(toWeb('billing', 'pay')).verdict).toBe('denied');
    const opened = { ...renamed, ingress: [{ ...denyFromAll, action: 'Pass' as const }] };
    expect(analyzer.whatIf(deltasOf(opened)).check(toWeb('billing', 'pay')).verdict).toBe('allowed');
    expect(clusterDraftDeltas({ ...opened, priority: 'x' }).ok).toBe(false);
  });

  it('a new draft named like an existing policy replaces it, and says so', () => {
    const fresh = { ...base(), name: 'existing' };
    expect(replacedClusterKey(fresh, snapshot.clusterPolicies)).toBe('existing');
    expect(editorDraftReplaces(fresh, snapshot)).toBe('existing');
    expect(
      replacedClusterKey({ ...fresh, origin: { name: 'existing' } }, snapshot.clusterPolicies),
    ).toBeUndefined();
    expect(replacedClusterKey({ ...fresh, name: 'other' }, snapshot.clusterPolicies)).toBeUndefined();
    expect(editorDraftReplaces(newDraft('shop'), snapshot)).toBeUndefined();
    // Replacing by key: the what-if holds one policy of that name, the draft's.
    const after = createAnalyzer(snapshot).whatIf(deltasOf({ ...fresh, ingress: [] }));
    expect(after.check(toWeb('billing', 'pay')).verdict).toBe('allowed');
  });

  it('the EditorDraft functions take either kind', () => {
    const np = newDraft('shop');
    const cnp = clusterDraftFromPolicy(existing);
    expect(isClusterDraft(np)).toBe(false);
    expect(isClusterDraft(cnp)).toBe(true);
    expect(editorDraftKey(np)).toBe('shop/new-policy');
    expect(editorDraftKey(cnp)).toBe('existing');
    expect(editorDraftOriginKey(cnp)).toBe('existing');
    expect(editorDraftOriginKey(np)).toBeUndefined();
    expect(editorDraftDeltas(np)).toMatchObject({ ok: true, deltas: [{ kind: 'upsertPolicy' }] });
    expect(editorDraftDeltas(cnp)).toMatchObject({ ok: true, deltas: [{ kind: 'upsertClusterPolicy' }] });
    expect(validateEditorDraft({ ...cnp, priority: '-1' }).valid).toBe(false);
    expect(validateEditorDraft({ ...np, namespace: '' }).valid).toBe(false);
  });
});
