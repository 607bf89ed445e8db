/**
 * Cilium policy drafts: YAML read by the project's manifest reader (exactly one Cilium policy, errors
 * at their line), validation and what-if deltas through the `EditorDraft` functions, the existing
 * policy a draft replaces, duplicates renamed in the text itself, and templates checked by what the
 * evaluator makes of them.
 */
import { describe, expect, it } from 'vitest';
import {
  CILIUM_TEMPLATES,
  ciliumDraftFromTemplate,
  duplicateEditorDraft,
  editorDraftDeltas,
  editorDraftFromYaml,
  editorDraftKey,
  editorDraftLabel,
  editorDraftOriginKey,
  editorDraftReplaces,
  editorDraftToYaml,
  isApplicableDraft,
  isCiliumDraft,
  readCiliumDraft,
  validateEditorDraft,
  type CiliumPolicyDraft,
} from '../../../shared/editor/index.ts';
import { applyDeltas, createAnalyzer, diffConnections } from '../../../shared/eval/index.ts';
import { snapshotFromText } from '../../../shared/manifest/index.ts';

const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: shop, labels: {app: api}}
spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
status: {podIP: 10.0.0.2}
`;

const CNP = `# the API accepts the web tier only
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: api-from-web
  namespace: shop
spec:
  endpointSelector:
    matchLabels: {app: api}
  ingress:
    - fromEndpoints:
        - matchLabels: {app: web}
