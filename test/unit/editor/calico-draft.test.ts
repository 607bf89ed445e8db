/**
 * Calico policy drafts: YAML read by the project's manifest reader (exactly one enforced Calico policy,
 * errors at their line, staged kinds refused with what to write), validation against the source's
 * tiers, what-if deltas checked by what the evaluator makes of them, the policy a draft replaces,
 * duplicates renamed in the text (the `tier.` prefix kept), templates, and loaded policies written back
 * as drafts (edit, try a staged one).
 */
import { describe, expect, it } from 'vitest';
import {
  CALICO_TEMPLATES,
  calicoDraftFromPolicy,
  calicoDraftFromTemplate,
  calicoPolicyToYaml,
  duplicateEditorDraft,
  editorDraftDeltas,
  editorDraftFromYaml,
  editorDraftKey,
  editorDraftKind,
  editorDraftLabel,
  editorDraftOriginKey,
  editorDraftReplaces,
  editorDraftToYaml,
  isApplicableDraft,
  isCalicoDraft,
  isYamlOnlyDraft,
  readCalicoDraft,
  validateEditorDraft,
  type CalicoPolicyDraft,
  type EditorDraft,
} from '../../../shared/editor/index.ts';
import { applyDeltas, createAnalyzer, diffConnections } from '../../../shared/eval/index.ts';
import type { CalicoPolicy, Snapshot } from '../../../shared/model/snapshot.ts';
import { shopWith } from '../../fixtures/calico-editor/cluster.ts';

const NP = `# only the web tier reaches the API
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: api-from-web
  namespace: shop
spec:
  order: 100
  selector: app == 'api'
  types: [Ingress]
  ingress:
    - action: Allow
      protocol: TCP
      source:
        selector: app == 'web'
      destination:
        ports: [8080]
`;

const GNP = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: security.no-metadata
spec:
  tier: security
  selector: all()
  types: [Egress]
  egress:
    - action: Deny
      destination:
        nets: [169.254.169.254/32]
    - action: Pass
