/**
 * CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy (cilium.io/v2) → CiliumPolicy.
 *
 * Follows the Go types of github.com/cilium/cilium pkg/policy/api (Rule, IngressRule, EgressRule, the
 * deny variants, PortRule, CIDRRule, FQDNSelector, Service) and their validation: one kind of peer per
 * rule (Cilium refuses "combining FromEndpoints and FromCIDR"), no L7 rules in deny rules, CIDR
 * exceptions inside their CIDR. Unknown fields are errors, as kubectl's strict decoding makes them; an
 * object with an error is not loaded. What netglass does not model (nodeSelector host policies,
 * fromNodes, fromGroups, fromRequires, ICMP rules, CIDR groups) is loaded with a warning saying what it
 * ignores.
 */
import type {
  CiliumEntity,
  CiliumPeer,
  CiliumPolicy,
  CiliumPolicyKind,
  CiliumPort,
  CiliumPortRule,
  CiliumRule,
  CiliumSpec,
  Protocol,
} from '../model/snapshot.ts';
import { CILIUM_ENTITIES, PROTOCOLS } from '../model/snapshot.ts';
import { isStrictSubset, parseCIDR } from '../net/address.ts';
import type { ParsedCIDR } from '../net/address.ts';
import { checkName, markNotLoaded, quoteHint, readAnnotations, readLabels } from './common-fields.ts';
import type { RawObject } from './common-fields.ts';
import type { FieldPath } from './documents.ts';
import { describe } from './fields.ts';
import type { JsonObject, ObjectContext } from './fields.ts';
import { closest, portName } from './names.ts';
import { readEndpointSelector } from './cilium-selector.ts';

export const CILIUM_API_VERSION = 'cilium.io/v2';

export interface CiliumCollector {
  readonly ciliumPolicies: CiliumPolicy[];
}

type Direction = 'ingress' | 'egress';

interface ReadState {
  readonly ctx: ObjectContext;
  readonly kind: CiliumPolicyKind;
  /** A CiliumNetworkPolicy's namespace. */
  readonly namespace: string | undefined;
}

const SPEC_FIELDS = [
  'endpointSelector',
  'nodeSelector',
  'ingress',
  'ingressDeny',
  'egress',
  'egressDeny',
  'labels',
  'description',
  'enableDefaultDeny',
  'log',
];

/** Peer fields per direction; each rule may use one of them (plus toPorts). */
const PEER_FIELDS: Readonly<Record<Direction, readonly string[]>> = {
  ingress: [
    'fromEndpoints',
    'fromCIDR',
    'fromCIDRSet',
    'fromEntities',
    'fromNodes',
    'fromGroups',
    'fromRequires',
  ],
  egress: [
    'toEndpoints',
    'toCIDR',
    'toCIDRSet',
    'toEntities',
    'toNodes',
    'toGroups',
    'toRequires',
    'toServices',
    'toFQDNs',
  ],
};
/** Fields that only allow rules have. */
const ALLOW_ONLY: Readonly<Record<Direction, readonly string[]>> = {
  ingress: ['authentication'],
  egress: ['toFQDNs', 'authentication'],
};

const L7_FIELDS = ['http', 'kafka', 'dns', 'l7proto', 'l7'];
const CILIUM_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ANY', 'ICMP', 'ICMPV6', 'VRRP', 'IGMP'];

