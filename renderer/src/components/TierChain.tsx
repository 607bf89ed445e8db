/**
 * How one side of a connection went through the tiers, as a vertical chain: the Admin tier's matching
 * rule, the NetworkPolicy tier, the Baseline tier's matching rule, the default allow. The steps that
 * happened come from the shared `tierSteps` (the same steps `netglass check` prints, worded by the same
 * helpers); this file only lays them out, with the tiers that were read without a match and those never
 * reached.
 */
import {
  formatCalicoMatch,
  formatRuleMatch,
  formatTierStep,
  tierSteps,
  type Direction,
  type SideResult,
  type TierStep,
} from '../../../shared/eval/index.ts';
import type { AdminRuleMatch } from '../../../shared/eval/types.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { useView } from '../store/context.tsx';
import { ActionChip, PolicyLink, policyWhere } from './detail-parts.tsx';

type TierName = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';

/**
 * - `decided`: this tier decided the side (Accept/Deny, NetworkPolicy allow/deny, default allow);
 * - `passed`: a Pass rule matched here, the next tier decides;
 * - `nothing`: read, nothing matched (or nothing applies);
 * - `conditional`: a Cilium rule decided for some requests only (L7 rules, DNS names, Services);
 * - `unread`: what it says depends on objects that could not be read;
 * - `skipped`: never reached (a tier above decided).
 */
export type StepState = 'decided' | 'conditional' | 'passed' | 'nothing' | 'unread' | 'skipped';

export interface ChainRow {
  readonly tier: TierName;
  readonly state: StepState;
  /** The shared step, when something matched or decided at this tier. */
  readonly step?: TierStep;
}

const isRule = (step: TierStep, tier: 'Admin' | 'Baseline'): boolean =>
  step.kind === 'rule' && step.match.tier === tier;

/** The four rows of a side that has a tier trace (undefined without one). */
export function chainRows(side: SideResult, direction: Direction): ChainRow[] | undefined {
  if (side.kind === 'not-subject' || side.tiers === undefined) return undefined;
  const steps = tierSteps(side, direction);
  // Calico's own tiers do not fit the four rows (they sit around and between them, by order): such a
  // side is told by the verdict's explanation, step by step (TierChain lists them).
  if (steps.some((s) => s.kind === 'calico-rule')) return undefined;
  const unknown = side.kind === 'unknown';
  const admin = steps.find((s) => isRule(s, 'Admin'));
  // A Cilium rule decides in the NetworkPolicy tier, like a NetworkPolicy's allow or isolation.
  const np = steps.find(
    (s) => s.kind === 'network-policy-allow' || s.kind === 'network-policy-deny' || s.kind === 'cilium-rule',
  );
  const baseline = steps.find((s) => isRule(s, 'Baseline'));
  const fallback = steps.find((s) => s.kind === 'default-allow');
  const adminAction = admin?.kind === 'rule' ? admin.match.action : undefined;
  const adminDecided = adminAction === 'Accept' || adminAction === 'Deny';
  const rows: ChainRow[] = [];
  rows.push(
    admin === undefined
      ? { tier: 'Admin', state: 'nothing' }
      : { tier: 'Admin', state: adminDecided ? 'decided' : 'passed', step: admin },
  );
  if (adminDecided) {
    rows.push({ tier: 'NetworkPolicy', state: 'skipped' }, { tier: 'Baseline', state: 'skipped' });
    rows.push({ tier: 'default', state: 'skipped' });
    return rows;
  }
  if (np !== undefined) {
    // A conditional Cilium allow decides for the requests it accepts only (the evaluator's flag).
    const conditional = side.kind === 'unknown' && side.conditional === true;
    rows.push({ tier: 'NetworkPolicy', state: conditional ? 'conditional' : 'decided', step: np });
    rows.push({ tier: 'Baseline', state: 'skipped' }, { tier: 'default', state: 'skipped' });
    return rows;
  }
  if (unknown && baseline === undefined) {
    // What the NetworkPolicy tier (or an unread admin rule) says is unknown: so is everything after.
    rows.push({ tier: 'NetworkPolicy', state: 'unread' }, { tier: 'Baseline', state: 'unread' });
    rows.push({ tier: 'default', state: 'unread' });
    return rows;
  }
  rows.push({ tier: 'NetworkPolicy', state: unknown ? 'unread' : 'nothing' });
  const baselineAction = baseline?.kind === 'rule' ? baseline.match.action : undefined;
  if (baseline !== undefined && baselineAction !== 'Pass') {
    rows.push({ tier: 'Baseline', state: 'decided', step: baseline }, { tier: 'default', state: 'skipped' });
    return rows;
  }
  rows.push(
    baseline === undefined
      ? { tier: 'Baseline', state: 'nothing' }
      : { tier: 'Baseline', state: 'passed', step: baseline },
  );
  rows.push(
    fallback === undefined
      ? { tier: 'default', state: unknown ? 'unread' : 'skipped' }
      : { tier: 'default', state: 'decided', step: fallback },
  );
  return rows;
}

