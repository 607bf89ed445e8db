/**
 * The effect of one Calico policy P (see `PolicyEffect`), connection class by connection class over
 * the universe, as `check` explains each side (calico-explain.ts):
 * - **permitted**: on a side, the first matching rule of the tier chain that decided is an Allow rule
 *   of P; flowing or blocked at the other side;
 * - **denied**: it flows in the cluster without P and does not with P (a Deny rule of P, or a tier
 *   default action that applies because P selects the pod);
 * - **passed**: a Pass rule of P sent a side on to the next tier, and neither of the above holds;
 * - **unknown**: a verdict with or without P is open and P takes part in it.
 * Staged policies change nothing: every connection is unaffected. This reads one explanation per
 * class pair and probe, so it suits the clusters one reviews policy by policy, not bulk use.
 */
import { calicoPolicyKey, type CalicoPolicy } from '../model/snapshot.ts';
import { hasBit } from './bitset.ts';
import { check } from './explain.ts';
import { effectEndpoints, EffectLists, finish, type Endpoint } from './effect.ts';
import { calicoInput, EvalState } from './state.ts';
import {
  AnalysisError,
  type CalicoRuleNetworkSets,
  type CalicoSubjects,
  type ConnectionVerdict,
  type Peer,
  type PolicyEffect,
  type SideResult,
} from './types.ts';
import { universe } from './universe.ts';

function peersOf(e: Endpoint, count: number): Peer[] {
  if (!e.cls) return [{ kind: 'external', ip: e.address ?? '' }];
  return [...e.cls.pods]
    .sort()
    .slice(0, count)
    .map((key): Peer => {
      const slash = key.indexOf('/');
      return { kind: 'pod', namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    });
}

/** What P did on one side: the rule of P that decided it (Allow / Deny), or a Pass of P on its way. */
function partOf(side: SideResult, key: string): 'allow' | 'deny' | 'pass' | undefined {
  if (side.kind === 'not-subject') return undefined;
  const path = side.tiers?.calicoPath ?? [];
  const last = path[path.length - 1];
  if (last?.kind === 'calico' && last.match.source.kind === 'rule' && last.match.source.policy === key) {
    if (last.match.action === 'Allow' && side.kind === 'allowed') return 'allow';
    if (last.match.action === 'Deny' && side.kind === 'denied') return 'deny';
  }
  const passes = path.some(
    (s) =>
      s.kind === 'calico' &&
      s.match.source.kind === 'rule' &&
      s.match.source.policy === key &&
      s.match.action === 'Pass',
  );
  return passes ? 'pass' : undefined;
}

function mentions(v: ConnectionVerdict, key: string): boolean {
  return [v.egress, v.ingress].some((s) =>
    (s.kind === 'not-subject' ? [] : (s.tiers?.calicoPath ?? [])).some(
      (p) => p.kind === 'calico' && p.match.source.kind === 'rule' && p.match.source.policy === key,
    ),
  );
}

/**
 * The pods an enforced Calico policy applies to: `sure` where its selectors match, `possibly` where they
 * may (service-account labels, unreadable namespaces). A staged policy applies to none.
 */
export function calicoSubjects(state: EvalState, key: string): CalicoSubjects {
  if (!state.calicoPolicies.has(key)) throw new AnalysisError(`unknown Calico policy ${key}`);
  const member = state.calico?.members.find((m) => m.key === key);
  const sure: string[] = [];
  const possibly: string[] = [];
  if (member)
    for (const c of state.classes.classes) {
      if (c.pods.size === 0 || !hasBit(member.maybeSubject, c.id)) continue;
      (hasBit(member.subject, c.id) ? sure : possibly).push(...c.pods);
    }
  return { sure: sure.sort(), possibly: possibly.sort() };
}

/** Per rule side with a selector, the network sets it picks (only sides that pick some). */
function ruleNetworkSets(state: EvalState, policy: CalicoPolicy): CalicoRuleNetworkSets[] {
  const out: CalicoRuleNetworkSets[] = [];
  const calico = state.calico;
  if (!calico) return out;
  for (const direction of ['ingress', 'egress'] as const)
    policy[direction].forEach((rule, index) => {
      for (const side of ['source', 'destination'] as const) {
        const sets = calico.networkSetsOf(policy, rule[side]);
        if (sets.sure.length + sets.possibly.length > 0) out.push({ direction, rule: index, side, ...sets });
      }
    });
  return out;
}

export function calicoPolicyEffect(state: EvalState, key: string, limit: number): PolicyEffect {
  const policy = state.calicoPolicies.get(key) as CalicoPolicy;
  const u = universe(state);
  const { endpoints, pods, externals } = effectEndpoints(state, u.externals);
  const out = new EffectLists(limit, u.ports);
  const total = (pods * (pods - 1) + 2 * pods * externals) * u.ports.length;
  const member = state.calico?.members.find((m) => m.key === key);
  const selects = calicoSubjects(state, key).sure;
  const base = {
    policy: key,
    tier: 'NetworkPolicy' as const,
    selects,
    isolates: {
      ingress: selects.length > 0 && policy.types.includes('Ingress'),
      egress: selects.length > 0 && policy.types.includes('Egress'),
    },
    rules: [],
    calicoNetworkSets: ruleNetworkSets(state, policy),
  };
  if (!member) return { ...base, ...finish(out, total) };
  const rest = [...state.calicoPolicies.values()].filter((p) => calicoPolicyKey(p) !== key);
  const without = new EvalState(
    [...state.namespaces.values()],
    [...state.pods.values()],
    [...state.policies.values()],
    state.view.visibility,
    [...state.clusterPolicies.values()],
    [...state.ciliumPolicies.values()],
    calicoInput({
      calicoPolicies: rest,
      calicoTiers: state.calicoTiers,
      calicoNetworkSets: state.calicoNetworkSets,
    }),
    state.cni.profile,
  );
  const holds = (e: Endpoint, direction: 'ingress' | 'egress'): boolean =>
    e.cls !== undefined && member.on[direction] && hasBit(member.maybeSubject, e.entity);
  for (const a of endpoints)
    for (const b of endpoints) {
      if (!a.cls && !b.cls) continue;
      if (!holds(a, 'egress') && !holds(b, 'ingress')) continue;
      const w = a === b ? a.weight * (a.weight - 1) : a.weight * b.weight;
      if (w === 0) continue;
      const [from, other] = peersOf(a, 2);
      const to = a === b ? other : peersOf(b, 1)[0];
      if (!from || !to) continue;
      u.ports.forEach((probe, k) => {
        const q = { from, to, protocol: probe.protocol, port: probe.port };
        const v = check(state, q);
        const v0 = check(without, q);
        const open = (x: ConnectionVerdict): boolean =>
          x.verdict === 'unknown' || x.verdict === 'conditional';
        const parts = [partOf(v.egress, key), partOf(v.ingress, key)];
        if ((open(v) || open(v0)) && (mentions(v, key) || v.verdict !== v0.verdict))
          out.record('unknown', a, b, k, w);
        else if (parts.includes('allow'))
          out.record(v.verdict === 'allowed' ? 'permittedFlowing' : 'permittedBlocked', a, b, k, w);
        else if (v0.verdict === 'allowed' && v.verdict === 'denied') out.record('denied', a, b, k, w);
        else if (parts.includes('pass')) out.record('passed', a, b, k, w);
      });
    }
  return { ...base, ...finish(out, total) };
}