export function readCiliumPolicy(
  out: CiliumCollector,
  ctx: ObjectContext,
  obj: RawObject,
  kind: CiliumPolicyKind,
  namespace: string,
): void {
  const namespaced = kind === 'CiliumNetworkPolicy';
  const what = namespaced ? `${kind} ${namespace}/${obj.name}` : `${kind} ${obj.name}`;
  ctx.object = what;
  if (obj.apiVersion !== CILIUM_API_VERSION) {
    ctx.error(
      ['apiVersion'],
      `apiVersion ${JSON.stringify(obj.apiVersion)} is not supported for ${kind}; expected ${CILIUM_API_VERSION}; ${what} was not loaded`,
    );
    return;
  }
  const start = ctx.issues.length;
  checkName(ctx, obj, 'subdomain');
  if (!namespaced) {
    const ns = obj.metadata['namespace'];
    if (typeof ns === 'string' && ns !== '')
      ctx.warn(['metadata', 'namespace'], `is ignored: ${kind} is cluster-scoped (${describe(ns)})`);
  }
  if (ctx.strictFields)
    ctx.unknownFields(obj.value, [], ['apiVersion', 'kind', 'metadata', 'spec', 'specs', 'status']);
  const labels = readLabels(ctx, obj.metadata['labels'], ['metadata', 'labels'], 'labels', true);
  const annotations = readAnnotations(ctx, obj.metadata['annotations'], ['metadata', 'annotations']);
  const state: ReadState = { ctx, kind, namespace: namespaced ? namespace : undefined };
  const specs: CiliumSpec[] = [];
  const single = obj.value['spec'];
  const many = obj.value['specs'];
  const hasSingle = single !== undefined && single !== null;
  const list = ctx.list(many, ['specs'], 'a list of rules');
  if (!hasSingle && (list === undefined || list.length === 0))
    ctx.error(
      hasSingle || many !== undefined ? ['specs'] : [],
      `${kind} needs spec or specs (a list of rules)`,
    );
  if (hasSingle) {
    const s = readSpec(state, single, ['spec']);
    if (s) specs.push(s);
  }
  list?.forEach((raw, i) => {
    const s = readSpec(state, raw, ['specs', i]);
    if (s) specs.push(s);
  });
  if (ctx.failed) {
    markNotLoaded(ctx, start, what);
    return;
  }
  out.ciliumPolicies.push({
    kind,
    apiVersion: obj.apiVersion,
    ...(namespaced ? { namespace } : {}),
    name: obj.name,
    specs,
    multi: !hasSingle,
    labels,
    annotations,
    location: ctx.location([]),
  });
}

function readSpec(state: ReadState, value: unknown, path: FieldPath): CiliumSpec | undefined {
  const { ctx } = state;
  const spec = ctx.object_(value, path, 'a Cilium rule with endpointSelector and ingress/egress rules');
  if (!spec) {
    if (value === null) ctx.error(path, 'must be a Cilium rule, got null');
    return undefined;
  }
  ctx.unknownFields(spec, path, SPEC_FIELDS);
  const hasEndpoints = spec['endpointSelector'] !== undefined && spec['endpointSelector'] !== null;
  const hasNodes = spec['nodeSelector'] !== undefined && spec['nodeSelector'] !== null;
  let subject: CiliumSpec['subject'];
  if (hasEndpoints && hasNodes)
    ctx.error(
      path,
      'endpointSelector and nodeSelector are mutually exclusive: a rule applies to endpoints or to nodes',
    );
  else if (!hasEndpoints && !hasNodes)
    ctx.error(path, 'needs endpointSelector (the pods it applies to) or nodeSelector (the nodes)');
  else if (hasNodes) {
    if (state.kind === 'CiliumNetworkPolicy')
      ctx.error(
        [...path, 'nodeSelector'],
        'nodeSelector is only allowed in a CiliumClusterwideNetworkPolicy',
      );
    else
      ctx.warn(
        [...path, 'nodeSelector'],
        'host policies (nodeSelector) are not evaluated: netglass does not model nodes, so verdicts ignore this rule',
      );
  } else {
    const sel = readEndpointSelector(
      ctx,
      spec['endpointSelector'],
      [...path, 'endpointSelector'],
      state.namespace !== undefined ? { namespace: state.namespace, force: true } : undefined,
    );
    if (sel?.kind === 'selector')
      subject = { namespaceSelector: sel.namespaceSelector, podSelector: sel.podSelector };
    else if (sel?.kind === 'unsupported')
      ctx.warn(
        [...path, 'endpointSelector'],
        `selects by ${sel.why}; netglass cannot tell which pods it selects, so verdicts ignore this rule`,
      );
  }
  const ingress = readRules(state, spec['ingress'], [...path, 'ingress'], 'ingress', false);
  const ingressDeny = readRules(state, spec['ingressDeny'], [...path, 'ingressDeny'], 'ingress', true);
  const egress = readRules(state, spec['egress'], [...path, 'egress'], 'egress', false);
  const egressDeny = readRules(state, spec['egressDeny'], [...path, 'egressDeny'], 'egress', true);
  const dd = ctx.object_(
    spec['enableDefaultDeny'],
    [...path, 'enableDefaultDeny'],
    'ingress and egress flags',
  );
  if (dd) ctx.unknownFields(dd, [...path, 'enableDefaultDeny'], ['ingress', 'egress']);
  const flag = (d: Direction): boolean | undefined =>
    dd
      ? ctx.boolean(
          dd[d],
          [...path, 'enableDefaultDeny', d],
          `whether selected pods go into default deny for ${d}`,
        )
      : undefined;
  const description = ctx.string(spec['description'], [...path, 'description'], 'a description');
  if (spec['log'] !== undefined && spec['log'] !== null)
    ctx.object_(spec['log'], [...path, 'log'], 'policy log settings');
  if (spec['labels'] !== undefined && spec['labels'] !== null)
    ctx.list(spec['labels'], [...path, 'labels'], 'rule labels');
  return {
    subject,
    ingress,
    ingressDeny,
    egress,
    egressDeny,
    defaultDeny: {
      ingress: flag('ingress') ?? (ingress.length > 0 || ingressDeny.length > 0),
      egress: flag('egress') ?? (egress.length > 0 || egressDeny.length > 0),
    },
    ...(description !== undefined && description !== '' ? { description } : {}),
  };
}

