/**
 * Named ports that stand for different numbers on different pods. A rule's named port is resolved on
 * each destination pod (the policy's own pods for ingress, the peers for egress), so one rule can open
 * 8080 on one pod and 9090 on another: legal, and the point of named ports during a migration, but
 * usually a sign that one workload's `containerPort` drifted.
 */
import type { Pod, Protocol } from '../model/snapshot.ts';
import { podKey } from '../model/snapshot.ts';
import { resolveNamedPort } from '../eval/named-ports.ts';
import { DIRECTIONS, enforces, npRule, npTitle, rulePath, rulesOf } from './np-index.ts';

/** Destination pods grouped by what the name resolves to there (`8080`, or `8080, 8443`); pods without it are left out. */
function resolutions(pods: Iterable<Pod>, name: string, protocol: Protocol): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const pod of pods) {
    const ports = resolveNamedPort(pod, { name, protocol });
    if (ports.length === 0) continue;
    const key = ports.map((p) => p.port).join(', ');
    out.set(key, [...(out.get(key) ?? []), pod]);
  }
  return out;
}

export const namedPortMismatch = npRule(
  {
    id: 'np-named-port-mismatch',
    severity: 'warning',
    summary: 'a named port in a rule that resolves to different numbers on different destination pods',
  },
  (index, report) => {
    for (const p of index.snapshot.policies) {
      for (const direction of DIRECTIONS) {
        if (!enforces(p, direction)) continue;
        rulesOf(p, direction).forEach((rule, r) => {
          if (rule.ports === 'any') return;
          rule.ports.forEach((port, k) => {
            if (typeof port.port !== 'string') return;
            const destinations =
              direction === 'ingress' ? index.subjects(p) : index.rulePeers(p, rule.peers, false).pods;
            const groups = [...resolutions(destinations, port.port, port.protocol)].sort(([a], [b]) =>
              a < b ? -1 : a > b ? 1 : 0,
            );
            if (groups.length < 2) return;
            const where = groups
              .map(
                ([numbers, pods]) =>
                  `${numbers} on ${podKey(pods[0] ?? { namespace: '', name: '' })}${pods.length > 1 ? ` (and ${pods.length - 1} more)` : ''}`,
              )
              .join(', ');
            report(p, {
              field: `${rulePath(direction, r)}.ports[${k}].port`,
              message: `${npTitle(p)} ${direction} rule ${r} allows named port \`${port.port}\` (${port.protocol}), which is ${where}: the rule opens a different port on each`,
              fix: `declare \`${port.port}\` with one containerPort on every ${direction === 'ingress' ? 'pod the policy selects' : 'destination pod'}, or list the numbers the rule should allow`,
            });
          });
        });
      }
    }
  },
);
