/**
 * Lint against two whole inputs: a cluster with exactly one planted problem per rule (each marked in
 * the file on the line its finding must point at), and the demo cluster, whose policies are clean.
 */
import { describe, expect, it } from 'vitest';
import { LINT_RULES, lintSnapshot } from '../../../shared/lint/index.ts';
import { DEMO, loadFile as load, PLANTED, plantedMarkers } from './planted.ts';

describe('the planted cluster: one finding per rule, each where it was planted', () => {
  const snapshot = load(PLANTED);
  const findings = lintSnapshot(snapshot);
  const markers = plantedMarkers(PLANTED);

  it('plants one problem for every rule of the registry', () => {
    expect(markers.map(([id]) => id).sort()).toEqual(LINT_RULES.map((r) => r.id).sort());
  });

  it('finds every planted problem, by rule id and line, and nothing else', () => {
    const found = findings.map((f) => [f.id, f.location?.line] as const);
    expect([...found].sort()).toEqual([...markers].sort());
    for (const f of findings) expect(f.location?.file).toBe(PLANTED);
  });

  it('says what is wrong and what to do, one sentence each', () => {
    for (const f of findings) {
      expect(f.message.length, f.id).toBeGreaterThan(20);
      expect(f.fix.length, f.id).toBeGreaterThan(10);
      expect(f.message, f.id).not.toMatch(/\n/);
    }
  });

  it('gives each finding the severity of its rule (a manifest: addresses are errors)', () => {
    const severity = new Map(LINT_RULES.map((r) => [r.id, r.severity] as const));
    for (const f of findings) expect(f.severity, f.id).toBe(severity.get(f.id));
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual([
      'ip-cidr-host-bits',
      'ip-leading-zero',
    ]);
  });

  it('names the objects and fields concerned', () => {
    const byId = new Map(findings.map((f) => [f.id, f] as const));
    expect(byId.get('np-selects-no-pod')).toMatchObject({
      object: 'shop/cart-ingress',
      field: 'spec.podSelector',
    });
    expect(byId.get('np-peer-matches-nothing')).toMatchObject({
      object: 'db/postgres-from-api',
      field: 'spec.ingress[0].from[0]',
    });
    expect(byId.get('np-redundant-rule')).toMatchObject({
      object: 'db/postgres-from-shop',
      field: 'spec.ingress[1]',
    });
    expect(byId.get('np-named-port-mismatch')).toMatchObject({
      object: 'shop/web-from-workers',
      field: 'spec.ingress[0].ports[0].port',
    });
    expect(byId.get('np-named-port-mismatch')?.message).toMatch(/8080 on shop\/web-1, 9090 on shop\/web-2/);
    expect(byId.get('ns-no-default-deny')).toMatchObject({ object: 'db' });
    expect(byId.get('calico-selects-no-pod')).toMatchObject({
      object: 'Calico:NetworkPolicy/shop/default.worker-egress',
      field: 'spec.selector',
    });
    expect(byId.get('calico-order-tie')).toMatchObject({
      object: 'Calico:NetworkPolicy/shop/default.web-allow-http',
      field: 'spec.order',
    });
    expect(byId.get('calico-order-tie')?.message).toMatch(/web-deny-worker .*order 50.*pod shop\/web-1/);
    expect(byId.get('ns-no-default-deny')?.message).toMatch(/no default-deny egress/);
    expect(byId.get('ip-cidr-host-bits')).toMatchObject({
      object: 'shop/web-to-partner',
      field: 'spec.egress[0].to[0].ipBlock.cidr',
    });
    expect(byId.get('ip-cidr-host-bits')?.fix).toMatch(/203\.0\.113\.0\/24/);
    expect(byId.get('ip-leading-zero')).toMatchObject({ object: 'shop/worker-to-backup' });
    expect(byId.get('ip-leading-zero')?.fix).toMatch(/write 198\.51\.100\.0\/24/);
    expect(byId.get('admin-legacy-and-v1alpha2')).toMatchObject({
      object: 'BaselineAdminNetworkPolicy:default',
    });
  });
});

describe('the demo cluster', () => {
  const findings = lintSnapshot(load(DEMO));

  it('its policies draw no finding at all', () => {
    expect(findings.filter((f) => f.id !== 'ns-no-default-deny')).toEqual([]);
  });

  it('lacks default-deny exactly where its header says it does', () => {
    // The demo is deliberately half-protected: only billing has a default deny, and only for ingress
    // (default-deny-ingress). Every other namespace with pods is open both ways; kube-system counts,
    // because its CoreDNS pods are on the pod network (kube-proxy, on the host network, does not).
    const gaps = findings.map(
      (f) => `${f.object} ${/default-deny (ingress|egress)/.exec(f.message)?.[1] ?? '?'}`,
    );
    expect(gaps.sort()).toEqual(
      [
        'analytics egress',
        'analytics ingress',
        'billing egress',
        'identity egress',
        'identity ingress',
        'kube-system egress',
        'kube-system ingress',
        'monitoring egress',
        'monitoring ingress',
        'shop egress',
        'shop ingress',
      ].sort(),
    );
  });
});
