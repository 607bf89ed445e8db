/**
 * What the YAML-only drafts (Cilium, Calico) share. Their schemas are too wide for a form that would
 * stay honest, so such a draft is its text: read by the project's manifest reader, whose messages (the
 * CLI's, at their line) are the draft's validation, and whose policy the what-if takes. This module
 * reads "exactly one policy of a family" out of a text, turns the reader's issues into a validation,
 * renames a copy in the text itself and builds the what-if deltas; each family's module says which
 * policies are its own and how they are keyed.
 */
import { parseDocument } from 'yaml';
import type { SnapshotDelta } from '../eval/types.ts';
import type { ManifestParse } from '../manifest/index.ts';
import { parseManifestText } from '../manifest/index.ts';
import type { LoadIssue, SourceLocation } from '../model/snapshot.ts';
import { withoutLoadTail } from './messages.ts';
import type { DraftIssue, DraftValidation } from './validate.ts';
import { DRAFT_FILE } from './yaml.ts';

/** One family of YAML-drafted policies. */
export interface PolicyFamily<P> {
  /** How messages name one policy of the family: `Cilium policy`. */
  readonly one: string;
  /** The kinds the family reads, for "no … in this text". */
  readonly kinds: string;
  /** The family's policies in a parse. */
  readonly policies: (parse: ManifestParse) => readonly P[];
}

/** A YAML draft read back: the draft and the policy the reader made of it, or why not. */
export type YamlDraftRead<D, P> =
  | {
      readonly ok: true;
      readonly draft: D;
      readonly policy: P;
      readonly issues: readonly LoadIssue[];
    }
  | { readonly ok: false; readonly issues: readonly LoadIssue[] };

/** A starting point for a new policy of a YAML-drafted family. */
export interface YamlPolicyTemplate<K extends string> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly kind: K;
  /** The manifest, for a namespace (cluster-scoped ones ignore it). */
  readonly yaml: (namespace: string) => string;
}

export type DraftDeltas =
  | { readonly ok: true; readonly deltas: readonly SnapshotDelta[] }
  | { readonly ok: false; readonly validation: DraftValidation };

export type OnePolicyRead<P> =
  | { readonly ok: true; readonly policy: P; readonly issues: readonly LoadIssue[] }
  | { readonly ok: false; readonly issues: readonly LoadIssue[] };

/** Every object a parse holds, with the kind a message names it by. */
function parsedObjects(parse: ManifestParse): (readonly [string, object, SourceLocation | undefined])[] {
  return [
    ...parse.namespaces.map((o) => ['Namespace', o, o.location] as const),
    ...parse.pods.map((o) => ['Pod', o, o.location] as const),
    ...parse.policies.map((o) => ['NetworkPolicy', o, o.location] as const),
    ...parse.clusterPolicies.map((o) => [o.kind, o, o.location] as const),
    ...parse.ciliumPolicies.map((o) => [o.kind, o, o.location] as const),
    ...(parse.calicoPolicies ?? []).map((o) => [`Calico ${o.kind}`, o, o.location] as const),
    ...(parse.calicoTiers ?? []).map((o) => ['Calico Tier', o, o.location] as const),
    ...(parse.calicoNetworkSets ?? []).map((o) => [`Calico ${o.kind}`, o, o.location] as const),
    ...parse.workloads.map((o) => [o.kind, o, o.location] as const),
  ];
}

/**
 * Reads YAML (or JSON) holding exactly one policy of `family`. Anything else in the text (another
 * object, a second policy) is an error at its line; the reader's warnings stay warnings. Messages lose
 * the reader's "… was not loaded" tail: the only object here is the draft.
 */
