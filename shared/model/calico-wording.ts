/**
 * Calico rules in words, as `netglass policy` prints them and the app's details panel and report show
 * them: selectors stay in Calico's own selector language (as written), so what a user reads is what
 * they would write. Only wording: what a rule matches is the evaluator's (shared/eval/calico.ts).
 */
import type { CalicoEntityRule, CalicoPort, CalicoProtocol, CalicoRule } from './snapshot.ts';

export function calicoProtocolText(p: CalicoProtocol): string {
  return typeof p === 'string' ? p : p.other;
}

/** `80, 8000:8080, http`: ports, inclusive ranges and named ports as Calico writes them. */
export function calicoPortsText(ports: readonly CalicoPort[]): string {
  return ports
    .map((p) => (p.kind === 'named' ? p.name : p.from === p.to ? String(p.from) : `${p.from}:${p.to}`))
    .join(', ');
}

/** A rule's protocol match: `TCP`, `not ICMP`, both, or none (every protocol). */
export function calicoRuleProtocols(r: CalicoRule): string[] {
  return [
    ...(r.protocol !== undefined ? [calicoProtocolText(r.protocol)] : []),
    ...(r.notProtocol !== undefined ? [`not ${calicoProtocolText(r.notProtocol)}`] : []),
  ];
}

/** Each condition of a rule's source or destination (all must hold); none: it matches anywhere. */
export function calicoEntityParts(e: CalicoEntityRule): string[] {
  const parts: string[] = [];
  if (e.namespaceSelector !== undefined) parts.push(`namespaces ${e.namespaceSelector}`);
  if (e.selector !== undefined) parts.push(`selector ${e.selector}`);
  if (e.notSelector !== undefined) parts.push(`not selector ${e.notSelector}`);
  if (e.nets.length > 0) parts.push(`nets ${e.nets.join(', ')}`);
  if (e.notNets.length > 0) parts.push(`not nets ${e.notNets.join(', ')}`);
  if (e.ports.length > 0) parts.push(`ports ${calicoPortsText(e.ports)}`);
  if (e.notPorts.length > 0) parts.push(`not ports ${calicoPortsText(e.notPorts)}`);
  if (e.serviceAccounts !== undefined)
    parts.push(
      `service accounts ${[...e.serviceAccounts.names, ...(e.serviceAccounts.selector !== undefined ? [e.serviceAccounts.selector] : [])].join(', ')}`,
    );
  if (e.services !== undefined)
    parts.push(
      `service ${e.services.namespace !== undefined ? `${e.services.namespace}/` : ''}${e.services.name}`,
    );
  return parts;
}

/** A rule's source or destination in words: its conditions joined by `and`, or `anywhere`. */
export function calicoEntityText(e: CalicoEntityRule): string {
  const parts = calicoEntityParts(e);
  return parts.length === 0 ? 'anywhere' : parts.join(' and ');
}

/** What a rule matches beyond protocol and endpoints: an HTTP match, ICMP or IP version, as written. */
export function calicoRuleExtras(r: CalicoRule): string[] {
  return [...(r.http !== undefined ? [`HTTP ${r.http}`] : []), ...(r.other !== undefined ? [r.other] : [])];
}

/** `Allow TCP from selector role == 'frontend' to ports 6379`. */
export function calicoRuleText(r: CalicoRule): string {
  return [
    r.action,
    ...calicoRuleProtocols(r),
    `from ${calicoEntityText(r.source)}`,
    `to ${calicoEntityText(r.destination)}`,
    ...calicoRuleExtras(r).map((x) => `(${x})`),
  ].join(' ');
}
