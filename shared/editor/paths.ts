/**
 * Field paths: the loader's and the API server's paths into a NetworkPolicy manifest
 * (`spec.ingress[0].from[1].podSelector.matchLabels["app.kubernetes.io/name"]`) turned into the
 * draft's paths (`ingress[0].peers[1].pods.matchLabels[2].key`), so a message lands on the form
 * input it is about.
 */
import type { FieldPath } from '../manifest/documents.ts';
import { formatPath } from '../manifest/documents.ts';
import type { DraftPath, PeerDraft, PolicyDraft, RuleDraft, SelectorDraft } from './draft.ts';
import { DESCRIPTION_ANNOTATION } from './draft.ts';

/**
 * Reads a formatted field path back into segments. Accepts the loader's form (`a.b[0]["x/y"]`) and
 * the API server's (`a.b[0][x/y]`, keys unquoted in brackets).
 */
export function parseFieldPath(text: string): FieldPath {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      if (text[i + 1] === '"') {
        // A JSON string up to the matching quote.
        let j = i + 2;
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        try {
          out.push(JSON.parse(text.slice(i + 1, j + 1)) as string);
        } catch {
          out.push(text.slice(i + 2, j));
        }
        i = j + 2; // past `"]`
        continue;
      }
      const end = text.indexOf(']', i);
      const inner = text.slice(i + 1, end < 0 ? text.length : end);
      out.push(/^[0-9]+$/.test(inner) ? Number(inner) : inner);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/** `base` and a path inside it. */
export function join(base: string, rest: string): string {
  return rest === '' ? base : `${base}${rest.startsWith('[') ? '' : '.'}${rest}`;
}

/**
 * The draft path inside a selector for the rest of a manifest path (`matchLabels["app"]` → the row of
 * that key, key or value by the message), relative to the selector.
 */
export function selectorPath(selector: SelectorDraft | undefined, rest: FieldPath, message: string): string {
  const [head, second, ...tail] = rest;
  if (head === 'matchLabels') {
    if (second === undefined || selector === undefined) return 'matchLabels';
    const key = String(second);
    let index = -1;
    selector.matchLabels.forEach((row, i) => {
      if (row.key === key) index = i; // the last row with a key wins, as in draftToManifest
    });
    if (index < 0) return 'matchLabels';
    return `matchLabels[${index}].${message.startsWith('key ') ? 'key' : 'value'}`;
  }
  if (head === 'matchExpressions') {
    if (typeof second !== 'number') return 'matchExpressions';
    return formatPath(['matchExpressions', second, ...tail]);
  }
  return '';
}

function peerPath(peer: PeerDraft | undefined, rest: FieldPath, message: string): string {
  const [head, second, third] = rest;
  if (head === undefined) return '';
  if (peer?.kind === 'ipBlock' || head === 'ipBlock') {
    if (second === 'cidr') return 'cidr';
    if (second === 'except') return typeof third === 'number' ? `except[${third}]` : 'except';
    return '';
  }
  if (head === 'podSelector') {
    const sel = peer?.kind === 'pods' && peer.pods !== 'all' ? peer.pods : undefined;
    return join('pods', selectorPath(sel, rest.slice(1), message));
  }
  if (head === 'namespaceSelector') {
    const sel =
      peer?.kind === 'pods' && peer.namespaces !== 'all' && peer.namespaces !== 'same'
        ? peer.namespaces
        : undefined;
    return join('namespaces', selectorPath(sel, rest.slice(1), message));
  }
  return '';
}

function rulePath(rule: RuleDraft | undefined, rest: FieldPath, message: string): string {
  const [head, index, ...tail] = rest;
  if (head === 'from' || head === 'to') {
    if (typeof index !== 'number') return 'peers';
    const peer = rule !== undefined && rule.peers !== 'any' ? rule.peers[index] : undefined;
    return join(`peers[${index}]`, peerPath(peer, tail, message));
  }
  if (head === 'ports') {
    if (typeof index !== 'number') return 'ports';
    const field = tail[0];
    return field === 'port' || field === 'endPort' || field === 'protocol'
      ? `ports[${index}].${field}`
      : `ports[${index}]`;
  }
  return '';
}

/**
 * The draft path for a manifest field path (a LoadIssue's `field` or an API server cause's `field`).
 * `message` tells a label key's error from its value's (`key "x" is not a valid label key`). Returns
 * '' for the draft as a whole.
 */
export function draftPathFor(draft: PolicyDraft, manifestField: string, message = ''): DraftPath {
  const path = parseFieldPath(manifestField);
  const [root, section, third, ...rest] = path;
  if (root === 'metadata') {
    if (section === 'name') return 'name';
    if (section === 'namespace') return 'namespace';
    if (section === 'labels') return 'labels';
    if (section === 'annotations') return third === DESCRIPTION_ANNOTATION ? 'description' : 'annotations';
    return '';
  }
  if (root !== 'spec') return '';
  if (section === 'podSelector') {
    return join('podSelector', selectorPath(draft.podSelector, path.slice(2), message));
  }
  if (section === 'policyTypes') return 'policyTypes';
  if (section === 'ingress' || section === 'egress') {
    if (typeof third !== 'number') return section;
    return join(`${section}[${third}]`, rulePath(draft[section][third], rest, message));
  }
  return '';
}
