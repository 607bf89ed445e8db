/**
 * A CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy in the details panel: its effect (the
 * evaluator's counts, through the worker's `policyEffect`), the pods it applies to (the evaluator's
 * answer), each rule (`spec` / `specs[i]`) with its subject and default deny, and its rules in words:
 * deny rules first (they win over every allow of the NetworkPolicy tier), then allows; what an L7, DNS
 * name or Service rule allows is shown as conditional.
 */
import { useMemo } from 'react';
import type { CiliumPolicy, Snapshot } from '../../../../shared/model/snapshot.ts';
import {
  describeCiliumPolicy,
  type CiliumRuleDescription,
  type CiliumSpecDescription,
} from '../../model/cilium.ts';
import { useAnalysis } from '../../store/context.tsx';
import { EffectCounts, QueryState, SelectedPods } from '../detail-parts.tsx';
import { Field, Location, Section, Spinner } from '../parts.tsx';

function RuleCard({ rule }: { rule: CiliumRuleDescription }) {
  const action = rule.action === 'deny' ? 'Deny' : 'Allow';
  return (
    <li
      className={`rule rule-admin rule-${rule.action === 'deny' ? 'deny' : 'accept'}`}
      data-testid="cilium-rule"
      data-rule={rule.label}
      data-action={rule.action}
      data-conditional={rule.conditional.length > 0 ? 'true' : 'false'}
    >
      <div className="rule-head">
        <span className="rule-title">
          <span
            className={`action-chip action-${rule.action === 'deny' ? 'deny' : 'accept'}`}
            title={
              rule.action === 'deny'
                ? 'denies what it matches, whatever any allow rule says'
                : 'allows what it matches (allows add up with other policies)'
            }
          >
            {action}
          </span>
          {rule.peerField !== undefined && <span className="muted mono">{rule.peerField}</span>}
        </span>
        <span className={`tag tag-${rule.direction}`}>{rule.label}</span>
      </div>
      <div className="rule-body">
        <span className="rule-key">{rule.direction === 'ingress' ? 'from' : 'to'}</span>
        <span data-testid="cilium-rule-peers">
          {rule.peers === 'any' ? (
            <span className="rule-item">any peer</span>
          ) : rule.peers === 'none' ? (
            <span className="rule-item muted">nothing (an empty rule: it only turns on default deny)</span>
          ) : (
            rule.peers.map((p, i) => (
              <span key={i} className="rule-item">
                {p.text}
              </span>
            ))
          )}
        </span>
        <span className="rule-key">ports</span>
        <span>
          {rule.ports.map((p, i) => (
            <span key={i} className="rule-item mono">
              {p}
            </span>
          ))}
        </span>
      </div>
      {rule.conditional.length > 0 && (
        <span className="rule-conditional" data-testid="cilium-rule-conditional">
          conditional: only for {rule.conditional.join('; ')}
        </span>
      )}
    </li>
  );
}

function defaultDenyText(spec: CiliumSpecDescription): string {
  const on = (['ingress', 'egress'] as const).filter((d) => spec.defaultDeny[d]);
  if (on.length === 0) return 'off: selecting a pod isolates it in no direction';
  return `${on.join(' and ')}: what no rule allows is denied for the pods it selects`;
}

function SpecSection({ spec }: { spec: CiliumSpecDescription }) {
  return (
    <div className="cilium-spec" data-testid="cilium-spec" data-spec={spec.label}>
      <dl className="fields">
        <Field label="Rule">
          <span className="mono">{spec.label}</span>
        </Field>
        <Field label="Applies to">
          <span data-testid="cilium-subject">{spec.subject}</span>
        </Field>
        <Field label="Default deny">
          <span data-testid="cilium-default-deny">{defaultDenyText(spec)}</span>
        </Field>
        {spec.description !== undefined && <Field label="Description">{spec.description}</Field>}
      </dl>
      {spec.rules.length === 0 ? (
        <p className="fine-print">No ingress or egress rules.</p>
      ) : (
        <ol className="rule-list">
          {spec.rules.map((r) => (
            <RuleCard key={r.label} rule={r} />
          ))}
        </ol>
      )}
    </div>
  );
}

export function CiliumPolicyDetails({
  policyKey: key,
  policy,
  snapshot,
}: {
  policyKey: string;
  policy: CiliumPolicy;
  snapshot: Snapshot;
}) {
  const query = useAnalysis((s) => s.policy);
  const specs = useMemo(() => describeCiliumPolicy(policy), [policy]);
  const effect = query?.subject === key ? query.value : undefined;
  const rules = specs.reduce((n, s) => n + s.rules.length, 0);
  return (
    <>
      <Section title="Effect" aside={query?.status === 'loading' ? <Spinner label="" /> : undefined}>
        <QueryState query={query?.subject === key ? query : undefined}>
          {(e) => (
            <EffectCounts
              effect={e}
              unknownHint="depends on L7 rules, DNS names, Service endpoints, node placement or unread objects"
            />
          )}
        </QueryState>
      </Section>
      <Section title="Selects" testId="cilium-selects">
        <dl className="fields">
          <Field label="Kind">{policy.kind}</Field>
          {policy.namespace !== undefined && <Field label="Namespace">{policy.namespace}</Field>}
          <Field label="Pods">
            <SelectedPods effect={effect} snapshot={snapshot} testId="cilium-pods" />
          </Field>
          <Field label="Isolates">
            <span className="chips" data-testid="policy-isolates">
              {effect === undefined ? (
                <span className="muted">…</span>
              ) : (
                <>
                  {effect.isolates.ingress && <span className="tag tag-ingress">Ingress</span>}
                  {effect.isolates.egress && <span className="tag tag-egress">Egress</span>}
                  {!effect.isolates.ingress && !effect.isolates.egress && (
                    <span className="muted">no direction</span>
                  )}
                </>
              )}
            </span>
          </Field>
          <Field label="Tier">NetworkPolicy tier: its deny rules win over every allow of the tier</Field>
          <Location location={policy.location} />
        </dl>
      </Section>
      <Section title="Rules" aside={String(rules)} testId="cilium-rules">
        {specs.map((s) => (
          <SpecSection key={s.label} spec={s} />
        ))}
      </Section>
    </>
  );
}
