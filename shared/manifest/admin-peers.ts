/**
 * Who an admin policy applies to (`spec.subject`) and the peers of its rules (`from` / `to`) → the
 * model's AdminSubject / AdminPeer.
 *
 * Each is a struct with exactly one field set (the CRDs' MinProperties = MaxProperties = 1). A peer
 * whose set fields are all unknown to netglass is read as `unrecognized`, which fails closed, as the
 * API asks of a consumer meeting a newer CRD's field; any other unknown field (beside a known one, or
 * a near miss of one such as `namespace`) is an error, as strict field validation (kubectl's default)
 * refuses it.
 *
 * v1alpha1 comes in two released shapes, both read: v0.1.1 wraps namespace selection in a
 * NamespacedPeer (`namespaces: {namespaceSelector}`, `pods: {namespaces: {namespaceSelector},
 * podSelector}`); v0.1.7 uses the v1alpha2 shapes (`namespaces: <selector>`, `pods: {namespaceSelector,
 * podSelector}`). v0.1.1's `sameLabels` / `notSameLabels` select namespaces relative to the subject's
 * own; netglass does not evaluate them (they were removed in v0.1.7 and the tenancy API that replaces
 * them is still a proposal), so such a peer is read as `unrecognized` and fails closed, with a warning,
 * rather than refusing the whole policy.
 */
import type { AdminAction, AdminPeer, AdminSubject, LabelSelector } from '../model/snapshot.ts';
import { parseCIDR, withoutLeadingZeros } from '../net/address.ts';
import { readSelector } from './common-fields.ts';
import { closest } from './names.ts';
import type { FieldPath } from './documents.ts';
import { describe, isObject } from './fields.ts';
import type { JsonObject } from './fields.ts';
import type { AdminDirection, AdminReadState } from './admin-schema.ts';
import {
  ALL_PEER_FIELDS,
  andList,
  boundedList,
  noteExperimental,
  orList,
  setFields,
  unknownSetFields,
} from './admin-schema.ts';

const EMPTY_SELECTOR: LabelSelector = { matchLabels: {}, matchExpressions: [] };

/** The CRD's DomainName pattern: an optional `*.` prefix, then at least two labels. */
const DOMAIN_NAME =
  /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

/** The v0.1.1 NamespacedPeer fields. */
const NAMESPACED_PEER_FIELDS = ['namespaceSelector', 'sameLabels', 'notSameLabels'];

type ReadPeer = AdminPeer | undefined;

function requiredSelector(
  state: AdminReadState,
  obj: JsonObject,
  path: FieldPath,
  field: string,
): LabelSelector | undefined {
  const value = obj[field];
  if (value === undefined || value === null) {
    state.ctx.error(
      [...path, field],
      `${field} is missing: it is required (a label selector; {} selects everything)`,
    );
    return undefined;
  }
  return readSelector(state.ctx, value, [...path, field]);
}

function optionalSelector(
  state: AdminReadState,
  obj: JsonObject,
  path: FieldPath,
  field: string,
): LabelSelector | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return EMPTY_SELECTOR;
  return readSelector(state.ctx, value, [...path, field]);
}

// ---------------------------------------------------------------- subject

export function readSubject(
  state: AdminReadState,
  value: unknown,
  path: FieldPath,
): AdminSubject | undefined {
  const { ctx, schema } = state;
  if (value === undefined || value === null) {
    ctx.error(
      path,
      'subject is missing: it is required (namespaces or pods: which pods the policy applies to)',
    );
    return undefined;
  }
  const subject = ctx.object_(value, path, 'the pods the policy applies to: namespaces or pods');
  if (!subject) return undefined;
  const fields = ['namespaces', 'pods'];
  if (unknownSetFields(ctx, subject, path, fields).length > 0) return undefined;
  const set = setFields(subject);
  if (set.length !== 1) {
    ctx.error(
      path,
      set.length === 0
        ? 'must set exactly one of namespaces or pods, got none (namespaces: {} applies the policy to every pod)'
        : 'must set exactly one of namespaces or pods, got both (to select pods within namespaces, use pods: {namespaceSelector, podSelector})',
    );
    return undefined;
  }
  if (set[0] === 'namespaces') {
    const namespaceSelector = readSelector(ctx, subject['namespaces'], [...path, 'namespaces']);
    return namespaceSelector ? { kind: 'namespaces', namespaceSelector } : undefined;
  }
  const ppath = [...path, 'pods'];
  const pods = ctx.object_(subject['pods'], ppath, 'namespaceSelector and podSelector');
  if (!pods) return undefined;
  if (unknownSetFields(ctx, pods, ppath, ['namespaceSelector', 'podSelector']).length > 0) return undefined;
  // v1alpha1 requires both selectors; v1alpha2 defaults a missing namespaceSelector to every namespace.
  const namespaceSelector = schema.legacy
    ? requiredSelector(state, pods, ppath, 'namespaceSelector')
    : optionalSelector(state, pods, ppath, 'namespaceSelector');
  const podSelector = requiredSelector(state, pods, ppath, 'podSelector');
  if (!namespaceSelector || !podSelector) return undefined;
  return { kind: 'pods', namespaceSelector, podSelector };
}

