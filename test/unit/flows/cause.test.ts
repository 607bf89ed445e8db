/**
 * Causes of contradictions when the CNI names Cilium or Calico policies: one the snapshot holds is
 * evaluated like any other policy (a changed policy, not an unmodelled one); one it lacks stays
 * unmodelled and says so; a kind netglass does not evaluate (a Calico profile) says that instead.
 */
import { describe, expect, it } from 'vitest';
import { droppedButAllowed, forwardedButDenied, type CauseContext } from '../../../shared/flows/cause.ts';
import type { ObservedPolicy } from '../../../shared/flows/types.ts';

const ctx = (cilium: readonly string[], calico: readonly string[] = []): CauseContext => ({
  policies: new Map(),
  clusterPolicyKeys: new Set(),
  ciliumPolicyKeys: new Set(cilium),
  calicoPolicyKeys: new Set(calico),
  pods: new Map(),
});

const cnp = (action: ObservedPolicy['action']): ObservedPolicy => ({
  kind: 'CiliumNetworkPolicy',
  namespace: 'shop',
  name: 'checkout-cache',
  action,
});
const ccnp = (action: ObservedPolicy['action']): ObservedPolicy => ({
  kind: 'CiliumClusterwideNetworkPolicy',
  name: 'lockdown',
  action,
});

describe('Cilium policies named by the CNI', () => {
  it('a CiliumNetworkPolicy in the snapshot is evaluated: the cause is a changed policy', () => {
    const cause = forwardedButDenied(
      [cnp('allow')],
      undefined,
      ctx(['CiliumNetworkPolicy:shop/checkout-cache']),
    );
    expect(cause.kind).toBe('policy-changed');
    expect(cause.detail).toContain('CiliumNetworkPolicy shop/checkout-cache allowed it when it was seen');
  });

  it('a CiliumClusterwideNetworkPolicy in the snapshot is evaluated too', () => {
    const cause = droppedButAllowed(
      [ccnp('deny')],
      undefined,
      ctx(['CiliumClusterwideNetworkPolicy:lockdown']),
    );
    expect(cause.kind).toBe('policy-changed');
    expect(cause.detail).toContain('CiliumClusterwideNetworkPolicy lockdown denied it');
  });

  it('one the snapshot lacks is still a policy netglass did not evaluate', () => {
    const cause = forwardedButDenied([cnp('allow')], undefined, ctx([]));
    expect(cause.kind).toBe('unmodelled-cni-policy');
    expect(cause.detail).toBe(
      'CiliumNetworkPolicy shop/checkout-cache allowed it; the snapshot does not hold it (not read, or deleted since?), so netglass did not evaluate it',
    );
    // Same name, other kind: not the snapshot's policy.
    expect(
      droppedButAllowed([ccnp('deny')], undefined, ctx(['CiliumNetworkPolicy:shop/lockdown'])).kind,
    ).toBe('unmodelled-cni-policy');
  });
});

describe('Calico policies named by the CNI', () => {
  const gnp: ObservedPolicy = {
    kind: 'GlobalNetworkPolicy',
    name: 'security.block-dns',
    tier: 'security',
    action: 'deny',
  };
  const np: ObservedPolicy = {
    kind: 'CalicoNetworkPolicy',
    namespace: 'shop',
    name: 'allow-web',
    action: 'allow',
  };

  it('a GlobalNetworkPolicy in the snapshot is evaluated (the tier prefix of older names read off)', () => {
    const cause = droppedButAllowed(
      [gnp],
      undefined,
      ctx([], ['Calico:GlobalNetworkPolicy/security.block-dns']),
    );
    expect(cause.kind).toBe('policy-changed');
    expect(cause.detail).toContain('GlobalNetworkPolicy security.block-dns (tier security) denied it');
  });

  it('a namespaced Calico policy in the snapshot is evaluated, under the default tier when none is named', () => {
    const held = ctx([], ['Calico:NetworkPolicy/shop/default.allow-web']);
    expect(forwardedButDenied([np], undefined, held).kind).toBe('policy-changed');
    // Another namespace's policy of that name is not it.
    const elsewhere = ctx([], ['Calico:NetworkPolicy/blog/default.allow-web']);
    expect(forwardedButDenied([np], undefined, elsewhere).kind).toBe('unmodelled-cni-policy');
  });

  it('a Calico profile is a kind netglass does not evaluate, and says so', () => {
    const profile: ObservedPolicy = { kind: 'Profile', name: 'kns.shop', action: 'allow' };
    const cause = forwardedButDenied([profile], undefined, ctx([]));
    expect(cause).toEqual({
      kind: 'unmodelled-cni-policy',
      detail: 'Profile kns.shop allowed it; netglass does not evaluate Profile',
    });
  });
});
