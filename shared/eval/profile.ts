/**
 * An isolation profile: what one direction of an isolated class allows, as the union over the rules
 * of the policies selecting it. Classes selected by the same policies share a profile (typically all
 * classes of a namespace with default-deny + allow-same-namespace), so each is built once.
 *
 * Rules are folded into groups by port set: (ports, peer classes, peer IP atoms). Egress rules with
 * named ports cannot be folded that way because the port depends on the destination class; they stay
 * as named terms resolved per destination at query time.
 *
 * Every group and term also carries `maybe`: the peer classes its rules possibly match (see
 * `CompiledPeer.maybe`). It is the very object `classes` unless some rule of the profile is uncertain,
 * so full-visibility code paths never pay for it.
 */
import { newBitset, orInto, type Bitset } from './bitset.ts';
import { refProtocol, type PodClass } from './classes.ts';
import type { CompiledPolicy, CompiledRule } from './compiled.ts';
import type { Tiers } from './tiers.ts';
import type { PortSetId, PortSetTable } from './ports.ts';
import { encodePort } from './ports.ts';

export interface ProfileGroup {
  readonly ports: PortSetId;
  readonly classes: Bitset;
  readonly ext: Bitset;
  /** Rule class bitsets OR-ed in, so a new class can get its bit without a rebuild. */
  readonly sources: Bitset[];
  readonly maybe: Bitset;
  /** Rule `maybe` bitsets OR-ed into `maybe`; the same array as `sources` when `maybe === classes`. */
  readonly maybeSources: Bitset[];
}

export interface NamedTerm {
  /** `${protocol}/${name}` refs, resolved on the destination class. */
  readonly refs: readonly string[];
  readonly refsKey: string;
  readonly classes: Bitset;
  readonly sources: Bitset[];
  readonly maybe: Bitset;
  readonly maybeSources: Bitset[];
}

/**
 * What one side of a class allows. Without `tiers` it is the NetworkPolicy tier alone (the pod is
 * isolated and `groups`/`named` decide); with `tiers` (admin-tier policies apply to the class) it is the
 * whole decision, read as tiers.ts describes, `groups`/`named` standing for the NetworkPolicy tier.
 */
export interface Profile {
  readonly key: string;
  readonly policies: readonly CompiledPolicy[];
  readonly groups: readonly ProfileGroup[];
  readonly named: readonly NamedTerm[];
  readonly tiers?: Tiers;
}

interface BuildContext {
  readonly words: number;
  readonly partition: { readonly words: number };
  readonly portSets: PortSetTable;
}

/** Some rule of the policies (in a direction) possibly matches more than it surely does. */
function uncertain(policies: readonly CompiledPolicy[], direction: 'ingress' | 'egress'): boolean {
  return policies.some((p) => p[direction].some((r) => r.maybe !== r.classes));
}

/** Class bitset and sources, plus their `maybe` twins (shared unless `split`). */
function classSets(
  words: number,
  split: boolean,
): { classes: Bitset; sources: Bitset[]; maybe: Bitset; maybeSources: Bitset[] } {
  const classes = newBitset(words);
  const sources: Bitset[] = [];
  return split
    ? { classes, sources, maybe: newBitset(words), maybeSources: [] }
    : { classes, sources, maybe: classes, maybeSources: sources };
}

function addClasses(
  t: { classes: Bitset; sources: Bitset[]; maybe: Bitset; maybeSources: Bitset[] },
  rule: CompiledRule,
): void {
  orInto(t.classes, rule.classes);
  t.sources.push(rule.classes);
  if (t.maybe !== t.classes) {
    orInto(t.maybe, rule.maybe);
    t.maybeSources.push(rule.maybe);
  }
}

function groupFor(
  groups: Map<PortSetId, ProfileGroup>,
  ports: PortSetId,
  ctx: BuildContext,
  split: boolean,
): ProfileGroup {
  let g = groups.get(ports);
  if (!g) {
    g = { ports, ext: newBitset(ctx.partition.words), ...classSets(ctx.words, split) };
    groups.set(ports, g);
  }
  return g;
}

function addRule(
  groups: Map<PortSetId, ProfileGroup>,
  rule: CompiledRule,
  ports: PortSetId,
  ctx: BuildContext,
  split: boolean,
): void {
  if (ports === ctx.portSets.empty) return;
  const g = groupFor(groups, ports, ctx, split);
  addClasses(g, rule);
  orInto(g.ext, rule.ext);
}

/** Named ports of an ingress rule resolve on the subject (the destination), so they fold into a port set here. */
export function resolveOn(cls: PodClass, refs: readonly string[], portSets: PortSetTable): PortSetId {
  const pairs: [number, number][] = [];
  for (const ref of refs) {
    const protocol = refProtocol(ref);
    for (const port of cls.namedPorts.get(ref) ?? []) {
      const code = encodePort(protocol, port);
      pairs.push([code, code]);
    }
  }
  return portSets.fromPairs(pairs);
}

export function buildIngressProfile(
  key: string,
  policies: readonly CompiledPolicy[],
  subject: PodClass,
  ctx: BuildContext,
): Profile {
  const groups = new Map<PortSetId, ProfileGroup>();
  const split = uncertain(policies, 'ingress');
  for (const p of policies) {
    for (const rule of p.ingress) {
      const ports =
        rule.named.length > 0
          ? ctx.portSets.union(rule.staticPorts, resolveOn(subject, rule.named, ctx.portSets))
          : rule.staticPorts;
      addRule(groups, rule, ports, ctx, split);
    }
  }
  return { key, policies, groups: [...groups.values()], named: [] };
}

export function buildEgressProfile(
  key: string,
  policies: readonly CompiledPolicy[],
  ctx: BuildContext,
): Profile {
  const groups = new Map<PortSetId, ProfileGroup>();
  const named = new Map<string, NamedTerm>();
  const split = uncertain(policies, 'egress');
  for (const p of policies) {
    for (const rule of p.egress) {
      addRule(groups, rule, rule.staticPorts, ctx, split);
      if (rule.named.length === 0) continue;
      const refs = [...new Set(rule.named)].sort();
      const refsKey = refs.join(',');
      let t = named.get(refsKey);
      if (!t) named.set(refsKey, (t = { refs, refsKey, ...classSets(ctx.words, split) }));
      addClasses(t, rule);
    }
  }
  return { key, policies, groups: [...groups.values()], named: [...named.values()] };
}