`;

function draftOf(text: string): CiliumPolicyDraft {
  const read = readCiliumDraft(text);
  if (!read.ok) throw new Error(read.issues.map((i) => i.message).join('; '));
  return read.draft;
}

describe('reading a Cilium draft', () => {
  it('takes one Cilium policy with its kind, name and namespace, the text kept as typed', () => {
    const draft = draftOf(CNP);
    expect(draft).toMatchObject({ kind: 'CiliumNetworkPolicy', name: 'api-from-web', namespace: 'shop' });
    expect(isCiliumDraft(draft)).toBe(true);
    expect(isApplicableDraft(draft)).toBe(false);
    expect(editorDraftToYaml(draft)).toBe(CNP);
    expect(editorDraftKey(draft)).toBe('CiliumNetworkPolicy:shop/api-from-web');
    expect(editorDraftLabel(draft)).toBe('shop/api-from-web');
    expect(validateEditorDraft(draft)).toEqual({ valid: true, issues: [] });
  });

  it('refuses text with no Cilium policy, two of them, or another object, at the line', () => {
    const none = readCiliumDraft('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(none.ok).toBe(false);
    expect(none.issues.some((i) => i.severity === 'error' && /ConfigMap/.test(i.message))).toBe(true);
    const two = readCiliumDraft(`${CNP}---\n${CNP.replace('api-from-web', 'second')}`);
    expect(two.ok).toBe(false);
    const second = two.issues.find((i) => /one Cilium policy at a time; this text holds 2/.test(i.message));
    expect(second?.location?.line).toBeGreaterThan(10);
    const mixed = readCiliumDraft(`${CNP}---\n${CLUSTER}`);
    expect(mixed.ok).toBe(false);
    expect(mixed.issues.map((i) => i.message).join()).toMatch(/also holds Namespace, Pod/);
  });

  it('gives the reader’s error for a bad field, with its line, and YAML typed in the pane keeps the origin', () => {
    const bad = CNP.replace(
      'matchLabels: {app: web}',
      'matchLabels: {app: web}\n      toPorts: [{ports: [{port: "99999"}]}]',
    );
    const read = readCiliumDraft(bad);
    expect(read.ok).toBe(false);
    const error = read.issues.find((i) => i.severity === 'error');
    expect(error?.location?.line).toBe(13);
    expect(error?.message).toMatch(/99999/);
    const origin = { kind: 'CiliumNetworkPolicy' as const, namespace: 'shop', name: 'api-from-web' };
    const typed = editorDraftFromYaml(CNP.replace('name: api-from-web', 'name: renamed'), {
      ...draftOf(CNP),
      origin,
    });
    expect(typed.ok && typed.draft).toMatchObject({ name: 'renamed', origin });
  });
});

describe('the what-if of a Cilium draft', () => {
  const snapshot = snapshotFromText(CLUSTER, 'cluster.yaml');

  it('upserts the policy the reader made; the evaluator sees it isolate the API', () => {
    const result = editorDraftDeltas(draftOf(CNP));
    if (!result.ok) throw new Error('no deltas');
    expect(result.deltas.map((d) => d.kind)).toEqual(['upsertCiliumPolicy']);
    const after = applyDeltas(snapshot, result.deltas);
    const verdict = (s: typeof snapshot, from: string) =>
      createAnalyzer(s).check({
        from: { kind: 'pod', namespace: 'shop', name: from },
        to: { kind: 'pod', namespace: 'shop', name: 'api-1' },
        port: 8080,
        protocol: 'TCP',
      }).verdict;
    expect(verdict(after, 'web-1')).toBe('allowed');
    expect(verdict(snapshot, 'api-1')).toBe('allowed');
    expect(verdict(after, 'api-1')).toBe('denied');
    expect(diffConnections(snapshot, after).counts.removed).toBeGreaterThan(0);
  });

  it('removes the policy it edits when the draft renames it, and says which policy a new one replaces', () => {
    const added = editorDraftDeltas(draftOf(CNP));
    if (!added.ok) throw new Error('no deltas');
    const withPolicy = applyDeltas(snapshot, added.deltas);
    const origin = { kind: 'CiliumNetworkPolicy' as const, namespace: 'shop', name: 'api-from-web' };
    const renamed = { ...draftOf(CNP.replace('name: api-from-web', 'name: api-v2')), origin };
    expect(editorDraftOriginKey(renamed)).toBe('CiliumNetworkPolicy:shop/api-from-web');
    const result = editorDraftDeltas(renamed);
    expect(result.ok && result.deltas.map((d) => d.kind)).toEqual([
      'removeCiliumPolicy',
      'upsertCiliumPolicy',
    ]);
    const existing = { policies: [], clusterPolicies: [], ciliumPolicies: withPolicy.ciliumPolicies ?? [] };
    expect(editorDraftReplaces(draftOf(CNP), existing)).toBe('CiliumNetworkPolicy:shop/api-from-web');
    expect(editorDraftReplaces({ ...draftOf(CNP), origin }, existing)).toBeUndefined();
    expect(editorDraftReplaces(renamed, existing)).toBeUndefined();
  });

  it('leaves an invalid draft out, with its errors', () => {
    const draft = { ...draftOf(CNP), yaml: CNP.replace('cilium.io/v2', 'cilium.io/v9') };
    const result = editorDraftDeltas(draft);
    expect(result.ok).toBe(false);
    expect(validateEditorDraft(draft).valid).toBe(false);
  });
});

describe('duplicates and templates', () => {
  it('duplicates under a free name changed in the text, comments and layout kept, origin dropped', () => {
    const origin = { kind: 'CiliumNetworkPolicy' as const, namespace: 'shop', name: 'api-from-web' };
    const copy = duplicateEditorDraft({ ...draftOf(CNP), origin }, ['api-from-web-copy']);
    expect(copy).toMatchObject({ name: 'api-from-web-copy-2', namespace: 'shop' });
    expect(copy.origin).toBeUndefined();
    if (!isCiliumDraft(copy)) throw new Error('not a Cilium draft');
    expect(copy.yaml).toContain('# the API accepts the web tier only');
    expect(copy.yaml).toContain('name: api-from-web-copy-2');
    expect(readCiliumDraft(copy.yaml).ok).toBe(true);
  });

  it('every template loads, evaluates, and is renamed when its name is taken', () => {
    const snapshot = snapshotFromText(CLUSTER, 'cluster.yaml');
    for (const t of CILIUM_TEMPLATES) {
      const draft = ciliumDraftFromTemplate(t, 'shop');
      expect(draft.kind).toBe(t.kind);
      expect(validateEditorDraft(draft).issues.filter((i) => i.severity === 'error')).toEqual([]);
      const deltas = editorDraftDeltas(draft);
      if (!deltas.ok) throw new Error(`${t.id} gives no deltas`);
      // Evaluated without error on a cluster it applies to.
      createAnalyzer(applyDeltas(snapshot, deltas.deltas)).summary();
      const again = ciliumDraftFromTemplate(t, 'shop', [draft.name]);
      expect(again.name).toBe(`${draft.name}-copy`);
    }
  });
});
