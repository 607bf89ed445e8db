/**
 * Imported flows in the analysis worker (analysis/flows.ts), in-process: files pushed in pieces give
 * the comparison the library gives (`netglass flows` on the same fixture), the generator's drafts keep
 * every seen allowed flow under the what-if while a default-deny loses some, and the flows layer draws
 * contradictions as their own class, weighted by volume.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import type { FlowsFor, FlowsGenerated, FlowsKept, FlowsView } from '../../../renderer/src/analysis/flows.ts';
import type { AnalysisRequest } from '../../../renderer/src/analysis/protocol.ts';
import { createAnalysisHandler } from '../../../renderer/src/analysis/whatif.ts';
import { flowsOverlay, volumeClass } from '../../../renderer/src/flows/flows-overlay.ts';
import { buildGraph } from '../../../renderer/src/graph/elements.ts';
import { generatedDraft } from '../../../renderer/src/store/flows-store.ts';
import { draftFromPolicy, editorDraftDeltas } from '../../../shared/editor/index.ts';
import { createAnalyzer, type SnapshotDelta } from '../../../shared/eval/index.ts';
import { FlowImport } from '../../../shared/flows/index.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

const DIR = join(process.cwd(), 'test/fixtures/flows');
const HUBBLE = readFileSync(join(DIR, 'hubble.jsonl'), 'utf8');

let nextId = 1;
type Handle = ReturnType<typeof createAnalysisHandler>;
function ask<T>(handle: Handle, method: AnalysisRequest['method'], params: unknown): T {
  const response = handle({ id: nextId++, method, params } as AnalysisRequest);
  if (!response.ok) throw new Error(response.error);
  return response.value as T;
}
function fails(handle: Handle, method: AnalysisRequest['method'], params: unknown): string {
  const response = handle({ id: nextId++, method, params } as AnalysisRequest);
  if (response.ok) throw new Error(`${method} should have failed`);
  return response.error;
}

async function cluster(): Promise<Snapshot> {
  return loadManifests([join(DIR, 'cluster.yaml')]);
}

/** Loads the cluster and pushes the Hubble fixture in pieces cut mid-line. */
async function imported(): Promise<{ handle: Handle; view: FlowsView; snapshot: Snapshot }> {
  const snapshot = await cluster();
  const handle = createAnalysisHandler();
  ask(handle, 'load', { snapshot, revision: 1 });
  expect(ask(handle, 'flowsPush', { step: 'begin' })).toBeNull();
  for (let i = 0; i < HUBBLE.length; i += 997)
    ask(handle, 'flowsPush', { step: 'push', file: 'hubble.jsonl', text: HUBBLE.slice(i, i + 997) });
  const view = ask<FlowsView>(handle, 'flowsPush', { step: 'end' });
  return { handle, view, snapshot };
}

const deltasOf = (drafts: readonly Parameters<typeof editorDraftDeltas>[0][]): SnapshotDelta[] =>
  drafts.flatMap((d) => {
    const r = editorDraftDeltas(d);
    if (!r.ok) throw new Error(JSON.stringify(r.validation));
    return [...r.deltas];
  });

