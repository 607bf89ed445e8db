/** Policies compiled against the class table: every selector and ipBlock as a bitset, ports as interned sets. */
import type { NetworkPolicy, PolicyType } from '../model/snapshot.ts';
import type { Bitset } from './bitset.ts';
import type { PortSetId } from './ports.ts';
import type { Direction } from './types.ts';

export interface CompiledPeer {
  readonly index: number;
  /** Classes the peer matches: the AND of `parts`, kept so a new class can be tested bit by bit. */
  readonly classes: Bitset;
  readonly parts: readonly Bitset[];
  /**
   * Classes the peer possibly matches (a namespaceSelector over namespaces whose labels could not be
   * read), a superset of `classes`; the very same object as `classes` when nothing is uncertain.
   */
  readonly maybe: Bitset;
  /** Parts of `maybe`; the same array as `parts` when nothing is uncertain. */
  readonly maybeParts: readonly Bitset[];
  /** IP atoms for an ipBlock peer; undefined for selector peers (they never match an external address). */
  readonly ext: Bitset | undefined;
}

export interface CompiledPortEntry {
  readonly index: number;
  /** Numeric port, range, or whole protocol; empty for a named port. */
  readonly staticPorts: PortSetId;
  /** `${protocol}/${name}` of a named port, resolved on the destination pod. */
  readonly named: string | undefined;
}

export interface CompiledRule {
  readonly direction: Direction;
  readonly index: number;
  readonly peers: 'any' | readonly CompiledPeer[];
  /** Union over peers (every class for 'any'). */
  readonly classes: Bitset;
  /** Union of the peers' `maybe`; the same object as `classes` when no peer is uncertain. */
  readonly maybe: Bitset;
  /** Union over ipBlock peers (every atom for 'any'). */
  readonly ext: Bitset;
  readonly ports: 'any' | readonly CompiledPortEntry[];
  /** Union of the static parts of all entries (every port for 'any'). */
  readonly staticPorts: PortSetId;
  readonly named: readonly string[];
}

export interface CompiledPolicy {
  /** Fresh for every compiled version, so caches keyed by ids never see a stale policy. */
  readonly id: number;
  readonly key: string;
  readonly namespace: string;
  readonly policy: NetworkPolicy;
  /** Classes of the policy's namespace its podSelector selects (hostNetwork ones included). */
  readonly subject: Bitset;
  readonly subjectParts: readonly Bitset[];
  readonly ingressOn: boolean;
  readonly egressOn: boolean;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
  readonly usesIngressNamed: boolean;
}

export function hasType(policy: NetworkPolicy, type: PolicyType): boolean {
  return policy.policyTypes.includes(type);
}
