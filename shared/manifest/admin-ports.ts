/**
 * The port lists of admin rules → AdminPort[]:
 * - v1alpha2/v1beta1 `protocols[]`: exactly one of `tcp` | `udp` | `sctp` (each with `destinationPort`:
 *   exactly one of `number` | `range{start < end}`) or `destinationNamedPort`;
 * - v1alpha1 `ports[]`: exactly one of `portNumber{protocol, port}` | `portRange{protocol, start, end}`
 *   | `namedPort`.
 * The docs read a protocol without destinationPort as "every port of it", but the CRD marks the
 * per-protocol struct MinProperties=1, so the API server refuses `tcp: {}`; so does netglass.
 */
import type { AdminPort, Protocol } from '../model/snapshot.ts';
import { readProtocol } from './common-fields.ts';
import type { FieldPath } from './documents.ts';
import { describe } from './fields.ts';
import type { JsonObject } from './fields.ts';
import { portName } from './names.ts';
import type { AdminReadState } from './admin-schema.ts';
import {
  andList,
  boundedInteger,
  boundedList,
  noteExperimental,
  orList,
  setFields,
  unknownSetFields,
} from './admin-schema.ts';

/** A rule's ports, and where its named ports are (for the CRD rule against networks/nodes/domainNames). */
export interface RulePorts {
  readonly ports: 'any' | readonly AdminPort[];
  readonly namedAt: readonly FieldPath[];
}

const PROTOCOL_FIELDS: Readonly<Record<string, Protocol>> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };
const CNP_PORT_FIELDS = ['tcp', 'udp', 'sctp', 'destinationNamedPort'];
const LEGACY_PORT_FIELDS = ['portNumber', 'portRange', 'namedPort'];

export function readRulePorts(state: AdminReadState, value: unknown, path: FieldPath): RulePorts {
  const { ctx, schema } = state;
  const list = boundedList(ctx, value, path, 'ports to match', {
    min: schema.minPorts,
    max: schema.maxPorts,
    required: false,
    hint: '; to match every port, leave the field out',
  });
  if (!list || list.length === 0) return { ports: 'any', namedAt: [] };
  const ports: AdminPort[] = [];
  const namedAt: FieldPath[] = [];
  list.forEach((entry, i) => {
    const epath = [...path, i];
    const port = schema.legacy ? readLegacyPort(state, entry, epath) : readProtocolEntry(state, entry, epath);
    if (!port) return;
    ports.push(port.port);
    if (port.port.kind === 'named') namedAt.push(port.at);
  });
  return { ports, namedAt };
}

/** The one set field of a "exactly one of" struct, or undefined after an error. */
function oneOf(
  state: AdminReadState,
  obj: JsonObject,
  path: FieldPath,
  fields: readonly string[],
): string | undefined {
  const { ctx } = state;
  if (unknownSetFields(ctx, obj, path, fields).length > 0) return undefined;
  const set = setFields(obj).filter((k) => fields.includes(k));
  if (set.length === 0) {
    ctx.error(path, `must set exactly one of ${orList(fields)}, got none`);
    return undefined;
  }
  if (set.length > 1) {
    ctx.error(
      path,
      `must set exactly one of ${orList(fields)}, got ${andList(set)} (use one entry for each)`,
    );
    return undefined;
  }
  return set[0];
}

function entryObject(
  state: AdminReadState,
  value: unknown,
  path: FieldPath,
  what: string,
): JsonObject | undefined {
  if (value === null || value === undefined) {
    state.ctx.error(path, `must be ${what}, got null`);
    return undefined;
  }
  return state.ctx.object_(value, path, what);
}

interface ReadPort {
  readonly port: AdminPort;
  readonly at: FieldPath;
}

// ---------------------------------------------------------------- v1alpha2 / v1beta1 protocols

function readProtocolEntry(state: AdminReadState, value: unknown, path: FieldPath): ReadPort | undefined {
  const { ctx } = state;
  const entry = entryObject(state, value, path, 'a protocol entry (tcp, udp, sctp or destinationNamedPort)');
  if (!entry) return undefined;
  const field = oneOf(state, entry, path, CNP_PORT_FIELDS);
  if (field === undefined) return undefined;
  const fpath = [...path, field];
  if (field === 'destinationNamedPort') {
    noteExperimental(state, field, fpath);
    const name = readPortName(state, entry[field], fpath);
    return name === undefined ? undefined : { port: { kind: 'named', name }, at: fpath };
  }
  const protocol = PROTOCOL_FIELDS[field];
  if (protocol === undefined) return undefined;
  const proto = ctx.object_(entry[field], fpath, `${protocol} match with destinationPort`);
  if (!proto) return undefined;
  if (unknownSetFields(ctx, proto, fpath, ['destinationPort']).length > 0) return undefined;
  const dpath = [...fpath, 'destinationPort'];
  if (proto['destinationPort'] === undefined || proto['destinationPort'] === null) {
    ctx.error(
      fpath,
      `must set destinationPort: the CRD refuses an empty ${field} (to match every ${protocol} port, write destinationPort: {range: {start: 1, end: 65535}})`,
    );
    return undefined;
  }
  const dest = ctx.object_(proto['destinationPort'], dpath, 'a destination port: number or range');
  if (!dest) return undefined;
  const which = oneOf(state, dest, dpath, ['number', 'range']);
  if (which === 'number') {
    const port = boundedInteger(ctx, dest['number'], [...dpath, 'number'], 'a port number', 1, 65535);
    return port === undefined ? undefined : { port: { kind: 'port', protocol, port }, at: fpath };
  }
  if (which === 'range') {
    const range = readRange(state, dest['range'], [...dpath, 'range'], ['start', 'end'], true);
    return range === undefined ? undefined : { port: { kind: 'port', protocol, ...range }, at: fpath };
  }
  return undefined;
}

