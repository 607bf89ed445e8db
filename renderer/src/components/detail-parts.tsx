/**
 * Pieces the details and reach panels share: links to pods and policies, an analysis answer's
 * loading/failed states, a policy's effect counts, and the admin tiers' chips (tier, action).
 */
import type { ReactNode } from 'react';
import type { PolicyEffect } from '../../../shared/eval/index.ts';
import type { AdminAction, AdminTier, Snapshot } from '../../../shared/model/snapshot.ts';
import { ACTION_HINT, findClusterPolicy, isLegacyKind, KIND_SHORT, TIER_LABEL } from '../model/admin.ts';
import { calicoKeyParts, findCalicoPolicy } from '../model/calico.ts';
import { ciliumKeyParts, findCiliumPolicy, policyKeyKind } from '../model/cilium.ts';
import { shortPodName } from '../model/describe.ts';
import { findPod, findPolicy } from '../model/summary.ts';
import type { Query } from '../store/analysis-store.ts';
import { useView } from '../store/context.tsx';
import { locationText, plural, Spinner } from './parts.tsx';

export function PodLink({ podKey: key, snapshot }: { podKey: string; snapshot: Snapshot }) {
  const select = useView((s) => s.select);
  const pod = findPod(snapshot, key);
  return (
    <button
      type="button"
      className="link-chip"
      onClick={() => select({ kind: 'pod', key })}
      title={key}
      data-testid="pod-link"
      data-key={key}
    >
      {pod !== undefined ? shortPodName(pod) : key}
    </button>
  );
}

/**
 * A policy by its key. An admin-tier policy (with `snapshot`) shows its priority, and a legacy kind its
 * short name, so a list of them reads in evaluation order. `onOpen` runs before selecting (the reach
 * panel closes itself).
 */
export function PolicyLink({
  policy,
  snapshot,
  onOpen,
  testId = 'policy-link',
}: {
  policy: string;
  snapshot?: Snapshot;
  onOpen?: () => void;
  testId?: string;
}) {
  const select = useView((s) => s.select);
  const admin =
    snapshot === undefined || policyKeyKind(policy) !== 'admin'
      ? undefined
      : findClusterPolicy(snapshot, policy);
  // A Cilium or Calico key reads long (`CiliumClusterwideNetworkPolicy:name`,
  // `Calico:NetworkPolicy/ns/tier.name`): its name, with the short kind.
  const keyKind = policyKeyKind(policy);
  const named =
    keyKind === 'cilium' ? ciliumKeyParts(policy) : keyKind === 'calico' ? calicoKeyParts(policy) : undefined;
  return (
    <button
      type="button"
      className={`link-chip ${admin !== undefined ? `link-chip-admin link-chip-${admin.tier.toLowerCase()}` : ''}`}
      onClick={() => {
        onOpen?.();
        select({ kind: 'policy', key: policy });
      }}
      title={
        admin === undefined
          ? policy
          : `${admin.kind} ${admin.name} · ${TIER_LABEL[admin.tier]}, priority ${admin.priority}`
      }
      data-testid={testId}
      data-key={policy}
    >
      {admin !== undefined && <span className="chip-prio">{admin.priority}</span>}
      {admin !== undefined ? admin.name : (named?.name ?? policy)}
      {named !== undefined && <span className="chip-kind">{named.short}</span>}
      {admin !== undefined && isLegacyKind(admin.kind) && (
        <span className="chip-kind">{KIND_SHORT[admin.kind]}</span>
      )}
    </button>
  );
}

/** ` · file.yaml:12`: where a NetworkPolicy, Cilium or Calico policy is written, after its link. */
export function policyWhere(snapshot: Snapshot, policy: string): string {
  const found =
    findPolicy(snapshot, policy) ?? findCiliumPolicy(snapshot, policy) ?? findCalicoPolicy(snapshot, policy);
  const text = locationText(found?.location);
  return text === undefined ? '' : ` · ${text}`;
}

export function QueryState<T>({
  query,
  children,
}: {
  query: Query<T> | undefined;
  children: (value: T) => ReactNode;
}) {
  if (query === undefined) return null;
  if (query.status === 'failed') return <div className="callout callout-danger">{query.error}</div>;
  if (query.value === undefined) return <Spinner />;
  return <>{children(query.value)}</>;
}

export function ActionChip({ action }: { action: AdminAction }) {
  return (
    <span
      className={`action-chip action-${action.toLowerCase()}`}
      title={ACTION_HINT[action]}
      data-testid="action-chip"
      data-action={action}
    >
      {action}
    </span>
  );
}

export function TierChip({ tier }: { tier: AdminTier | 'NetworkPolicy' }) {
  return (
    <span className={`tier-chip tier-chip-${tier.toLowerCase()}`} data-testid="tier-chip" data-tier={tier}>
      {tier === 'NetworkPolicy' ? 'NetworkPolicy' : TIER_LABEL[tier]}
    </span>
  );
}

type EffectKey = 'permittedFlowing' | 'permittedBlocked' | 'denied' | 'passed' | 'unaffected';

interface EffectClass {
  readonly key: EffectKey;
  readonly label: string;
  readonly hint: string;
  readonly tone: 'flowing' | 'blocked' | 'denied' | 'passed' | 'unaffected';
}