const TIER_TITLE: Readonly<Record<TierName, string>> = {
  Admin: 'Admin tier',
  NetworkPolicy: 'NetworkPolicy',
  Baseline: 'Baseline tier',
  default: 'Default',
};

function AdminRule({ m, snapshot, onOpen }: { m: AdminRuleMatch; snapshot: Snapshot; onOpen: () => void }) {
  const named = m.ruleName !== undefined && m.ruleName !== '';
  const ports = m.kind === 'ClusterNetworkPolicy' ? 'protocols' : 'ports';
  return (
    <span className="chain-rule" data-testid="chain-admin-rule" data-policy={m.policy} data-action={m.action}>
      <span className="chain-rule-head">
        <ActionChip action={m.action} />
        <PolicyLink policy={m.policy} snapshot={snapshot} onOpen={onOpen} testId="chain-policy" />
      </span>
      <span className="chain-rule-sub">
        rule {named && <span className="mono strong">{m.ruleName}</span>}
        <span className="mono">
          {named ? ' · ' : ''}
          {m.direction}[{m.rule}] · {m.direction === 'ingress' ? 'from' : 'to'}[{m.peer}],{' '}
          {m.port === 'any' ? 'any port' : `${ports}[${m.port}]`}
        </span>
      </span>
    </span>
  );
}

function nothingText(tier: TierName, side: SideResult, direction: Direction): string {
  const trace = side.kind === 'not-subject' ? undefined : side.tiers;
  switch (tier) {
    case 'Admin': {
      const n = trace?.adminPolicies.length ?? 0;
      return n === 0
        ? 'No Admin-tier policy applies to it.'
        : `${n === 1 ? 'One Admin-tier policy applies' : `${n} Admin-tier policies apply`}; no rule matches.`;
    }
    case 'NetworkPolicy':
      return `No NetworkPolicy isolates it for ${direction}: on to the Baseline tier.`;
    case 'Baseline': {
      const n = trace?.baselinePolicies.length ?? 0;
      return n === 0
        ? 'No Baseline-tier policy applies to it.'
        : `${n === 1 ? 'One Baseline-tier policy applies' : `${n} Baseline-tier policies apply`}; no rule matches.`;
    }
    case 'default':
      return 'Not reached.';
  }
}

function StepBody({
  row,
  side,
  direction,
  snapshot,
  onOpen,
}: {
  row: ChainRow;
  side: SideResult;
  direction: Direction;
  snapshot: Snapshot;
  onOpen: () => void;
}) {
  const select = useView((s) => s.select);
  const step = row.step;
  if (row.state === 'skipped') return <span className="muted">Not reached: a tier above decided.</span>;
  if (row.state === 'unread' && step === undefined)
    return <span className="muted">Depends on what could not be read.</span>;
  if (step === undefined) return <span className="muted">{nothingText(row.tier, side, direction)}</span>;
  switch (step.kind) {
    case 'rule':
      return (
        <>
          <AdminRule m={step.match} snapshot={snapshot} onOpen={onOpen} />
          {step.match.action === 'Pass' && (
            <span className="chain-note">
              {step.match.tier === 'Admin'
                ? 'Passed on: the NetworkPolicies decide.'
                : 'Passed on: allowed by default.'}
            </span>
          )}
        </>
      );
    case 'network-policy-allow':
      return (
        <>
          Allowed by {step.matches.length === 1 ? 'the rule' : 'these rules'}:
          <ul className="match-list">
            {step.matches.map((m, i) => (
              <li key={i}>
                <button
                  type="button"
                  className="link-chip mono"
                  onClick={() => {
                    onOpen();
                    select({ kind: 'policy', key: m.policy });
                  }}
                  data-testid="rule-match"
                  data-policy={m.policy}
                >
                  {formatRuleMatch(m)}
                </button>
                <span className="muted">{policyWhere(snapshot, m.policy)}</span>
              </li>
            ))}
          </ul>
        </>
      );
    case 'network-policy-deny':
      return (
        <>
          Isolated for {direction} by {step.policies.length === 1 ? 'this policy' : 'these policies'}, and no{' '}
          {direction} rule of {step.policies.length === 1 ? 'it' : 'them'} matches:
          <ul className="match-list">
            {step.policies.map((p) => (
              <li key={p}>
                <PolicyLink policy={p} onOpen={onOpen} testId="isolating-policy" />
                <span className="muted">{policyWhere(snapshot, p)}</span>
              </li>
            ))}
          </ul>
        </>
      );
    case 'default-allow':
      return <span>Allowed: nothing above decided.</span>;
    case 'cilium-rule': {
      const m = step.match;
      return (
        <>
          {m.action === 'Deny' ? 'Denied' : 'Allowed'} by{' '}
          <PolicyLink policy={m.policy} onOpen={onOpen} testId="cilium-rule" />{' '}
          <span className="mono">
            {m.rule} ({m.port === 'any' ? 'any port' : `toPorts[${m.port}]`})
          </span>
          <span className="muted">{policyWhere(snapshot, m.policy)}</span>
          {m.conditional !== undefined && (
            <span className="chain-note">Only for some requests: {m.conditional}.</span>
          )}
        </>
      );
    }
    case 'calico-rule': {
      // Named in the evaluator's words (`netglass check` prints the same line).
      const m = step.match;
      return (
        <>
          <span className="mono" data-testid="calico-rule">
            {formatCalicoMatch(m)}
          </span>
          {m.conditional !== undefined && (
            <span className="chain-note">Only for some requests: {m.conditional}.</span>
          )}
        </>
      );
    }
  }
}

