/**
 * Calico resources (projectcalico.org/v3, and the crd.projectcalico.org/v1 form Calico stores them in)
 * → CalicoPolicy / CalicoTier / CalicoNetworkSet.
 *
 * Follows Calico's resource reference (NetworkPolicy, GlobalNetworkPolicy, Tier, NetworkSet,
 * GlobalNetworkSet, the Rule and EntityRule tables): `selector`s are Calico selector expressions
 * (checked here, with the column of a syntax error), `tier` defaults to `default`, a policy name may
 * carry its tier as a `<tier>.` prefix (required before Calico 3.32, optional since; the CRD storage
 * form writes it even for `default`), `types` defaults from the rules present, ports are numbers,
 * ranges `a:b` or named ports. Unknown fields are errors as kubectl's strict decoding makes them; an
 * object with an error is not loaded. Staged kinds are read as drafts (not enforced). What netglass
 * cannot evaluate (host endpoint options, ICMP, HTTP, service accounts) is kept so that verdicts that
 * depend on it say so.
 */
import type {
  CalicoAction,
  CalicoEntityRule,
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoPolicyKind,
  CalicoPort,
  CalicoProtocol,
  CalicoRule,
  CalicoTier,
  PolicyType,
} from '../model/snapshot.ts';
import { parseCIDR } from '../net/address.ts';
import { parseCalicoSelector } from '../eval/calico-selector.ts';
import { checkName, markNotLoaded, readAnnotations, readLabels } from './common-fields.ts';
import type { RawObject } from './common-fields.ts';
import type { FieldPath } from './documents.ts';
import { describe } from './fields.ts';
import type { JsonObject, ObjectContext } from './fields.ts';
import { closest, portName } from './names.ts';

export const CALICO_API_VERSIONS = ['projectcalico.org/v3', 'crd.projectcalico.org/v1'];

export const CALICO_KINDS = [
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
  'Tier',
  'NetworkSet',
  'GlobalNetworkSet',
] as const;
export type CalicoKind = (typeof CALICO_KINDS)[number];

/** Whether an object is one the Calico reader takes (a Calico API group and one of its kinds). */
export function isCalicoObject(apiVersion: string, kind: string): kind is CalicoKind {
  return (
    (apiVersion.startsWith('projectcalico.org/') || apiVersion.startsWith('crd.projectcalico.org/')) &&
    (CALICO_KINDS as readonly string[]).includes(kind)
  );
}

export interface CalicoCollector {
  readonly calicoPolicies: CalicoPolicy[];
  readonly calicoTiers: CalicoTier[];
  readonly calicoNetworkSets: CalicoNetworkSet[];
}

const POLICY_FIELDS = [
  'order',
  'tier',
  'selector',
  'namespaceSelector',
  'serviceAccountSelector',
  'types',
  'ingress',
  'egress',
  'doNotTrack',
  'preDNAT',
  'applyOnForward',
  'performanceHints',
  'stagedAction',
];
const RULE_FIELDS = [
  'action',
  'protocol',
  'notProtocol',
  'icmp',
  'notICMP',
  'ipVersion',
  'source',
  'destination',
  'http',
  'metadata',
];
const ENTITY_FIELDS = [
  'selector',
  'notSelector',
  'namespaceSelector',
  'nets',
  'notNets',
  'net',
  'notNet',
  'ports',
  'notPorts',
  'serviceAccounts',
  'services',
];
const ACTIONS: readonly CalicoAction[] = ['Allow', 'Deny', 'Log', 'Pass'];
const OTHER_PROTOCOLS = ['ICMP', 'ICMPv6', 'UDPLite'];
const PROTOCOL_NUMBERS: Readonly<Record<number, CalicoProtocol>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

function apiOk(ctx: ObjectContext, obj: RawObject, what: string): boolean {
  if (CALICO_API_VERSIONS.includes(obj.apiVersion)) return true;
  ctx.error(
    ['apiVersion'],
    `apiVersion ${JSON.stringify(obj.apiVersion)} is not supported for ${obj.kind}; expected ${CALICO_API_VERSIONS.join(' or ')}; ${what} was not loaded`,
  );
  return false;
}