`;

function draftOf(text: string): CalicoPolicyDraft {
  const read = readCalicoDraft(text);
  if (!read.ok) throw new Error(read.issues.map((i) => i.message).join('; '));
  return read.draft;
}

function verdict(s: Snapshot, from: string, to: { namespace: string; name: string } | string, port = 8080) {
  return createAnalyzer(s).check({
    from: { kind: 'pod', namespace: from.split('/')[0] ?? '', name: from.split('/')[1] ?? '' },
    to: typeof to === 'string' ? { kind: 'external', ip: to } : { kind: 'pod', ...to },
    port,
    protocol: 'TCP',
  }).verdict;
}

function withDraft(snapshot: Snapshot, draft: EditorDraft): Snapshot {
  const result = editorDraftDeltas(draft);
  if (!result.ok) throw new Error('no deltas');
  return applyDeltas(snapshot, result.deltas);
}

const API = { namespace: 'shop', name: 'api-0' };

describe('reading a Calico draft', () => {
  it('takes one Calico policy with its kind, tier, name and namespace, the text kept as typed', () => {
    const draft = draftOf(NP);
    expect(draft).toMatchObject({
      kind: 'Calico',
      calicoKind: 'NetworkPolicy',
      name: 'api-from-web',
      namespace: 'shop',
      tier: 'default',
    });
    expect(isCalicoDraft(draft)).toBe(true);
    expect(isYamlOnlyDraft(draft)).toBe(true);
    expect(isApplicableDraft(draft)).toBe(false);
    expect(editorDraftToYaml(draft)).toBe(NP);
    expect(editorDraftKey(draft)).toBe('Calico:NetworkPolicy/shop/default.api-from-web');
    expect(editorDraftLabel(draft)).toBe('shop/api-from-web');
    expect(editorDraftLabel(draftOf(GNP))).toBe('security.no-metadata');
    expect(editorDraftKind(draft)).toBe('Calico NetworkPolicy');
    expect(validateEditorDraft(draft)).toEqual({ valid: true, issues: [] });
  });

  it('strips the tier prefix from the name, so the key is the same with or without it', () => {
    const prefixed = draftOf(GNP);
    expect(prefixed).toMatchObject({
      calicoKind: 'GlobalNetworkPolicy',
      name: 'no-metadata',
      tier: 'security',
    });
    expect(prefixed.namespace).toBeUndefined();
    const plain = draftOf(GNP.replace('name: security.no-metadata', 'name: no-metadata'));
    expect(editorDraftKey(plain)).toBe(editorDraftKey(prefixed));
    expect(editorDraftKey(plain)).toBe('Calico:GlobalNetworkPolicy/security.no-metadata');
  });

  it('refuses text with no Calico policy, two of them, or another object, at the line', () => {
    const none = readCalicoDraft('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(none.ok).toBe(false);
    expect(none.issues.some((i) => i.severity === 'error' && /ConfigMap/.test(i.message))).toBe(true);
    const two = readCalicoDraft(`${NP}---\n${NP.replace('api-from-web', 'second')}`);
    expect(two.ok).toBe(false);
    const second = two.issues.find((i) => /one Calico policy at a time; this text holds 2/.test(i.message));
    expect(second?.location?.line).toBe(20);
    const tier = readCalicoDraft(
      `${GNP}---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\n`,
    );
    expect(tier.ok).toBe(false);
    const also = tier.issues.find((i) => /also holds Calico Tier/.test(i.message));
    expect(also?.location?.line).toBe(15);
    const cilium = readCalicoDraft(
      `${NP}---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c, namespace: shop}\nspec: {endpointSelector: {}}\n`,
    );
    expect(cilium.ok).toBe(false);
    expect(cilium.issues.map((i) => i.message).join()).toMatch(/also holds CiliumNetworkPolicy/);
  });

  it('gives the reader’s error for a bad selector or action at its line, without the loader’s tail', () => {
    const badSelector = readCalicoDraft(NP.replace("selector: app == 'web'", "selector: app == 'web' &&"));
    expect(badSelector.ok).toBe(false);
    const error = badSelector.issues.find((i) => i.severity === 'error');
    expect(error?.location?.line).toBe(15);
    expect(error?.message).toMatch(/not a valid Calico selector/);
    expect(error?.message).not.toMatch(/was not loaded/);
    const badAction = readCalicoDraft(NP.replace('action: Allow', 'action: Alow'));
    const actionError = badAction.issues.find((i) => i.severity === 'error');
    expect(actionError?.location?.line).toBe(12);
    expect(actionError?.message).toMatch(/did you mean Allow/);
    const validation = validateEditorDraft({
      ...draftOf(NP),
      yaml: NP.replace('action: Allow', 'action: Alow'),
    });
    expect(validation.valid).toBe(false);
    expect(validation.issues[0]).toMatchObject({ severity: 'error', line: 12, source: 'loader' });
  });

  it('refuses a staged kind, saying which kind shows its effect', () => {
    const staged = readCalicoDraft(NP.replace('kind: NetworkPolicy', 'kind: StagedNetworkPolicy'));
    expect(staged.ok).toBe(false);
    const error = staged.issues.find((i) => i.severity === 'error');
    expect(error?.message).toMatch(/StagedNetworkPolicy changes no verdict.*write kind: NetworkPolicy/);
    expect(error?.location?.line).toBe(2);
  });

  it('YAML typed in the pane keeps the draft’s origin', () => {
    const origin = {
      kind: 'NetworkPolicy' as const,
      namespace: 'shop',
      tier: 'default',
      name: 'api-from-web',
    };
    const typed = editorDraftFromYaml(NP.replace('name: api-from-web', 'name: renamed'), {
      ...draftOf(NP),
      origin,
    });
    expect(typed.ok && typed.draft).toMatchObject({ kind: 'Calico', name: 'renamed', origin });
    const broken = editorDraftFromYaml('kind: [', { ...draftOf(NP), origin });
    expect(broken.ok).toBe(false);
  });

  it('warns when the tier is not one the source declares (built-in tiers need no Tier)', () => {
    const draft = draftOf(GNP);
    const warning = (d: CalicoPolicyDraft, tiers: readonly { name: string }[]) =>
      validateEditorDraft(d, { calicoTiers: tiers }).issues.filter((i) => i.severity === 'warning');
    const warned = warning(draft, []);
    expect(warned.map((i) => i.manifestField)).toEqual(['spec.tier']);
    expect(warned[0]?.message).toMatch(/^tier security is not declared in the loaded source/);
    expect(warning(draft, [{ name: 'security' }])).toEqual([]);
    expect(warning(draftOf(NP), [])).toEqual([]);
    // Without knowing the source's tiers, nothing to say.
    expect(validateEditorDraft(draft).issues).toEqual([]);
  });
});

describe('the what-if of a Calico draft', () => {
  const snapshot = shopWith();

  it('upserts the policy the reader made; the evaluator sees it isolate the API', () => {
    const result = editorDraftDeltas(draftOf(NP));
    expect(result.ok && result.deltas.map((d) => d.kind)).toEqual(['upsertCalicoPolicy']);
    const after = withDraft(snapshot, draftOf(NP));
    expect(verdict(snapshot, 'other/client-0', API)).toBe('allowed');
    expect(verdict(after, 'other/client-0', API)).toBe('denied');
    expect(verdict(after, 'shop/web-0', API)).toBe('allowed');
    const diff = diffConnections(snapshot, after);
    expect(diff.counts.removed).toBeGreaterThan(0);
    expect(diff.counts.added).toBe(0);
    expect(diff.calicoPolicies).toEqual({
      added: ['Calico:NetworkPolicy/shop/default.api-from-web'],
      removed: [],
      changed: [],
    });
  });

  it('a global policy in a named tier denies the metadata address and passes the rest', () => {
    const after = withDraft(snapshot, draftOf(GNP));
    expect(verdict(snapshot, 'shop/web-0', '169.254.169.254', 80)).toBe('allowed');
    expect(verdict(after, 'shop/web-0', '169.254.169.254', 80)).toBe('denied');
    expect(verdict(after, 'shop/web-0', '8.8.8.8', 80)).toBe('allowed');
    expect(verdict(after, 'shop/web-0', API)).toBe('allowed');
  });

  it('removes the policy it edits when the draft renames it, and says which policy a new one replaces', () => {
    const withPolicy = withDraft(snapshot, draftOf(NP));
    const origin = {
      kind: 'NetworkPolicy' as const,
      namespace: 'shop',
      tier: 'default',
      name: 'api-from-web',
    };
    const renamed = { ...draftOf(NP.replace('name: api-from-web', 'name: api-v2')), origin };
    expect(editorDraftOriginKey(renamed)).toBe('Calico:NetworkPolicy/shop/default.api-from-web');
    const result = editorDraftDeltas(renamed);
    expect(result.ok && result.deltas.map((d) => d.kind)).toEqual([
      'removeCalicoPolicy',
      'upsertCalicoPolicy',
    ]);
    const after = withDraft(withPolicy, renamed);
    expect((after.calicoPolicies ?? []).map((p) => p.name)).toEqual(['api-v2']);
    const existing = { policies: [], clusterPolicies: [], calicoPolicies: withPolicy.calicoPolicies ?? [] };
    expect(editorDraftReplaces(draftOf(NP), existing)).toBe('Calico:NetworkPolicy/shop/default.api-from-web');
    expect(editorDraftReplaces({ ...draftOf(NP), origin }, existing)).toBeUndefined();
    expect(editorDraftReplaces(renamed, existing)).toBeUndefined();
  });

  it('leaves an invalid draft out, with its errors', () => {
    const draft = { ...draftOf(NP), yaml: NP.replace('projectcalico.org/v3', 'projectcalico.org/v9') };
    expect(editorDraftDeltas(draft).ok).toBe(false);
    expect(validateEditorDraft(draft).valid).toBe(false);
  });
});

describe('duplicates and templates', () => {
  it('duplicates under a free name changed in the text, comments kept, origin dropped', () => {
    const origin = {
      kind: 'NetworkPolicy' as const,
      namespace: 'shop',
      tier: 'default',
      name: 'api-from-web',
    };
    const copy = duplicateEditorDraft({ ...draftOf(NP), origin }, ['api-from-web-copy']);
    if (!isCalicoDraft(copy)) throw new Error('not a Calico draft');
    expect(copy).toMatchObject({ name: 'api-from-web-copy-2', namespace: 'shop', tier: 'default' });
    expect(copy.origin).toBeUndefined();
    expect(copy.yaml).toContain('# only the web tier reaches the API');
    expect(copy.yaml).toContain('name: api-from-web-copy-2\n');
    expect(readCalicoDraft(copy.yaml).ok).toBe(true);
  });

  it('a copy keeps the tier prefix where the text wrote one, and none where it did not', () => {
    const copy = duplicateEditorDraft(draftOf(GNP));
    if (!isCalicoDraft(copy)) throw new Error('not a Calico draft');
    expect(copy.name).toBe('no-metadata-copy');
    expect(copy.yaml).toContain('name: security.no-metadata-copy\n');
    expect(editorDraftKey(copy)).toBe('Calico:GlobalNetworkPolicy/security.no-metadata-copy');
    const plain = duplicateEditorDraft(
      draftOf(GNP.replace('name: security.no-metadata', 'name: no-metadata')),
    );
    if (!isCalicoDraft(plain)) throw new Error('not a Calico draft');
    expect(plain.yaml).toContain('name: no-metadata-copy\n');
    expect(readCalicoDraft(plain.yaml).ok && readCalicoDraft(copy.yaml).ok).toBe(true);
  });

  it('every template loads without errors, does what it says, and is renamed when its name is taken', () => {
    const snapshot = shopWith();
    expect(CALICO_TEMPLATES.map((t) => t.kind)).toEqual([
      'NetworkPolicy',
      'GlobalNetworkPolicy',
      'GlobalNetworkPolicy',
    ]);
    const byId = new Map(CALICO_TEMPLATES.map((t) => [t.id, t] as const));
    const draftFor = (id: string) => {
      const t = byId.get(id);
      if (t === undefined) throw new Error(`no template ${id}`);
      const draft = calicoDraftFromTemplate(t, 'shop');
      expect(draft.calicoKind).toBe(t.kind);
      expect(validateEditorDraft(draft, { calicoTiers: snapshot.calicoTiers ?? [] }).issues).toEqual([]);
      expect(calicoDraftFromTemplate(t, 'shop', [draft.name]).name).toBe(`${draft.name}-copy`);
      return draft;
    };
    const namespaced = draftFor('calico-api-from-namespace');
    expect(namespaced).toMatchObject({ namespace: 'shop', tier: 'default' });
    const api = withDraft(snapshot, namespaced);
    expect(verdict(api, 'shop/web-0', API)).toBe('allowed');
    expect(verdict(api, 'other/client-0', API)).toBe('denied');
    expect(verdict(api, 'shop/web-0', API, 9090)).toBe('denied');

    const deny = withDraft(snapshot, draftFor('calico-global-default-deny'));
    expect(verdict(deny, 'shop/web-0', API)).toBe('denied');
    expect(verdict(deny, 'other/client-0', '8.8.8.8', 443)).toBe('denied');

    const tiered = draftFor('calico-tier-block-metadata');
    expect(tiered).toMatchObject({ tier: 'security', name: 'block-metadata' });
    const blocked = withDraft(snapshot, tiered);
    expect(verdict(blocked, 'shop/web-0', '169.254.169.254', 80)).toBe('denied');
    expect(verdict(blocked, 'shop/web-0', API)).toBe('allowed');
  });
});

describe('loaded policies as drafts', () => {
  const RICH = `apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata:
  name: security.rich
  namespace: shop
  labels: {team: platform}
  annotations: {note: kept}
