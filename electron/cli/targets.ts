/**
 * Command-line endpoints and ports: `ns/pod` or an IP address; `80`, `80/TCP`, `53/udp`, or a
 * container port name (`http`, `dns/UDP`) resolved on each destination pod as policies resolve it.
 */
import type { Pod } from '../../shared/model/snapshot.ts';
import type { Peer, PortProbe } from '../../shared/eval/index.ts';
import { closest } from '../../shared/manifest/index.ts';
import { parseIP } from '../../shared/net/address.ts';
import { declaredPortNames, resolveNamedPort } from '../../shared/eval/named-ports.ts';
import { parsePortField } from '../../shared/eval/port-field.ts';
import type { NamedPortProbe } from '../../shared/eval/named-ports.ts';
import { UsageError } from './args.ts';

/** A `--port` value: a number, or a name each destination pod resolves (see shared/eval/named-ports.ts). */
export type PortSpec =
  { readonly kind: 'number'; readonly probe: PortProbe } | ({ readonly kind: 'named' } & NamedPortProbe);

/** The shared parser (the Reach panel's port field uses it too); the words are the CLI's. */
export function parsePortSpec(text: string): PortSpec {
  const field = parsePortField(text);
  switch (field.kind) {
    case 'number':
      return { kind: 'number', probe: { port: field.port, protocol: field.protocol ?? 'TCP' } };
    case 'named':
      return {
        kind: 'named',
        name: field.name,
        ...(field.protocol !== undefined ? { protocol: field.protocol } : {}),
      };
    case 'invalid':
      throw new UsageError(
        field.problem === 'protocol'
          ? `invalid port ${JSON.stringify(text)}: unknown protocol ${field.written ?? ''} (expected TCP, UDP or SCTP)`
          : field.problem === 'range'
            ? `invalid port ${JSON.stringify(text)}: the number must be between 1 and 65535`
            : `invalid port ${JSON.stringify(text)}: expected <number>[/TCP|UDP|SCTP] or a container port name[/protocol], e.g. 80, 53/UDP or http`,
      );
  }
}

/** A numeric port only (`80`, `53/UDP`). */
export function parsePort(text: string): PortProbe {
  const spec = parsePortSpec(text);
  if (spec.kind === 'named') {
    throw new UsageError(`invalid port ${JSON.stringify(text)}: a port number is needed here, not a name`);
  }
  return spec.probe;
}

export function formatPort(p: PortProbe): string {
  return `${p.port}/${p.protocol}`;
}

/** As written on the command line, normalized: `80/TCP`, `http`, `dns/UDP`. */
export function formatPortSpec(s: PortSpec): string {
  return s.kind === 'number'
    ? formatPort(s.probe)
    : s.protocol !== undefined
      ? `${s.name}/${s.protocol}`
      : s.name;
}

/**
 * The one port `spec` means at `pod` (the destination); a usage error when the pod does not declare
 * the name, or declares it on several ports (then a number must be given).
 */
export function resolvePortAt(spec: PortSpec, pod: Pod | undefined, role: string): PortProbe {
  if (spec.kind === 'number') return spec.probe;
  const text = formatPortSpec(spec);
  if (pod === undefined) {
    throw new UsageError(
      `port ${text} is a name, which only a destination pod can resolve; ${role} is an address`,
    );
  }
  const found = resolveNamedPort(pod, spec);
  const where = `${pod.namespace}/${pod.name}`;
  const [only] = found;
  if (only === undefined) {
    const declared = declaredPortNames(pod);
    throw new UsageError(
      `${where} declares no container port named ${text}` +
        (declared.length > 0 ? ` (it declares ${declared.join(', ')})` : ' (it declares no named ports)'),
    );
  }
  if (found.length > 1) {
    throw new UsageError(
      `${where} declares ${text} on several ports (${found.map(formatPort).join(', ')}); give the number`,
    );
  }
  return only;
}

export function formatPeer(p: Peer): string {
  return p.kind === 'pod' ? `${p.namespace}/${p.name}` : p.ip;
}

export function parseExternal(text: string): Peer {
  const ip = parseIP(text);
  if (typeof ip === 'string') throw new UsageError(`invalid --ip ${JSON.stringify(text)}: ${ip}`);
  return { kind: 'external', ip: text };
}

/** `ns/pod` (must exist) or an IP address. */
export function parsePeer(text: string, podKeys: readonly string[], role: string): Peer {
  if (!text.includes('/')) {
    const ip = parseIP(text);
    if (typeof ip !== 'string') return { kind: 'external', ip: text };
    const sameName = podKeys.filter((k) => k.endsWith(`/${text}`));
    const hint = sameName.length > 0 ? ` (did you mean ${sameName.slice(0, 3).join(' or ')}?)` : '';
    throw new UsageError(
      `invalid ${role} ${JSON.stringify(text)}: expected <namespace>/<pod> or an IP address${hint}`,
    );
  }
  if (!podKeys.includes(text)) {
    const hint = closest(text, podKeys);
    throw new UsageError(`unknown pod ${text} for ${role}${hint ? ` (did you mean ${hint}?)` : ''}`);
  }
  const slash = text.indexOf('/');
  return { kind: 'pod', namespace: text.slice(0, slash), name: text.slice(slash + 1) };
}
