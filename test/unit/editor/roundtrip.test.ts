/**
 * Every policy of the conformance fixtures survives the editor: policy → draft → manifest (and YAML)
 * → loader gives the very same normalized policy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifestText, snapshotFromText } from '../../../shared/manifest/index.ts';
import type { NetworkPolicy } from '../../../shared/model/snapshot.ts';
import {
  draftFromPolicy,
  draftFromYaml,
  draftToManifest,
  draftToPolicy,
  draftToYaml,
  validateDraft,
} from '../../../shared/editor/index.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/conformance');

function normalized(policy: NetworkPolicy): Omit<NetworkPolicy, 'location'> {
  const { location: _location, ...rest } = policy;
  return rest;
}

const cases = readdirSync(FIXTURES)
  .sort()
  .flatMap((dir) => {
    const text = readFileSync(join(FIXTURES, dir, 'manifests.yaml'), 'utf8');
    return snapshotFromText(text, `${dir}/manifests.yaml`).policies.map(
      (policy) => [`${dir}: ${policy.namespace}/${policy.name}`, policy] as const,
    );
  });

describe('round trip of every conformance fixture policy', () => {
  it('finds the fixtures', () => {
    expect(cases.length).toBeGreaterThan(60);
  });

  it.each(cases)('%s', (_name, policy) => {
    const draft = draftFromPolicy(policy);
    expect(draft.origin).toEqual({ namespace: policy.namespace, name: policy.name });

    // Manifest as JSON through the loader.
    const manifest = draftToManifest(draft);
    const fromJson = parseManifestText(JSON.stringify(manifest), 'draft.json');
    expect(fromJson.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(fromJson.policies).toHaveLength(1);
    expect(normalized(fromJson.policies[0] as NetworkPolicy)).toEqual(normalized(policy));

    // YAML through the loader, and back into a draft.
    const yaml = draftToYaml(draft);
    const back = draftFromYaml(yaml, { origin: draft.origin });
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.draft).toEqual(draft);

    const validation = validateDraft(draft);
    expect(validation.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const asPolicy = draftToPolicy(draft);
    expect(asPolicy.ok).toBe(true);
    if (asPolicy.ok) expect(normalized(asPolicy.policy)).toEqual(normalized(policy));
  });
});

describe('peers that differ only in form', () => {
  const policyText = (peer: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns}
spec:
  podSelector: {}
  ingress:
    - from:
        - ${peer}
`;
  const peerOf = (peer: string): unknown => {
    const policy = snapshotFromText(policyText(peer)).policies[0] as NetworkPolicy;
    const draft = draftFromPolicy(policy);
    const rule = draft.ingress[0];
    expect(normalized(draftToPolicyOk(draft))).toEqual(normalized(policy));
    return rule?.peers === 'any' ? 'any' : rule?.peers[0];
  };
  const draftToPolicyOk = (draft: ReturnType<typeof draftFromPolicy>): NetworkPolicy => {
    const r = draftToPolicy(draft);
    if (!r.ok) throw new Error(JSON.stringify(r.validation.issues));
    return r.policy;
  };

  it('tells every combination apart and writes each back as it was', () => {
    expect(peerOf('podSelector: {}')).toEqual({ kind: 'pods', namespaces: 'same', pods: 'all' });
    expect(peerOf('namespaceSelector: {}')).toEqual({ kind: 'pods', namespaces: 'all', pods: 'all' });
    expect(peerOf('{namespaceSelector: {}, podSelector: {}}')).toEqual({
      kind: 'pods',
      namespaces: 'all',
      pods: { matchLabels: [], matchExpressions: [] },
    });
    expect(
      peerOf('{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: b}}}'),
    ).toEqual({
      kind: 'pods',
      namespaces: { matchLabels: [{ key: 'team', value: 'a' }], matchExpressions: [] },
      pods: { matchLabels: [{ key: 'app', value: 'b' }], matchExpressions: [] },
    });
    expect(peerOf('{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}')).toEqual({
      kind: 'ipBlock',
      cidr: '10.0.0.0/8',
      except: ['10.1.0.0/16'],
    });
  });

  it('reads an empty or missing peer list as any source', () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns}
spec:
  podSelector: {}
  ingress:
    - from: []
    - ports: []
    - {}
`;
    const draft = draftFromPolicy(snapshotFromText(text).policies[0] as NetworkPolicy);
    expect(draft.ingress).toEqual([
      { peers: 'any', ports: 'any' },
      { peers: 'any', ports: 'any' },
      { peers: 'any', ports: 'any' },
    ]);
    expect(draftToManifest(draft).spec['ingress']).toEqual([{}, {}, {}]);
  });
});