spec:
  tier: security
  order: 5.5
  selector: has(app) && app in {'api', 'web'}
  serviceAccountSelector: role == 'svc'
  ingress:
    - action: Deny
      protocol: 6
      notProtocol: UDP
      source:
        nets: [10.1.0.0/16, 10.2.0.1]
        notNets: [10.1.2.0/24]
        ports: [http, '1000:2000', 22]
      destination:
        notPorts: [9000]
    - action: Allow
      protocol: TCP
      source:
        namespaceSelector: kubernetes.io/metadata.name == 'other'
        notSelector: app == 'db'
        serviceAccounts: {names: [a, b], selector: x == 'y'}
    - action: Log
      destination:
        services: {name: api, namespace: shop}
    - action: Pass
  egress:
    - action: Allow
      protocol: 47
`;

  function loaded(text: string): CalicoPolicy {
    const s = shopWith(text);
    const p = s.calicoPolicies?.[0];
    if (p === undefined) throw new Error(s.issues.map((i) => i.message).join('; '));
    return p;
  }

  const meaning = (p: CalicoPolicy) => ({ ...p, location: undefined });

  it('writes a policy back so that reading it gives the same policy, name prefix and apiVersion kept', () => {
    for (const text of [RICH, NP, GNP]) {
      const policy = loaded(text);
      const made = calicoDraftFromPolicy(policy);
      if (!made.ok) throw new Error(made.reason);
      expect(made.draft.origin).toEqual({
        kind: policy.kind,
        ...(policy.namespace !== undefined ? { namespace: policy.namespace } : {}),
        tier: policy.tier,
        name: policy.name,
      });
      const read = readCalicoDraft(made.draft.yaml);
      if (!read.ok) throw new Error(read.issues.map((i) => i.message).join('; '));
      expect(meaning(read.policy)).toEqual(meaning(policy));
    }
    const rich = calicoPolicyToYaml(loaded(RICH));
    expect(rich).toContain('apiVersion: crd.projectcalico.org/v1\n');
    expect(rich).toContain('name: security.rich\n');
    expect(rich).not.toContain('types:');
  });

  it('an edit of a loaded policy replaces it in the what-if; its duplicate adds one beside it', () => {
    const snapshot = shopWith(NP);
    const policy = snapshot.calicoPolicies?.[0];
    if (policy === undefined) throw new Error('not loaded');
    const made = calicoDraftFromPolicy(policy);
    if (!made.ok) throw new Error(made.reason);
    const loosened = {
      ...made.draft,
      yaml: made.draft.yaml.replace("selector: app == 'web'", 'selector: all()'),
    };
    const read = editorDraftFromYaml(loosened.yaml, made.draft);
    if (!read.ok) throw new Error('edit does not read');
    expect(
      editorDraftReplaces(read.draft, { policies: [], clusterPolicies: [], calicoPolicies: [policy] }),
    ).toBeUndefined();
    const after = withDraft(snapshot, read.draft);
    expect(verdict(snapshot, 'shop/api-0', API)).toBe('denied');
    expect(verdict(after, 'shop/api-0', API)).toBe('allowed');
    expect(diffConnections(snapshot, after).calicoPolicies.changed).toEqual([
      'Calico:NetworkPolicy/shop/default.api-from-web',
    ]);
    const copy = duplicateEditorDraft(made.draft, [policy.name]);
    const both = withDraft(snapshot, copy);
    expect((both.calicoPolicies ?? []).map((p) => p.name).sort()).toEqual([
      'api-from-web',
      'api-from-web-copy',
    ]);
  });

  it('a staged policy is tried as the enforced kind, replacing the enforced policy of its name', () => {
    const staged = NP.replace('kind: NetworkPolicy', 'kind: StagedNetworkPolicy').replace(
      "selector: app == 'web'",
      'selector: all()',
    );
    const snapshot = shopWith(NP, staged);
    const policy = (snapshot.calicoPolicies ?? []).find((p) => p.staged);
    if (policy === undefined) throw new Error('no staged policy');
    const made = calicoDraftFromPolicy(policy);
    if (!made.ok) throw new Error(made.reason);
    expect(made.draft).toMatchObject({ kind: 'Calico', calicoKind: 'NetworkPolicy', name: 'api-from-web' });
    expect(made.draft.origin).toBeUndefined();
    expect(made.draft.yaml).toMatch(
      /^# StagedNetworkPolicy api-from-web, tried as the NetworkPolicy.*\napiVersion: /,
    );
    expect(made.draft.yaml).toContain('kind: NetworkPolicy\n');
    const existing = { policies: [], clusterPolicies: [], calicoPolicies: snapshot.calicoPolicies ?? [] };
    expect(editorDraftReplaces(made.draft, existing)).toBe('Calico:NetworkPolicy/shop/default.api-from-web');
    // The staged policy changed nothing; tried, it opens the API to itself.
    expect(verdict(snapshot, 'shop/api-0', API)).toBe('denied');
    expect(verdict(withDraft(snapshot, made.draft), 'shop/api-0', API)).toBe('allowed');
  });

  it('a policy with an HTTP or ICMP match is not written back, and says why', () => {
    const http = loaded(
      NP.replace('      protocol: TCP\n', '      protocol: TCP\n      http: {methods: [GET]}\n'),
    );
    const made = calicoDraftFromPolicy(http);
    expect(made.ok).toBe(false);
    expect(!made.ok && made.reason).toMatch(/HTTP matches/);
    const icmp = loaded(
      NP.replace('      protocol: TCP\n', '      protocol: ICMP\n      icmp: {type: 8}\n').replace(
        '      destination:\n        ports: [8080]\n',
        '',
      ),
    );
    const icmpMade = calicoDraftFromPolicy(icmp);
    expect(!icmpMade.ok && icmpMade.reason).toMatch(/ICMP or ipVersion/);
  });
});
