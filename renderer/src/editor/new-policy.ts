/**
 * The ways to start a new policy, declared once: the editor's "New policy" chooser and the command
 * palette both list these actions and both make a draft with `create`, so a template reads and names
 * its draft alike from either place. Also the names and namespaces a new draft must avoid or take.
 */
import type { EditorDraft } from '../../../shared/editor/index.ts';
import {
  CALICO_TEMPLATES,
  CILIUM_TEMPLATES,
  CLUSTER_TEMPLATES,
  NEW_CLUSTER_DRAFT_EXPLANATION,
  NEW_DRAFT_EXPLANATION,
  TEMPLATES,
  calicoDraftFromTemplate,
  ciliumDraftFromTemplate,
  enforcedKind,
  freePriority,
  isCalicoDraft,
  isCiliumDraft,
  isClusterDraft,
  isNetworkPolicyDraft,
  newClusterDraft,
  newDraft,
  uniqueName,
} from '../../../shared/editor/index.ts';
import type { CalicoDraftKind } from '../../../shared/editor/index.ts';
import type { CiliumPolicyKind, Snapshot } from '../../../shared/model/snapshot.ts';
import type { DraftEntry } from './store.ts';

/** The namespace a new policy starts in: the selected one, else the first that is not kube-system. */
export function defaultNamespace(snapshot: Snapshot | undefined, selected: string | undefined): string {
  const names = snapshot?.namespaces.map((n) => n.name) ?? [];
  if (selected !== undefined && names.includes(selected)) return selected;
  return names.find((n) => n !== 'kube-system' && !n.startsWith('kube-')) ?? names[0] ?? 'default';
}

/** NetworkPolicy names in use in `namespace`: the snapshot's and the drafts'. */
export function takenNames(
  snapshot: Snapshot | undefined,
  drafts: readonly DraftEntry[],
  namespace: string,
): string[] {
  return [
    ...(snapshot?.policies.filter((p) => p.namespace === namespace).map((p) => p.name) ?? []),
    ...drafts.flatMap((d) =>
      isNetworkPolicyDraft(d.draft) && d.draft.namespace === namespace ? [d.draft.name] : [],
    ),
  ];
}

/**
 * Cilium policy names in use in the scope of `kind` (a namespace for CiliumNetworkPolicy, the cluster
 * for CiliumClusterwideNetworkPolicy): the snapshot's and the drafts'.
 */
export function takenCiliumNames(
  snapshot: Snapshot | undefined,
  drafts: readonly DraftEntry[],
  kind: CiliumPolicyKind,
  namespace: string | undefined,
): string[] {
  const inScope = (p: { kind: string; namespace?: string | undefined }) =>
    p.kind === kind && (kind === 'CiliumClusterwideNetworkPolicy' || p.namespace === namespace);
  return [
    ...(snapshot?.ciliumPolicies ?? []).filter(inScope).map((p) => p.name),
    ...drafts.flatMap((d) => (isCiliumDraft(d.draft) && inScope(d.draft) ? [d.draft.name] : [])),
  ];
}

/**
 * Calico policy names (without the tier prefix) in use in the scope of `kind`: a namespace for
 * NetworkPolicy, the cluster for GlobalNetworkPolicy; every tier, staged policies included (a staged
 * policy's name is the one it would take once enforced). The snapshot's and the drafts'.
 */
export function takenCalicoNames(
  snapshot: Snapshot | undefined,
  drafts: readonly DraftEntry[],
  kind: CalicoDraftKind,
  namespace: string | undefined,
): string[] {
  const inScope = (k: CalicoDraftKind, ns: string | undefined) =>
    k === kind && (kind === 'GlobalNetworkPolicy' || ns === namespace);
  return [
    ...(snapshot?.calicoPolicies ?? [])
      .filter((p) => inScope(enforcedKind(p.kind), p.namespace))
      .map((p) => p.name),
    ...drafts.flatMap((d) =>
      isCalicoDraft(d.draft) && inScope(d.draft.calicoKind, d.draft.namespace) ? [d.draft.name] : [],
    ),
  ];
}

/** ClusterNetworkPolicy names in use: the snapshot's and the drafts' (they are cluster-scoped). */
export function takenClusterNames(snapshot: Snapshot | undefined, drafts: readonly DraftEntry[]): string[] {
  return [
    ...(snapshot?.clusterPolicies.filter((p) => p.kind === 'ClusterNetworkPolicy').map((p) => p.name) ?? []),
    ...drafts.flatMap((d) => (isClusterDraft(d.draft) ? [d.draft.name] : [])),
  ];
}

export type NewPolicyKind = 'NetworkPolicy' | 'ClusterNetworkPolicy' | 'Cilium' | 'Calico';

/** How a new policy of each kind is named where the kind must be said (the palette's titles). */
export const NEW_KIND_TITLE: Readonly<Record<NewPolicyKind, string>> = {
  NetworkPolicy: 'NetworkPolicy',
  ClusterNetworkPolicy: 'ClusterNetworkPolicy',
  Cilium: 'Cilium policy',
  Calico: 'Calico policy',
};

/** What a new draft is made in view of: the source's policies, the other drafts, the namespace chosen. */
export interface NewPolicyContext {
  readonly snapshot: Snapshot | undefined;
  readonly drafts: readonly DraftEntry[];
  readonly namespace: string;
}

