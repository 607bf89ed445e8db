/**
 * Validation of ClusterNetworkPolicy drafts, and the draft as the evaluator sees it (for what-if).
 *
 * As for NetworkPolicy drafts (validate.ts), the draft is written out as the YAML the pane shows and
 * read back by the project's manifest reader (`parseManifestText`), so messages, fields and lines
 * are the CLI's. The editor adds what the reader cannot see: a label key twice in one selector (the
 * YAML keeps only the last), a fallback for empty lists should the reader accept them, and, given
 * the snapshot, the warning that another policy of the same tier has the same priority (their order
 * is then up to the network plugin).
 */
import type { ClusterNetworkPolicy, LoadIssue } from '../model/snapshot.ts';
import { clusterPolicyKey } from '../model/snapshot.ts';
import type { SnapshotDelta } from '../eval/types.ts';
import { parseManifestText } from '../manifest/index.ts';
import type { AdminRuleDraft, ClusterPolicyDraft } from './cluster-draft.ts';
import { MAX_CLUSTER_PRIORITY } from './cluster-draft.ts';
import { clusterDraftPathFor } from './cluster-paths.ts';
import { clusterDraftToYaml } from './cluster-yaml.ts';
import { withoutLoadTail } from './messages.ts';
import type { DraftPath, SelectorDraft } from './draft.ts';
import type { DraftIssue, DraftValidation } from './validate.ts';
import { DRAFT_FILE } from './yaml.ts';

/** What the editor knows beyond the draft: the admin policies of the current snapshot. */
export interface ClusterDraftContext {
  readonly clusterPolicies?: readonly ClusterNetworkPolicy[];
}

function editorIssue(
  field: DraftPath,
  message: string,
  severity: DraftIssue['severity'] = 'error',
): DraftIssue {
  return { severity, message, field, source: 'editor' };
}

function checkSelector(selector: SelectorDraft, base: DraftPath, out: DraftIssue[]): void {
  const seen = new Set<string>();
  selector.matchLabels.forEach((row, i) => {
    if (row.key === '' && row.value === '') return;
    if (seen.has(row.key)) {
      out.push(
        editorIssue(
          `${base}.matchLabels[${i}].key`,
          `duplicate label key ${JSON.stringify(row.key)}: a key may appear only once in matchLabels`,
        ),
      );
    }
    seen.add(row.key);
  });
}

/** Checks that hold always (the YAML cannot show the mistake). */
function editorChecks(draft: ClusterPolicyDraft): DraftIssue[] {
  const out: DraftIssue[] = [];
  checkSelector(draft.subject.namespaces, 'subject.namespaces', out);
  if (draft.subject.kind === 'pods') checkSelector(draft.subject.pods, 'subject.pods', out);
  for (const direction of ['ingress', 'egress'] as const) {
    draft[direction].forEach((rule, i) => {
      rule.peers.forEach((peer, j) => {
        const base = `${direction}[${i}].peers[${j}]`;
        if (peer.kind === 'namespaces' || peer.kind === 'pods')
          checkSelector(peer.namespaces, `${base}.namespaces`, out);
        if (peer.kind === 'pods') checkSelector(peer.pods, `${base}.pods`, out);
        if (peer.kind === 'nodes') checkSelector(peer.nodes, `${base}.nodes`, out);
      });
    });
  }
  return out;
}

/**
 * Form states Kubernetes refuses (an empty list of peers, ports or CIDRs), reported only where the
 * reader said nothing about that field: its message, when it has one, is the one the CLI prints.
 */
function fallbackChecks(draft: ClusterPolicyDraft): DraftIssue[] {
  const out: DraftIssue[] = [];
  const rules = (direction: 'ingress' | 'egress', list: readonly AdminRuleDraft[]) =>
    list.forEach((rule, i) => {
      const base = `${direction}[${i}]`;
      if (rule.peers.length === 0) {
        out.push(
          editorIssue(
            `${base}.peers`,
            `no ${direction === 'ingress' ? 'sources' : 'destinations'}: a rule needs at least one`,
          ),
        );
      }
      rule.peers.forEach((peer, j) => {
        if (peer.kind === 'networks' && peer.cidrs.length === 0)
          out.push(editorIssue(`${base}.peers[${j}].cidrs`, 'no CIDRs: add at least one'));
        if (peer.kind === 'domainNames' && peer.domainNames.length === 0)
          out.push(editorIssue(`${base}.peers[${j}].domainNames`, 'no domain names: add at least one'));
      });
      if (rule.ports !== 'any' && rule.ports.length === 0) {
        out.push(editorIssue(`${base}.ports`, 'no ports: add one, or choose all ports'));
      }
    });
  rules('ingress', draft.ingress);
  rules('egress', draft.egress);
  return out;
}

function readerIssue(draft: ClusterPolicyDraft, issue: LoadIssue): DraftIssue {
  return {
    severity: issue.severity,
    message: withoutLoadTail(issue.message),
    field: issue.field !== undefined ? clusterDraftPathFor(draft, issue.field, issue.message) : '',
    ...(issue.field !== undefined ? { manifestField: issue.field } : {}),
    ...(issue.location ? { line: issue.location.line, column: issue.location.column } : {}),
    source: 'loader',
  };
}

