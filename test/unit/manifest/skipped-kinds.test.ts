import { describe, expect, it } from 'vitest';
import { snapshotFromText } from '../../../shared/manifest/index.ts';

function load(text: string): ReturnType<typeof snapshotFromText> {
  return snapshotFromText(text, 'm.yaml');
}

describe('kinds netglass skips', () => {
  it('warns at the kind of a likely misspelt policy kind, naming the kind meant', () => {
    const s = load(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyy\nmetadata: {name: np, namespace: shop}\nspec: {podSelector: {}}\n' +
        '---\napiVersion: batch/v1\nkind: cronjob\nmetadata: {name: nightly, namespace: ops}\n',
    );
    expect(s.policies).toEqual([]);
    expect(s.skippedKinds).toEqual({ NetworkPolicyy: 1, cronjob: 1 });
    const warnings = s.issues.filter((i) => i.severity === 'warning');
    expect(warnings.map((w) => [w.location?.line, w.field])).toEqual([
      [2, 'kind'],
      [7, 'kind'],
    ]);
    expect(warnings[0]?.message).toMatch(
      /unknown kind "NetworkPolicyy" \(did you mean NetworkPolicy\?\); NetworkPolicyy shop\/np was skipped/,
    );
    expect(warnings[1]?.message).toMatch(/did you mean CronJob\?/);
    expect(s.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('stays quiet for real kinds near a known one (Node, CronTab, Service)', () => {
    const s = load(
      'apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n' +
        '---\napiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: t, namespace: x}\n' +
        '---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: x}\n',
    );
    expect(s.issues).toEqual([]);
    expect(s.skippedKinds).toEqual({ Node: 1, CronTab: 1, Service: 1 });
  });

  it('skips a kustomization with a warning instead of an error for its missing metadata', () => {
    const s = load(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [np.yaml]\nnamespace: shop\n',
    );
    expect(s.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const [w] = s.issues;
    expect(w?.severity).toBe('warning');
    expect(w?.location?.line).toBe(2);
    expect(w?.message).toMatch(
      /kustomize's build file.*without its patches, name prefixes or namespace.*kubectl kustomize/,
    );
    expect(s.skippedKinds).toEqual({ Kustomization: 1 });
  });

  it("skips another API's NetworkPolicy (Antrea's) with a warning; a wrong Kubernetes version stays an error", () => {
    const s = load(
      'apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata: {name: anp, namespace: shop}\nspec: {priority: 5}\n' +
        '---\napiVersion: example.com/v1\nkind: NetworkPolicy\nmetadata: {name: other, namespace: shop}\n',
    );
    expect(s.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(s.issues.map((i) => i.message)).toEqual([
      "NetworkPolicy shop/anp (crd.antrea.io/v1beta1) is not evaluated: it belongs to Antrea's own NetworkPolicy API, not to networking.k8s.io, so verdicts ignore this object",
      'NetworkPolicy shop/other (example.com/v1) is not evaluated: it belongs to another API that uses the same kind name, not to networking.k8s.io, so verdicts ignore this object',
    ]);
    expect(s.skippedKinds).toEqual({ 'NetworkPolicy (crd.antrea.io)': 1, 'NetworkPolicy (example.com)': 1 });

    const old = load(
      'apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: shop}\nspec: {podSelector: {}}\n',
    );
    expect(old.issues.map((i) => i.severity)).toEqual(['error']);
    expect(old.issues[0]?.message).toContain('networking.k8s.io/v1');
  });
});