export function readOnePolicy<P extends { readonly location?: SourceLocation }>(
  text: string,
  family: PolicyFamily<P>,
): OnePolicyRead<P> {
  const parse = parseManifestText(text, DRAFT_FILE);
  const issues: LoadIssue[] = parse.issues.map((i) => ({ ...i, message: withoutLoadTail(i.message) }));
  const start = { file: DRAFT_FILE, line: 1, column: 1 };
  const policies = family.policies(parse);
  const mine = new Set<object>(policies);
  const others = parsedObjects(parse).filter(([, o]) => !mine.has(o));
  const skipped = Object.keys(parse.skippedKinds);
  if (others.length > 0 || skipped.length > 0) {
    const kinds = [...new Set([...others.map(([k]) => k), ...skipped])];
    issues.push({
      severity: 'error',
      message: `only one ${family.one} belongs in this draft; this text also holds ${kinds.join(', ')}`,
      location: others[0]?.[2] ?? start,
    });
  }
  if (policies.length > 1)
    issues.push({
      severity: 'error',
      message: `the editor edits one ${family.one} at a time; this text holds ${policies.length}`,
      location: policies[1]?.location ?? start,
    });
  const policy = policies[0];
  if (policy === undefined && !issues.some((i) => i.severity === 'error'))
    issues.push({ severity: 'error', message: `no ${family.kinds} in this text`, location: start });
  if (policy === undefined || issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  return { ok: true, policy, issues };
}

/** The reader's issues as the editor's validation (notes left out: they are not problems). */
export function loaderValidation(ok: boolean, issues: readonly LoadIssue[]): DraftValidation {
  const out: DraftIssue[] = issues
    .filter((i) => i.severity !== 'info')
    .map((i) => ({
      severity: i.severity,
      message: i.message,
      field: '',
      ...(i.field !== undefined ? { manifestField: i.field } : {}),
      ...(i.location !== undefined ? { line: i.location.line, column: i.location.column } : {}),
      source: 'loader',
    }));
  return { valid: ok, issues: out };
}

/** `<name>-copy`, else `-copy-2`, `-copy-3`, …: the first not in `taken` (a copy of a copy drops its suffix). */
export function copyName(name: string, takenNames: Iterable<string>): string {
  const taken = new Set(takenNames);
  taken.add(name);
  const base = name.replace(/-copy(-\d+)?$/, '');
  let candidate = `${base}-copy`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-copy-${n}`;
  return candidate;
}

/** The text with `metadata.name` changed in place, so comments and layout stay as the user wrote them. */
export function renameInYaml(yaml: string, writtenName: string): string {
  const doc = parseDocument(yaml);
  doc.setIn(['metadata', 'name'], writtenName);
  return doc.toString({ lineWidth: 0 });
}

/** `metadata.name` as the text writes it (undefined when it writes none). */
export function writtenNameOf(yaml: string): string | undefined {
  const name = parseDocument(yaml).getIn(['metadata', 'name']);
  return typeof name === 'string' ? name : undefined;
}

/**
 * What-if changes for a draft read back: its policy upserted (replacing any with its key), and the
 * policy it edits (`originKey`) removed when the draft renamed it. A draft that does not read gives
 * none, with its errors.
 */
export function yamlDraftDeltas<P>(
  read:
    { readonly ok: true; readonly policy: P } | { readonly ok: false; readonly issues: readonly LoadIssue[] },
  change: {
    readonly key: (policy: P) => string;
    readonly originKey: string | undefined;
    readonly upsert: (policy: P) => SnapshotDelta;
    readonly remove: (key: string) => SnapshotDelta;
  },
): DraftDeltas {
  if (!read.ok) return { ok: false, validation: loaderValidation(false, read.issues) };
  const key = change.key(read.policy);
  const upsert = change.upsert(read.policy);
  const { originKey } = change;
  return {
    ok: true,
    deltas: originKey !== undefined && originKey !== key ? [change.remove(originKey), upsert] : [upsert],
  };
}

/** The existing policy a draft replaces without editing it: same key, not its origin. */
export function replacedKey(
  key: string,
  originKey: string | undefined,
  existingKeys: Iterable<string>,
): string | undefined {
  if (originKey === key) return undefined;
  for (const k of existingKeys) if (k === key) return key;
  return undefined;
}

/**
 * The family's "draft from a template": the template's text read for a namespace, renamed
 * (`duplicate`) when its name is taken.
 */
export function templateDrafter<K extends string, D extends { readonly name: string }>(
  read: (
    text: string,
  ) =>
    { readonly ok: true; readonly draft: D } | { readonly ok: false; readonly issues: readonly LoadIssue[] },
  duplicate: (draft: D, taken: ReadonlySet<string>) => D,
): (template: YamlPolicyTemplate<K>, namespace: string, takenNames?: Iterable<string>) => D {
  return (template, namespace, takenNames = []) => {
    const result = read(template.yaml(namespace));
    if (!result.ok)
      throw new Error(`template ${template.id} does not load: ${result.issues[0]?.message ?? ''}`);
    const taken = new Set(takenNames);
    return taken.has(result.draft.name) ? duplicate(result.draft, taken) : result.draft;
  };
}
