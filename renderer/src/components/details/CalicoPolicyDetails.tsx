/**
 * A Calico NetworkPolicy / GlobalNetworkPolicy (or a staged draft of one) in the details panel: its
 * effect (the evaluator's counts, through the worker's `policyEffect`), where Calico reads it (tier,
 * the tier's order and default action, the policy's order), its selectors as written, the pods it
 * selects (the evaluator's answer), and its rules in words, in the order whose first match decides.
 */
import { useMemo } from 'react';
import type { CalicoRuleNetworkSets } from '../../../../shared/eval/index.ts';
import type { CalicoPolicy, Snapshot } from '../../../../shared/model/snapshot.ts';
import {
  CALICO_ACTION_HINT,
  calicoActionTone,
  calicoTiers,
  calicoTierText,
  describeCalicoRules,
  type CalicoRuleDescription,
  type CalicoTierSummary,
} from '../../model/calico.ts';
import { useAnalysis } from '../../store/context.tsx';
import { EffectCounts, QueryState, SelectedPods } from '../detail-parts.tsx';
import { Field, Location, Section, Spinner } from '../parts.tsx';

function Conditions({ parts, testId }: { parts: readonly string[]; testId: string }) {
  return (
    <span data-testid={testId}>
      {parts.length === 0 ? (
        <span className="rule-item">anywhere</span>
      ) : (
        parts.map((p, i) => (
          <span key={i} className="rule-item mono">
            {p}
          </span>
        ))
      )}
    </span>
  );
}