function readRules(
  state: ReadState,
  value: unknown,
  path: FieldPath,
  direction: Direction,
  deny: boolean,
): CiliumRule[] {
  const list = state.ctx.list(value, path, `${direction}${deny ? 'Deny' : ''} rules`);
  const out: CiliumRule[] = [];
  list?.forEach((raw, i) => {
    const r = readRule(state, raw, [...path, i], direction, deny);
    if (r) out.push(r);
  });
  return out;
}

function readRule(
  state: ReadState,
  value: unknown,
  path: FieldPath,
  direction: Direction,
  deny: boolean,
): CiliumRule | undefined {
  const { ctx } = state;
  const rule = ctx.object_(value === null ? {} : value, path, `an ${direction} rule`);
  if (!rule) return undefined;
  const peerFields = PEER_FIELDS[direction].filter((f) => !(deny && f === 'toFQDNs'));
  const known = [...peerFields, 'toPorts', 'icmps', ...(deny ? [] : ALLOW_ONLY[direction])];
  const renamed: Record<string, string> = {};
  if (deny && direction === 'egress')
    renamed['toFQDNs'] = 'egressDeny rules cannot name toFQDNs (Cilium has no FQDN deny)';
  for (const key of Object.keys(rule)) {
    const why = renamed[key];
    if (why !== undefined && rule[key] !== null && rule[key] !== undefined) ctx.error([...path, key], why);
  }
  ctx.unknownFields(
    Object.fromEntries(Object.entries(rule).filter(([k]) => renamed[k] === undefined)),
    path,
    [...new Set(known)],
  );
  const present = peerFields.filter((f) => {
    const v = rule[f];
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null;
  });
  if (present.length > 1)
    ctx.error(
      [...path, present[1] ?? ''],
      `combining ${present[0] ?? ''} and ${present[1] ?? ''} in one rule is not supported by Cilium; write one rule per peer kind`,
    );
  if (rule['icmps'] !== undefined && rule['icmps'] !== null)
    ctx.warn(
      [...path, 'icmps'],
      'ICMP rules are not evaluated: netglass checks TCP, UDP and SCTP connections, so verdicts ignore them',
    );
  if (rule['authentication'] !== undefined && rule['authentication'] !== null)
    ctx.warn(
      [...path, 'authentication'],
      'mutual authentication is not evaluated: netglass treats the rule as if authentication succeeds',
    );
  const toPorts = readToPorts(state, rule['toPorts'], [...path, 'toPorts'], deny);
  const field = present[0];
  if (field === undefined) {
    // `{}` matches nothing (the usual way to write default deny); ports alone apply to every peer.
    return { peers: toPorts === 'any' ? 'none' : 'all', toPorts };
  }
  const peers = readPeers(state, field, rule[field], [...path, field]);
  if (!peers) return undefined;
  return { peers, peerField: field, toPorts };
}

