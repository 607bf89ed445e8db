/**
 * Snapshot → cytoscape elements: namespaces as compound nodes with their pods inside. Pure, so the
 * graph's content is unit-tested without a canvas. Edges (allowed/denied traffic) will come from the
 * evaluator's analysis and join here.
 */
import type { ElementDefinition } from 'cytoscape';
import { podKey, type Snapshot } from '../../../shared/model/snapshot.ts';
import { compareNamespaces, namespaceColors, podDisplayName } from '../model/summary.ts';

export const namespaceNodeId = (name: string): string => `ns:${name}`;
export const podNodeId = (key: string): string => `pod:${key}`;

export interface GraphNodeData {
  readonly id: string;
  readonly kind: 'namespace' | 'pod';
  readonly label: string;
  readonly parent?: string;
  /** Namespace name for namespaces, pod key for pods. */
  readonly ref: string;
  readonly color: number;
}

export function buildElements(snapshot: Snapshot): ElementDefinition[] {
  const colors = namespaceColors(snapshot);
  const elements: ElementDefinition[] = [];
  const namespaces = [...snapshot.namespaces].sort((a, b) => compareNamespaces(a.name, b.name));
  for (const ns of namespaces) {
    const data: GraphNodeData = {
      id: namespaceNodeId(ns.name),
      kind: 'namespace',
      label: ns.name,
      ref: ns.name,
      color: colors.get(ns.name) ?? 0,
    };
    elements.push({ group: 'nodes', data: { ...data }, classes: `namespace ns-color-${data.color}` });
  }
  const pods = [...snapshot.pods].sort((a, b) => a.name.localeCompare(b.name));
  for (const pod of pods) {
    const key = podKey(pod);
    const name = podDisplayName(pod);
    const color = colors.get(pod.namespace) ?? 0;
    const data: GraphNodeData = {
      id: podNodeId(key),
      kind: 'pod',
      label: name.secondary === '' ? name.primary : `${name.primary}\n${name.secondary}`,
      parent: namespaceNodeId(pod.namespace),
      ref: key,
      color,
    };
    const classes = ['pod', `ns-color-${color}`];
    if (pod.hostNetwork) classes.push('host-network');
    if (pod.phase !== undefined && pod.phase !== 'Running') classes.push('not-running');
    elements.push({ group: 'nodes', data: { ...data }, classes: classes.join(' ') });
  }
  return elements;
}