/** `metadata-addresses, partners (possibly: vendors)`: the sets a rule side picks, as the evaluator says. */
function SetsLine({ sets, testId }: { sets: CalicoRuleNetworkSets | undefined; testId: string }) {
  if (!sets) return null;
  // `GlobalNetworkSet:/partners` -> `partners`, `NetworkSet:shop/gateways` -> `shop/gateways`.
  const name = (key: string): string => key.slice(key.indexOf(':') + 1).replace(/^\//, '');
  return (
    <>
      <span className="rule-key">sets</span>
      <span className="chips" data-testid={testId}>
        {sets.sure.map((k) => (
          <span key={k} className="tag tag-networkset mono" title={k}>
            {name(k)}
          </span>
        ))}
        {sets.possibly.map((k) => (
          <span
            key={k}
            className="tag tag-networkset mono muted"
            title={`${k}: depends on labels netglass could not read`}
          >
            {name(k)}?
          </span>
        ))}
      </span>
    </>
  );
}

function RuleCard({ rule, sets }: { rule: CalicoRuleDescription; sets: readonly CalicoRuleNetworkSets[] }) {
  const of = (side: 'source' | 'destination') =>
    sets.find((s) => s.direction === rule.direction && s.rule === rule.index && s.side === side);
  const tone = calicoActionTone(rule.action);
  return (
    <li
      className={`rule rule-admin rule-${tone}`}
      data-testid="calico-rule"
      data-rule={rule.label}
      data-action={rule.action}
      title={rule.text}
    >
      <div className="rule-head">
        <span className="rule-title">
          <span className={`action-chip action-${tone}`} title={CALICO_ACTION_HINT[rule.action]}>
            {rule.action}
          </span>
          {rule.protocols.length > 0 && (
            <span className="mono" data-testid="calico-rule-protocol">
              {rule.protocols.join(', ')}
            </span>
          )}
        </span>
        <span className={`tag tag-${rule.direction}`}>{rule.label}</span>
      </div>
      <div className="rule-body">
        <span className="rule-key">from</span>
        <Conditions parts={rule.source} testId="calico-rule-source" />
        <SetsLine sets={of('source')} testId="calico-rule-source-sets" />
        <span className="rule-key">to</span>
        <Conditions parts={rule.destination} testId="calico-rule-destination" />
        <SetsLine sets={of('destination')} testId="calico-rule-destination-sets" />
        {rule.extras.length > 0 && (
          <>
            <span className="rule-key">match</span>
            <Conditions parts={rule.extras} testId="calico-rule-extras" />
          </>
        )}
      </div>
      {rule.conditional && (
        <span className="rule-conditional" data-testid="calico-rule-conditional">
          conditional: it matches only some requests, or what netglass cannot see (service accounts, Services)
        </span>
      )}
    </li>
  );
}

/** What happens to what a direction's rules leave undecided, for the pods the policy selects. */
function fallThrough(tier: CalicoTierSummary | undefined): string {
  return tier?.defaultAction === 'Pass'
    ? "its tier's default action passes it on to the next tier"
    : "its tier's default action denies it";
}

function RuleList({
  policy,
  rules,
  tier,
  sets,
}: {
  policy: CalicoPolicy;
  rules: readonly CalicoRuleDescription[];
  tier: CalicoTierSummary | undefined;
  sets: readonly CalicoRuleNetworkSets[];
}) {
  return (
    <>
      {(['ingress', 'egress'] as const).map((direction) => {
        const list = rules.filter((r) => r.direction === direction);
        const on = policy.types.includes(direction === 'ingress' ? 'Ingress' : 'Egress');
        if (list.length === 0 && !on) return null;
        return (
          <div key={direction} className="rule-group" data-testid={`calico-rules-${direction}`}>
            <div className="rule-group-head">
              {direction === 'ingress' ? 'Ingress' : 'Egress'}
              {on ? `: the first rule that matches decides; what none matches, ${fallThrough(tier)}` : ''}
              {!on && ': not in types, so these rules are not read'}
            </div>
            {list.length === 0 ? (
              <p className="fine-print">No {direction} rules.</p>
            ) : (
              <ol className="rule-list">
                {list.map((r) => (
                  <RuleCard key={r.label} rule={r} sets={sets} />
                ))}
              </ol>
            )}
          </div>
        );
      })}
    </>
  );
}

export function CalicoPolicyDetails({
  policyKey: key,
  policy,
  snapshot,
}: {
  policyKey: string;
  policy: CalicoPolicy;
  snapshot: Snapshot;
}) {
  const query = useAnalysis((s) => s.policy);
  const rules = useMemo(() => describeCalicoRules(policy), [policy]);
  const tier = useMemo(() => calicoTiers(snapshot).find((t) => t.name === policy.tier), [snapshot, policy]);
  const effect = query?.subject === key ? query.value : undefined;
  // Which network sets each rule side picks is the evaluator's answer, with the effect.
  const ruleSets = effect?.calicoNetworkSets ?? [];
  return (
    <>
      {policy.staged && (
        <div className="callout" data-testid="calico-staged">
          A staged policy: a draft Calico shows beside the enforced ones but never applies. It changes no
          connection.
        </div>
      )}
      <Section title="Effect" aside={query?.status === 'loading' ? <Spinner label="" /> : undefined}>
        <QueryState query={query?.subject === key ? query : undefined}>
          {(e) => (
            <EffectCounts
              effect={e}
              calico
              unknownHint="depends on HTTP matches, service accounts, Service endpoints or unread objects"
            />
          )}
        </QueryState>
      </Section>
      <Section title="Selects" testId="calico-selects">
        <dl className="fields">
          <Field label="Kind">
            Calico {policy.kind} <span className="muted">({policy.apiVersion})</span>
          </Field>
          <Field label="Namespace">
            {policy.namespace ?? <span className="muted">global: pods of every namespace</span>}
          </Field>
          <Field label="Tier">
            <span data-testid="calico-tier-field">
              <span className="calico-tier-name">{policy.tier}</span>{' '}
              <span className="muted">{tier !== undefined ? calicoTierText(tier) : ''}</span>
            </span>
          </Field>
          <Field label="Order">
            <span data-testid="calico-order">
              {policy.order !== undefined
                ? `${policy.order} (lower goes first in the tier; equal orders by name)`
                : 'none: after every ordered policy of the tier'}
            </span>
          </Field>
          <Field label="Selector">
            <span className="mono" data-testid="calico-selector">
              {policy.selector}
            </span>
          </Field>
          {policy.namespaceSelector !== undefined && (
            <Field label="Namespaces">
              <span className="mono">{policy.namespaceSelector}</span>
            </Field>
          )}
          {policy.serviceAccountSelector !== undefined && (
            <Field label="Service accounts">
              <span className="mono">{policy.serviceAccountSelector}</span>
            </Field>
          )}
          <Field label="Pods">
            <SelectedPods effect={effect} snapshot={snapshot} testId="calico-pods" />
          </Field>
          <Field label="Types">
            <span className="chips" data-testid="policy-isolates">
              {policy.types.map((t) => (
                <span key={t} className={`tag tag-${t.toLowerCase()}`}>
                  {t}
                </span>
              ))}
              {policy.types.length === 0 && <span className="muted">no direction</span>}
              {!policy.typesDeclared && <span className="muted">(types defaulted from the rules)</span>}
            </span>
          </Field>
          <Location location={policy.location} />
        </dl>
      </Section>
      <Section title="Rules" aside={String(rules.length)} testId="calico-rules">
        {ruleSets.length > 0 && (
          <p className="fine-print" data-testid="calico-rules-netsets">
            A selector picks Calico network sets by their labels as well as pods: the sets each rule side
            picks are listed with it.
          </p>
        )}
        <RuleList policy={policy} rules={rules} tier={tier} sets={ruleSets} />
      </Section>
    </>
  );
}
