/**
 * Calico policies that load fine but probably do not do what their author meant:
 * - a policy whose selectors apply to none of the pods in its scope (a typo'd label, a renamed
 *   namespace): it isolates nothing and its rules decide nothing;
 * - two policies of one tier at the same order that apply to the same pods in the same direction: Calico
 *   then goes by name, so renaming one silently changes which rule decides.
 * (A policy in a tier the input does not declare is a load warning already.)
 * Which pods a policy applies to is the evaluator's answer (`Analyzer.calicoSubjects`), so the selector
 * language is matched in shared/eval alone.
 */
import { createAnalyzer, type Analyzer } from '../eval/index.ts';
import { cniSemantics } from '../eval/cni.ts';
import { calicoPolicyKey, type CalicoPolicy, type Snapshot } from '../model/snapshot.ts';
import { DIRECTIONS, indexFor } from './np-index.ts';
import type { LintFinding, LintRule } from './types.ts';

/** One analyzer per snapshot, shared by the Calico rules of one `lintSnapshot` call. */
const ANALYZERS = new WeakMap<Snapshot, Analyzer>();

function analyzerFor(snapshot: Snapshot): Analyzer {
  let analyzer = ANALYZERS.get(snapshot);
  if (!analyzer) {
    analyzer = createAnalyzer(snapshot);
    ANALYZERS.set(snapshot, analyzer);
  }
  return analyzer;
}

function title(p: CalicoPolicy): string {
  const where = p.namespace === undefined ? '' : `${p.namespace}/`;
  return `Calico ${p.kind} ${where}${p.name} (tier ${p.tier})`;
}

function at(p: CalicoPolicy): string {
  return p.location ? ` (${p.location.file}:${p.location.line})` : '';
}

interface FindingText {
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

function calicoRule(
  spec: Pick<LintRule, 'id' | 'severity' | 'summary'>,
  check: (
    policies: readonly CalicoPolicy[],
    snapshot: Snapshot,
    report: (p: CalicoPolicy, text: FindingText) => void,
  ) => void,
): LintRule {
  return {
    ...spec,
    check(snapshot) {
      const policies = (snapshot.calicoPolicies ?? []).filter((p) => !p.staged);
      const out: LintFinding[] = [];
      // Under a CNI that does not enforce Calico's kinds, they decide nothing: nothing to judge.
      if (policies.length === 0 || !cniSemantics(snapshot.cni).enforces.calico) return out;
      check(policies, snapshot, (policy, text) =>
        out.push({
          id: spec.id,
          severity: spec.severity,
          object: calicoPolicyKey(policy),
          ...(policy.location ? { location: policy.location } : {}),
          field: text.field,
          message: text.message,
          fix: text.fix,
        }),
      );
      return out;
    },
  };
}

function selectorText(p: CalicoPolicy): string {
  const parts = [`selector ${p.selector.trim() === '' ? 'all()' : JSON.stringify(p.selector)}`];
  if (p.namespaceSelector !== undefined)
    parts.push(`namespaceSelector ${JSON.stringify(p.namespaceSelector)}`);
  if (p.serviceAccountSelector !== undefined)
    parts.push(`serviceAccountSelector ${JSON.stringify(p.serviceAccountSelector)}`);
  return parts.join(' and ');
}

const calicoSelectsNoPod = calicoRule(
  {
    id: 'calico-selects-no-pod',
    severity: 'warning',
    summary: 'a Calico policy whose selectors apply to none of the pods in its scope',
  },
  (policies, snapshot, report) => {
    const index = indexFor(snapshot);
    const analyzer = analyzerFor(snapshot);
    for (const p of policies) {
      const scope =
        p.namespace === undefined
          ? snapshot.pods.filter((pod) => !pod.hostNetwork)
          : index.podsIn(p.namespace).filter((pod) => !pod.hostNetwork);
      // Absence of pods proves nothing where the input holds none or could not read them.
      if (scope.length === 0 || (p.namespace !== undefined && index.podsUnread(p.namespace))) continue;
      const subjects = analyzer.calicoSubjects(calicoPolicyKey(p));
      if (subjects.sure.length > 0 || subjects.possibly.length > 0) continue;
      const where = p.namespace === undefined ? 'the cluster' : `namespace ${p.namespace}`;
      report(p, {
        field: 'spec.selector',
        message:
          `${title(p)} selects none of the ${scope.length} pod${scope.length === 1 ? '' : 's'} of ${where} (${selectorText(p)}), ` +
          'so it isolates nothing and its rules decide nothing',
        fix: 'correct the selector to the labels of the pods it is meant for (Calico reads pod labels, `projectcalico.org/namespace` and namespace labels as `pcns.<key>`), or delete the policy',
      });
    }
  },
);

/** The first pod both policies apply to in a direction where both have rules, or undefined. */
function sharedSubject(a: CalicoPolicy, b: CalicoPolicy, analyzer: Analyzer): string | undefined {
  const of = (p: CalicoPolicy): Set<string> => {
    const s = analyzer.calicoSubjects(calicoPolicyKey(p));
    return new Set([...s.sure, ...s.possibly]);
  };
  const inA = of(a);
  for (const pod of of(b)) if (inA.has(pod)) return pod;
  return undefined;
}

const orderTie = calicoRule(
  {
    id: 'calico-order-tie',
    severity: 'info',
    summary:
      'two Calico policies of one tier at the same order apply to the same pods in the same direction: Calico goes by name',
  },
  (policies, snapshot, report) => {
    const groups = new Map<string, CalicoPolicy[]>();
    for (const p of policies) {
      const k = `${p.tier}\u0000${p.order ?? 'none'}`;
      groups.set(k, [...(groups.get(k) ?? []), p]);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      // Calico's own tie-break: by name, so the message says which one goes first.
      const sorted = [...group].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      for (let i = 0; i < sorted.length; i++)
        for (let j = i + 1; j < sorted.length; j++) {
          const a = sorted[i];
          const b = sorted[j];
          if (!a || !b) continue;
          const directions = DIRECTIONS.filter(
            (d) =>
              a.types.includes(d === 'ingress' ? 'Ingress' : 'Egress') &&
              b.types.includes(d === 'ingress' ? 'Ingress' : 'Egress') &&
              a[d].length > 0 &&
              b[d].length > 0,
          );
          if (directions.length === 0) continue;
          const shared = sharedSubject(a, b, analyzerFor(snapshot));
          if (shared === undefined) continue;
          const order = a.order === undefined ? 'without an order' : `at order ${a.order}`;
          report(a, {
            field: 'spec.order',
            message:
              `${title(a)} and ${title(b)}${at(b)} are both ${order} and both have ${directions.join(' and ')} rules for pod ${shared}: ` +
              `Calico reads ${a.name} first only because its name sorts first, so renaming either changes which rule decides`,
            fix: 'give them different orders (lower goes first) in the order you mean',
          });
        }
    }
  },
);

export const CALICO_LINT_RULES: readonly LintRule[] = [calicoSelectsNoPod, orderTie];
