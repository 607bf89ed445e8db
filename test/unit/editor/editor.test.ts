import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { parseManifestText, snapshotFromText } from '../../../shared/manifest/index.ts';
import {
  DENY_ALL_EGRESS_EXPLANATION,
  DESCRIPTION_ANNOTATION,
  DISABLE_INGRESS_EXPLANATION,
  NEW_DRAFT_EXPLANATION,
  TEMPLATES,
  denyAllEgress,
  disableIngressRules,
  draftDeltas,
  draftFromPolicy,
  draftFromYaml,
  draftPathFor,
  draftToManifest,
  draftToYaml,
  duplicateDraft,
  effectiveTypes,
  issuesAt,
  newDraft,
  parseFieldPath,
  templateById,
  validateDraft,
  type PolicyDraft,
} from '../../../shared/editor/index.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/conformance');

/** The NetworkPolicy object of a fixture, as written there. */
function fixturePolicy(dir: string, name: string): unknown {
  const text = readFileSync(join(FIXTURES, dir, 'manifests.yaml'), 'utf8');
  const docs = text.split(/^---$/m).map((d) => parse(d) as unknown);
  const found = docs.find(
    (d) =>
      typeof d === 'object' &&
      d !== null &&
      (d as { kind?: string }).kind === 'NetworkPolicy' &&
      (d as { metadata: { name: string } }).metadata.name === name,
  );
  if (found === undefined) throw new Error(`${name} not in ${dir}`);
  return found;
}

const base = (): PolicyDraft => ({
  name: 'web',
  namespace: 'shop',
  description: '',
  podSelector: { matchLabels: [{ key: 'app', value: 'web' }], matchExpressions: [] },
  policyTypes: 'default',
  ingress: [],
  egress: [],
  labels: {},
  annotations: {},
});

