/**
 * Field paths of a ClusterNetworkPolicy manifest (the reader's and the API server's:
 * `spec.egress[0].to[1].pods.podSelector.matchLabels["app"]`,
 * `spec.ingress[0].protocols[2].tcp.destinationPort.range.end`) turned into the draft's paths
 * (`egress[0].peers[1].pods.matchLabels[0].key`, `ingress[0].ports[2].endPort`), so that a message
 * lands on the form input it is about.
 */
import type { FieldPath } from '../manifest/documents.ts';
import type { AdminPeerDraft, AdminRuleDraft, ClusterPolicyDraft } from './cluster-draft.ts';
import type { DraftPath, SelectorDraft } from './draft.ts';
import { DESCRIPTION_ANNOTATION } from './draft.ts';
import { join, parseFieldPath, selectorPath } from './paths.ts';

/** `namespaceSelector` / `podSelector` of a `pods` subject or peer, as the draft names them. */
function namespacedPath(
  value: { readonly namespaces: SelectorDraft; readonly pods?: SelectorDraft } | undefined,
  rest: FieldPath,
  message: string,
): string {
  const [head, ...tail] = rest;
  if (head === 'namespaceSelector') return join('namespaces', selectorPath(value?.namespaces, tail, message));
  if (head === 'podSelector') return join('pods', selectorPath(value?.pods, tail, message));
  return '';
}

function peerPath(peer: AdminPeerDraft | undefined, rest: FieldPath, message: string): string {
  const [head, second] = rest;
  const inner = rest.slice(1);
  if (head === 'namespaces') {
    return join(
      'namespaces',
      selectorPath(peer?.kind === 'namespaces' ? peer.namespaces : undefined, inner, message),
    );
  }
  // Relative to the peer: `namespaces…` or `pods…`, as the draft's pods peer names its selectors.
  if (head === 'pods') return namespacedPath(peer?.kind === 'pods' ? peer : undefined, inner, message);
  if (head === 'networks') return typeof second === 'number' ? `cidrs[${second}]` : 'cidrs';
  if (head === 'nodes') {
    return join('nodes', selectorPath(peer?.kind === 'nodes' ? peer.nodes : undefined, inner, message));
  }
  if (head === 'domainNames') return typeof second === 'number' ? `domainNames[${second}]` : 'domainNames';
  return '';
}

/** A `protocols[i]` entry's inner path → the port row's field. */
function protocolPath(rest: FieldPath): string {
  const [head, ...tail] = rest;
  if (head === 'destinationNamedPort') return 'name';
  if (head !== 'tcp' && head !== 'udp' && head !== 'sctp') return '';
  // tcp.destinationPort.number | tcp.destinationPort.range.{start,end} | tcp.destinationPort.range
  const [dp, form, end] = tail;
  if (dp !== 'destinationPort') return 'protocol';
  if (form === 'number') return 'port';
  if (form === 'range') return end === 'start' ? 'port' : 'endPort';
  return 'port';
}

function rulePath(rule: AdminRuleDraft | undefined, rest: FieldPath, message: string): string {
  const [head, index, ...tail] = rest;
  if (head === 'name') return 'name';
  if (head === 'action') return 'action';
  if (head === 'from' || head === 'to') {
    if (typeof index !== 'number') return 'peers';
    return join(`peers[${index}]`, peerPath(rule?.peers[index], tail, message));
  }
  if (head === 'protocols') {
    if (typeof index !== 'number') return 'ports';
    return join(`ports[${index}]`, protocolPath(tail));
  }
  return '';
}

/**
 * The draft path for a ClusterNetworkPolicy manifest field path (a LoadIssue's `field` or an API
 * server cause's `field`); '' for the draft as a whole. `message` tells a label key's error from its
 * value's.
 */
export function clusterDraftPathFor(
  draft: ClusterPolicyDraft,
  manifestField: string,
  message = '',
): DraftPath {
  const path = parseFieldPath(manifestField);
  const [root, section, third, ...rest] = path;
  if (root === 'apiVersion') return 'apiVersion';
  if (root === 'metadata') {
    if (section === 'name') return 'name';
    if (section === 'labels') return 'labels';
    if (section === 'annotations') return third === DESCRIPTION_ANNOTATION ? 'description' : 'annotations';
    return '';
  }
  if (root !== 'spec') return '';
  if (section === 'tier') return 'tier';
  if (section === 'priority') return 'priority';
  if (section === 'subject') {
    const subject = draft.subject;
    if (third === 'namespaces') {
      return join(
        'subject.namespaces',
        selectorPath(subject.kind === 'namespaces' ? subject.namespaces : undefined, rest, message),
      );
    }
    if (third === 'pods') {
      const inner = namespacedPath(subject.kind === 'pods' ? subject : undefined, rest, message);
      return inner === '' ? 'subject' : `subject.${inner}`;
    }
    return 'subject';
  }
  if (section === 'ingress' || section === 'egress') {
    if (typeof third !== 'number') return section;
    return join(`${section}[${third}]`, rulePath(draft[section][third], rest, message));
  }
  return '';
}
