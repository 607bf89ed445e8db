/**
 * The policy generator on random clusters (test/property/arbitraries.ts: NetworkPolicies of every
 * form, colliding labels, named ports, shared addresses) and random observed allowed flows, read as
 * Hubble records through the whole import (reader, mapping, aggregation):
 * 1. every observed allowed flow is allowed once the generated policies are added to the cluster;
 * 2. nothing becomes allowed that no flow showed: each connection allowed after but not before joins a
 *    workload (or address) and a workload (or address) that a seen flow joined, on a port it used.
 * And each existing policy tightened from the same flows (tightenPolicy):
 * 3. every observed flow allowed before stays allowed once the policy is replaced by its tightened form;
 * 4. nothing becomes allowed that was not (the tightened policy allows a subset).
 * Runs: NETGLASS_PROPERTY_RUNS (default 200); seed: NETGLASS_PROPERTY_SEED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer, type Peer } from '../../shared/eval/index.ts';
import { FlowImport, generatePolicies, tightenPolicy, workloadsOf } from '../../shared/flows/index.ts';
import type { Pod, Protocol, Snapshot } from '../../shared/model/snapshot.ts';
import { EXTERNALS, PROBES, snapshotArb } from './arbitraries.ts';

const runs = Number(process.env.NETGLASS_PROPERTY_RUNS ?? 200);
const seedSetting = process.env.NETGLASS_PROPERTY_SEED ?? '20261203';
const seed = seedSetting === 'random' ? undefined : Number(seedSetting);
const TIMEOUT = 60_000 + runs * 300;
const params = { numRuns: runs, ...(seed === undefined ? {} : { seed }) };

/** One end of an observed flow: a pod (index) or an address outside the cluster. */
type End = { readonly pod: number } | { readonly ip: string };

interface Seen {
  readonly src: End;
  readonly dst: End;
  readonly protocol: Protocol;
  readonly port: number;
}

/** Addresses no pod has: an ipBlock for them cannot reach a pod. */
function externals(s: Snapshot): string[] {
  const used = new Set(s.pods.flatMap((p) => p.ips));
  return EXTERNALS.filter((ip) => !used.has(ip));
}

function endpointJson(s: Snapshot, e: End): { endpoint: Record<string, unknown>; ip?: string } {
  if ('ip' in e) return { endpoint: { identity: 2, labels: ['reserved:world'] }, ip: e.ip };
  const p = s.pods[e.pod] as Pod;
  return {
    endpoint: {
      namespace: p.namespace,
      pod_name: p.name,
      labels: [
        ...Object.entries(p.labels).map(([k, v]) => `k8s:${k}=${v}`),
        `k8s:io.kubernetes.pod.namespace=${p.namespace}`,
      ],
    },
    ...(p.ips[0] !== undefined ? { ip: p.ips[0] } : {}),
  };
}

function hubbleLine(s: Snapshot, f: Seen): string {
  const src = endpointJson(s, f.src);
  const dst = endpointJson(s, f.dst);
  return JSON.stringify({
    flow: {
      time: '2026-12-03T01:00:00Z',
      verdict: 'FORWARDED',
      IP: { ...(src.ip ? { source: src.ip } : {}), ...(dst.ip ? { destination: dst.ip } : {}) },
      l4: { [f.protocol]: { source_port: 40000, destination_port: f.port } },
      source: src.endpoint,
      destination: dst.endpoint,
      Type: 'L3_L4',
      traffic_direction: 'EGRESS',
      is_reply: false,
    },
  });
}

const peerOf = (s: Snapshot, e: End): Peer =>
  'ip' in e
    ? { kind: 'external', ip: e.ip }
    : { kind: 'pod', namespace: (s.pods[e.pod] as Pod).namespace, name: (s.pods[e.pod] as Pod).name };

/** Flows the generator takes: at least one pod end, distinct ends, no host-network pod. */
function usable(s: Snapshot, f: Seen): boolean {
  const pods = [f.src, f.dst].filter((e): e is { pod: number } => 'pod' in e);
  if (pods.length === 0) return false;
  if (pods.length === 2 && pods[0]?.pod === pods[1]?.pod) return false;
  return pods.every((e) => !(s.pods[e.pod] as Pod).hostNetwork);
}

const caseArb = snapshotArb.chain((s) => {
  const ext = externals(s);
  const end: fc.Arbitrary<End> =
    ext.length === 0
      ? fc.nat(s.pods.length - 1).map((pod) => ({ pod }))
      : fc.oneof(
          { weight: 3, arbitrary: fc.nat(s.pods.length - 1).map((pod): End => ({ pod })) },
          { weight: 1, arbitrary: fc.constantFrom(...ext).map((ip): End => ({ ip })) },
        );
  const seen = fc.record({
    src: end,
    dst: end,
    probe: fc.constantFrom(...PROBES),
  });
  return fc.record({
    snapshot: fc.constant(s),
    flows: fc
      .array(seen, { maxLength: 8 })
      .map((xs) =>
        xs.map((x): Seen => ({ src: x.src, dst: x.dst, protocol: x.probe.protocol, port: x.probe.port })),
      ),
  });
});

