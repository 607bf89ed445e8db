/**
 * Causes of contradictions when the CNI names Cilium policies: one the snapshot holds is evaluated like
 * any other policy (a changed policy, not an unmodelled one); one it lacks stays unmodelled.
 */
import { describe, expect, it } from 'vitest';
import { droppedButAllowed, forwardedButDenied, type CauseContext } from '../../../shared/flows/cause.ts';
import type { ObservedPolicy } from '../../../shared/flows/types.ts';

const ctx = (cilium: readonly string[]): CauseContext => ({
  policies: new Map(),
  clusterPolicyKeys: new Set(),
  ciliumPolicyKeys: new Set(cilium),
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
    expect(forwardedButDenied([cnp('allow')], undefined, ctx([])).kind).toBe('unmodelled-cni-policy');
    // Same name, other kind: not the snapshot's policy.
    expect(
      droppedButAllowed([ccnp('deny')], undefined, ctx(['CiliumNetworkPolicy:shop/lockdown'])).kind,
    ).toBe('unmodelled-cni-policy');
  });
});