function readPeers(
  state: ReadState,
  field: string,
  value: unknown,
  path: FieldPath,
): CiliumPeer[] | undefined {
  const { ctx } = state;
  const list = ctx.list(value, path, `a list for ${field}`);
  if (!list) return undefined;
  const peers: CiliumPeer[] = [];
  const base = field.replace(/^(from|to)/, '');
  if (base === 'Nodes' || base === 'Groups' || base === 'Requires') {
    ctx.warn(
      path,
      base === 'Requires'
        ? `${field} is deprecated in Cilium and not evaluated by netglass: this rule matches nothing here`
        : `${field} is not evaluated (netglass does not model ${base === 'Nodes' ? 'nodes' : 'cloud provider groups'}): this rule matches nothing here`,
    );
    return [{ kind: 'unsupported', field }];
  }
  list.forEach((raw, i) => {
    const p = [...path, i];
    switch (base) {
      case 'Endpoints': {
        const sel = readEndpointSelector(
          ctx,
          raw,
          p,
          state.namespace !== undefined ? { namespace: state.namespace, force: false } : undefined,
        );
        if (sel?.kind === 'selector')
          peers.push({
            kind: 'endpoints',
            namespaceSelector: sel.namespaceSelector,
            podSelector: sel.podSelector,
          });
        else if (sel?.kind === 'unsupported') {
          ctx.warn(
            p,
            `selects by ${sel.why}; netglass cannot tell which pods it selects, so this peer matches nothing here`,
          );
          peers.push({ kind: 'unsupported', field });
        }
        return;
      }
      case 'Entities': {
        if (typeof raw !== 'string') {
          ctx.error(p, `must be a string (an entity: ${CILIUM_ENTITIES.join(', ')}), got ${describe(raw)}`);
          return;
        }
        if ((CILIUM_ENTITIES as readonly string[]).includes(raw)) {
          peers.push({ kind: 'entity', entity: raw as CiliumEntity });
          return;
        }
        const hint = closest(raw, CILIUM_ENTITIES);
        ctx.error(
          p,
          `${JSON.stringify(raw)} is not a Cilium entity${hint ? ` (did you mean ${hint}?)` : ''}; expected one of ${CILIUM_ENTITIES.join(', ')}`,
        );
        return;
      }
      case 'CIDR': {
        const c = readCIDR(ctx, raw, p);
        if (c) peers.push({ kind: 'cidr', cidr: c.canonical, except: [] });
        return;
      }
      case 'CIDRSet': {
        const peer = readCIDRRule(state, raw, p);
        if (peer) peers.push(peer);
        return;
      }
      case 'FQDNs': {
        const f = ctx.object_(raw, p, 'an FQDN selector with matchName or matchPattern');
        if (!f) return;
        ctx.unknownFields(f, p, ['matchName', 'matchPattern']);
        const name = ctx.string(f['matchName'], [...p, 'matchName'], 'a DNS name');
        const pattern = ctx.string(f['matchPattern'], [...p, 'matchPattern'], 'a DNS name pattern');
        if ((name ?? '') === '' && (pattern ?? '') === '') {
          ctx.error(p, 'needs matchName or matchPattern');
          return;
        }
        peers.push({
          kind: 'fqdn',
          pattern: [name, pattern].filter((x) => x !== undefined && x !== '').join(' / '),
        });
        return;
      }
      case 'Services': {
        const s = ctx.object_(raw, p, 'a service with k8sService or k8sServiceSelector');
        if (!s) return;
        ctx.unknownFields(s, p, ['k8sService', 'k8sServiceSelector']);
        const named = ctx.object_(s['k8sService'], [...p, 'k8sService'], 'serviceName and namespace');
        const bySel = ctx.object_(
          s['k8sServiceSelector'],
          [...p, 'k8sServiceSelector'],
          'selector and namespace',
        );
        if (named) {
          ctx.unknownFields(named, [...p, 'k8sService'], ['serviceName', 'namespace']);
          const svc =
            ctx.string(named['serviceName'], [...p, 'k8sService', 'serviceName'], 'a Service name') ?? '';
          const ns =
            ctx.string(named['namespace'], [...p, 'k8sService', 'namespace'], 'a namespace') ??
            state.namespace ??
            '';
          peers.push({ kind: 'service', service: `Service ${ns ? `${ns}/` : ''}${svc}` });
        } else if (bySel) {
          ctx.unknownFields(bySel, [...p, 'k8sServiceSelector'], ['selector', 'namespace']);
          peers.push({ kind: 'service', service: 'the Services its k8sServiceSelector selects' });
        } else ctx.error(p, 'needs k8sService or k8sServiceSelector');
        return;
      }
    }
  });
  return peers;
}

