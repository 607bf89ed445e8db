/** Rendering of `netglass analyze` results. */
import type { Coverage } from '../../../shared/eval/index.ts';
import type { ClusterNetworkPolicy } from '../../../shared/model/snapshot.ts';
import { clusterPolicyKey } from '../../../shared/model/snapshot.ts';
import type { AnalyzeResult } from '../commands/analyze.ts';
import { formatPort } from '../targets.ts';
import { findingJson, findingsSummary, formatFinding } from './lint.ts';
import { columns, ms, percent } from './text.ts';

/** Admin-tier policies in evaluation order: the Admin tier, then the Baseline tier, each by priority (then key). */
function inTierOrder(policies: readonly ClusterNetworkPolicy[]): ClusterNetworkPolicy[] {
  const tier = (p: ClusterNetworkPolicy): number => (p.tier === 'Admin' ? 0 : 1);
  return [...policies].sort((a, b) => {
    const ka = clusterPolicyKey(a);
    const kb = clusterPolicyKey(b);
    return tier(a) - tier(b) || a.priority - b.priority || (ka < kb ? -1 : ka > kb ? 1 : 0);
  });
}

function tierCounts(policies: readonly ClusterNetworkPolicy[]): { Admin: number; Baseline: number } {
  return {
    Admin: policies.filter((p) => p.tier === 'Admin').length,
    Baseline: policies.filter((p) => p.tier === 'Baseline').length,
  };
}

const COVERAGE_MARK: Record<Coverage, string> = { all: '#', some: '+', none: '.', empty: ' ', unknown: '?' };

/** Stable keys; `timings` varies run to run. */
export function analyzeJson(r: AnalyzeResult): unknown {
  const s = r.summary;
  const n = s.namespaces.length;
  return {
    counts: {
      pods: s.stats.pods,
      namespaces: s.stats.namespaces,
      policies: s.stats.policies,
      clusterPolicies: r.snapshot.clusterPolicies.length,
      ciliumPolicies: s.stats.ciliumPolicies ?? 0,
      calicoPolicies: s.stats.calicoPolicies?.enforced ?? 0,
      calicoStagedPolicies: s.stats.calicoPolicies?.staged ?? 0,
      classes: s.stats.classes,
      podsFromTemplates: r.snapshot.pods.filter((p) => p.fromTemplate).length,
    },
    ...(s.stats.cni
      ? { cni: { ...s.stats.cni.profile, label: s.stats.cni.label, ignoredPolicies: s.stats.cni.ignored } }
      : {}),
    tiers: tierCounts(r.snapshot.clusterPolicies),
    clusterPolicies: inTierOrder(r.snapshot.clusterPolicies).map((p) => ({
      policy: clusterPolicyKey(p),
      kind: p.kind,
      tier: p.tier,
      priority: p.priority,
    })),
    isolated: {
      ingress: s.isolated.ingress,
      egress: s.isolated.egress,
      hostNetwork: s.isolated.hostNetwork,
      ...(s.isolatedUnknown.ingress + s.isolatedUnknown.egress > 0 ? { unknown: s.isolatedUnknown } : {}),
    },
    ports: s.universe.ports.map(formatPort),
    mentionedPorts: r.mentioned.map(formatPort),
    namespaces: s.namespaces,
    matrix: s.namespaces.map((_, i) => s.matrix.slice(i * n, (i + 1) * n).map((c) => c.coverage)),
    namespacePairs: s.matrix
      .filter((c) => c.coverage !== 'empty')
      .map((c) => ({ from: c.from, to: c.to, coverage: c.coverage, allowed: c.allowed, total: c.total })),
    allowedPodPairs: s.allowedPodPairs.map((p) => ({
      port: formatPort(p.probe),
      allowed: p.allowed,
      total: p.total,
    })),
    ...(s.partial ? { partial: true } : {}),
    issues: {
      errors: r.snapshot.issues.filter((i) => i.severity === 'error').length,
      warnings: r.snapshot.issues.filter((i) => i.severity === 'warning').length,
    },
    skippedKinds: r.snapshot.skippedKinds,
    lint: r.lint.map(findingJson),
    timings: {
      loadMs: Math.round(r.timings.loadMs),
      analysisMs: Math.round(r.timings.analysisMs),
      ...Object.fromEntries(Object.entries(r.timings.details).map(([k, v]) => [k, Math.round(v)])),
    },
  };
}

