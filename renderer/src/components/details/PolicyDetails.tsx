/** A selected policy: its effect, the pods it selects, the directions it isolates, its rules and YAML. */
import { useMemo } from 'react';
import type { Snapshot } from '../../../../shared/model/snapshot.ts';
import { findCiliumPolicy, policyKeyKind } from '../../model/cilium.ts';
import { findCalicoPolicy } from '../../model/calico.ts';
import { CalicoPolicyDetails } from './CalicoPolicyDetails.tsx';
import { CiliumPolicyDetails } from './CiliumPolicyDetails.tsx';
import { PolicyFlowsSection } from '../../flows/FlowsDetails.tsx';
import { describeRules, policyYaml } from '../../model/describe.ts';
import { findClusterPolicy } from '../../model/admin.ts';
import { describeSelector, findPolicy, policyNotes, POLICY_NOTE_TEXT } from '../../model/summary.ts';
import { useAnalysis } from '../../store/context.tsx';
import { AdminPolicyDetails } from '../AdminPolicyDetails.tsx';
import { EffectCounts, QueryState, SelectedPods } from '../detail-parts.tsx';
import { Field, Location, plural, Section, Spinner } from '../parts.tsx';

/**
 * A selected policy: a NetworkPolicy (`namespace/name`), a Cilium policy (`CiliumNetworkPolicy:…` /
 * `CiliumClusterwideNetworkPolicy:…`), a Calico policy (`Calico:…`) or an admin-tier policy (no slash
 * in its key).
 */
export function AnyPolicyDetails({ policyKey: key, snapshot }: { policyKey: string; snapshot: Snapshot }) {
  const kind = policyKeyKind(key);
  if (kind === 'network-policy') return <PolicyDetails policyKey={key} snapshot={snapshot} />;
  if (kind === 'cilium') {
    const cilium = findCiliumPolicy(snapshot, key);
    if (cilium === undefined) return <div className="callout">This policy is no longer in the source.</div>;
    return <CiliumPolicyDetails policyKey={key} policy={cilium} snapshot={snapshot} />;
  }
  if (kind === 'calico') {
    const calico = findCalicoPolicy(snapshot, key);
    if (calico === undefined) return <div className="callout">This policy is no longer in the source.</div>;
    return <CalicoPolicyDetails policyKey={key} policy={calico} snapshot={snapshot} />;
  }
  const policy = findClusterPolicy(snapshot, key);
  if (policy === undefined) return <div className="callout">This policy is no longer in the source.</div>;
  return <AdminPolicyDetails policyKey={key} policy={policy} snapshot={snapshot} />;
}

function PolicyDetails({ policyKey: key, snapshot }: { policyKey: string; snapshot: Snapshot }) {
  const query = useAnalysis((s) => s.policy);
  const policy = findPolicy(snapshot, key);
  const rules = useMemo(() => (policy !== undefined ? describeRules(policy) : []), [policy]);
  const yaml = useMemo(() => (policy !== undefined ? policyYaml(policy) : ''), [policy]);
  if (policy === undefined) return <div className="callout">This policy is no longer in the source.</div>;
  const notes = policyNotes(policy);
  const effect = query?.subject === key ? query.value : undefined;
  return (
    <>
      <Section title="Effect" aside={query?.status === 'loading' ? <Spinner label="" /> : undefined}>
        <QueryState query={query?.subject === key ? query : undefined}>
          {(e) => <EffectCounts effect={e} />}
        </QueryState>
      </Section>
      <Section title="Selects" testId="policy-selects">
        <dl className="fields">
          <Field label="Selector">
            <span className="mono">{describeSelector(policy.podSelector, 'every pod in the namespace')}</span>
          </Field>
          <Field label="Pods">
            <SelectedPods effect={effect} snapshot={snapshot} />
          </Field>
          <Field label="Isolates">
            <span className="chips" data-testid="policy-isolates">
              {policy.policyTypes.includes('Ingress') && <span className="tag tag-ingress">Ingress</span>}
              {policy.policyTypes.includes('Egress') && <span className="tag tag-egress">Egress</span>}
              {policy.policyTypes.length === 0 && <span className="muted">no direction</span>}
              {!policy.policyTypesDeclared && <span className="muted">(policyTypes defaulted)</span>}
            </span>
          </Field>
          <Field label="Namespace">{policy.namespace}</Field>
          <Location location={policy.location} />
        </dl>
        {notes.length > 0 && (
          <ul className="notes">
            {notes.map((n) => (
              <li key={n} className={`note note-${n}`}>
                {POLICY_NOTE_TEXT[n]}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section
        title="Rules"
        aside={rules.length === 0 ? undefined : String(rules.length)}
        testId="policy-rules"
      >
        {rules.length === 0 && (
          <p className="fine-print">
            No rules: every direction it isolates is denied for the pods it selects, unless another policy
            allows it.
          </p>
        )}
        <ol className="rule-list">
          {rules.map((r) => {
            const re = effect?.rules.find((x) => x.direction === r.direction && x.rule === r.index);
            return (
              <li
                key={r.label}
                className={`rule ${re?.matchesNothing === true && !r.ignored ? 'rule-nothing' : ''} ${r.ignored ? 'rule-ignored' : ''}`}
                data-testid="rule"
                data-rule={r.label}
                data-matches-nothing={re?.matchesNothing === true ? 'true' : 'false'}
              >
                <div className="rule-head">
                  <span className={`tag tag-${r.direction}`}>{r.label}</span>
                  {r.ignored ? (
                    <span className="tag">ignored: not in policyTypes</span>
                  ) : re === undefined ? null : re.matchesNothing ? (
                    <span className="tag tag-deny">matches nothing</span>
                  ) : (
                    <span className="rule-count">{plural(re.matched, 'connection')}</span>
                  )}
                </div>
                <div className="rule-body">
                  <span className="rule-key">{r.direction === 'ingress' ? 'from' : 'to'}</span>
                  <span>
                    {r.peers.map((p, i) => (
                      <span key={i} className="rule-item">
                        {p}
                      </span>
                    ))}
                  </span>
                  <span className="rule-key">ports</span>
                  <span>
                    {r.ports.map((p, i) => (
                      <span key={i} className="rule-item mono">
                        {p}
                      </span>
                    ))}
                  </span>
                </div>
              </li>
            );
          })}
        </ol>
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
