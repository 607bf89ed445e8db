/**
 * Inline validation for the form, and the draft as the evaluator sees it (for what-if).
 *
 * The draft is written out as YAML (`draftToYaml`, what the YAML pane shows) and read back by the
 * project's manifest loader, so messages are the loader's, word for word (the API server's rules,
 * field paths, lines). A few states only a form can be in are checked here first: a label key twice
 * in one selector, a rule with an empty list of peers or ports, no policy type ticked, no namespace.
 */
import type { IssueSeverity, LoadIssue, NetworkPolicy } from '../model/snapshot.ts';
import type { SnapshotDelta } from '../eval/types.ts';
import { parseManifestText } from '../manifest/index.ts';
import type { DraftPath, PolicyDraft, RuleDraft, SelectorDraft } from './draft.ts';
import { withoutLoadTail } from './messages.ts';
import { draftPathFor } from './paths.ts';
import { DRAFT_FILE, draftToYaml } from './yaml.ts';

export interface DraftIssue {
  readonly severity: IssueSeverity;
  readonly message: string;
  /** The form field it belongs to; '' for the policy as a whole. */
  readonly field: DraftPath;
  /** The manifest field (`spec.ingress[0].ports[0].port`), where the loader named one. */
  readonly manifestField?: string;
  /** 1-based line and column in `draftToYaml(draft)`, where the loader gave one. */
  readonly line?: number;
  readonly column?: number;
  /** `editor`: a state only the form can be in; `loader`: the manifest loader's message. */
  readonly source: 'editor' | 'loader';
}

export interface DraftValidation {
  /** No errors: the draft can be previewed, saved and applied. */
  readonly valid: boolean;
  /** In form order: editor checks first, then the loader's messages in YAML order. */
  readonly issues: readonly DraftIssue[];
}

/** The issues of one field (exactly that path), for showing them under its input. */
export function issuesAt(validation: DraftValidation, field: DraftPath): readonly DraftIssue[] {
  return validation.issues.filter((i) => i.field === field);
}

/** The issues of a field and everything inside it (`ingress[0]` → its peers, ports, ...). */
export function issuesUnder(validation: DraftValidation, field: DraftPath): readonly DraftIssue[] {
  return validation.issues.filter(
    (i) =>
      field === '' || i.field === field || i.field.startsWith(`${field}.`) || i.field.startsWith(`${field}[`),
  );
}

function editorError(field: DraftPath, message: string): DraftIssue {
  return { severity: 'error', message, field, source: 'editor' };
}

function checkSelector(selector: SelectorDraft, base: DraftPath, out: DraftIssue[]): void {
  const seen = new Set<string>();
  selector.matchLabels.forEach((row, i) => {
    if (row.key === '' && row.value === '') return;
    if (seen.has(row.key)) {
      out.push(
        editorError(
          `${base}.matchLabels[${i}].key`,
          `duplicate label key ${JSON.stringify(row.key)}: a key may appear only once in matchLabels`,
        ),
      );
    }
    seen.add(row.key);
  });
}

function checkRules(rules: readonly RuleDraft[], direction: 'ingress' | 'egress', out: DraftIssue[]): void {
  const peers = direction === 'ingress' ? 'sources' : 'destinations';
  rules.forEach((rule, i) => {
    const base = `${direction}[${i}]`;
    if (rule.peers !== 'any') {
      if (rule.peers.length === 0) {
        out.push(
          editorError(
            `${base}.peers`,
            `no ${peers}: add one, or choose any ${peers.slice(0, -1)} (Kubernetes reads an empty list as everyone)`,
          ),
        );
      }
      rule.peers.forEach((peer, j) => {
        if (peer.kind !== 'pods') return;
        if (peer.namespaces !== 'same' && peer.namespaces !== 'all')
          checkSelector(peer.namespaces, `${base}.peers[${j}].namespaces`, out);
        if (peer.pods !== 'all') checkSelector(peer.pods, `${base}.peers[${j}].pods`, out);
      });
    }
    if (rule.ports !== 'any' && rule.ports.length === 0) {
      out.push(
        editorError(
          `${base}.ports`,
          'no ports: add one, or choose all ports (Kubernetes reads an empty list as every port)',
        ),
      );
    }
  });
}

function editorChecks(draft: PolicyDraft): DraftIssue[] {
  const out: DraftIssue[] = [];
  if (draft.namespace.trim() === '') out.push(editorError('namespace', 'namespace is missing'));
  checkSelector(draft.podSelector, 'podSelector', out);
  if (draft.policyTypes !== 'default' && !draft.policyTypes.ingress && !draft.policyTypes.egress) {
    out.push(editorError('policyTypes', 'choose Ingress, Egress or both, or Default'));
  }
  checkRules(draft.ingress, 'ingress', out);
  checkRules(draft.egress, 'egress', out);
  return out;
}

function loaderIssue(draft: PolicyDraft, issue: LoadIssue): DraftIssue {
  return {
    severity: issue.severity,
    message: withoutLoadTail(issue.message),
    field: issue.field !== undefined ? draftPathFor(draft, issue.field, issue.message) : '',
    ...(issue.field !== undefined ? { manifestField: issue.field } : {}),
    ...(issue.location ? { line: issue.location.line, column: issue.location.column } : {}),
    source: 'loader',
  };
}

function load(draft: PolicyDraft): { policy?: NetworkPolicy; issues: readonly LoadIssue[] } {
  const parse = parseManifestText(draftToYaml(draft), DRAFT_FILE);
  const policy = parse.policies[0];
  return { ...(policy ? { policy } : {}), issues: parse.issues };
}

/** Every problem with a draft, keyed by form field. */
export function validateDraft(draft: PolicyDraft): DraftValidation {
  const issues = [...editorChecks(draft), ...load(draft).issues.map((i) => loaderIssue(draft, i))];
  return { valid: !issues.some((i) => i.severity === 'error'), issues };
}

export type DraftPolicyResult =
  | { readonly ok: true; readonly policy: NetworkPolicy }
  | { readonly ok: false; readonly validation: DraftValidation };

/**
 * The draft as the normalized policy the evaluator reads (exactly what loading its YAML gives), or
 * why it cannot be one.
 */
export function draftToPolicy(draft: PolicyDraft): DraftPolicyResult {
  const validation = validateDraft(draft);
  if (!validation.valid) return { ok: false, validation };
  const { policy } = load(draft);
  if (policy === undefined) return { ok: false, validation };
  return { ok: true, policy };
}

/**
 * What-if changes for a draft: the policy upserted, and the policy it edits removed when the draft
 * renamed or moved it. Invalid drafts give no changes (`ok: false`).
 */
export function draftDeltas(
  draft: PolicyDraft,
):
  | { readonly ok: true; readonly deltas: readonly SnapshotDelta[] }
  | { readonly ok: false; readonly validation: DraftValidation } {
  const result = draftToPolicy(draft);
  if (!result.ok) return result;
  const deltas: SnapshotDelta[] = [];
  const origin = draft.origin;
  if (origin && (origin.namespace !== result.policy.namespace || origin.name !== result.policy.name)) {
    deltas.push({ kind: 'removePolicy', namespace: origin.namespace, name: origin.name });
  }
  deltas.push({ kind: 'upsertPolicy', policy: result.policy });
  return { ok: true, deltas };
}
