/**
 * An admin-tier policy (ClusterNetworkPolicy, or a legacy AdminNetworkPolicy /
 * BaselineAdminNetworkPolicy) in the details panel: its effect (the counts `netglass policy <key>`
 * prints, passed connections included), where it sits in the tiers, what it applies to (the pods come
 * from the evaluator), its rules in the order the first match is taken with their action and how many
 * connections each decides, and its YAML.
 */
import { useMemo } from 'react';
import type { ClusterNetworkPolicy, Snapshot } from '../../../shared/model/snapshot.ts';
import {
  adminPolicyYaml,
  describeAdminRules,
  describeSubject,
  summarizeAdminPolicies,
  TIER_LABEL,
  type AdminRuleDescription,
} from '../model/admin.ts';
import { useAnalysis } from '../store/context.tsx';
import { ActionChip, EffectCounts, PolicyLink, QueryState, SelectedPods, TierChip } from './detail-parts.tsx';
import { Field, Location, plural, Section, Spinner } from './parts.tsx';
import { PolicyFlowsSection } from '../flows/FlowsDetails.tsx';
import type { RuleEffect } from '../../../shared/eval/index.ts';

const TIER_PLACE: Readonly<Record<ClusterNetworkPolicy['tier'], string>> = {
  Admin: 'read first, before any NetworkPolicy',
  Baseline: 'read last, for pods no NetworkPolicy isolates in that direction',
};

function RuleCard({ rule, effect }: { rule: AdminRuleDescription; effect: RuleEffect | undefined }) {
  return (
    <li
      className={`rule rule-admin rule-${rule.action.toLowerCase()} ${effect?.matchesNothing === true ? 'rule-nothing' : ''}`}
      data-testid="rule"
      data-rule={rule.label}
      data-action={rule.action}
      data-matches-nothing={effect?.matchesNothing === true ? 'true' : 'false'}
    >
      <div className="rule-head">
        <span className="rule-title">
          <ActionChip action={rule.action} />
          {rule.name !== undefined && rule.name !== '' ? (
            <span className="rule-name mono" title={rule.name}>
              {rule.name}
            </span>
          ) : (
            <span className="muted">unnamed rule</span>
          )}
        </span>
        <span className={`tag tag-${rule.direction}`}>{rule.label}</span>
      </div>
      <div className="rule-body">
        <span className="rule-key">{rule.direction === 'ingress' ? 'from' : 'to'}</span>
        <span>
          {rule.peers.map((p, i) => (
            <span key={i} className="rule-item">
              {p}
            </span>
          ))}
        </span>
        <span className="rule-key">ports</span>
        <span>
          {rule.ports.map((p, i) => (
            <span key={i} className="rule-item mono">
              {p}
            </span>
          ))}
        </span>
        <span className="rule-key">decides</span>
        <span>
          {effect === undefined ? (
            <span className="muted">…</span>
          ) : effect.matchesNothing ? (
            <span className="tag tag-deny">matches nothing</span>
          ) : (
            <span
              className="rule-decided"
              data-testid="rule-decided"
              data-count={effect.matched}
              title="connections this rule is the first of the policy to match: it decides that side"
            >
              {plural(effect.matched, 'connection')}
              {effect.unknown > 0 && (
                <span className="muted"> · {effect.unknown.toLocaleString('en-US')} unknown</span>
              )}
            </span>
          )}
        </span>
      </div>
    </li>
  );
}

export function AdminPolicyDetails({
  policyKey: key,
  policy,
  snapshot,
}: {
  policyKey: string;
  policy: ClusterNetworkPolicy;
  snapshot: Snapshot;
}) {
  const query = useAnalysis((s) => s.policy);
  const rules = useMemo(() => describeAdminRules(policy), [policy]);
  const yaml = useMemo(() => adminPolicyYaml(policy), [policy]);
  const samePriority = useMemo(
    () => summarizeAdminPolicies(snapshot).find((p) => p.key === key)?.samePriority ?? [],
    [snapshot, key],
  );
  const mine = query?.subject === key ? query : undefined;
  const effect = mine?.value;
  const directions = (['ingress', 'egress'] as const).filter((d) => rules.some((r) => r.direction === d));
  return (
    <>
      <Section title="Effect" aside={mine?.status === 'loading' ? <Spinner label="" /> : undefined}>
        <QueryState query={mine}>{(e) => <EffectCounts effect={e} />}</QueryState>
      </Section>
      <Section title="Applies to" testId="policy-selects">
        <dl className="fields">
          <Field label="Tier">
            <span className="chips">
              <TierChip tier={policy.tier} />
              <span className="muted">{TIER_PLACE[policy.tier]}</span>
            </span>
          </Field>
          <Field label="Priority">
            <span className="chips" data-testid="policy-priority">
              <span className="mono strong">{policy.priority}</span>
              <span className="muted">
                {policy.kind === 'BaselineAdminNetworkPolicy'
                  ? 'none in v1alpha1: read after every Baseline-tier ClusterNetworkPolicy'
                  : `lower goes first within the ${TIER_LABEL[policy.tier]}`}
              </span>
            </span>
          </Field>
          <Field label="Subject">
            <span className="mono" data-testid="policy-subject">
              {describeSubject(policy.subject)}
            </span>
          </Field>
          <Field label="Pods">
            <SelectedPods effect={effect} snapshot={snapshot} none="applies to no pod" />
          </Field>
          <Field label="Kind">
            <span className="mono">
              {policy.kind} · {policy.apiVersion}
            </span>
          </Field>
          <Location location={policy.location} />
        </dl>
        <ul className="notes">
          <li className="note note-info">
            Applying to a pod does not isolate it: only its rules decide, first match wins.
          </li>
          {samePriority.length > 0 && (
            <li className="note" data-testid="shared-priority">
              Same tier and priority as{' '}
              {samePriority.map((k) => (
                <PolicyLink key={k} policy={k} snapshot={snapshot} />
              ))}
              : which goes first is up to the implementation.
            </li>
          )}
        </ul>
      </Section>
      <Section
        title="Rules"
        aside={rules.length === 0 ? undefined : String(rules.length)}
        testId="policy-rules"
      >
        {rules.length === 0 && (
          <p className="fine-print">
            No rules: it decides nothing (an admin policy never isolates by itself).
          </p>
        )}
        {directions.map((direction) => (
          <div key={direction} className="rule-group">
            <div className="rule-group-head">
              {direction === 'ingress' ? 'Ingress' : 'Egress'} · in order, the first matching rule decides
            </div>
            <ol className="rule-list">
              {rules
                .filter((r) => r.direction === direction)
                .map((r) => (
                  <RuleCard
                    key={r.label}
                    rule={r}
                    effect={effect?.rules.find((x) => x.direction === r.direction && x.rule === r.index)}
                  />
                ))}
            </ol>
          </div>
        ))}
      </Section>
      <PolicyFlowsSection policyKey={key} />
      <Section title="YAML" aside={<span className="muted">read-only</span>}>
        <pre className="yaml" data-testid="policy-yaml" tabIndex={0} aria-label="Policy YAML">
          {yaml}
        </pre>
      </Section>
    </>
  );
}