describe('templates', () => {
  it('are the nine of the issue, each with a title and a one-sentence description', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual([
      'default-deny-ingress',
      'default-deny-egress',
      'default-deny-all',
      'allow-dns-egress',
      'allow-same-namespace',
      'microsvc-users-api-allow',
      'database-access-api-only',
      'disable-ingress-rules',
      'deny-restricted-egress',
    ]);
    for (const t of TEMPLATES) {
      expect(t.title).not.toBe('');
      expect(t.description).toMatch(/^[A-Z].*\.$/);
      expect(t.description.split(/\.\s/)).toHaveLength(1);
    }
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))(
    '%s gives a valid policy in the namespace asked',
    (_id, t) => {
      const draft = t.create('team-a');
      expect(draft.namespace).toBe('team-a');
      expect(draft.origin).toBeUndefined();
      const parsed = parseManifestText(draftToYaml(draft), 'template.yaml');
      expect(parsed.policies).toHaveLength(1);
      const validation = validateDraft(draft);
      expect(validation.valid).toBe(true);
      if (t.id === 'disable-ingress-rules') {
        // The seed's point: the ingress rules are there and have no effect.
        expect(parsed.issues.map((i) => [i.severity, i.field])).toEqual([['info', 'spec.ingress']]);
        expect(validation.issues.map((i) => [i.severity, i.field])).toEqual([['info', 'ingress']]);
      } else {
        expect(parsed.issues).toEqual([]);
        expect(validation.issues).toEqual([]);
      }
    },
  );

  it('the four seed examples are exactly the seed objects', () => {
    const cases: [string, string, string, string][] = [
      ['microsvc-users-api-allow', '44-seed-microsvc-users-api-allow', 'microsvc-users-api-allow', 'users'],
      [
        'database-access-api-only',
        '45-seed-database-access-api-only',
        'database-access-api-only',
        'identity',
      ],
      ['disable-ingress-rules', '46-seed-disable-ingress-rules', 'storefront-egress-only', 'shop'],
      ['deny-restricted-egress', '47-seed-deny-restricted-egress', 'deny-restricted-egress', 'billing'],
    ];
    for (const [id, dir, name, namespace] of cases) {
      const draft = templateById(id)?.create(namespace);
      expect(draft).toBeDefined();
      expect(draftToManifest(draft!)).toEqual(fixturePolicy(dir, name));
    }
  });

  it('default-deny and DNS templates write what the docs show', () => {
    expect(draftToManifest(templateById('default-deny-all')!.create('x')).spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    expect(draftToYaml(templateById('allow-dns-egress')!.create('x'))).toBe(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns-egress
  namespace: x
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
`);
  });
});

describe('YAML beside the form', () => {
  it('keeps the description in its annotation and quotes what YAML 1.1 would misread', () => {
    const draft: PolicyDraft = {
      ...base(),
      description: 'Web: only from the shop',
      podSelector: { matchLabels: [{ key: 'enabled', value: 'yes' }], matchExpressions: [] },
    };
    const yaml = draftToYaml(draft);
    expect(yaml).toContain(`${DESCRIPTION_ANNOTATION}: "Web: only from the shop"`);
    expect(yaml).toContain('enabled: "yes"');
    const back = draftFromYaml(yaml);
    expect(back).toMatchObject({ ok: true, draft });
  });

  it('reports a YAML syntax error at its line', () => {
    const result = draftFromYaml(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: [x\n',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]?.message).toMatch(/^malformed YAML/);
    expect(result.issues[0]?.location?.line).toBeGreaterThanOrEqual(4);
  });

  it("reports an invalid field with the loader's message at its line", () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector: {}
  ingress:
    - ports:
        - port: 80
          endPort: 70
`;
    const result = draftFromYaml(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      {
        severity: 'error',
        message: 'must be greater than or equal to port (80), got 70; NetworkPolicy shop/web was not loaded',
        location: { file: 'draft.yaml', line: 11, column: 20 },
        field: 'spec.ingress[0].ports[0].endPort',
        object: 'NetworkPolicy shop/web',
      },
    ]);
  });

  it('wants exactly one NetworkPolicy', () => {
    const one = draftToYaml(base());
    const two = `${one}---\n${draftToYaml({ ...base(), name: 'other' })}`;
    const r2 = draftFromYaml(two);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.issues[0]).toMatchObject({ message: /holds 2/, location: { line: 11 } });
    const none = draftFromYaml('');
    expect(none).toMatchObject({ ok: false, issues: [{ message: 'no NetworkPolicy in this text' }] });
    const pod = draftFromYaml(`${one}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\n`);
    expect(pod).toMatchObject({ ok: false, issues: [{ message: /also holds Pod/ }] });
  });

  it('uses the namespace given when the YAML names none, and keeps the origin given', () => {
    const text =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: {podSelector: {}}\n';
    expect(draftFromYaml(text)).toMatchObject({ ok: true, draft: { namespace: 'default' } });
    const r = draftFromYaml(text, { namespace: 'shop', origin: { namespace: 'shop', name: 'q' } });
    expect(r).toMatchObject({
      ok: true,
      draft: { namespace: 'shop', origin: { namespace: 'shop', name: 'q' } },
    });
  });
});

