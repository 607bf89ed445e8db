/** Putting an overlay (a selection's edges, rings and dimming) on a live cytoscape instance. */
import type { Core, NodeSingular } from 'cytoscape';
import type { Overlay } from './overlay.ts';
import { markTitle, TITLE_CLASS } from './titles.ts';

/** Above this many nodes a selection dims the graph with a veil rather than a class on each node. */
export const VEIL_MIN_NODES = 300;
const VEIL_ID = 'overlay:veil';

/**
 * Puts an overlay on the graph: its edges and extra nodes, subject rings, dimming. One batch, and only
 * the nodes whose marks change get a class toggled (a class change restyles a node; restyling every
 * node of a big graph per selection is what made selections slow). On big graphs (`veil`) the rest is
 * not dimmed node by node: one veil node covers the graph and what the selection concerns is drawn
 * above it (class `lit`), so a selection restyles only those. Returns how many nodes changed.
 */
export function applyOverlay(
  cy: Core,
  overlay: Overlay,
  dim: boolean,
  veil: boolean = cy.nodes().length > VEIL_MIN_NODES,
): number {
  let changed = 0;
  cy.batch(() => {
    cy.elements('.overlay').remove();
    if (dim && veil) {
      // One node over the whole graph; what the selection concerns is drawn above it (`lit`).
      const box = cy.nodes().boundingBox();
      if (Number.isFinite(box.w) && box.w > 0) {
        const margin = 4000;
        cy.add({
          group: 'nodes',
          data: { id: VEIL_ID, kind: 'veil', width: box.w + 2 * margin, height: box.h + 2 * margin },
          classes: 'overlay veil',
          position: { x: box.x1 + box.w / 2, y: box.y1 + box.h / 2 },
        });
      }
    }
    if (overlay.extraNodes.length > 0) {
      const box = cy.nodes().boundingBox();
      overlay.extraNodes.forEach((n, i) => {
        cy.add({
          group: 'nodes',
          data: { id: n.id, kind: 'external', label: n.label, ref: n.label, color: 0 },
          classes: 'overlay external',
          position: {
            x: (Number.isFinite(box.x2) ? box.x2 : 0) + 140,
            y: (Number.isFinite(box.y1) ? box.y1 : 0) + 60 + i * 60,
          },
        });
      });
    }
    if (overlay.edges.length > 0) {
      const edges = cy.add(overlay.edges);
      if (dim && veil) edges.addClass('lit');
    }
    const mark = (node: NodeSingular, cls: string, on: boolean): void => {
      if (node.hasClass(cls) === on) return;
      node.toggleClass(cls, on);
      changed++;
    };
    cy.nodes().forEach((node) => {
      const id = node.id();
      // Titles (titles.ts) follow their group, below.
      if (id === VEIL_ID || node.hasClass(TITLE_CLASS)) return;
      mark(node, 'subject', overlay.subjects.has(id));
      mark(node, 'lit', dim && veil && overlay.focus.has(id));
      if (veil) {
        mark(node, 'dimmed', false);
        mark(node, 'faded', false);
        if (node.isParent()) {
          let concerned = overlay.focus.has(id);
          node.children().forEach((c) => {
            if (overlay.focus.has(c.id())) concerned = true;
          });
          changed += markTitle(cy, node, false, dim && !concerned);
        }
        return;
      }
      if (node.hasClass('pod') || node.hasClass('external') || node.hasClass('collapsed')) {
        // Leaves: pods, workloads, externals, collapsed namespaces.
        mark(node, 'dimmed', dim && !overlay.focus.has(id));
        mark(node, 'faded', false);
        return;
      }
      mark(node, 'dimmed', false);
      let faded = false;
      if (dim && !overlay.focus.has(id)) {
        faded = true;
        node.children().forEach((c) => {
          if (overlay.focus.has(c.id())) faded = false;
        });
      }
      mark(node, 'faded', faded);
      changed += markTitle(cy, node, faded, false);
    });
  });
  return changed;
}

/** Cytoscape's own selection (its `:selected` style) follows the app's. */
export function markSelected(cy: Core, id: string | undefined): void {
  const selected = cy.$(':selected');
  if (selected.length === (id === undefined ? 0 : 1) && (id === undefined || selected.id() === id)) return;
  cy.batch(() => {
    selected.unselect();
    if (id !== undefined) cy.getElementById(id).select();
  });
}
