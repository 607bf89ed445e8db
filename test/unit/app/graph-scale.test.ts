/**
 * The graph at scale (issue 5, item 7): namespaces collapsed into one node when the graph is big, the
 * packed layout instead of fcose, selections that restyle only what changes (a veil over big graphs),
 * the list windowing's arithmetic, and syncs that leave unchanged elements alone. Timings are the
 * benchmark's (test/bench/ui.ts), never asserted here.
 */
import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { applyOverlay } from '../../../renderer/src/graph/apply-overlay.ts';
import { currentOverlay } from '../../../renderer/src/graph/selection-overlay.ts';
import { prefixOffsets, visibleRange } from '../../../renderer/src/components/VirtualList.tsx';
import {
  buildGraph,
  collapsedNamespaces,
  COLLAPSE_BUDGET,
  mergeBadges,
  namespaceNodeId,
} from '../../../renderer/src/graph/elements.ts';
import { autoLayout } from '../../../renderer/src/graph/layout.ts';
import { EMPTY_OVERLAY, policySubjects, previewOverlay } from '../../../renderer/src/graph/overlay.ts';
import { buildStylesheet } from '../../../renderer/src/graph/style.ts';
import { syncElements } from '../../../renderer/src/graph/sync.ts';
import { initialReach } from '../../../renderer/src/store/view-store.ts';
import { podKey } from '../../../shared/model/snapshot.ts';
import { generateCluster, SIZES } from '../../bench/generate.ts';

const big = generateCluster(SIZES.M);
const NO_ANSWERS = { policy: undefined, pod: undefined, check: undefined, cell: undefined, load: undefined };

describe('collapsing namespaces', () => {
  it('collapses nothing while the graph fits, then the biggest namespaces first, and obeys the user', () => {
    const sizes = new Map([
      ['a', 10],
      ['b', 300],
      ['c', 40],
      ['d', 1],
    ]);
    expect([...collapsedNamespaces(sizes, 400)]).toEqual([]);
    expect([...collapsedNamespaces(sizes, 100)]).toEqual(['b']);
    expect([...collapsedNamespaces(sizes, 20)].sort()).toEqual(['b', 'c']);
    expect([...collapsedNamespaces(sizes, 5)].sort()).toEqual(['a', 'b', 'c']);
    // The user's choice wins both ways, and what the user opened does not push others into collapsing.
    expect([...collapsedNamespaces(sizes, 100, { b: false })]).toEqual([]);
    expect([...collapsedNamespaces(sizes, 20, { b: false })]).toEqual(['c']);
    expect([...collapsedNamespaces(sizes, 400, { c: true })]).toEqual(['c']);
  });

  it('keeps 1,000 pods (not grouped) within the node budget and maps each pod to the node standing for it', () => {
    const graph = buildGraph(big, { group: false });
    const leaves = graph.elements.filter(
      (e) =>
        e.group === 'nodes' &&
        String(e.classes)
          .split(' ')
          .some((c) => c === 'pod' || c === 'collapsed'),
    );
    expect(graph.collapsed.size).toBeGreaterThan(0);
    expect(leaves.length).toBeLessThanOrEqual(COLLAPSE_BUDGET + big.namespaces.length);
    for (const pod of big.pods) {
      const node = graph.nodeOfPod.get(podKey(pod));
      if (graph.collapsed.has(pod.namespace)) expect(node).toBe(namespaceNodeId(pod.namespace));
      else expect(node).toBeDefined();
    }
    const ns = [...graph.collapsed][0] as string;
    const node = graph.elements.find((e) => e.data.id === namespaceNodeId(ns));
    const count = big.pods.filter((p) => p.namespace === ns).length;
    expect(node?.data.label).toBe(`${ns}\n${count} ${count === 1 ? 'pod' : 'pods'}`);
    expect(node?.classes).toContain('collapsed');
    // No workload group of a collapsed namespace is left over.
    for (const w of graph.workloads.values()) expect(graph.collapsed.has(w.namespace)).toBe(false);
    // Expanded by the user: its pods are back.
    const open = buildGraph(big, { group: false, collapse: { [ns]: false } });
    expect(open.collapsed.has(ns)).toBe(false);
    expect(open.nodeOfPod.get(podKey(big.pods.find((p) => p.namespace === ns)!))).not.toBe(
      namespaceNodeId(ns),
    );
  });

  it('merges a namespace badge: a direction is isolated when every pod is', () => {
    const iso = { ingress: true, egress: false, hostNetwork: false } as const;
    const open = { ingress: false, egress: false, hostNetwork: false } as const;
    expect(mergeBadges([iso, iso])).toEqual({ ingress: true, egress: false, hostNetwork: false });
    expect(mergeBadges([iso, open])?.ingress).toBe(false);
    expect(mergeBadges([iso, { ...iso, ingress: 'unknown' }])?.ingress).toBe('unknown');
    expect(mergeBadges([undefined])).toBeUndefined();
  });
});

