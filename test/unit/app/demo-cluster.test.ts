/** The built-in demo is an example too: it must show what the brief promised, as plain manifests. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { policyKey, type NetworkPolicy, type Snapshot } from '../../../shared/model/snapshot.ts';

const DEMO = fileURLToPath(new URL('../../../shared/demo/demo-cluster.yaml', import.meta.url));

async function demo(): Promise<Snapshot> {
  return loadManifests([DEMO]);
}

function policy(s: Snapshot, key: string): NetworkPolicy {
  const p = s.policies.find((x) => policyKey(x) === key);
  if (p === undefined) throw new Error(`missing policy ${key}`);
  return p;
}

describe('demo cluster manifest', () => {
  it('loads without issues and has 20–40 running pods with IPs, named ports and owners', async () => {
    const s = await demo();
    // The one note: storefront-egress-only's ingress rules are disabled on purpose (seed example).
    expect(s.issues).toEqual([
      expect.objectContaining({
        severity: 'info',
        field: 'spec.ingress',
        object: 'NetworkPolicy shop/storefront-egress-only',
      }),
    ]);
    expect(s.skippedKinds).toEqual({});
    expect(s.pods.length).toBeGreaterThanOrEqual(20);
    expect(s.pods.length).toBeLessThanOrEqual(40);
    expect(new Set(s.pods.map((p) => p.namespace)).size).toBeGreaterThanOrEqual(5);
    for (const pod of s.pods) {
      expect(pod.phase).toBe('Running');
      expect(pod.ips.length).toBe(1);
      expect(pod.owner).toBeDefined();
      expect(pod.location?.line).toBeGreaterThan(0);
    }
    expect(s.pods.filter((p) => p.ports.some((port) => port.name !== undefined)).length).toBeGreaterThan(20);
    expect(s.namespaces.every((n) => n.declared)).toBe(true);
  });

  it('puts the seed examples to work', async () => {
    const s = await demo();
    const usersApi = policy(s, 'identity/microsvc-users-api-allow');
    expect(usersApi.podSelector.matchLabels).toEqual({ 'service.corp/users-api-role': 'api' });
    expect(usersApi.ingress[0]?.ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    expect(
      s.pods.filter((p) => p.labels['service.corp/users-api-role'] === 'client' && p.namespace !== 'identity')
        .length,
    ).toBeGreaterThan(3);

    for (const key of ['identity/database-access-api-only', 'shop/database-access-api-only']) {
      const db = policy(s, key);
      expect(db.podSelector.matchLabels).toEqual({ tier: 'database' });
      expect(db.ingress[0]).toEqual({
        peers: [{ kind: 'selector', podSelector: { matchLabels: { tier: 'api' }, matchExpressions: [] } }],
        ports: [{ protocol: 'TCP', port: 3306 }],
      });
    }

    const disabled = policy(s, 'shop/storefront-egress-only');
    expect(disabled.policyTypes).toEqual(['Egress']);
    expect(disabled.ingress.length).toBe(1);
    expect(disabled.egress).toEqual([{ peers: 'any', ports: 'any' }]);

    const restricted = policy(s, 'billing/deny-restricted-egress');
    expect(restricted.podSelector.matchLabels).toEqual({ access: 'restricted' });
    expect(restricted.policyTypes).toEqual(['Egress']);
    expect(restricted.egress).toEqual([]);

    const denyAll = policy(s, 'billing/default-deny-ingress');
    expect(denyAll.podSelector).toEqual({ matchLabels: {}, matchExpressions: [] });
    expect(denyAll.policyTypes).toEqual(['Ingress']);

    expect(
      s.pods.filter((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns').length,
    ).toBe(2);
    expect(s.pods.some((p) => p.hostNetwork)).toBe(true);

    const internet = policy(s, 'analytics/report-worker-internet-egress');
    expect(internet.egress[0]?.peers).toEqual([
      { kind: 'ipBlock', ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.169.254/32'] } },
    ]);
  });
});
