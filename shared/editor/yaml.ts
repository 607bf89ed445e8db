/**
 * The YAML beside the form, both ways. Writing goes through `draftToManifest`; reading goes through
 * the project's manifest loader, so a mistake in the YAML gets the loader's message (the API
 * server's rules) at its line.
 */
import { parseDocument, stringify } from 'yaml';
import type { LoadIssue } from '../model/snapshot.ts';
import { buildSnapshot, parseManifestText } from '../manifest/index.ts';
import type { DraftOrigin, PolicyDraft } from './draft.ts';
import { draftFromPolicy, draftToManifest } from './draft.ts';

/** The file name issues carry when the text has none of its own. */
export const DRAFT_FILE = 'draft.yaml';

/**
 * The draft as YAML, canonical order, two-space indent. Strings that YAML 1.1 would read as another
 * type (`yes`, `on`, `0x1F`, dates) are quoted, so kubectl reads them as strings too.
 */
export function draftToYaml(draft: PolicyDraft): string {
  return stringify(draftToManifest(draft), { lineWidth: 0, version: '1.1' });
}

export interface YamlReadOptions {
  /** The file name for issue locations (default `draft.yaml`). */
  readonly file?: string;
  /** The namespace to use when the YAML names none (the loader's own default is `default`). */
  readonly namespace?: string;
  /** The existing policy the edited draft stands for; kept on the result. */
  readonly origin?: DraftOrigin;
}

export type DraftFromYamlResult =
  /** `issues`: warnings and notes that do not stop the YAML from loading. */
  | { readonly ok: true; readonly draft: PolicyDraft; readonly issues: readonly LoadIssue[] }
  /** At least one error; each issue has its line where the loader knows it. */
  | { readonly ok: false; readonly issues: readonly LoadIssue[] };

function namespaceWritten(text: string): boolean {
  try {
    const doc = parseDocument(text);
    const ns = doc.getIn(['metadata', 'namespace']);
    return typeof ns === 'string' && ns !== '';
  } catch {
    return true;
  }
}

/**
 * Reads YAML (or JSON) holding exactly one NetworkPolicy into a draft. Anything else in the text, a
 * second object, or no policy at all, is an error at its line.
 */
export function draftFromYaml(text: string, options: YamlReadOptions = {}): DraftFromYamlResult {
  const file = options.file ?? DRAFT_FILE;
  const parse = parseManifestText(text, file);
  const snapshot = buildSnapshot([parse], { kind: 'manifests', paths: [file] });
  // The snapshot's own note that a namespace is not declared in the text says nothing about a draft.
  const issues: LoadIssue[] = snapshot.issues.filter(
    (i) => !(i.severity === 'info' && i.object?.startsWith('Namespace ') === true && i.field === undefined),
  );
  const start = { file, line: 1, column: 1 };
  const others =
    parse.namespaces.length +
    parse.pods.length +
    parse.workloads.length +
    parse.clusterPolicies.length +
    Object.values(parse.skippedKinds).reduce((a, b) => a + b, 0);
  if (others > 0) {
    const kinds = [
      ...(parse.namespaces.length > 0 ? ['Namespace'] : []),
      ...(parse.pods.length > 0 ? ['Pod'] : []),
      ...new Set([...parse.workloads.map((w) => w.kind), ...parse.clusterPolicies.map((p) => p.kind)]),
      ...Object.keys(parse.skippedKinds),
    ];
    const first =
      parse.namespaces[0]?.location ??
      parse.pods[0]?.location ??
      parse.workloads[0]?.location ??
      parse.clusterPolicies[0]?.location ??
      undefined;
    issues.push({
      severity: 'error',
      message: `only one NetworkPolicy belongs in the editor; this text also holds ${kinds.join(', ')}`,
      location: first ?? start,
    });
  }
  const policies = snapshot.policies;
  if (policies.length > 1) {
    const second = policies[1];
    issues.push({
      severity: 'error',
      message: `the editor edits one NetworkPolicy at a time; this text holds ${policies.length}`,
      location: second?.location ?? start,
    });
  }
  const hasError = issues.some((i) => i.severity === 'error');
  const policy = policies[0];
  if (policy === undefined && !hasError) {
    issues.push({ severity: 'error', message: 'no NetworkPolicy in this text', location: start });
  }
  if (hasError || policy === undefined || issues.some((i) => i.severity === 'error')) {
    return { ok: false, issues };
  }
  const { origin: _ignored, ...draft } = draftFromPolicy(policy);
  const namespace =
    options.namespace !== undefined && !namespaceWritten(text) ? options.namespace : draft.namespace;
  return {
    ok: true,
    draft: { ...draft, namespace, ...(options.origin ? { origin: options.origin } : {}) },
    issues,
  };
}