describe('validation keyed by form field', () => {
  it("maps the loader's messages to the inputs they are about", () => {
    const draft: PolicyDraft = {
      ...base(),
      name: 'Web',
      podSelector: {
        matchLabels: [
          { key: 'app', value: 'web' },
          { key: 'bad key', value: 'ok' },
          { key: 'tier', value: 'no spaces allowed' },
        ],
        matchExpressions: [{ key: 'env', operator: 'In', values: [] }],
      },
      ingress: [
        {
          peers: [
            { kind: 'pods', namespaces: 'same', pods: 'all' },
            { kind: 'ipBlock', cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] },
            {
              kind: 'pods',
              namespaces: { matchLabels: [{ key: 'team', value: '-x' }], matchExpressions: [] },
              pods: 'all',
            },
          ],
          ports: [
            { protocol: 'TCP', port: '80', endPort: '70' },
            { protocol: 'UDP', port: 'http', endPort: '90' },
            { protocol: 'TCP', port: '99999', endPort: '' },
            { protocol: 'TCP', port: '', endPort: 'abc' },
          ],
        },
      ],
    };
    const v = validateDraft(draft);
    expect(v.valid).toBe(false);
    const fields = v.issues.map((i) => i.field);
    expect(fields).toEqual([
      'name',
      'podSelector.matchLabels[1].key',
      'podSelector.matchLabels[2].value',
      'podSelector.matchExpressions[0].values',
      'ingress[0].peers[1].except[0]',
      'ingress[0].peers[2].namespaces.matchLabels[0].value',
      'ingress[0].ports[0].endPort',
      'ingress[0].ports[1].endPort',
      'ingress[0].ports[2].port',
      'ingress[0].ports[3].endPort',
    ]);
    expect(issuesAt(v, 'ingress[0].ports[0].endPort')[0]).toMatchObject({
      severity: 'error',
      source: 'loader',
      manifestField: 'spec.ingress[0].ports[0].endPort',
      // The loader's "…; NetworkPolicy shop/Web was not loaded" tail says nothing under a form field.
      message: 'must be greater than or equal to port (80), got 70',
    });
    // The line is the one of the YAML pane.
    const yamlLines = draftToYaml(draft).split('\n');
    const endPort = issuesAt(v, 'ingress[0].ports[0].endPort')[0];
    expect(yamlLines[(endPort?.line ?? 0) - 1]).toContain('endPort: 70');
  });

  it('checks what only a form can get wrong', () => {
    const draft: PolicyDraft = {
      ...base(),
      namespace: '',
      podSelector: {
        matchLabels: [
          { key: 'app', value: 'a' },
          { key: 'app', value: 'b' },
          { key: '', value: '' },
        ],
        matchExpressions: [],
      },
      policyTypes: { ingress: false, egress: false },
      egress: [{ peers: [], ports: [] }],
    };
    expect(validateDraft(draft).issues.filter((i) => i.source === 'editor')).toEqual([
      { severity: 'error', message: 'namespace is missing', field: 'namespace', source: 'editor' },
      {
        severity: 'error',
        message: 'duplicate label key "app": a key may appear only once in matchLabels',
        field: 'podSelector.matchLabels[1].key',
        source: 'editor',
      },
      {
        severity: 'error',
        message: 'choose Ingress, Egress or both, or Default',
        field: 'policyTypes',
        source: 'editor',
      },
      {
        severity: 'error',
        message:
          'no destinations: add one, or choose any destination (Kubernetes reads an empty list as everyone)',
        field: 'egress[0].peers',
        source: 'editor',
      },
      {
        severity: 'error',
        message: 'no ports: add one, or choose all ports (Kubernetes reads an empty list as every port)',
        field: 'egress[0].ports',
        source: 'editor',
      },
    ]);
  });

  it('notes rules that have no effect (the disabled-ingress state)', () => {
    const v = validateDraft(disableIngressRules({ ...base(), ingress: [{ peers: 'any', ports: 'any' }] }));
    expect(v.valid).toBe(true);
    expect(v.issues).toMatchObject([{ severity: 'info', field: 'ingress', message: /have no effect/ }]);
  });

  it('reads API server field paths too', () => {
    expect(parseFieldPath('spec.ingress[0].from[1].podSelector.matchLabels[app.kubernetes.io/name]')).toEqual(
      ['spec', 'ingress', 0, 'from', 1, 'podSelector', 'matchLabels', 'app.kubernetes.io/name'],
    );
    expect(parseFieldPath('metadata.annotations["netglass.io/description"]')).toEqual([
      'metadata',
      'annotations',
      'netglass.io/description',
    ]);
    const draft: PolicyDraft = {
      ...base(),
      egress: [
        {
          peers: [
            {
              kind: 'pods',
              namespaces: 'all',
              pods: { matchLabels: [{ key: 'app.kubernetes.io/name', value: 'x' }], matchExpressions: [] },
            },
          ],
          ports: 'any',
        },
      ],
    };
    expect(draftPathFor(draft, 'spec.egress[0].to[0].podSelector.matchLabels[app.kubernetes.io/name]')).toBe(
      'egress[0].peers[0].pods.matchLabels[0].value',
    );
    expect(draftPathFor(draft, 'spec.egress[0].to[0].ipBlock.cidr')).toBe('egress[0].peers[0].cidr');
    expect(draftPathFor(draft, 'metadata.annotations["netglass.io/description"]')).toBe('description');
    expect(draftPathFor(draft, 'spec')).toBe('');
  });
});