export function analyzeText(r: AnalyzeResult, forceMatrix: boolean): string {
  const s = r.summary;
  const out: string[] = [];
  const templates = r.snapshot.pods.filter((p) => p.fromTemplate).length;
  const admin = inTierOrder(r.snapshot.clusterPolicies);
  const tiers = tierCounts(admin);
  out.push(
    columns(
      [
        ['pods', String(s.stats.pods), templates > 0 ? `(${templates} from workload templates)` : ''],
        ['namespaces', String(s.stats.namespaces), ''],
        ['policies', String(s.stats.policies), ''],
        ...(admin.length > 0
          ? [
              [
                'admin policies',
                String(admin.length),
                `(${tiers.Admin} Admin tier, ${tiers.Baseline} Baseline tier)`,
              ],
            ]
          : []),
        ...(s.stats.ciliumPolicies !== undefined
          ? [['Cilium policies', String(s.stats.ciliumPolicies), '']]
          : []),
        ...(s.stats.calicoPolicies !== undefined
          ? [
              [
                'Calico policies',
                String(s.stats.calicoPolicies.enforced),
                s.stats.calicoPolicies.staged > 0
                  ? `(+ ${s.stats.calicoPolicies.staged} staged, not enforced)`
                  : '',
              ],
            ]
          : []),
        [
          'pod classes',
          String(s.stats.classes),
          '(pods that every selector, named port and ipBlock treats alike)',
        ],
      ],
      [1],
    ),
  );
  const cni = s.stats.cni;
  if (cni)
    out.push(
      `CNI profile: ${cni.label} (${cni.profile.origin === 'detected' ? 'detected from the API groups' : 'chosen'}${ignoredText(cni.ignored)})`,
    );
  if (admin.length > 0) {
    out.push(
      '',
      'admin tiers (in evaluation order; NetworkPolicies come between the Admin and Baseline tiers)',
    );
    out.push(
      columns(
        admin.map((p) => [p.tier, String(p.priority), clusterPolicyKey(p)]),
        [1],
        '  ',
      ),
    );
  }
  const pods = s.stats.pods;
  // Where an admin tier or a Calico tier that passes by default may decide, "not isolated" is not "open".
  const tiered = admin.length > 0 || (s.stats.calicoPolicies?.enforced ?? 0) > 0;
  const notIsolated = (isolated: number, unknown: number, open: string): string => {
    const rest = pods - isolated - unknown;
    const known = tiered
      ? `${rest} not isolated by a policy (other tiers may still decide)`
      : `${rest} ${open}`;
    return unknown > 0 ? `${known}, ${unknown} unknown (policies netglass cannot read or match)` : known;
  };
  out.push('', 'isolated pods');
  out.push(
    columns(
      [
        [
          'ingress',
          String(s.isolated.ingress),
          percent(s.isolated.ingress, pods),
          notIsolated(s.isolated.ingress, s.isolatedUnknown.ingress, 'accept from anywhere'),
        ],
        [
          'egress',
          String(s.isolated.egress),
          percent(s.isolated.egress, pods),
          notIsolated(s.isolated.egress, s.isolatedUnknown.egress, 'may send anywhere'),
        ],
        ...(s.isolated.hostNetwork > 0
          ? [
              [
                'hostNetwork',
                String(s.isolated.hostNetwork),
                percent(s.isolated.hostNetwork, pods),
                'not subject to policies',
              ],
            ]
          : []),
      ],
      [1, 2],
      '  ',
    ),
  );

  const n = s.namespaces.length;
  out.push(
    '',
    `namespace reachability (rows: from, columns: to; over ${s.universe.ports.length} probed ports)`,
  );
  if (n === 0) out.push('  no namespaces');
  else if (n > 40 && !forceMatrix) {
    const counts: Record<string, number> = {};
    for (const c of s.matrix) counts[c.coverage] = (counts[c.coverage] ?? 0) + 1;
    out.push(
      `  ${n} namespaces: ${counts['all'] ?? 0} pairs all allowed, ${counts['some'] ?? 0} some, ${counts['none'] ?? 0} none, ${counts['empty'] ?? 0} without connections`,
      '  (--matrix prints the matrix; --format json gives every pair)',
    );
  } else {
    const width = String(n).length;
    out.push('  # all allowed   + some   . none   (blank: no connection)');
    for (let i = 0; i < n; i++) {
      const row = s.matrix
        .slice(i * n, (i + 1) * n)
        .map((c) => COVERAGE_MARK[c.coverage].padStart(width))
        .join(' ');
      out.push(`  ${String(i + 1).padStart(width)} ${row}  ${s.namespaces[i] ?? ''}`);
    }
  }

  const mentioned = new Set(r.mentioned.map(formatPort));
  const stand = s.allowedPodPairs.some((p) => !mentioned.has(formatPort(p.probe)));
  out.push('', 'allowed pod pairs per port');
  out.push(
    columns(
      s.allowedPodPairs.map((p) => [
        `${formatPort(p.probe)}${mentioned.has(formatPort(p.probe)) ? '' : '*'}`,
        String(p.allowed),
        `of ${p.total}`,
        percent(p.allowed, p.total),
      ]),
      [1, 3],
      '  ',
    ),
  );
  if (stand)
    out.push('  * no policy mentions this port: it stands for every port the rules treat alike with it');
  const skipped = Object.entries(r.snapshot.skippedKinds);
  if (skipped.length > 0) {
    out.push('', `skipped kinds: ${skipped.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  if (r.lint.length > 0) {
    out.push('', `lint: ${findingsSummary(r.lint)} (netglass lint lists them alone)`);
    out.push(...r.lint.map((f) => `  ${formatFinding(f).replace(/\n/g, '\n  ')}`));
  }
  const d = r.timings.details;
  const parse =
    d['parseMs'] !== undefined ? ` (read ${ms(d['readMs'] ?? 0)}, parse ${ms(d['parseMs'])})` : '';
  out.push('', `timings: load ${ms(r.timings.loadMs)}${parse}, analysis ${ms(r.timings.analysisMs)}`);
  return `${out.join('\n')}\n`;
}

/** `; left out, not enforced by this CNI: 2 Calico NetworkPolicy, 1 AdminNetworkPolicy`. */
function ignoredText(ignored: Readonly<Record<string, number>>): string {
  const parts = Object.entries(ignored)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, n]) => `${n} ${kind}`);
  return parts.length > 0 ? `; left out, not enforced by this CNI: ${parts.join(', ')}` : '';
}