function load(draft: ClusterPolicyDraft): { policy?: ClusterNetworkPolicy; issues: readonly LoadIssue[] } {
  const parse = parseManifestText(clusterDraftToYaml(draft), DRAFT_FILE);
  const policy = parse.clusterPolicies.find((p) => p.kind === 'ClusterNetworkPolicy');
  return { ...(policy ? { policy } : {}), issues: parse.issues };
}

/** The priority as a number, when the text is one in range. */
export function draftPriority(draft: Pick<ClusterPolicyDraft, 'priority'>): number | undefined {
  const t = draft.priority.trim();
  if (!/^[0-9]+$/.test(t)) return undefined;
  const n = Number(t);
  return n <= MAX_CLUSTER_PRIORITY ? n : undefined;
}

/**
 * Keys of the other admin policies (any kind) of the draft's tier with its priority: when one of
 * them and the draft both match a connection, which decides is up to the network plugin. The policy
 * the draft edits and the one it replaces (same name) do not count.
 */
export function samePriorityPolicies(
  draft: ClusterPolicyDraft,
  clusterPolicies: readonly ClusterNetworkPolicy[],
): string[] {
  const priority = draftPriority(draft);
  if (priority === undefined) return [];
  const own = new Set([draft.name, ...(draft.origin ? [draft.origin.name] : [])]);
  return clusterPolicies
    .filter((p) => p.tier === draft.tier && p.priority === priority)
    .map(clusterPolicyKey)
    .filter((key) => !own.has(key))
    .sort();
}

/**
 * The key of the existing ClusterNetworkPolicy a draft replaces in the what-if without editing it:
 * a new draft (or a renamed edit) named like one. Undefined when there is none.
 */
export function replacedClusterKey(
  draft: ClusterPolicyDraft,
  clusterPolicies: readonly ClusterNetworkPolicy[],
): string | undefined {
  if (draft.origin?.name === draft.name) return undefined;
  const found = clusterPolicies.find((p) => p.kind === 'ClusterNetworkPolicy' && p.name === draft.name);
  return found === undefined ? undefined : clusterPolicyKey(found);
}

/** Every problem with a ClusterNetworkPolicy draft, keyed by form field; errors first as in validate.ts. */
export function validateClusterDraft(
  draft: ClusterPolicyDraft,
  context: ClusterDraftContext = {},
): DraftValidation {
  const loaded = load(draft);
  const reader = loaded.issues.map((i) => readerIssue(draft, i));
  const readerErrorAt = (field: DraftPath) =>
    reader.some(
      (i) =>
        i.severity === 'error' &&
        (i.field === field || i.field.startsWith(`${field}.`) || i.field.startsWith(`${field}[`)),
    );
  const issues = [
    ...editorChecks(draft),
    ...fallbackChecks(draft).filter((i) => !readerErrorAt(i.field)),
    ...reader,
  ];
  if (loaded.policy === undefined && !issues.some((i) => i.severity === 'error')) {
    // The reader skipped the object without an error (a build whose reader does not know the kind).
    issues.push(editorIssue('', 'the manifest reader did not load this ClusterNetworkPolicy'));
  }
  const others =
    context.clusterPolicies === undefined ? [] : samePriorityPolicies(draft, context.clusterPolicies);
  if (others.length > 0) {
    issues.push(
      editorIssue(
        'priority',
        `${others.length === 1 ? 'another' : `${others.length} other`} ${draft.tier}-tier ${others.length === 1 ? 'policy has' : 'policies have'} priority ${draft.priority.trim()} (${others.join(', ')}): where both match a connection, which goes first is up to the network plugin`,
        'warning',
      ),
    );
  }
  return { valid: !issues.some((i) => i.severity === 'error'), issues };
}

export type ClusterDraftPolicyResult =
  | { readonly ok: true; readonly policy: ClusterNetworkPolicy }
  | { readonly ok: false; readonly validation: DraftValidation };

/** The draft as the normalized admin policy the evaluator reads (what reading its YAML gives), or why not. */
export function clusterDraftToPolicy(draft: ClusterPolicyDraft): ClusterDraftPolicyResult {
  const validation = validateClusterDraft(draft);
  if (!validation.valid) return { ok: false, validation };
  const { policy } = load(draft);
  if (policy === undefined) return { ok: false, validation };
  return { ok: true, policy };
}

/**
 * What-if changes for a draft: the policy upserted (replacing any admin policy with its key), and the
 * policy it edits removed when the draft renamed it. Invalid drafts give no changes.
 */
export function clusterDraftDeltas(
  draft: ClusterPolicyDraft,
):
  | { readonly ok: true; readonly deltas: readonly SnapshotDelta[] }
  | { readonly ok: false; readonly validation: DraftValidation } {
  const result = clusterDraftToPolicy(draft);
  if (!result.ok) return result;
  const deltas: SnapshotDelta[] = [];
  const key = clusterPolicyKey(result.policy);
  if (draft.origin !== undefined && draft.origin.name !== key) {
    deltas.push({ kind: 'removeClusterPolicy', key: draft.origin.name });
  }
  deltas.push({ kind: 'upsertClusterPolicy', policy: result.policy });
  return { ok: true, deltas };
}