/**
 * `{start, end}` (plus `protocol` in v1alpha1) → port/endPort. v1alpha2's CRD requires start < end
 * (CEL); v1alpha1's CRD has no rule, and its docs ask for start < end, so netglass refuses only an
 * empty range (start > end) there and reads start = end as one port.
 */
function readRange(
  state: AdminReadState,
  value: unknown,
  path: FieldPath,
  fields: readonly string[],
  strict: boolean,
): { port: number; endPort?: number } | undefined {
  const { ctx } = state;
  const range = ctx.object_(value, path, 'a port range with start and end');
  if (!range) return undefined;
  if (unknownSetFields(ctx, range, path, fields).length > 0) return undefined;
  const start = boundedInteger(
    ctx,
    range['start'],
    [...path, 'start'],
    'the first port of the range',
    1,
    65535,
  );
  const end = boundedInteger(ctx, range['end'], [...path, 'end'], 'the last port of the range', 1, 65535);
  if (start === undefined || end === undefined) return undefined;
  if (start > end || (strict && start === end)) {
    ctx.error(
      path,
      `start (${start}) must be less than end (${end})${start === end ? ` (for one port, write number: ${start})` : ''}`,
    );
    return undefined;
  }
  return start === end ? { port: start } : { port: start, endPort: end };
}

/**
 * A named port. The CRD accepts any string, but container port names are IANA_SVC_NAMEs, so another
 * name matches no port: a warning, and the rule matches nothing through it.
 */
function readPortName(state: AdminReadState, value: unknown, path: FieldPath): string | undefined {
  const { ctx } = state;
  if (typeof value !== 'string') {
    ctx.error(path, `must be a string (a container port name), got ${describe(value)}`);
    return undefined;
  }
  if (value === '') {
    ctx.error(path, 'must be a container port name, got an empty string');
    return undefined;
  }
  const errs = portName(value);
  if (errs.length > 0) {
    const hint = /^[0-9]+$/.test(value) ? ' (for a port number, use a number field instead)' : '';
    ctx.warn(
      path,
      `${JSON.stringify(value)} can never name a container port (port names are IANA_SVC_NAMEs: ${errs.join('; ')})${hint}, so it matches nothing`,
    );
  }
  return value;
}

// ---------------------------------------------------------------- v1alpha1 ports

function readLegacyPort(state: AdminReadState, value: unknown, path: FieldPath): ReadPort | undefined {
  const { ctx } = state;
  const entry = entryObject(state, value, path, 'a port entry (portNumber, portRange or namedPort)');
  if (!entry) return undefined;
  const field = oneOf(state, entry, path, LEGACY_PORT_FIELDS);
  if (field === undefined) return undefined;
  const fpath = [...path, field];
  if (field === 'namedPort') {
    noteExperimental(state, field, fpath);
    const name = readPortName(state, entry[field], fpath);
    return name === undefined ? undefined : { port: { kind: 'named', name }, at: fpath };
  }
  if (field === 'portNumber') {
    const p = ctx.object_(entry[field], fpath, 'a port with protocol and port');
    if (!p) return undefined;
    if (unknownSetFields(ctx, p, fpath, ['protocol', 'port']).length > 0) return undefined;
    // The CRD defaults protocol to TCP.
    const protocol = readProtocol(ctx, p['protocol'], [...fpath, 'protocol']);
    const port = boundedInteger(ctx, p['port'], [...fpath, 'port'], 'a port number', 1, 65535);
    if (protocol === undefined || port === undefined) return undefined;
    return { port: { kind: 'port', protocol, port }, at: fpath };
  }
  const r = ctx.object_(entry[field], fpath, 'a port range with protocol, start and end');
  if (!r) return undefined;
  const protocol = readProtocol(ctx, r['protocol'], [...fpath, 'protocol']);
  const range = readRange(state, r, fpath, ['protocol', 'start', 'end'], false);
  if (protocol === undefined || range === undefined) return undefined;
  return { port: { kind: 'port', protocol, ...range }, at: fpath };
}