describe('flows in the analysis worker', () => {
  it('compares pushed pieces exactly as the library compares the whole file', async () => {
    const { view, snapshot } = await imported();
    const whole = new FlowImport(snapshot, createAnalyzer(snapshot));
    whole.readText('hubble.jsonl', HUBBLE);
    const expected = whole.compare();
    expect(view.counts).toEqual(expected.counts);
    expect(view.counts).toMatchObject({ contradiction: 3, confirmed: 5, audit: 1 });
    expect(view.files).toEqual(['hubble.jsonl']);
    expect(view.read).toEqual(expected.read);
    expect(view.revision).toBe(1);
    // Contradictions come first, each with a cause.
    const contradictions = view.findings.filter((f) => f.status === 'contradiction');
    expect(view.findings.slice(0, 3)).toEqual(contradictions);
    expect(new Set(contradictions.map((f) => f.cause?.kind))).toEqual(
      new Set(['cni-semantics', 'unmodelled-cni-policy', 'policy-changed']),
    );
    expect(contradictions.every((f) => f.src.peers.length > 0 && f.dst.peers.length > 0)).toBe(true);
    const unused = view.rules
      .filter((r) => r.flows === 0)
      .map((r) => `${r.policy} ${r.direction}[${r.rule}]`);
    expect(unused.sort()).toEqual([
      'db/postgres-ingress ingress[1]',
      'shop/cart ingress[0]',
      'shop/checkout egress[1]',
      'shop/web-ingress ingress[1]',
    ]);
    expect(view.unmapped.map((u) => u.label)).toEqual(['shop/web-6c5d4b3a2-zzzzz (10.0.1.99)']);
  });

  it('says why before a snapshot, before an import, and compares again after a new snapshot', async () => {
    const handle = createAnalysisHandler();
    expect(fails(handle, 'flowsPush', { step: 'begin' })).toMatch(/open a cluster/);
    ask(handle, 'load', { snapshot: await cluster(), revision: 1 });
    expect(fails(handle, 'flowsView', null)).toMatch(/No flows have been imported/);
    const { handle: h2, snapshot } = await imported();
    // The cart ingress policy goes: what it denied is now allowed at that side.
    const next = { ...snapshot, policies: snapshot.policies.filter((p) => p.name !== 'cart') };
    ask(h2, 'load', { snapshot: next, revision: 2 });
    const again = ask<FlowsView>(h2, 'flowsView', null);
    expect(again.revision).toBe(2);
    expect(again.rules.some((r) => r.policy === 'shop/cart')).toBe(false);
    ask(h2, 'flowsClear', null);
    expect(fails(h2, 'flowsView', null)).toMatch(/No flows have been imported/);
  });

  it('generates drafts that keep every seen allowed flow; emptying a policy does not', async () => {
    const { handle, snapshot } = await imported();
    const generated = ask<FlowsGenerated>(handle, 'flowsGenerate', null);
    expect(generated.policies.length).toBeGreaterThan(0);
    expect(generated.policies.every((g) => g.policy.name.startsWith('observed-'))).toBe(true);
    const drafts = generated.policies.map((g) => generatedDraft(g.policy));
    expect(drafts.every((d) => d.origin === undefined)).toBe(true);
    const kept = ask<FlowsKept>(handle, 'flowsKept', { deltas: deltasOf(drafts) });
    expect(kept.total).toBeGreaterThan(0);
    expect(kept).toMatchObject({ total: kept.total, kept: kept.total, lost: [] });
    // The seen flows the policies deny now (checkout and web to cart) are allowed by the drafts.
    expect(kept.opened).toBeGreaterThan(0);
    // An edit of db/postgres-ingress with no ingress rule left: postgres then accepts nothing.
    const postgres = snapshot.policies.find((p) => p.name === 'postgres-ingress')!;
    const emptied = { ...draftFromPolicy(postgres), ingress: [] };
    const lost = ask<FlowsKept>(handle, 'flowsKept', { deltas: deltasOf([emptied]) });
    expect(lost.kept).toBeLessThan(lost.total);
    expect(lost.lost.join('\n')).toMatch(/db\/postgres-0 5432\/TCP/);
  });

  it('draws contradictions in their own class, with a width that grows with the volume', async () => {
    const { view, snapshot } = await imported();
    const graph = buildGraph(snapshot, {});
    const ctx = { ports: [], mentioned: [] };
    const all = flowsOverlay(view, ['contradiction', 'audit', 'confirmed', 'undecided'], graph, ctx);
    const classes = all.edges.map((e) => String((e.data as { cls: string }).cls));
    expect(classes.filter((c) => c === 'contradiction')).toHaveLength(3);
    expect(classes).toContain('seen');
    expect(classes).toContain('audit');
    const busy = all.edges.find((e) => (e.data as { volume: number }).volume === 6);
    expect(String(busy?.classes)).toMatch(/\bflow\b/);
    const only = flowsOverlay(view, ['contradiction'], graph, ctx);
    expect(only.edges.map((e) => (e.data as { cls: string }).cls)).toEqual([
      'contradiction',
      'contradiction',
      'contradiction',
    ]);
    expect([1, 9, 10, 999, 1e6].map(volumeClass)).toEqual(['vol-1', 'vol-1', 'vol-2', 'vol-3', 'vol-4']);
  });
});

describe('flows per pod and policy, and the time window, over the worker messages', () => {
  it('flowsFor: a policy’s seen flows per rule, a pod’s in and out', async () => {
    const { handle } = await imported();
    const policy = ask<FlowsFor>(handle, 'flowsFor', { kind: 'policy', policy: 'shop/checkout' });
    expect(policy.kind).toBe('policy');
    if (policy.kind !== 'policy') return;
    expect(policy.value.rules.map((r) => [`${r.direction}[${r.rule}]`, r.flows, r.connections])).toEqual([
      ['ingress[0]', 1, 6],
      ['egress[0]', 1, 2],
      ['egress[1]', 0, 0],
    ]);
    const pod = ask<FlowsFor>(handle, 'flowsFor', { kind: 'pod', pod: 'db/postgres-0' });
    expect(pod.kind).toBe('pod');
    if (pod.kind !== 'pod') return;
    expect(pod.value.inbound.map((f) => f.status)).toEqual(['contradiction', 'confirmed', 'confirmed']);
  });

  it('flowsWindow: every later answer is over the window; {} brings every record back', async () => {
    const { handle, view } = await imported();
    const since = Date.parse('2026-12-02T09:00:10Z');
    const until = Date.parse('2026-12-02T09:00:14.5Z');
    const windowed = ask<FlowsView>(handle, 'flowsWindow', { window: { since, until } });
    expect(windowed.selected).toEqual({ since, until });
    expect(windowed.outsideWindow).toBe(12);
    expect(windowed.counts).toMatchObject({ contradiction: 0, confirmed: 4 });
    expect(windowed.window).toEqual(view.window);
    expect(ask<FlowsView>(handle, 'flowsView', null).counts).toEqual(windowed.counts);
    const policy = ask<FlowsFor>(handle, 'flowsFor', { kind: 'policy', policy: 'shop/checkout' });
    if (policy.kind !== 'policy') throw new Error('expected a policy answer');
    expect(policy.value.rules[0]?.flows).toBe(0);
    // Drafts from the window's flows only: checkout's ingress from web was seen before it.
    const checkout = (g: FlowsGenerated) =>
      g.policies.find((p) => p.policy.name === 'observed-checkout')?.policy.policyTypes;
    expect(checkout(ask<FlowsGenerated>(handle, 'flowsGenerate', null))).toEqual(['Egress']);
    const all = ask<FlowsView>(handle, 'flowsWindow', { window: {} });
    expect(all.selected).toBeUndefined();
    expect(all.counts).toEqual(view.counts);
    expect(checkout(ask<FlowsGenerated>(handle, 'flowsGenerate', null))).toEqual(['Ingress', 'Egress']);
  });
});
