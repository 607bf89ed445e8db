/** A selected namespace: its pods, policies (and those that failed to load), admin tiers, isolation. */
import { useMemo } from 'react';
import { clusterPolicyKey, type Snapshot } from '../../../../shared/model/snapshot.ts';
import { adminPodsPerNamespace, compareAdminPolicies } from '../../model/admin.ts';
import { failedPoliciesByNamespace } from '../../model/load-errors.ts';
import { summarizeNamespaces } from '../../model/summary.ts';
import { useAnalysis, useView } from '../../store/context.tsx';
import { PolicyLink } from '../detail-parts.tsx';
import { FailedPoliciesField } from '../FailedPolicies.tsx';
import { Field, LabelChips, Location, plural, Section } from '../parts.tsx';

export function NamespaceDetails({ name, snapshot }: { name: string; snapshot: Snapshot }) {
  const hidden = useView((s) => s.hidden);
  const toggleHidden = useView((s) => s.toggleHidden);
  const select = useView((s) => s.select);
  const badges = useAnalysis((s) => s.load?.badges);
  const ns = snapshot.namespaces.find((n) => n.name === name);
  const summary = summarizeNamespaces(snapshot).find((n) => n.name === name);
  // The admin-tier policies that apply to some pod here, as the evaluator says (the worker's badges).
  const admin = useMemo(() => {
    const keys = new Set<string>();
    for (const [pod, b] of Object.entries(badges ?? {}))
      if (pod.startsWith(`${name}/`) && b.admin !== undefined)
        for (const k of [...b.admin.ingress, ...b.admin.egress]) keys.add(k);
    const order = new Map(
      [...snapshot.clusterPolicies].sort(compareAdminPolicies).map((p, i) => [clusterPolicyKey(p), i]),
    );
    return [...keys].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  }, [badges, name, snapshot]);
  const adminPods = useMemo(() => adminPodsPerNamespace(badges).get(name) ?? 0, [badges, name]);
  if (ns === undefined || summary === undefined) return null;
  const policies = snapshot.policies.filter((p) => p.namespace === name);
  return (
    <Section title="Namespace">
      <dl className="fields">
        <Field label="Pods">{summary.podCount}</Field>
        <Field label="Policies">
          {policies.length === 0 ? (
            <span className="muted">
              {failedPoliciesByNamespace(snapshot).has(name)
                ? 'none loaded (see below)'
                : 'none: every pod is open in both directions'}
            </span>
          ) : (
            <span className="chips">
              {policies.map((p) => (
                <button
                  key={p.name}
                  type="button"
                  className="link-chip"
                  onClick={() => select({ kind: 'policy', key: `${p.namespace}/${p.name}` })}
                >
                  {p.name}
                </button>
              ))}
            </span>
          )}
        </Field>
        <FailedPoliciesField namespace={name} snapshot={snapshot} />
        {snapshot.clusterPolicies.length > 0 && (
          <Field label="Admin tiers">
            {admin.length === 0 ? (
              <span className="muted">no admin-tier policy applies here</span>
            ) : (
              <span className="chips" data-testid="namespace-admin">
                {admin.map((k) => (
                  <PolicyLink key={k} policy={k} snapshot={snapshot} />
                ))}
                <span className="muted">
                  {adminPods === summary.podCount ? 'to every pod' : `to ${plural(adminPods, 'pod')}`}
                </span>
              </span>
            )}
          </Field>
        )}
        <Field label="Isolation">
          {summary.defaultDenyIngress || summary.defaultDenyEgress
            ? [
                summary.defaultDenyIngress && 'default-deny ingress',
                summary.defaultDenyEgress && 'default-deny egress',
              ]
                .filter(Boolean)
                .join(', ')
            : 'no namespace-wide default deny'}
        </Field>
        <Field label="Labels">
          <LabelChips labels={ns.labels} />
        </Field>
        <Location location={ns.location} />
      </dl>
      <button type="button" className="button" onClick={() => toggleHidden(name)}>
        {hidden.includes(name) ? 'Show on the graph' : 'Hide from the graph'}
      </button>
    </Section>
  );
}
