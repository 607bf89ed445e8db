/**
 * NetworkPolicy selectors that select nothing in the input: a policy whose podSelector holds none of its
 * namespace's pods, and a `from`/`to` peer whose selectors match no pod. Both are usually a typo'd label
 * or a namespace that was renamed. A namespace the input says nothing about (no pods read) is left alone:
 * absence of pods there proves nothing.
 */
import type { LabelSelector, Pod } from '../model/snapshot.ts';
import { selectorLabelKeys } from '../eval/selector.ts';
import type { NpIndex } from './np-index.ts';
import { DIRECTIONS, npRule, npTitle, peerPath, rulesOf } from './np-index.ts';

/** `app=web, app=api` for the first key the selector tests, from the pods that carry it (at most 4 values). */
function labelHint(selector: LabelSelector | undefined, pods: readonly Pod[]): string {
  const key = selector ? selectorLabelKeys(selector)[0] : undefined;
  if (key === undefined) return '';
  const values = [...new Set(pods.flatMap((p) => (Object.hasOwn(p.labels, key) ? [p.labels[key]] : [])))]
    .filter((v): v is string => v !== undefined)
    .sort();
  if (values.length === 0) return ` (no pod there has the label \`${key}\`)`;
  const shown = values.slice(0, 4).map((v) => `${key}=${v}`);
  return ` (pods there have ${shown.join(', ')}${values.length > 4 ? ', …' : ''})`;
}

/** `none of the 3 pods` / `the only pod`, after `selects` or `matches`. */
function noneOf(verb: 'selects' | 'matches', n: number): string {
  return n === 1
    ? `does not ${verb === 'selects' ? 'select' : 'match'} the only pod`
    : `${verb} none of the ${n} pods`;
}

export const selectsNoPod = npRule(
  {
    id: 'np-selects-no-pod',
    severity: 'warning',
    summary: 'a NetworkPolicy whose podSelector selects none of the pods of its namespace',
  },
  (index, report) => {
    for (const p of index.snapshot.policies) {
      const pods = index.podsIn(p.namespace);
      if (pods.length === 0 || index.podsUnread(p.namespace)) continue;
      if (index.subjects(p).length > 0) continue;
      const hostOnly = index.podsMatching(p.namespace, p.podSelector).length > 0;
      report(p, {
        field: 'spec.podSelector',
        message: hostOnly
          ? `${npTitle(p)} selects only hostNetwork pods of namespace ${p.namespace}, which NetworkPolicies never apply to, so it has no effect`
          : `${npTitle(p)} ${noneOf('selects', pods.length)} of namespace ${p.namespace}, so it isolates nothing and its rules allow nothing`,
        fix: `correct spec.podSelector to the labels of the pods it is meant for${labelHint(p.podSelector, pods)}, or delete the policy`,
      });
    }
  },
);

/** What a peer that matches no pod missed, for the message: `matches none of the 3 pods of namespace shop`. */
function missed(index: NpIndex, namespaces: readonly string[]): string {
  if (namespaces.length === 0) return 'whose namespaceSelector matches no namespace';
  const pods = namespaces.reduce((n, ns) => n + index.podsIn(ns).length, 0);
  const shown = namespaces.slice(0, 3).join(', ');
  const where = `namespace${namespaces.length === 1 ? '' : 's'} ${shown}${namespaces.length > 3 ? ', …' : ''}`;
  return `that ${noneOf('matches', pods)} of ${where}`;
}

export const peerMatchesNothing = npRule(
  {
    id: 'np-peer-matches-nothing',
    severity: 'warning',
    summary: 'a from/to peer whose namespaceSelector/podSelector matches no pod of the input',
  },
  (index, report) => {
    if (index.snapshot.pods.length === 0) return;
    for (const p of index.snapshot.policies) {
      for (const direction of DIRECTIONS) {
        rulesOf(p, direction).forEach((rule, r) => {
          if (rule.peers === 'any') return;
          rule.peers.forEach((peer, k) => {
            if (peer.kind !== 'selector') return;
            const namespaces = index.peerNamespaces(p, peer, true);
            // Nothing is known about namespaces without pods in the input, nor about unread ones.
            if (namespaces.some((ns) => index.podsUnread(ns))) return;
            if (namespaces.length > 0 && namespaces.every((ns) => index.podsIn(ns).length === 0)) return;
            if (index.selectorPeerMatchesAny(p, peer, true)) return;
            const looked = namespaces.flatMap((ns) => index.podsIn(ns));
            report(p, {
              field: peerPath(direction, r, k),
              message: `${npTitle(p)} ${direction} rule ${r} has a peer ${missed(index, namespaces)}, so through it the rule ${direction === 'ingress' ? 'admits' : 'reaches'} nobody`,
              fix:
                peer.namespaceSelector && namespaces.length === 0
                  ? 'correct the namespaceSelector to labels the namespaces carry (every namespace has kubernetes.io/metadata.name), or delete the peer'
                  : `correct the selector to labels the pods carry${labelHint(peer.podSelector, looked)}, or delete the peer`,
            });
          });
        });
      }
    }
  },
);