describe('the big graph in cytoscape', () => {
  const setup = async () => {
    const graph = buildGraph(big, { group: false });
    const cy = cytoscape({ headless: true, style: buildStylesheet(readTheme()) });
    syncElements(cy, graph.elements);
    await autoLayout.run(cy);
    return { graph, cy };
  };

  it('lays out with the packed grid (no fcose) and syncs without touching unchanged elements', async () => {
    const { graph, cy } = await setup();
    // Packed positions are on a grid: every collapsed node got a distinct position.
    const positions = new Set(cy.nodes('.collapsed').map((n) => `${n.position('x')},${n.position('y')}`));
    expect(positions.size).toBe(cy.nodes('.collapsed').length);
    expect(syncElements(cy, graph.elements)).toEqual({
      added: 0,
      removed: 0,
      updated: 0,
      addedIds: [],
      closedIds: [],
    });
    cy.destroy();
  });

  it('shows a policy at once (its subjects) and then restyles only the nodes that change', async () => {
    const { graph, cy } = await setup();
    const policy = big.policies.find((p) => policySubjects(big, podKey(p)).length > 0)!;
    const subjects = policySubjects(big, podKey(policy));
    const preview = currentOverlay(
      { kind: 'policy', key: podKey(policy) },
      initialReach,
      NO_ANSWERS,
      graph,
      big,
    );
    expect(preview.phase).toBe('preview');
    expect(preview.overlay).toEqual(previewOverlay(subjects, graph));
    // Big graph: a veil, and only the subjects are lifted above it (no per-node dimming).
    const changed = applyOverlay(cy, preview.overlay, preview.dim);
    expect(cy.nodes('.veil').length).toBe(1);
    expect(cy.nodes('.dimmed').length).toBe(0);
    expect(cy.nodes('.lit').length).toBe(preview.overlay.focus.size);
    expect(changed).toBe(2 * preview.overlay.subjects.size);
    // The same overlay again changes nothing; clearing it removes the veil and the marks.
    expect(applyOverlay(cy, preview.overlay, preview.dim)).toBe(0);
    applyOverlay(cy, EMPTY_OVERLAY, false);
    expect(cy.nodes('.veil, .lit, .subject').length).toBe(0);
    cy.destroy();
  });
});

describe('list windowing', () => {
  it('finds the items overlapping a window of pixels', () => {
    const offsets = prefixOffsets([10, 20, 30, 40]);
    expect([...offsets]).toEqual([0, 10, 30, 60, 100]);
    expect(visibleRange(offsets, 0, 5)).toEqual([0, 1]);
    expect(visibleRange(offsets, 10, 30)).toEqual([1, 2]);
    expect(visibleRange(offsets, 25, 61)).toEqual([1, 4]);
    expect(visibleRange(offsets, -100, 1000)).toEqual([0, 4]);
    expect(visibleRange(offsets, 200, 300)).toEqual([4, 4]);
    expect(visibleRange(prefixOffsets([]), 0, 100)).toEqual([0, 0]);
  });
});

function readTheme() {
  // Node has no DOM: the stylesheet's fallbacks.
  return {
    fontFamily: 'sans-serif',
    monoFamily: 'monospace',
    text: '#000',
    textMuted: '#666',
    surface: '#fff',
    border: '#ccc',
    accent: '#00f',
    accentSoft: '#eef',
    edges: {
      flowing: '#0a0',
      blocked: '#8d8',
      denied: '#d00',
      passed: '#579',
      unknown: '#999',
      allowed: '#00f',
    },
    badges: {
      ingress: '#00f',
      egress: '#f0f',
      idle: '#ccc',
      open: '#fa0',
      unknown: '#999',
      surface: '#fff',
      tierAdmin: '#64c',
      tierBaseline: '#678',
    },
    namespaces: Array.from({ length: 12 }, () => ({ strong: '#00f', soft: '#eef', line: '#ccf' })),
  };
}
