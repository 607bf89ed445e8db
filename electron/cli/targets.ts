/** Command-line endpoints and ports: `ns/pod` or an IP address; `80`, `80/TCP`, `53/udp`. */
import type { Protocol } from '../../shared/model/snapshot.ts';
import { PROTOCOLS } from '../../shared/model/snapshot.ts';
import type { Peer, PortProbe } from '../../shared/eval/index.ts';
import { closest } from '../../shared/manifest/index.ts';
import { parseIP } from '../../shared/net/address.ts';
import { UsageError } from './args.ts';

export function parsePort(text: string): PortProbe {
  const m = /^(\d+)(?:\/([A-Za-z]+))?$/.exec(text.trim());
  if (!m)
    throw new UsageError(
      `invalid port ${JSON.stringify(text)}: expected <number>[/TCP|UDP|SCTP], e.g. 80 or 53/UDP`,
    );
  const port = Number(m[1]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`invalid port ${JSON.stringify(text)}: the number must be between 1 and 65535`);
  }
  const protocol = (m[2] ?? 'TCP').toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new UsageError(
      `invalid port ${JSON.stringify(text)}: unknown protocol ${m[2] ?? ''} (expected TCP, UDP or SCTP)`,
    );
  }
  return { port, protocol: protocol as Protocol };
}

export function formatPort(p: PortProbe): string {
  return `${p.port}/${p.protocol}`;
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