export interface NewPolicyAction {
  /** Unique; the chooser's test id (`new-blank`, `template:<id>`). */
  readonly id: string;
  readonly kind: NewPolicyKind;
  readonly title: string;
  readonly description: string;
  /**
   * The blank policy of its kind (the chooser shows it apart, above the templates): what the palette
   * calls it after the kind. Undefined for a template.
   */
  readonly blank: string | undefined;
  /** Made for the namespace chosen (else cluster-wide). */
  readonly namespaced: boolean;
  /** Where the namespace chosen shows in the chooser's description: `in namespace x`, or not at all. */
  readonly namespaceNote: 'in' | 'for' | undefined;
  /** The draft, named and prioritised so that it neither replaces nor ties with a policy or draft. */
  readonly create: (ctx: NewPolicyContext) => EditorDraft;
}

const clusterPoliciesOf = (ctx: NewPolicyContext) => ctx.snapshot?.clusterPolicies ?? [];

/** Every way to start a policy, per kind: the blank one first (where there is one), then the templates. */
export const NEW_POLICY_ACTIONS: readonly NewPolicyAction[] = [
  {
    id: 'new-blank',
    kind: 'NetworkPolicy',
    title: 'New policy (deny-all)',
    description: NEW_DRAFT_EXPLANATION,
    blank: 'blank, deny-all',
    namespaced: true,
    namespaceNote: undefined,
    create: (ctx) => newDraft(ctx.namespace, takenNames(ctx.snapshot, ctx.drafts, ctx.namespace)),
  },
  ...TEMPLATES.map((t): NewPolicyAction => ({
    id: `template:${t.id}`,
    kind: 'NetworkPolicy',
    title: t.title,
    description: t.description,
    blank: undefined,
    namespaced: true,
    namespaceNote: undefined,
    create: (ctx) => {
      const draft = t.create(ctx.namespace);
      const taken = takenNames(ctx.snapshot, ctx.drafts, ctx.namespace);
      return { ...draft, name: taken.includes(draft.name) ? `${draft.name}-2` : draft.name };
    },
  })),
  {
    id: 'new-blank-cluster',
    kind: 'ClusterNetworkPolicy',
    title: 'New ClusterNetworkPolicy',
    description: NEW_CLUSTER_DRAFT_EXPLANATION,
    blank: 'blank',
    namespaced: true,
    namespaceNote: undefined,
    create: (ctx) =>
      newClusterDraft(ctx.namespace, takenClusterNames(ctx.snapshot, ctx.drafts), clusterPoliciesOf(ctx)),
  },
  ...CLUSTER_TEMPLATES.map((t): NewPolicyAction => ({
    id: `template:${t.id}`,
    kind: 'ClusterNetworkPolicy',
    title: t.title,
    description: t.description,
    blank: undefined,
    namespaced: t.perNamespace,
    namespaceNote: t.perNamespace ? 'for' : undefined,
    create: (ctx) => {
      const draft = t.create(ctx.namespace);
      return {
        ...draft,
        name: uniqueName(draft.name, takenClusterNames(ctx.snapshot, ctx.drafts)),
        priority: String(freePriority(draft.tier, Number(draft.priority), clusterPoliciesOf(ctx))),
      };
    },
  })),
  ...CILIUM_TEMPLATES.map((t): NewPolicyAction => ({
    id: `template:${t.id}`,
    kind: 'Cilium',
    title: t.title,
    description: t.description,
    blank: undefined,
    namespaced: t.kind === 'CiliumNetworkPolicy',
    namespaceNote: t.kind === 'CiliumNetworkPolicy' ? 'in' : undefined,
    create: (ctx) =>
      ciliumDraftFromTemplate(
        t,
        ctx.namespace,
        takenCiliumNames(ctx.snapshot, ctx.drafts, t.kind, ctx.namespace),
      ),
  })),
  ...CALICO_TEMPLATES.map((t): NewPolicyAction => ({
    id: `template:${t.id}`,
    kind: 'Calico',
    title: t.title,
    description: t.description,
    blank: undefined,
    namespaced: t.kind === 'NetworkPolicy',
    namespaceNote: t.kind === 'NetworkPolicy' ? 'in' : undefined,
    create: (ctx) =>
      calicoDraftFromTemplate(
        t,
        ctx.namespace,
        takenCalicoNames(ctx.snapshot, ctx.drafts, t.kind, ctx.namespace),
      ),
  })),
];

/** The action's description, with the namespace it is made for where it takes one. */
export function newPolicyDescription(action: NewPolicyAction, namespace: string): string {
  return action.namespaceNote === undefined
    ? action.description
    : `${action.description} (${action.namespaceNote} namespace ${namespace})`;
}

/** `New Calico policy: Default deny, cluster-wide (DNS kept)`: the action as the palette names it. */
export function newPolicyTitle(action: NewPolicyAction): string {
  return `New ${NEW_KIND_TITLE[action.kind]}: ${action.blank ?? action.title}`;
}

/**
 * The actions whose palette title, kind and description hold every word of `query` (none for an
 * empty one, as for the other commands): "new calico", "new cilium", "new policy deny".
 */
export function matchNewPolicyActions(query: string): NewPolicyAction[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return [];
  return NEW_POLICY_ACTIONS.filter((a) => {
    const text = `${newPolicyTitle(a)} ${a.kind} ${a.description} draft template create`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
