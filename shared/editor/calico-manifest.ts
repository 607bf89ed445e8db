/**
 * A loaded Calico policy written back as a manifest, so that the editor can open it as a draft: to
 * edit it, to duplicate it, or to try a staged policy as the enforced policy it would become. The
 * snapshot keeps Calico policies normalized, not as written; selectors, nets, ports, protocols,
 * actions, service accounts and services come back exactly (reading the written text gives the same
 * policy), with the apiVersion and the name (`tier.` prefix included) as they were written. HTTP and
 * ICMP matches and `ipVersion` are kept only as words, so a policy with them is not offered.
 */
import { Document, isMap } from 'yaml';
import type {
  CalicoEntityRule,
  CalicoPolicy,
  CalicoPort,
  CalicoProtocol,
  CalicoRule,
} from '../model/snapshot.ts';
import type { CalicoPolicyDraft } from './calico-draft.ts';
import { enforcedKind, readCalicoDraft } from './calico-draft.ts';

type Json = string | number | boolean | Json[] | { [key: string]: Json };

/** Why a policy cannot be written back (undefined: it can). */
export function calicoUnwritable(policy: CalicoPolicy): string | undefined {
  const rules = [...policy.ingress, ...policy.egress];
  if (rules.some((r) => r.http !== undefined))
    return 'it has HTTP matches, which netglass keeps only as words: edit its manifest instead';
  if (rules.some((r) => r.other !== undefined))
    return 'it has ICMP or ipVersion matches, which netglass keeps only as words: edit its manifest instead';
  return undefined;
}

function protocolValue(p: CalicoProtocol): Json {
  if (typeof p === 'string') return p;
  return /^\d+$/.test(p.other) ? Number(p.other) : p.other;
}

function portValue(p: CalicoPort): Json {
  if (p.kind === 'named') return p.name;
  return p.from === p.to ? p.from : `${p.from}:${p.to}`;
}

function entityValue(e: CalicoEntityRule): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  if (e.selector !== undefined) out['selector'] = e.selector;
  if (e.notSelector !== undefined) out['notSelector'] = e.notSelector;
  if (e.namespaceSelector !== undefined) out['namespaceSelector'] = e.namespaceSelector;
  if (e.nets.length > 0) out['nets'] = [...e.nets];
  if (e.notNets.length > 0) out['notNets'] = [...e.notNets];
  if (e.ports.length > 0) out['ports'] = e.ports.map(portValue);
  if (e.notPorts.length > 0) out['notPorts'] = e.notPorts.map(portValue);
  if (e.serviceAccounts !== undefined)
    out['serviceAccounts'] = {
      ...(e.serviceAccounts.names.length > 0 ? { names: [...e.serviceAccounts.names] } : {}),
      ...(e.serviceAccounts.selector !== undefined ? { selector: e.serviceAccounts.selector } : {}),
    };
  if (e.services !== undefined)
    out['services'] = {
      name: e.services.name,
      ...(e.services.namespace !== undefined ? { namespace: e.services.namespace } : {}),
    };
  return out;
}

function ruleValue(r: CalicoRule): { [key: string]: Json } {
  const source = entityValue(r.source);
  const destination = entityValue(r.destination);
  return {
    action: r.action,
    ...(r.protocol !== undefined ? { protocol: protocolValue(r.protocol) } : {}),
    ...(r.notProtocol !== undefined ? { notProtocol: protocolValue(r.notProtocol) } : {}),
    ...(Object.keys(source).length > 0 ? { source } : {}),
    ...(Object.keys(destination).length > 0 ? { destination } : {}),
  };
}

/**
 * The policy as a manifest of `kind` (default: its own), its fields in Calico's reference order.
 * `comment` goes on top of the text.
 */
export function calicoPolicyToYaml(
  policy: CalicoPolicy,
  options: { readonly kind?: CalicoPolicy['kind']; readonly comment?: string } = {},
): string {
  const { labels, annotations } = policy;
  const metadata: { [key: string]: Json } = {
    name: policy.writtenName,
    ...(policy.namespace !== undefined ? { namespace: policy.namespace } : {}),
    ...(Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
    ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
  };
  const spec: { [key: string]: Json } = {
    ...(policy.tier !== 'default' ? { tier: policy.tier } : {}),
    ...(policy.order !== undefined ? { order: policy.order } : {}),
    selector: policy.selector,
    ...(policy.namespaceSelector !== undefined ? { namespaceSelector: policy.namespaceSelector } : {}),
    ...(policy.serviceAccountSelector !== undefined
      ? { serviceAccountSelector: policy.serviceAccountSelector }
      : {}),
    ...(policy.typesDeclared ? { types: [...policy.types] } : {}),
    ...(policy.ingress.length > 0 ? { ingress: policy.ingress.map(ruleValue) } : {}),
    ...(policy.egress.length > 0 ? { egress: policy.egress.map(ruleValue) } : {}),
  };
  const doc = new Document({
    apiVersion: policy.apiVersion,
    kind: options.kind ?? policy.kind,
    metadata,
    spec,
  });
  // On the map itself: on the document it would stand apart, a blank line below it.
  if (options.comment !== undefined && isMap(doc.contents))
    doc.contents.commentBefore = ` ${options.comment}`;
  return doc.toString({ lineWidth: 0 });
}

export type CalicoDraftFromPolicy =
  { readonly ok: true; readonly draft: CalicoPolicyDraft } | { readonly ok: false; readonly reason: string };

/**
 * A draft of a loaded policy. An enforced policy's draft edits it (the what-if puts the draft in its
 * place); a staged one's is a new draft of the enforced kind, which replaces the enforced policy of the
 * same name and tier if there is one, as enforcing the staged policy would.
 */
export function calicoDraftFromPolicy(policy: CalicoPolicy): CalicoDraftFromPolicy {
  const reason = calicoUnwritable(policy);
  if (reason !== undefined) return { ok: false, reason };
  const kind = enforcedKind(policy.kind);
  const yaml = policy.staged
    ? calicoPolicyToYaml(policy, {
        kind,
        comment: `${policy.kind} ${policy.writtenName}, tried as the ${kind} it would become once enforced`,
      })
    : calicoPolicyToYaml(policy);
  const origin = policy.staged
    ? undefined
    : {
        kind: policy.kind,
        ...(policy.namespace !== undefined ? { namespace: policy.namespace } : {}),
        tier: policy.tier,
        name: policy.name,
      };
  const read = readCalicoDraft(yaml, origin);
  if (!read.ok)
    return {
      ok: false,
      reason: `its manifest does not read back: ${read.issues.find((i) => i.severity === 'error')?.message ?? ''}`,
    };
  return { ok: true, draft: read.draft };
}
