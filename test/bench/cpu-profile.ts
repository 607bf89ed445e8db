/**
 * Where a whole process spends its time, by phase, from a V8 CPU profile (`node --cpu-prof`): the
 * bench's answer to "what stands in the way" when a figure misses its target. Each sample goes to the
 * outermost frame on its stack that names a phase (so the reading inside `parseManifestText` counts as
 * parse, not as whatever helper it called), the garbage collector to its own phase, the rest to
 * "other". Sampled wall time of the main thread: on a busy machine every phase stretches alike, so the
 * shares still say where the time goes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Phase {
  readonly name: string;
  /** Whether a frame belongs to this phase. */
  readonly frame: (functionName: string, url: string) => boolean;
}

export interface PhaseTime {
  readonly phase: string;
  readonly ms: number;
  readonly share: number;
}

/** The one profile `node --cpu-prof --cpu-prof-dir=<dir>` wrote into a fresh folder. */
export function readProfile(dir: string): CpuProfile {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
}

export function phaseTimes(profile: CpuProfile, phases: readonly Phase[]): PhaseTime[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n] as const));
  // The phase of a node is its own or, nearer the root, an ancestor's: memoised per node.
  const phaseOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = phaseOf.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const outer = up === undefined ? undefined : resolve(up);
    let phase = outer !== undefined && outer !== 'other' ? outer : undefined;
    if (phase === undefined && node !== undefined) {
      const { functionName, url } = node.callFrame;
      if (functionName === '(garbage collector)') phase = 'garbage collection';
      else if (functionName === '(idle)') phase = 'idle';
      else phase = phases.find((p) => p.frame(functionName, url))?.name;
    }
    const result = phase ?? 'other';
    phaseOf.set(id, result);
    return result;
  };
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    all += us;
    const phase = resolve(id);
    totals.set(phase, (totals.get(phase) ?? 0) + us);
  });
  return [...totals]
    .map(([phase, us]) => ({ phase, ms: us / 1000, share: all > 0 ? us / all : 0 }))
    .sort((a, b) => b.ms - a.ms);
}