/** Reads any Calico object the reader takes. */
export function readCalicoObject(
  out: CalicoCollector,
  ctx: ObjectContext,
  obj: RawObject,
  kind: CalicoKind,
  namespace: string,
): void {
  switch (kind) {
    case 'Tier':
      readTier(out, ctx, obj);
      return;
    case 'NetworkSet':
    case 'GlobalNetworkSet':
      readNetworkSet(out, ctx, obj, kind, namespace);
      return;
    case 'NetworkPolicy':
    case 'GlobalNetworkPolicy':
    case 'StagedNetworkPolicy':
    case 'StagedGlobalNetworkPolicy':
      readCalicoPolicy(out, ctx, obj, kind, namespace);
  }
}

function readTier(out: CalicoCollector, ctx: ObjectContext, obj: RawObject): void {
  const what = `Tier ${obj.name}`;
  ctx.object = what;
  if (!apiOk(ctx, obj, what)) return;
  const start = ctx.issues.length;
  checkName(ctx, obj, 'label');
  ctx.unknownFields(obj.value, [], ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const spec = ctx.object_(obj.value['spec'], ['spec'], 'the tier') ?? {};
  ctx.unknownFields(spec, ['spec'], ['order', 'defaultAction']);
  const order = readOrder(ctx, spec['order'], ['spec', 'order']);
  const action = ctx.string(spec['defaultAction'], ['spec', 'defaultAction'], 'Deny or Pass');
  if (action !== undefined && action !== 'Deny' && action !== 'Pass')
    ctx.error(['spec', 'defaultAction'], `must be Deny or Pass, got ${JSON.stringify(action)}`);
  if (ctx.failed) {
    markNotLoaded(ctx, start, what);
    return;
  }
  out.calicoTiers.push({
    name: obj.name,
    ...(order !== undefined ? { order } : {}),
    defaultAction: action === 'Pass' ? 'Pass' : 'Deny',
    location: ctx.location([]),
  });
}

function readNetworkSet(
  out: CalicoCollector,
  ctx: ObjectContext,
  obj: RawObject,
  kind: 'NetworkSet' | 'GlobalNetworkSet',
  namespace: string,
): void {
  const namespaced = kind === 'NetworkSet';
  const what = namespaced ? `${kind} ${namespace}/${obj.name}` : `${kind} ${obj.name}`;
  ctx.object = what;
  if (!apiOk(ctx, obj, what)) return;
  const start = ctx.issues.length;
  checkName(ctx, obj, 'subdomain');
  ctx.unknownFields(obj.value, [], ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const labels = readLabels(ctx, obj.metadata['labels'], ['metadata', 'labels'], 'labels', true);
  const spec = ctx.object_(obj.value['spec'], ['spec'], 'the network set') ?? {};
  ctx.unknownFields(spec, ['spec'], namespaced ? ['nets'] : ['nets', 'allowedEgressDomains']);
  const nets = readNets(ctx, spec['nets'], ['spec', 'nets']);
  if (spec['allowedEgressDomains'] !== undefined)
    ctx.warn(
      ['spec', 'allowedEgressDomains'],
      'domain names are not evaluated: netglass cannot resolve them, so verdicts use the nets only',
    );
  if (ctx.failed) {
    markNotLoaded(ctx, start, what);
    return;
  }
  out.calicoNetworkSets.push({
    kind,
    ...(namespaced ? { namespace } : {}),
    name: obj.name,
    labels,
    nets,
    location: ctx.location([]),
  });
}

function readOrder(ctx: ObjectContext, value: unknown, path: FieldPath): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  ctx.error(path, `must be a number (lower goes first), got ${describe(value)}`);
  return undefined;
}

function readSelectorText(
  ctx: ObjectContext,
  value: unknown,
  path: FieldPath,
  what: string,
): string | undefined {
  const text = ctx.string(value, path, `a Calico selector: ${what}`);
  if (text === undefined) return undefined;
  const parsed = parseCalicoSelector(text);
  if (!parsed.ok) {
    ctx.error(
      path,
      `is not a valid Calico selector: ${parsed.error.message} (column ${parsed.error.column} of ${JSON.stringify(text)})`,
    );
    return undefined;
  }
  return text;
}

function readNets(ctx: ObjectContext, value: unknown, path: FieldPath): string[] {
  const list = ctx.list(value, path, 'CIDRs or addresses');
  const out: string[] = [];
  list?.forEach((raw, i) => {
    const text = ctx.string(raw, [...path, i], 'a CIDR or an address');
    if (text === undefined) return;
    // Calico takes a bare address as a /32 (/128).
    const cidr = text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`;
    const parsed = parseCIDR(cidr);
    if (typeof parsed === 'string') {
      ctx.error([...path, i], `is not a CIDR or an IP address: ${parsed}`);
      return;
    }
    out.push(cidr);
  });
  return out;
}

function readPolicyName(
  ctx: ObjectContext,
  obj: RawObject,
  tier: string,
): { name: string; prefixed: boolean } {
  const prefix = `${tier}.`;
  if (obj.name.startsWith(prefix) && obj.name.length > prefix.length)
    return { name: obj.name.slice(prefix.length), prefixed: true };
  // Before Calico 3.32 a policy outside the default tier had to be named `<tier>.<name>`.
  if (tier !== 'default' && obj.apiVersion === 'crd.projectcalico.org/v1')
    ctx.info(
      ['metadata', 'name'],
      `has no "${prefix}" prefix: Calico before 3.32 stores policies of tier ${tier} as ${prefix}<name>`,
    );
  return { name: obj.name, prefixed: false };
}

export function readCalicoPolicy(
  out: CalicoCollector,
  ctx: ObjectContext,
  obj: RawObject,
  kind: CalicoPolicyKind,
  namespace: string,
): void {
  const namespaced = kind === 'NetworkPolicy' || kind === 'StagedNetworkPolicy';
  const initial = namespaced ? `${kind} ${namespace}/${obj.name}` : `${kind} ${obj.name}`;
  ctx.object = `Calico ${initial}`;
  if (!apiOk(ctx, obj, initial)) return;
  const start = ctx.issues.length;
  checkName(ctx, obj, 'subdomain');
  if (!namespaced) {
    const ns = obj.metadata['namespace'];
    if (typeof ns === 'string' && ns !== '')
      ctx.warn(['metadata', 'namespace'], `is ignored: ${kind} is cluster-scoped (${describe(ns)})`);
  }
  ctx.unknownFields(obj.value, [], ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const labels = readLabels(ctx, obj.metadata['labels'], ['metadata', 'labels'], 'labels', true);
  const annotations = readAnnotations(ctx, obj.metadata['annotations'], ['metadata', 'annotations']);
  const spec = ctx.object_(obj.value['spec'], ['spec'], 'the policy') ?? {};
  const known = namespaced ? POLICY_FIELDS.filter((f) => f !== 'namespaceSelector') : POLICY_FIELDS;
  ctx.unknownFields(
    spec,
    ['spec'],
    kind.startsWith('Staged') ? known : known.filter((f) => f !== 'stagedAction'),
  );
  const tierText = ctx.string(spec['tier'], ['spec', 'tier'], 'the tier name');
  const tier = tierText === undefined || tierText === '' ? 'default' : tierText;
  const { name } = readPolicyName(ctx, obj, tier);
  const order = readOrder(ctx, spec['order'], ['spec', 'order']);
  const selector = readSelectorText(
    ctx,
    spec['selector'],
    ['spec', 'selector'],
    'the endpoints it applies to',
  );
  const namespaceSelector = readSelectorText(
    ctx,
    spec['namespaceSelector'],
    ['spec', 'namespaceSelector'],
    'the namespaces of the endpoints it applies to',
  );
  const serviceAccountSelector = readSelectorText(
    ctx,
    spec['serviceAccountSelector'],
    ['spec', 'serviceAccountSelector'],
    'the service accounts of the endpoints it applies to',
  );
  for (const f of ['doNotTrack', 'preDNAT', 'applyOnForward'])
    if (spec[f] === true)
      ctx.warn(
        ['spec', f],
        `${f} policies apply to host endpoints, which netglass does not model: verdicts ignore this policy`,
      );
  const ingress = readRules(ctx, spec['ingress'], ['spec', 'ingress'], 'ingress');
  const egress = readRules(ctx, spec['egress'], ['spec', 'egress'], 'egress');
  const typesList = ctx.list(spec['types'], ['spec', 'types'], 'Ingress and/or Egress');
  const types: PolicyType[] = [];
  typesList?.forEach((t, i) => {
    if (t === 'Ingress' || t === 'Egress') {
      if (!types.includes(t)) types.push(t);
      return;
    }
    const hint = typeof t === 'string' ? closest(t, ['Ingress', 'Egress']) : undefined;
    ctx.error(
      ['spec', 'types', i],
      `must be Ingress or Egress, got ${describe(t)}${hint ? ` (did you mean ${hint}?)` : ''}`,
    );
  });
  // Calico's default: Egress alone for a policy with egress rules only, Ingress plus Egress with
  // both, else Ingress.
  const typesDeclared = typesList !== undefined && typesList.length > 0;
  const effective: PolicyType[] = typesDeclared
    ? types
    : egress.length > 0 && ingress.length === 0
      ? ['Egress']
      : egress.length > 0
        ? ['Ingress', 'Egress']
        : ['Ingress'];
  for (const [list, type] of [
    [ingress, 'Ingress'],
    [egress, 'Egress'],
  ] as const)
    if (typesDeclared && list.length > 0 && !types.includes(type))
      ctx.warn(
        ['spec', type.toLowerCase()],
        `has rules, but types does not list ${type}: Calico ignores these rules`,
      );
  egress.forEach((r, i) => {
    if (r.http !== undefined)
      ctx.error(
        ['spec', 'egress', i, 'http'],
        'is only valid in ingress rules (Calico refuses it in egress rules)',
      );
  });
  const what = namespaced ? `${kind} ${namespace}/${tier}.${name}` : `${kind} ${tier}.${name}`;
  if (ctx.failed) {
    markNotLoaded(ctx, start, `Calico ${initial}`);
    return;
  }
  const staged = kind.startsWith('Staged');
  if (staged)
    ctx.info([], `Calico ${what} is staged: it is listed as a what-if draft and does not change any verdict`);
  out.calicoPolicies.push({
    kind,
    apiVersion: obj.apiVersion,
    ...(namespaced ? { namespace } : {}),
    name,
    writtenName: obj.name,
    tier,
    ...(order !== undefined ? { order } : {}),
    selector: selector ?? '',
    ...(namespaceSelector !== undefined ? { namespaceSelector } : {}),
    ...(serviceAccountSelector !== undefined ? { serviceAccountSelector } : {}),
    types: effective,
    typesDeclared,
    ingress,
    egress,
    staged,
    labels,
    annotations,
    location: ctx.location([]),
  });
}

function readRules(
  ctx: ObjectContext,
  value: unknown,
  path: FieldPath,
  direction: 'ingress' | 'egress',
): CalicoRule[] {
  const list = ctx.list(value, path, `${direction} rules`);
  const out: CalicoRule[] = [];
  list?.forEach((raw, i) => {
    const r = readRule(ctx, raw, [...path, i]);
    if (r) out.push(r);
  });
  return out;
}

function readProtocolField(ctx: ObjectContext, value: unknown, path: FieldPath): CalicoProtocol | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > 255) {
      ctx.error(path, `must be a protocol name or a number 1-255, got ${value}`);
      return undefined;
    }
    return PROTOCOL_NUMBERS[value] ?? { other: String(value) };
  }
  if (typeof value !== 'string') {
    ctx.error(path, `must be a protocol name or number, got ${describe(value)}`);
    return undefined;
  }
  const upper = value.toUpperCase();
  if (upper === 'TCP' || upper === 'UDP' || upper === 'SCTP') return upper;
  const other = OTHER_PROTOCOLS.find((p) => p.toUpperCase() === upper);
  if (other) return { other };
  const hint = closest(value, ['TCP', 'UDP', 'SCTP', ...OTHER_PROTOCOLS]);
  ctx.error(
    path,
    `unknown protocol ${JSON.stringify(value)}${hint ? ` (did you mean ${hint}?)` : ''}; expected TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number`,
  );
  return undefined;
}

function readRule(ctx: ObjectContext, value: unknown, path: FieldPath): CalicoRule | undefined {
  const rule = ctx.object_(value, path, 'a rule with an action');
  if (!rule) {
    if (value === null) ctx.error(path, 'must be a rule, got null');
    return undefined;
  }
  ctx.unknownFields(rule, path, RULE_FIELDS);
  const actionText = ctx.string(rule['action'], [...path, 'action'], 'Allow, Deny, Log or Pass');
  let action: CalicoAction | undefined;
  if (actionText === undefined)
    ctx.error([...path, 'action'], 'is missing: a rule needs Allow, Deny, Log or Pass');
  else {
    action = ACTIONS.find((a) => a.toLowerCase() === actionText.toLowerCase());
    if (!action) {
      const hint = closest(actionText, ACTIONS);
      ctx.error(
        [...path, 'action'],
        `must be Allow, Deny, Log or Pass, got ${JSON.stringify(actionText)}${hint ? ` (did you mean ${hint}?)` : ''}`,
      );
    }
  }
  const protocol = readProtocolField(ctx, rule['protocol'], [...path, 'protocol']);
  const notProtocol = readProtocolField(ctx, rule['notProtocol'], [...path, 'notProtocol']);
  const source = readEntity(ctx, rule['source'], [...path, 'source']);
  const destination = readEntity(ctx, rule['destination'], [...path, 'destination']);
  for (const [e, side] of [
    [source, 'source'],
    [destination, 'destination'],
  ] as const) {
    if (e.ports.length + e.notPorts.length === 0) continue;
    const p = protocol;
    if (p === undefined || typeof p !== 'string')
      ctx.error(
        [...path, 'protocol'],
        `must be TCP, UDP or SCTP when ${side} has ports (Calico refuses ports without such a protocol)`,
      );
  }
  const parts: string[] = [];
  if (rule['icmp'] !== undefined && rule['icmp'] !== null) parts.push('icmp');
  if (rule['notICMP'] !== undefined && rule['notICMP'] !== null) parts.push('notICMP');
  const ipVersion = rule['ipVersion'];
  if (ipVersion !== undefined && ipVersion !== null && ipVersion !== 4 && ipVersion !== 6)
    ctx.error([...path, 'ipVersion'], `must be 4 or 6, got ${describe(ipVersion)}`);
  else if (ipVersion !== undefined && ipVersion !== null) parts.push(`ipVersion ${String(ipVersion)}`);
  let http: string | undefined;
  const httpObj = ctx.object_(rule['http'], [...path, 'http'], 'methods and paths');
  if (httpObj) {
    ctx.unknownFields(httpObj, [...path, 'http'], ['methods', 'paths', 'headers']);
    const methods = ctx.list(httpObj['methods'], [...path, 'http', 'methods'], 'HTTP methods') ?? [];
    const paths = ctx.list(httpObj['paths'], [...path, 'http', 'paths'], 'path matches') ?? [];
    const pathText = paths.map((p) =>
      typeof p === 'object' && p !== null
        ? Object.entries(p as JsonObject)
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(' ')
        : String(p),
    );
    http = `HTTP ${methods.length > 0 ? methods.map(String).join('/') : 'any method'}${pathText.length > 0 ? ` ${pathText.join(', ')}` : ''}`;
  }
  if (!action) return undefined;
  return {
    action,
    ...(protocol !== undefined ? { protocol } : {}),
    ...(notProtocol !== undefined ? { notProtocol } : {}),
    source,
    destination,
    ...(http !== undefined ? { http } : {}),
    ...(parts.length > 0 ? { other: parts.join(', ') } : {}),
  };
}

function readPorts(ctx: ObjectContext, value: unknown, path: FieldPath): CalicoPort[] {
  const list = ctx.list(value, path, 'ports: numbers, ranges "a:b" or port names');
  const out: CalicoPort[] = [];
  const valid = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 65535;
  list?.forEach((raw, i) => {
    const p: FieldPath = [...path, i];
    if (typeof raw === 'number') {
      if (!valid(raw)) ctx.error(p, `must be a port 0-65535, got ${raw}`);
      else out.push({ kind: 'range', from: raw, to: raw });
      return;
    }
    if (typeof raw !== 'string') {
      ctx.error(p, `must be a port, a range "a:b" or a port name, got ${describe(raw)}`);
      return;
    }
    const range = /^(\d+):(\d+)$/.exec(raw);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (!valid(from) || !valid(to) || from > to)
        ctx.error(p, `${JSON.stringify(raw)} is not a port range: expected a:b with 0 ≤ a ≤ b ≤ 65535`);
      else out.push({ kind: 'range', from, to });
      return;
    }
    if (/^\d+$/.test(raw)) {
      const n = Number(raw);
      if (!valid(n)) ctx.error(p, `must be a port 0-65535, got ${raw}`);
      else out.push({ kind: 'range', from: n, to: n });
      return;
    }
    const errs = portName(raw);
    if (errs.length > 0)
      ctx.error(p, `${JSON.stringify(raw)} is not a port, a range or a port name: ${errs.join('; ')}`);
    else out.push({ kind: 'named', name: raw });
  });
  return out;
}

function readEntity(ctx: ObjectContext, value: unknown, path: FieldPath): CalicoEntityRule {
  const e = ctx.object_(value, path, 'selector, namespaceSelector, nets, ports, ...') ?? {};
  ctx.unknownFields(e, path, ENTITY_FIELDS);
  const selector = readSelectorText(ctx, e['selector'], [...path, 'selector'], 'the endpoints it matches');
  const notSelector = readSelectorText(
    ctx,
    e['notSelector'],
    [...path, 'notSelector'],
    'the endpoints it excludes',
  );
  const namespaceSelector = readSelectorText(
    ctx,
    e['namespaceSelector'],
    [...path, 'namespaceSelector'],
    'the namespaces it matches',
  );
  const nets = readNets(ctx, e['nets'], [...path, 'nets']);
  const notNets = readNets(ctx, e['notNets'], [...path, 'notNets']);
  // `net` / `notNet` are the older single-CIDR spellings of the lists.
  if (e['net'] !== undefined && e['net'] !== null) nets.push(...readNets(ctx, [e['net']], [...path, 'net']));
  if (e['notNet'] !== undefined && e['notNet'] !== null)
    notNets.push(...readNets(ctx, [e['notNet']], [...path, 'notNet']));
  const ports = readPorts(ctx, e['ports'], [...path, 'ports']);
  const notPorts = readPorts(ctx, e['notPorts'], [...path, 'notPorts']);
  let serviceAccounts: CalicoEntityRule['serviceAccounts'];
  const sa = ctx.object_(e['serviceAccounts'], [...path, 'serviceAccounts'], 'names and/or selector');
  if (sa) {
    ctx.unknownFields(sa, [...path, 'serviceAccounts'], ['names', 'selector']);
    const names = (
      ctx.list(sa['names'], [...path, 'serviceAccounts', 'names'], 'service account names') ?? []
    ).map(String);
    const sel = readSelectorText(
      ctx,
      sa['selector'],
      [...path, 'serviceAccounts', 'selector'],
      'service account labels',
    );
    serviceAccounts = { names, ...(sel !== undefined ? { selector: sel } : {}) };
  }
  let services: CalicoEntityRule['services'];
  const svc = ctx.object_(e['services'], [...path, 'services'], 'a Service name and namespace');
  if (svc) {
    ctx.unknownFields(svc, [...path, 'services'], ['name', 'namespace']);
    const name = ctx.string(svc['name'], [...path, 'services', 'name'], 'the Service name');
    const ns = ctx.string(svc['namespace'], [...path, 'services', 'namespace'], 'the Service namespace');
    if (name === undefined) ctx.error([...path, 'services', 'name'], 'is missing: services needs a name');
    else services = { name, ...(ns !== undefined ? { namespace: ns } : {}) };
  }
  return {
    ...(selector !== undefined ? { selector } : {}),
    ...(notSelector !== undefined ? { notSelector } : {}),
    ...(namespaceSelector !== undefined ? { namespaceSelector } : {}),
    nets,
    notNets,
    ports,
    notPorts,
    ...(serviceAccounts ? { serviceAccounts } : {}),
    ...(services ? { services } : {}),
  };
}
