/**
 * A port as people type it: `443`, `53/UDP`, or a container port name (`https`, `dns/UDP`) that the
 * destination pod resolves the way a policy's named port is resolved (named-ports.ts).
 */
import { PROTOCOLS, type Pod, type Protocol } from '../model/snapshot.ts';
import { resolveNamedPort, type NamedPortProbe } from './named-ports.ts';
import type { PortProbe } from './types.ts';

export type PortField =
  | { readonly kind: 'number'; readonly port: number; readonly protocol?: Protocol }
  | ({ readonly kind: 'named' } & NamedPortProbe)
  | {
      readonly kind: 'invalid';
      /** What is wrong, for callers that word it their own way (the CLI's usage errors). */
      readonly problem: 'syntax' | 'protocol' | 'range';
      /** `protocol`: the protocol as written. */
      readonly written?: string;
      readonly message: string;
    };

/** IANA_SVC_NAME, as the API server checks a container port's name. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9](?:-?[a-z0-9])*$/;

const SYNTAX = 'A port is a number from 1 to 65535, or a container port name.';

export function parsePortField(text: string): PortField {
  const m = /^([^/]+)(?:\/([A-Za-z]+))?$/.exec(text.trim());
  if (!m) return { kind: 'invalid', problem: 'syntax', message: SYNTAX };
  const value = m[1] ?? '';
  const written = m[2]?.toUpperCase();
  if (written !== undefined && !(PROTOCOLS as readonly string[]).includes(written))
    return {
      kind: 'invalid',
      problem: 'protocol',
      written: m[2] ?? '',
      message: `Unknown protocol ${m[2] ?? ''} (expected TCP, UDP or SCTP).`,
    };
  const protocol = written as Protocol | undefined;
  if (/^\d+$/.test(value)) {
    const port = Number(value);
    if (port < 1 || port > 65535)
      return { kind: 'invalid', problem: 'range', message: 'A port number is from 1 to 65535.' };
    return { kind: 'number', port, ...(protocol !== undefined ? { protocol } : {}) };
  }
  if (PORT_NAME.test(value) && value.length <= 15)
    return { kind: 'named', name: value, ...(protocol !== undefined ? { protocol } : {}) };
  return { kind: 'invalid', problem: 'syntax', message: SYNTAX };
}

export type ResolvedPort =
  { readonly kind: 'ok'; readonly probe: PortProbe } | { readonly kind: 'error'; readonly message: string };

/**
 * The one probe a parsed field means for a destination (`pod` undefined: an address), with
 * `protocol` for a number typed without one.
 */
export function resolvePortField(
  field: PortField,
  pod: Pick<Pod, 'ports' | 'namespace' | 'name'> | undefined,
  protocol: Protocol,
): ResolvedPort {
  if (field.kind === 'invalid') return { kind: 'error', message: field.message };
  if (field.kind === 'number')
    return { kind: 'ok', probe: { port: field.port, protocol: field.protocol ?? protocol } };
  if (pod === undefined)
    return { kind: 'error', message: `${field.name} is a port name; only a destination pod can resolve it.` };
  const found = resolveNamedPort(pod, field);
  const where = `${pod.namespace}/${pod.name}`;
  const [only] = found;
  if (only === undefined)
    return { kind: 'error', message: `${where} declares no container port named ${field.name}.` };
  if (found.length > 1)
    return {
      kind: 'error',
      message: `${where} declares ${field.name} on several ports (${found.map((p) => `${p.protocol} ${p.port}`).join(', ')}); type the number.`,
    };
  return { kind: 'ok', probe: only };
}