// ---------------------------------------------------------------- peers

export interface PeerContext {
  readonly direction: AdminDirection;
  /** The rule's action, when valid: it decides what failing closed means. */
  readonly action: AdminAction | undefined;
  /** The action as written (v1alpha1 writes Accept as Allow). */
  readonly written: string | undefined;
}

export function readPeers(
  state: AdminReadState,
  value: unknown,
  path: FieldPath,
  peer: PeerContext,
): AdminPeer[] | undefined {
  const field = peer.direction === 'ingress' ? 'from' : 'to';
  const list = boundedList(
    state.ctx,
    value,
    path,
    peer.direction === 'ingress' ? 'sources' : 'destinations',
    {
      min: 1,
      max: state.schema.maxPeers,
      required: true,
      hint: field === 'from' ? '; to match every pod, write [{namespaces: {}}]' : '',
    },
  );
  if (!list) return undefined;
  const peers: AdminPeer[] = [];
  list.forEach((p, i) => {
    const read = readPeer(state, p, [...path, i], peer);
    if (read) peers.push(read);
  });
  return peers;
}

/** The spec's fail-closed reading: the whole rule, not only the peer. */
function failClosedEffect(peer: PeerContext): string {
  const side = peer.direction === 'ingress' ? 'from every source' : 'to every destination';
  switch (peer.action) {
    case 'Accept':
      return `this ${peer.written ?? 'Accept'} rule matches no traffic at all`;
    case 'Deny':
      return `this Deny rule becomes "deny all": it denies all traffic ${side}, on every port`;
    case 'Pass':
      return `this Pass rule becomes "deny all": it denies all traffic ${side}, on every port`;
    case undefined:
      return 'an Accept rule matches no traffic at all; a Deny or Pass rule denies all traffic on every port';
  }
}

function unrecognized(
  state: AdminReadState,
  path: FieldPath,
  peer: PeerContext,
  fields: readonly string[],
  why: string,
): AdminPeer {
  state.ctx.warn(path, `${why}; the peer fails closed: ${failClosedEffect(peer)}`);
  return { kind: 'unrecognized', fields };
}

function readPeer(state: AdminReadState, value: unknown, path: FieldPath, peer: PeerContext): ReadPeer {
  const { ctx, schema } = state;
  const known = peer.direction === 'ingress' ? schema.ingressPeers : schema.egressPeers;
  if (value === null || value === undefined) {
    ctx.error(path, `must be a peer with one of ${orList(known)}, got null`);
    return undefined;
  }
  const p = ctx.object_(value, path, `a peer with one of ${orList(known)}`);
  if (!p) return undefined;
  const set = setFields(p);
  if (set.length === 0) {
    ctx.error(path, `must set exactly one of ${orList(known)}, got none (an empty peer is not allowed)`);
    return undefined;
  }
  const misplaced = set.filter((k) => !known.includes(k) && ALL_PEER_FIELDS.includes(k));
  const foreign = set.filter((k) => !ALL_PEER_FIELDS.includes(k));
  // A near miss of a known field (`namespace`) is a typo, not a newer API's field: an error, as the
  // API server would refuse it, rather than a peer that silently fails closed.
  const typos = foreign.filter((k) => closest(k, ALL_PEER_FIELDS) !== undefined);
  if (foreign.length === set.length && typos.length === 0) {
    return unrecognized(
      state,
      path,
      peer,
      foreign,
      `this peer has no field netglass recognises (${andList(foreign)}; expected ${orList(known)}): it may be a field of a newer version of the API`,
    );
  }
  for (const k of misplaced) {
    ctx.error(
      [...path, k],
      peer.direction === 'ingress'
        ? `${k} is an egress-only peer; ingress peers are ${orList(known)}`
        : `${schema.kind} has no ${k} peer; its egress peers are ${orList(known)}`,
    );
  }
  const rest = Object.fromEntries(Object.entries(p).filter(([k]) => !misplaced.includes(k)));
  unknownSetFields(ctx, rest, path, known);
  if (misplaced.length > 0 || foreign.length > 0) return undefined;
  if (set.length > 1) {
    ctx.error(path, `must set exactly one of ${orList(known)}, got ${andList(set)} (use one peer for each)`);
    return undefined;
  }
  const field = set[0] ?? '';
  const fpath = [...path, field];
  noteExperimental(state, field, fpath);
  switch (field) {
    case 'namespaces':
      return readNamespacesPeer(state, p[field], fpath, peer);
    case 'pods':
      return readPodsPeer(state, p[field], fpath, peer);
    case 'networks':
      return readNetworks(state, p[field], fpath);
    case 'nodes': {
      const nodeSelector = readSelector(ctx, p[field], fpath);
      return nodeSelector ? { kind: 'nodes', nodeSelector } : undefined;
    }
    case 'domainNames':
      return readDomainNames(state, p[field], fpath, peer);
    default:
      return undefined;
  }
}