describe('generated policies from observed flows', () => {
  it(
    'keep every observed allowed flow allowed, and allow nothing no flow showed',
    () => {
      fc.assert(
        fc.property(caseArb, ({ snapshot, flows }) => {
          const seen = flows.filter((f) => usable(snapshot, f));
          const before = createAnalyzer(snapshot);
          const flowImport = new FlowImport(snapshot, before);
          flowImport.readText('seen.jsonl', seen.map((f) => hubbleLine(snapshot, f)).join('\n'));
          const generated = generatePolicies(snapshot, flowImport.aggregator.flows);
          expect(generated.skipped).toEqual([]);
          const after = before.whatIf(
            generated.policies.map((g) => ({ kind: 'upsertPolicy', policy: g.policy })),
          );

          for (const f of seen) {
            const v = after.check({
              from: peerOf(snapshot, f.src),
              to: peerOf(snapshot, f.dst),
              port: f.port,
              protocol: f.protocol,
            });
            expect(v.verdict, `${JSON.stringify(f)} stays allowed`).toBe('allowed');
          }

          const workloads = workloadsOf(snapshot, new Set(snapshot.namespaces.map((n) => n.name)));
          const group = (p: Peer): string =>
            p.kind === 'external'
              ? `ip:${p.ip}`
              : `w:${
                  workloads
                    .get(`${p.namespace}/${p.name}`)
                    ?.pods.map((x) => x.name)
                    .join(',') ?? '?'
                }`;
          const observed = new Set(
            seen.map(
              (f) =>
                `${group(peerOf(snapshot, f.src))}|${group(peerOf(snapshot, f.dst))}|${f.protocol}/${f.port}`,
            ),
          );
          const peers: Peer[] = [
            ...snapshot.pods.map((p): Peer => ({ kind: 'pod', namespace: p.namespace, name: p.name })),
            ...externals(snapshot).map((ip): Peer => ({ kind: 'external', ip })),
          ];
          const probes = PROBES.map((p) => ({ protocol: p.protocol, port: p.port }));
          const was = before.reach(peers, probes);
          const now = after.reach(peers, probes);
          peers.forEach((from, i) =>
            peers.forEach((to, j) =>
              probes.forEach((probe, k) => {
                if (i === j || (from.kind === 'external' && to.kind === 'external')) return;
                if (!now.cell(i, j, k).allowed || was.cell(i, j, k).allowed) return;
                const key = `${group(from)}|${group(to)}|${probe.protocol}/${probe.port}`;
                expect(observed.has(key), `newly allowed ${key} was seen`).toBe(true);
              }),
            ),
          );
        }),
        params,
      );
    },
    TIMEOUT,
  );
});

describe('existing policies tightened from observed flows', () => {
  it(
    'keep every observed flow they allowed, and allow nothing they did not',
    () => {
      fc.assert(
        fc.property(caseArb, ({ snapshot, flows }) => {
          const seen = flows.filter((f) => usable(snapshot, f));
          const before = createAnalyzer(snapshot);
          const flowImport = new FlowImport(snapshot, before);
          flowImport.readText('seen.jsonl', seen.map((f) => hubbleLine(snapshot, f)).join('\n'));
          const findings = flowImport.compare().findings;
          const peers: Peer[] = [
            ...snapshot.pods.map((p): Peer => ({ kind: 'pod', namespace: p.namespace, name: p.name })),
            ...externals(snapshot).map((ip): Peer => ({ kind: 'external', ip })),
          ];
          const probes = PROBES.map((p) => ({ protocol: p.protocol, port: p.port }));
          const was = before.reach(peers, probes);
          for (const policy of snapshot.policies) {
            const tightened = tightenPolicy(snapshot, policy, findings);
            const after = before.whatIf([{ kind: 'upsertPolicy', policy: tightened.policy }]);
            for (const f of seen) {
              const query = {
                from: peerOf(snapshot, f.src),
                to: peerOf(snapshot, f.dst),
                port: f.port,
                protocol: f.protocol,
              };
              if (before.check(query).verdict !== 'allowed') continue;
              expect(after.check(query).verdict, `${JSON.stringify(f)} stays allowed`).toBe('allowed');
            }
            const now = after.reach(peers, probes);
            peers.forEach((_, i) =>
              peers.forEach((__, j) =>
                probes.forEach((probe, k) => {
                  if (i === j) return;
                  if (now.cell(i, j, k).allowed && !was.cell(i, j, k).allowed)
                    expect.fail(
                      `${policy.namespace}/${policy.name} tightened allows ${i}->${j} ${probe.port}`,
                    );
                }),
              ),
            );
          }
        }),
        params,
      );
    },
    TIMEOUT,
  );
});
