/**
 * The graph's export commands, declared once: the graph toolbar's export menu, the keyboard shortcut
 * and the command palette all run them from here. They act on the graph on screen, which registers
 * its controller while it is mounted (there is one graph per window).
 */
import type { ExportFormat, ExportScope } from './export-image.ts';
import type { GraphController } from './graph-controller.ts';

export interface GraphCommand {
  readonly id: string;
  readonly title: string;
  /** Words the palette also matches. */
  readonly keywords: string;
  readonly format: ExportFormat;
  readonly scope: ExportScope;
  /** The shortcut, as `aria-keyshortcuts` spells it. */
  readonly shortcut?: string;
}

export const GRAPH_EXPORT_COMMANDS: readonly GraphCommand[] = [
  {
    id: 'graph.export.png.view',
    title: 'Export graph as PNG: what is on screen',
    keywords: 'image picture screenshot download save view visible',
    format: 'png',
    scope: 'view',
    shortcut: 'Control+Shift+E',
  },
  {
    id: 'graph.export.png.full',
    title: 'Export graph as PNG: the whole graph',
    keywords: 'image picture download save full all everything',
    format: 'png',
    scope: 'full',
  },
  {
    id: 'graph.export.svg.view',
    title: 'Export graph as SVG: what is on screen',
    keywords: 'vector image download save view visible',
    format: 'svg',
    scope: 'view',
  },
  {
    id: 'graph.export.svg.full',
    title: 'Export graph as SVG: the whole graph',
    keywords: 'vector image download save full all everything',
    format: 'svg',
    scope: 'full',
  },
];

/** Ctrl/Cmd+Shift+E: the command the keyboard runs. */
export function commandForKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>) {
  if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'e')
    return GRAPH_EXPORT_COMMANDS[0];
  return undefined;
}

/** The commands whose title or keywords contain every word of `query` (none for an empty query). */
export function matchCommands(query: string): GraphCommand[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return [];
  return GRAPH_EXPORT_COMMANDS.filter((c) => {
    const text = `${c.title} ${c.keywords} ${c.format}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

let active: GraphController | undefined;

/** The graph view registers its controller while mounted; returns the unregistration. */
export function registerGraph(controller: GraphController): () => void {
  active = controller;
  return () => {
    if (active === controller) active = undefined;
  };
}

export function activeGraph(): GraphController | undefined {
  return active;
}

/** Runs an export command on the graph on screen; its outcome shows in the graph's status line. */
export function runGraphCommand(command: GraphCommand): void {
  void active?.exportAndSave(command.format, command.scope);
}