/** A v0.1.1 NamespacedPeer: the struct wrapping namespace selection, told apart by its field names. */
function isNamespacedPeer(value: unknown): value is JsonObject {
  return isObject(value) && Object.keys(value).some((k) => NAMESPACED_PEER_FIELDS.includes(k));
}

function readNamespacesPeer(
  state: AdminReadState,
  value: unknown,
  path: FieldPath,
  peer: PeerContext,
): ReadPeer {
  if (state.schema.legacy && isNamespacedPeer(value)) {
    const sel = readNamespacedPeer(state, value, path, peer, 'namespaces');
    if (sel === undefined || 'kind' in sel) return sel;
    return { kind: 'namespaces', namespaceSelector: sel };
  }
  const namespaceSelector = readSelector(state.ctx, value, path);
  return namespaceSelector ? { kind: 'namespaces', namespaceSelector } : undefined;
}

/**
 * v0.1.1's NamespacedPeer: exactly one of namespaceSelector | sameLabels | notSameLabels. Gives the
 * selector, or an `unrecognized` peer for the tenancy fields netglass does not evaluate.
 */
function readNamespacedPeer(
  state: AdminReadState,
  value: JsonObject,
  path: FieldPath,
  peer: PeerContext,
  prefix: string,
): LabelSelector | AdminPeer | undefined {
  const { ctx } = state;
  if (unknownSetFields(ctx, value, path, NAMESPACED_PEER_FIELDS).length > 0) return undefined;
  const set = setFields(value);
  if (set.length !== 1) {
    ctx.error(
      path,
      `must set exactly one of namespaceSelector, sameLabels or notSameLabels, got ${set.length === 0 ? 'none' : andList(set)}`,
    );
    return undefined;
  }
  const field = set[0] ?? '';
  if (field === 'namespaceSelector') return readSelector(ctx, value[field], [...path, field]);
  const keys = ctx.list(value[field], [...path, field], 'label keys');
  if (!keys) return undefined;
  if (keys.length > 100) {
    ctx.error([...path, field], `must have at most 100 items (the CRD's limit), got ${keys.length}`);
    return undefined;
  }
  keys.forEach((k, i) => {
    if (typeof k !== 'string')
      ctx.error([...path, field, i], `must be a string (a label key), got ${describe(k)}`);
  });
  return unrecognized(
    state,
    [...path, field],
    peer,
    [`${prefix}.${field}`],
    `${field} is not evaluated by netglass: it selects namespaces relative to the subject's own labels, and was removed from the API in v0.1.7`,
  );
}

function readPodsPeer(state: AdminReadState, value: unknown, path: FieldPath, peer: PeerContext): ReadPeer {
  const { ctx, schema } = state;
  const pods = ctx.object_(value, path, 'namespaceSelector and podSelector');
  if (!pods) return undefined;
  if (schema.legacy && 'namespaces' in pods) {
    // v0.1.1: pods: {namespaces: NamespacedPeer, podSelector}, both required.
    if (unknownSetFields(ctx, pods, path, ['namespaces', 'podSelector']).length > 0) return undefined;
    const podSelector = requiredSelector(state, pods, path, 'podSelector');
    const nsValue = pods['namespaces'];
    const nsPath = [...path, 'namespaces'];
    if (nsValue === null || nsValue === undefined) {
      ctx.error(
        nsPath,
        'namespaces is missing: it is required (namespaceSelector, sameLabels or notSameLabels)',
      );
      return undefined;
    }
    const ns = ctx.object_(nsValue, nsPath, 'namespaceSelector, sameLabels or notSameLabels');
    if (!ns) return undefined;
    const sel = readNamespacedPeer(state, ns, nsPath, peer, 'pods.namespaces');
    if (sel === undefined || !podSelector) return undefined;
    if ('kind' in sel) return sel;
    return { kind: 'pods', namespaceSelector: sel, podSelector };
  }
  if (unknownSetFields(ctx, pods, path, ['namespaceSelector', 'podSelector']).length > 0) return undefined;
  const namespaceSelector = schema.legacy
    ? requiredSelector(state, pods, path, 'namespaceSelector')
    : optionalSelector(state, pods, path, 'namespaceSelector');
  const podSelector = requiredSelector(state, pods, path, 'podSelector');
  if (!namespaceSelector || !podSelector) return undefined;
  return { kind: 'pods', namespaceSelector, podSelector };
}