function readCIDR(ctx: ObjectContext, value: unknown, path: FieldPath): ParsedCIDR | undefined {
  if (typeof value !== 'string' || value === '') {
    ctx.error(path, `must be a CIDR like 10.0.0.0/16, got ${describe(value)}`);
    return undefined;
  }
  // Cilium accepts a bare address as a single-host prefix.
  const text = value.includes('/') ? value : `${value}/${value.includes(':') ? 128 : 32}`;
  const c = parseCIDR(text);
  if (typeof c === 'string') {
    ctx.error(path, c);
    return undefined;
  }
  return c;
}

function readCIDRRule(state: ReadState, value: unknown, path: FieldPath): CiliumPeer | undefined {
  const { ctx } = state;
  const r = ctx.object_(value, path, 'a CIDR rule with cidr and except');
  if (!r) return undefined;
  ctx.unknownFields(r, path, ['cidr', 'cidrGroupRef', 'cidrGroupSelector', 'except']);
  if (r['cidr'] === undefined || r['cidr'] === null) {
    if (r['cidrGroupRef'] !== undefined || r['cidrGroupSelector'] !== undefined) {
      ctx.warn(path, 'CiliumCIDRGroup references are not evaluated: this entry matches nothing here');
      return { kind: 'unsupported', field: 'cidrGroupRef' };
    }
    ctx.error(path, 'cidr is missing (e.g. 10.0.0.0/16)');
    return undefined;
  }
  const cidr = readCIDR(ctx, r['cidr'], [...path, 'cidr']);
  const except: string[] = [];
  ctx.list(r['except'], [...path, 'except'], 'CIDRs to exclude')?.forEach((e, i) => {
    const c = readCIDR(ctx, e, [...path, 'except', i]);
    if (!c || !cidr) return;
    if (!isStrictSubset(c, cidr) && c.canonical !== cidr.canonical)
      ctx.error([...path, 'except', i], `${String(e)} is not inside cidr ${cidr.canonical}`);
    except.push(c.canonical);
  });
  return cidr ? { kind: 'cidr', cidr: cidr.canonical, except } : undefined;
}

function readToPorts(
  state: ReadState,
  value: unknown,
  path: FieldPath,
  deny: boolean,
): 'any' | CiliumPortRule[] {
  const { ctx } = state;
  const list = ctx.list(value, path, 'port rules with ports and L7 rules');
  if (!list || list.length === 0) return 'any';
  const out: CiliumPortRule[] = [];
  list.forEach((raw, i) => {
    const p = [...path, i];
    const pr = ctx.object_(raw, p, 'a port rule with ports and rules');
    if (!pr) return;
    const known = deny
      ? ['ports']
      : ['ports', 'rules', 'serverNames', 'terminatingTLS', 'originatingTLS', 'listener'];
    if (deny)
      for (const k of ['rules', 'serverNames', 'listener'])
        if (pr[k] !== undefined && pr[k] !== null)
          ctx.error([...p, k], `deny rules cannot have ${k}: Cilium denies at L3/L4 only`);
    ctx.unknownFields(
      deny
        ? Object.fromEntries(
            Object.entries(pr).filter(([k]) => !['rules', 'serverNames', 'listener'].includes(k)),
          )
        : pr,
      p,
      known,
    );
    const ports: CiliumPort[] = [];
    const plist = ctx.list(pr['ports'], [...p, 'ports'], 'ports with port, endPort and protocol');
    plist?.forEach((x, j) => ports.push(...readPort(state, x, [...p, 'ports', j])));
    const l7 = deny ? undefined : describeL7(state, pr, p);
    out.push({
      ports: plist === undefined || plist.length === 0 ? 'any' : ports,
      ...(l7 !== undefined ? { l7 } : {}),
    });
  });
  return out;
}