describe('operations', () => {
  it('a new draft is deny-all, named so as not to clash', () => {
    const draft = newDraft('shop', ['new-policy']);
    expect(draft.name).toBe('new-policy-2');
    expect(draftToManifest(draft)).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'new-policy-2', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(validateDraft(draft).valid).toBe(true);
    expect(NEW_DRAFT_EXPLANATION).toMatch(/deny-all/);
  });

  it('duplicate drops the origin and picks a free name', () => {
    const policy = snapshotFromText(draftToYaml(base())).policies[0]!;
    const draft = draftFromPolicy(policy);
    expect(draft.origin).toEqual({ namespace: 'shop', name: 'web' });
    const copy = duplicateDraft(draft, ['web-copy']);
    expect(copy.origin).toBeUndefined();
    expect(copy.name).toBe('web-copy-2');
    expect({ ...copy, name: 'web' }).toEqual({ ...draft, origin: undefined, name: 'web' });
  });

  it('disable ingress rules: Egress only, rules kept, egress left open as it was', () => {
    const withIngress: PolicyDraft = {
      ...base(),
      ingress: [{ peers: [{ kind: 'pods', namespaces: 'same', pods: 'all' }], ports: 'any' }],
    };
    const disabled = disableIngressRules(withIngress);
    expect(disabled.policyTypes).toEqual({ ingress: false, egress: true });
    expect(disabled.ingress).toEqual(withIngress.ingress);
    expect(disabled.egress).toEqual([{ peers: 'any', ports: 'any' }]);
    expect(effectiveTypes(disabled)).toEqual({ ingress: false, egress: true });

    // Egress already restricted by rules: they stay as they are, no allow-all added.
    const egressRule = {
      peers: 'any' as const,
      ports: [{ protocol: 'UDP' as const, port: '53', endPort: '' }],
    };
    expect(disableIngressRules({ ...withIngress, egress: [egressRule] }).egress).toEqual([egressRule]);
    // Egress listed but not enforced: an allow-all keeps it open.
    expect(
      disableIngressRules({
        ...withIngress,
        policyTypes: { ingress: true, egress: false },
        egress: [egressRule],
      }).egress,
    ).toEqual([egressRule, { peers: 'any', ports: 'any' }]);
    expect(DISABLE_INGRESS_EXPLANATION.split(/\.\s/)).toHaveLength(1);
  });

  it('disabling ingress rules gives the seed example back', () => {
    const seed = templateById('disable-ingress-rules')!.create('shop');
    const enabled: PolicyDraft = { ...seed, policyTypes: 'default', egress: [] };
    expect(draftToManifest(disableIngressRules(enabled))).toEqual(draftToManifest(seed));
  });

  it('deny all egress: Egress only and no egress rules, as the seed example', () => {
    const draft: PolicyDraft = {
      ...base(),
      podSelector: { matchLabels: [{ key: 'access', value: 'restricted' }], matchExpressions: [] },
      name: 'deny-restricted-egress',
      namespace: 'billing',
      egress: [{ peers: 'any', ports: 'any' }],
    };
    expect(draftToManifest(denyAllEgress(draft))).toEqual(
      draftToManifest(templateById('deny-restricted-egress')!.create('billing')),
    );
    expect(DENY_ALL_EGRESS_EXPLANATION.split(/\.\s/)).toHaveLength(1);
  });
});

describe('what-if', () => {
  const cluster = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
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
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
`;

  it('feeds a draft into the analyzer: upsert, and removal of the renamed original', () => {
    const snapshot = snapshotFromText(cluster);
    const analyzer = createAnalyzer(snapshot);
    const query = {
      from: { kind: 'pod' as const, namespace: 'shop', name: 'client' },
      to: { kind: 'pod' as const, namespace: 'shop', name: 'web' },
      port: 80,
      protocol: 'TCP' as const,
    };
    expect(analyzer.check(query).verdict).toBe('denied');

    const draft = draftFromPolicy(snapshot.policies[0]!);
    const opened: PolicyDraft = { ...draft, name: 'web-open', ingress: [{ peers: 'any', ports: 'any' }] };
    const deltas = draftDeltas(opened);
    expect(deltas.ok).toBe(true);
    if (!deltas.ok) return;
    expect(deltas.deltas.map((d) => d.kind)).toEqual(['removePolicy', 'upsertPolicy']);
    expect(analyzer.whatIf(deltas.deltas).check(query).verdict).toBe('allowed');
    expect(draftDeltas({ ...opened, name: '' }).ok).toBe(false);
  });
});