/** One step of a side through Calico's tiers, in `netglass check`'s words; a Calico rule opens its policy. */
function CalicoStepText({ step, onOpen }: { step: TierStep; onOpen: () => void }) {
  const select = useView((s) => s.select);
  const source = step.kind === 'calico-rule' ? step.match.source : undefined;
  if (source?.kind !== 'rule') return <>{formatTierStep(step)}</>;
  return (
    <button
      type="button"
      className="link-text"
      title="Open this Calico policy"
      data-testid="calico-step-link"
      data-policy={source.policy}
      onClick={() => {
        onOpen();
        select({ kind: 'policy', key: source.policy });
      }}
    >
      {formatTierStep(step)}
    </button>
  );
}

/** The chain of one side; `onOpen` runs before a policy link selects its policy. */
export function TierChain({
  side,
  direction,
  snapshot,
  onOpen,
}: {
  side: SideResult;
  direction: Direction;
  snapshot: Snapshot;
  onOpen: () => void;
}) {
  const rows = chainRows(side, direction);
  if (rows === undefined) {
    // A side through Calico's tiers: its steps in order, in the evaluator's words.
    const steps = side.kind === 'not-subject' || side.tiers === undefined ? [] : tierSteps(side, direction);
    if (steps.length === 0) return null;
    return (
      <ol
        className="chain"
        data-testid="tier-chain"
        data-decided-by={side.kind === 'not-subject' ? '' : (side.tiers?.decidedBy ?? '')}
      >
        {steps.map((step, i) => (
          <li key={i} className="chain-step chain-decided" data-testid="tier-step" data-kind={step.kind}>
            <span className="chain-dot" aria-hidden="true" />
            <span className="chain-body mono">
              <CalicoStepText step={step} onOpen={onOpen} />
            </span>
          </li>
        ))}
      </ol>
    );
  }
  const decided = rows.find((r) => r.state === 'decided');
  return (
    <ol className="chain" data-testid="tier-chain" data-decided-by={decided?.tier ?? ''}>
      {rows.map((row) => {
        const outcome =
          row.state !== 'decided'
            ? row.state
            : row.step?.kind === 'rule'
              ? row.step.match.action.toLowerCase()
              : row.step?.kind === 'calico-rule'
                ? row.step.match.action === 'Deny'
                  ? 'deny'
                  : row.step.match.action === 'Pass'
                    ? 'pass'
                    : 'accept'
                : row.step?.kind === 'network-policy-deny' ||
                    (row.step?.kind === 'cilium-rule' && row.step.match.action === 'Deny')
                  ? 'deny'
                  : 'accept';
        return (
          <li
            key={row.tier}
            className={`chain-step chain-${row.state} chain-outcome-${outcome}`}
            data-testid="tier-step"
            data-tier={row.tier}
            data-state={row.state}
            title={row.step === undefined ? undefined : formatTierStep(row.step)}
          >
            <span className="chain-dot" aria-hidden="true" />
            <span className="chain-tier">{TIER_TITLE[row.tier]}</span>
            <span className="chain-body">
              <StepBody row={row} side={side} direction={direction} snapshot={snapshot} onOpen={onOpen} />
            </span>
          </li>
        );
      })}
    </ol>
  );
}
