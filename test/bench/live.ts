/**
 * What one live event costs on the L cluster, stage by stage (issue 10: "one pod or policy event →
 * graph updated ≤ 200 ms, independent of cluster size"): the Node side reading the event into a change
 * (`LiveModel.flush`), the renderer's store applying it (`applySnapshotChange`), the analysis worker's
 * `update` with its answer cloned as postMessage does, and the graph model rebuilt (`buildGraph`, the
 * step before cytoscape's own sync, which `npm run bench:ui` measures in Chromium). The same for the M
 * cluster, so the growth with size shows. Nothing here asserts.
 */
import { LiveModel } from '../../electron/cluster/live-model.ts';
import type { KubeObject } from '../../electron/cluster/reflector.ts';
import { createAnalysisEngine } from '../../renderer/src/analysis/engine.ts';
import type { AnalysisRequest } from '../../renderer/src/analysis/protocol.ts';
import { buildGraph } from '../../renderer/src/graph/elements.ts';
import { applySnapshotChange, type SnapshotChange } from '../../shared/model/delta.ts';
import type { NetworkPolicy, Pod, Snapshot } from '../../shared/model/snapshot.ts';
import { generateCluster, SIZES } from './generate.ts';

type RowFn = (scenario: string, metric: string, value: number, unit: 'ms' | 'MB', target?: number) => void;

let rv = 0;
/** The API object a pod of the model came from (the fields the reader reads). */
function rawPod(p: Pod): KubeObject {
  return {
    metadata: { name: p.name, namespace: p.namespace, labels: p.labels, resourceVersion: String(++rv) },
    spec: {
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      containers: [
        {
          name: 'c',
          ports: p.ports.map((c) => ({
            containerPort: c.containerPort,
            protocol: c.protocol,
            ...(c.name !== undefined ? { name: c.name } : {}),
          })),
        },
      ],
    },
    status: p.ips[0] !== undefined ? { podIP: p.ips[0], podIPs: p.ips.map((ip) => ({ ip })) } : {},
  } as KubeObject;
}

/** Selector and types only: a flush costs the same whatever the rules say (the analysis gets the real ones). */
function rawPolicy(p: NetworkPolicy): KubeObject {
  return {
    metadata: { name: p.name, namespace: p.namespace, resourceVersion: String(++rv) },
    spec: { podSelector: p.podSelector, policyTypes: p.policyTypes },
  } as KubeObject;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
}

function benchSize(size: 'M' | 'L', row: RowFn, runs: number): void {
  const s: Snapshot = generateCluster(SIZES[size]);
  const scenario = `${size} ${s.pods.length} pods, one live pod event`;
  const model = new LiveModel({ context: 'bench', server: 'https://bench' });
  const noAdmin = { versions: {}, unreadable: {} };
  model.event('namespaces', {
    type: 'replace',
    items: s.namespaces.map((n) => ({ metadata: { name: n.name, labels: n.labels, resourceVersion: '1' } })),
  });
  model.event('pods', { type: 'replace', items: s.pods.map(rawPod) });
  model.event('networkpolicies', { type: 'replace', items: s.policies.map(rawPolicy) });
  if (model.flush(noAdmin, undefined) === undefined) throw new Error('no first snapshot');
  // The store and the worker hold the generated snapshot itself, with every policy rule.
  let snapshot = s;
  const engine = createAnalysisEngine();
  engine.handle({ id: 0, method: 'load', params: { snapshot, revision: 1 } });
  let revision = 1;
  const stages = {
    flush: [] as number[],
    store: [] as number[],
    worker: [] as number[],
    graph: [] as number[],
  };
  for (let i = 0; i < runs + 2; i++) {
    const template = s.pods[(i * 997) % s.pods.length] as Pod;
    const event = rawPod({ ...template, name: `${template.name}-live-${i}` });
    let t = performance.now();
    model.event('pods', { type: 'upsert', item: event });
    const flushed = model.flush(noAdmin, undefined);
    const change: SnapshotChange | undefined = flushed?.change;
    const flushMs = performance.now() - t;
    if (change === undefined) throw new Error('a pod event must yield a change');
    t = performance.now();
    snapshot = applySnapshotChange(snapshot, change);
    const storeMs = performance.now() - t;
    t = performance.now();
    const request = structuredClone({
      id: i + 1,
      method: 'update',
      params: { change, revision: ++revision },
    });
    const answer = structuredClone(engine.handle(request as AnalysisRequest));
    const workerMs = performance.now() - t;
    if (!answer.ok) throw new Error(answer.error);
    t = performance.now();
    buildGraph(snapshot, { group: true });
    const graphMs = performance.now() - t;
    if (i < 2) continue;
    stages.flush.push(flushMs);
    stages.store.push(storeMs);
    stages.worker.push(workerMs);
    stages.graph.push(graphMs);
  }
  row(scenario, 'Node: event → change (LiveModel)', median(stages.flush), 'ms');
  row(scenario, 'renderer store: apply change', median(stages.store), 'ms');
  row(scenario, 'worker: update + answer clone', median(stages.worker), 'ms');
  row(scenario, 'graph model rebuilt (buildGraph)', median(stages.graph), 'ms');
  const total = median(stages.flush) + median(stages.store) + median(stages.worker) + median(stages.graph);
  row(scenario, 'sum of the stages (before cytoscape)', total, 'ms', 200);
}

export function benchLive(row: RowFn, runs = Number(process.env.BENCH_RUNS ?? 5)): void {
  for (const size of ['M', 'L'] as const) benchSize(size, row, Math.max(runs, 5));
}