/** A list of unique strings (the CRDs' `x-kubernetes-list-type: set`), 1 to 25 items. */
function stringSet(
  state: AdminReadState,
  value: unknown,
  path: FieldPath,
  what: string,
): Array<[string, FieldPath]> | undefined {
  const { ctx } = state;
  const list = boundedList(ctx, value, path, what, { min: 1, max: 25, required: true });
  if (!list) return undefined;
  const seen = new Map<string, number>();
  const out: Array<[string, FieldPath]> = [];
  list.forEach((v, i) => {
    const ipath = [...path, i];
    if (typeof v !== 'string') {
      ctx.error(ipath, `must be a string (${what}), got ${describe(v)}`);
      return;
    }
    const first = seen.get(v);
    if (first !== undefined) {
      ctx.error(ipath, `duplicate value ${JSON.stringify(v)} (already item ${first}): the list is a set`);
      return;
    }
    seen.set(v, i);
    out.push([v, ipath]);
  });
  return out;
}

/**
 * CIDRs. v1alpha2/v1beta1's CRD (since v0.2.1) refuses host bits (`cidr(self) == cidr(self).masked()`);
 * v1alpha1's checks only isCIDR, and implementations mask the address, so there host bits are a warning.
 */
function readNetworks(state: AdminReadState, value: unknown, path: FieldPath): ReadPeer {
  const { ctx, schema } = state;
  const items = stringSet(state, value, path, 'CIDRs');
  if (!items) return undefined;
  const cidrs: string[] = [];
  let ok = true;
  for (const [text, ipath] of items) {
    if (text.length > 43) {
      ctx.error(ipath, `must be no more than 43 characters (the CRD's limit), got ${text.length}`);
      ok = false;
      continue;
    }
    const c = parseCIDR(text);
    if (typeof c === 'string') {
      const leadingZero = withoutLeadingZeros(text) !== undefined;
      ctx.error(
        ipath,
        `${JSON.stringify(text)} is not a valid CIDR: ${c}`,
        leadingZero ? { kind: 'ip-leading-zero', written: text } : undefined,
      );
      ok = false;
      continue;
    }
    if (c.hostBitsSet) {
      const detail = { kind: 'cidr-host-bits', written: text, canonical: c.canonical } as const;
      if (!schema.legacy) {
        ctx.error(
          ipath,
          `${text} has host bits set; the CRD requires the network address: write ${c.canonical}`,
          detail,
        );
        ok = false;
        continue;
      }
      ctx.warn(ipath, `${text} has host bits set; it is treated as ${c.canonical}`, detail);
    }
    cidrs.push(c.canonical);
  }
  return ok ? { kind: 'networks', cidrs } : undefined;
}

function readDomainNames(
  state: AdminReadState,
  value: unknown,
  path: FieldPath,
  peer: PeerContext,
): ReadPeer {
  const { ctx } = state;
  const items = stringSet(state, value, path, 'domain names');
  if (!items) return undefined;
  const names: string[] = [];
  let ok = true;
  for (const [name, ipath] of items) {
    if (!DOMAIN_NAME.test(name)) {
      ctx.error(
        ipath,
        `${JSON.stringify(name)} is not a valid domain name: at least two dot-separated labels of letters, digits, '-' and '_', with '*.' allowed only as a prefix (e.g. *.example.com)`,
      );
      ok = false;
      continue;
    }
    names.push(name);
  }
  // The CRD does not check this, but the API documents domainNames for Accept rules only.
  if (ok && peer.action !== undefined && peer.action !== 'Accept') {
    ctx.warn(
      path,
      `domainNames is supported only in Accept rules; implementations may refuse or ignore this ${peer.action} rule`,
    );
  }
  return ok ? { kind: 'domainNames', domainNames: names } : undefined;
}
