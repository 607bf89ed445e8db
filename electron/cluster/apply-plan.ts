/**
 * What a dry-run decides and how it binds the apply that follows: the plan, the outcomes and the
 * single-use token ledger. Free of the Kubernetes client, so the dispatcher holds a ledger from the
 * start while the client (apply.ts) loads only when a live cluster is written to.
 */
import { randomBytes } from 'node:crypto';
import type { ApplyFailure, FieldChange, FieldConflict } from '../../shared/api/api.ts';
import type { PolicyManifest } from '../../shared/editor/draft.ts';

export const FIELD_MANAGER = 'netglass';

export type ClusterResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: ApplyFailure };

export type JsonObject = Readonly<Record<string, unknown>>;

/** What a dry-run decided, to be repeated for real by `applyPolicy`. */
export interface ApplyPlan {
  readonly operation: 'create' | 'update';
  /** '' for a cluster-scoped policy (ClusterNetworkPolicy). */
  readonly namespace: string;
  readonly name: string;
  /** The live object's version the update is based on (update only). */
  readonly resourceVersion?: string;
  /** The live object's uid (update only): a policy deleted and created again is another object. */
  readonly uid?: string;
  /** Take over fields other field managers own (the user chose it after seeing the conflict). */
  readonly force: boolean;
}

export interface DryRunOutcome extends ApplyPlan {
  /** The object the server would store, without managedFields. */
  readonly stored: JsonObject;
  /** The live object (update only), without managedFields. */
  readonly live?: JsonObject;
  /** Every field that would change, over the whole object. */
  readonly changes: readonly FieldChange[];
  readonly unchanged: boolean;
  /** With `force`: the fields it takes over from other managers. */
  readonly conflicts: readonly FieldConflict[];
}

export interface DryRunOptions {
  /** Take over fields other managers own; only after the user saw the conflict and chose to. */
  readonly force?: boolean;
}

export interface ApplyOutcome {
  /** What the server did: 'create' (201) or 'update' (200). */
  readonly operation: 'create' | 'update';
  /** '' for a cluster-scoped policy. */
  readonly namespace: string;
  readonly name: string;
  readonly stored: JsonObject;
  readonly resourceVersion: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted: equal manifests give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface LedgerEntry {
  readonly context: string;
  readonly manifest: string;
  readonly plan: ApplyPlan;
  readonly expires: number;
}

export interface DryRunLedgerOptions {
  /** How long a dry-run may be applied (default 10 minutes). */
  readonly ttlMs?: number;
  readonly now?: () => number;
  /** Tokens kept at most; the oldest go first (default 64). */
  readonly max?: number;
}

/**
 * Single-use tokens binding a dry-run to the apply that follows it: same context, same manifest
 * (canonical JSON), the plan the dry-run made, within the time limit.
 */
export class DryRunLedger {
  readonly #entries = new Map<string, LedgerEntry>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #max: number;

  constructor(options: DryRunLedgerOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
    this.#max = options.max ?? 64;
  }

  record(context: string, manifest: PolicyManifest, plan: ApplyPlan): { token: string; expiresAt: number } {
    const now = this.#now();
    for (const [token, entry] of this.#entries) if (entry.expires <= now) this.#entries.delete(token);
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    const token = randomBytes(24).toString('base64url');
    const expiresAt = now + this.#ttlMs;
    this.#entries.set(token, { context, manifest: canonicalJson(manifest), plan, expires: expiresAt });
    return { token, expiresAt };
  }

  /** Consumes a token: the plan when it matches, else why not. A token works once, match or not. */
  take(
    token: string,
    context: string,
    manifest: PolicyManifest,
  ): { readonly ok: true; readonly plan: ApplyPlan } | { readonly ok: false; readonly message: string } {
    const entry = this.#entries.get(token);
    this.#entries.delete(token);
    if (entry === undefined) {
      return {
        ok: false,
        message: 'No dry-run with this token (it was used already, or never made): run the dry-run first.',
      };
    }
    if (entry.expires <= this.#now()) {
      return {
        ok: false,
        message: 'The dry-run is too old to apply; run it again to see the current changes.',
      };
    }
    if (entry.context !== context) {
      return {
        ok: false,
        message: `The dry-run was made on context "${entry.context}", not "${context}"; run it again here.`,
      };
    }
    if (entry.manifest !== canonicalJson(manifest)) {
      return {
        ok: false,
        message: 'The policy changed since its dry-run; run the dry-run again before applying.',
      };
    }
    return { ok: true, plan: entry.plan };
  }
}