function readPort(state: ReadState, value: unknown, path: FieldPath): CiliumPort[] {
  const { ctx } = state;
  const pp = ctx.object_(value, path, 'a port with port, endPort and protocol');
  if (!pp) return [];
  ctx.unknownFields(pp, path, ['port', 'endPort', 'protocol']);
  const rawProto = pp['protocol'];
  let protocols: Protocol[] = [...PROTOCOLS];
  if (rawProto !== undefined && rawProto !== null) {
    const upper = typeof rawProto === 'string' ? rawProto.toUpperCase() : '';
    if (typeof rawProto !== 'string' || !CILIUM_PROTOCOLS.includes(upper) || upper !== rawProto) {
      ctx.error(
        [...path, 'protocol'],
        `${describe(rawProto)} is not a Cilium protocol${CILIUM_PROTOCOLS.includes(upper) ? ` (write ${upper})` : ''}; expected TCP, UDP, SCTP or ANY`,
      );
      return [];
    }
    if (upper === 'ANY') protocols = [...PROTOCOLS];
    else if ((PROTOCOLS as readonly string[]).includes(upper)) protocols = [upper as Protocol];
    else {
      ctx.warn(
        [...path, 'protocol'],
        `${upper} is not evaluated: netglass checks TCP, UDP and SCTP connections, so this entry matches none of them`,
      );
      return [];
    }
  }
  const rawPort = pp['port'];
  let port: number | string | undefined;
  if (rawPort !== undefined && rawPort !== null) {
    if (typeof rawPort !== 'string') {
      ctx.error(
        [...path, 'port'],
        `must be a string (a port number or name), got ${describe(rawPort)}${quoteHint(rawPort)}`,
      );
      return [];
    }
    if (/^[0-9]+$/.test(rawPort)) {
      const n = Number(rawPort);
      if (n > 65535) {
        ctx.error([...path, 'port'], `${rawPort} is out of range; ports are 0 to 65535 (0: every port)`);
        return [];
      }
      if (n > 0) port = n;
    } else {
      const errs = portName(rawPort);
      if (errs.length > 0) {
        ctx.error(
          [...path, 'port'],
          `${JSON.stringify(rawPort)} is not a valid port name: ${errs.join('; ')}`,
        );
        return [];
      }
      port = rawPort;
    }
  }
  const endPort = ctx.integer(pp['endPort'], [...path, 'endPort'], 'the last port of the range');
  if (endPort !== undefined && endPort !== 0) {
    if (typeof port !== 'number') {
      ctx.error([...path, 'endPort'], 'endPort needs a numeric port where the range starts');
      return [];
    }
    if (endPort < port || endPort > 65535) {
      ctx.error([...path, 'endPort'], `must be between port (${port}) and 65535, got ${endPort}`);
      return [];
    }
  }
  return protocols.map((protocol) => ({
    protocol,
    ...(port !== undefined ? { port } : {}),
    ...(endPort !== undefined && endPort !== 0 && typeof port === 'number' && endPort > port
      ? { endPort }
      : {}),
  }));
}

/** A person's summary of a port rule's L7 filters, or undefined when it has none. */
function describeL7(state: ReadState, pr: JsonObject, path: FieldPath): string | undefined {
  const { ctx } = state;
  const parts: string[] = [];
  const rules = ctx.object_(pr['rules'], [...path, 'rules'], 'L7 rules (http, kafka, dns, l7proto)');
  if (rules) {
    ctx.unknownFields(rules, [...path, 'rules'], L7_FIELDS);
    const http = ctx.list(rules['http'], [...path, 'rules', 'http'], 'HTTP rules');
    if (http && http.length > 0)
      parts.push(
        `HTTP ${http
          .map((h) => {
            if (typeof h !== 'object' || h === null) return 'any request';
            const r = h as JsonObject;
            const m = typeof r['method'] === 'string' ? r['method'] : '';
            const p = typeof r['path'] === 'string' ? r['path'] : '';
            return [m, p].filter((x) => x !== '').join(' ') || 'any request';
          })
          .join(', ')}`,
      );
    const dns = ctx.list(rules['dns'], [...path, 'rules', 'dns'], 'DNS rules');
    if (dns && dns.length > 0)
      parts.push(
        `DNS queries for ${dns
          .map((d) => {
            const r = (typeof d === 'object' && d !== null ? d : {}) as JsonObject;
            const name = r['matchName'] ?? r['matchPattern'];
            return typeof name === 'string' ? name : '?';
          })
          .join(', ')}`,
      );
    const kafka = ctx.list(rules['kafka'], [...path, 'rules', 'kafka'], 'Kafka rules');
    if (kafka && kafka.length > 0)
      parts.push(`Kafka requests (${kafka.length} rule${kafka.length > 1 ? 's' : ''})`);
    const proto = rules['l7proto'];
    if (typeof proto === 'string' && proto !== '') parts.push(`${proto} requests`);
  }
  const sni = ctx.list(pr['serverNames'], [...path, 'serverNames'], 'TLS server names');
  if (sni && sni.length > 0) parts.push(`TLS server names ${sni.map(String).join(', ')}`);
  if (pr['listener'] !== undefined && pr['listener'] !== null) parts.push('an Envoy listener');
  return parts.length > 0 ? parts.join('; ') : undefined;
}