const NETWORK_POLICY_CLASSES: readonly EffectClass[] = [
  {
    key: 'permittedFlowing',
    label: 'Permitted, flows',
    hint: 'a rule of this policy matches and both ends allow it',
    tone: 'flowing',
  },
  {
    key: 'permittedBlocked',
    label: 'Permitted, blocked elsewhere',
    hint: 'a rule matches, but the other end (or direction) denies it',
    tone: 'blocked',
  },
  {
    key: 'denied',
    label: 'Denied by it',
    hint: 'would flow without this policy; its isolation stops it',
    tone: 'denied',
  },
  { key: 'unaffected', label: 'Unaffected', hint: 'neither (dimmed on the graph)', tone: 'unaffected' },
];

const ADMIN_CLASSES: readonly EffectClass[] = [
  {
    key: 'permittedFlowing',
    label: 'Accepted, flows',
    hint: 'an Accept rule of this policy decides a side, and the other side allows it',
    tone: 'flowing',
  },
  {
    key: 'permittedBlocked',
    label: 'Accepted, blocked elsewhere',
    hint: 'an Accept rule decides one side, but the other side denies it',
    tone: 'blocked',
  },
  { key: 'denied', label: 'Denied by it', hint: 'a Deny rule of this policy decides a side', tone: 'denied' },
  {
    key: 'passed',
    label: 'Passed on',
    hint: 'a Pass rule sends a side on to the next tier, which decides it',
    tone: 'passed',
  },
  {
    key: 'unaffected',
    label: 'Unaffected',
    hint: 'no rule of this policy decides a side (dimmed on the graph)',
    tone: 'unaffected',
  },
];

/**
 * A Calico policy's classes: the admin tiers' (its rules Allow, Deny or Pass too), worded for Calico;
 * what it denies includes what its tier's default action denies for the pods it selects.
 */
const CALICO_WORDS: Partial<Record<EffectKey, Pick<EffectClass, 'label' | 'hint'>>> = {
  permittedFlowing: {
    label: 'Allowed, flows',
    hint: 'an Allow rule of this policy decides a side, and the other side allows it',
  },
  permittedBlocked: {
    label: 'Allowed, blocked elsewhere',
    hint: 'an Allow rule decides one side, but the other side denies it',
  },
  denied: {
    label: 'Denied by it',
    hint: "would flow without this policy: a Deny rule of it, or its tier's default action for the pods it selects",
  },
};
const CALICO_CLASSES: readonly EffectClass[] = ADMIN_CLASSES.map((c) => ({ ...c, ...CALICO_WORDS[c.key] }));

/** The pods a policy selects or applies to (the evaluator's answer), the first 60 as links. */
export function SelectedPods({
  effect,
  snapshot,
  none = 'selects no pod',
  testId,
}: {
  effect: PolicyEffect | undefined;
  snapshot: Snapshot;
  none?: string;
  testId?: string;
}) {
  if (effect === undefined) return <span className="muted">…</span>;
  if (effect.selects.length === 0) return <span className="warn-text">{none}</span>;
  return (
    <span className="chips" {...(testId !== undefined ? { 'data-testid': testId } : {})}>
      {effect.selects.slice(0, 60).map((p) => (
        <PodLink key={p} podKey={p} snapshot={snapshot} />
      ))}
      {effect.selects.length > 60 && <span className="muted">+{effect.selects.length - 60} more</span>}
    </span>
  );
}

export function EffectCounts({
  effect,
  unknownHint = 'depends on objects netglass could not read',
  calico = false,
}: {
  effect: PolicyEffect;
  /** What makes a connection's class unknown for this kind of policy. */
  unknownHint?: string;
  /** A Calico policy: Allow/Deny/Pass classes (the evaluator files its effect under the NetworkPolicy tier). */
  calico?: boolean;
}) {
  const c = effect.counts;
  const classes = calico
    ? CALICO_CLASSES
    : effect.tier === 'NetworkPolicy'
      ? NETWORK_POLICY_CLASSES
      : ADMIN_CLASSES;
  return (
    <>
      <div className="effect-grid" data-testid="policy-effect" data-tier={effect.tier}>
        {classes.map((k) => (
          <div key={k.key} className={`effect-card tone-${k.tone}`} title={k.hint}>
            <span className="effect-swatch" aria-hidden="true" />
            <span className="effect-value" data-testid={`effect-${k.key}`}>
              {c[k.key].toLocaleString('en-US')}
            </span>
            <span className="effect-label">{k.label}</span>
          </div>
        ))}
        {c.unknown > 0 && (
          <div className="effect-card tone-unknown" title={unknownHint}>
            <span className="effect-swatch" aria-hidden="true" />
            <span className="effect-value" data-testid="effect-unknown">
              {c.unknown.toLocaleString('en-US')}
            </span>
            <span className="effect-label">Unknown</span>
          </div>
        )}
      </div>
      <p className="fine-print" data-testid="effect-total">
        of {plural(c.total, 'connection')} (source, destination, port) in this cluster
        {effect.truncated && ' · the graph shows the first 2,000 of each class'}
      </p>
    </>
  );
}
