/**
 * How many cases a property test runs and from which seed, read once from the environment so every
 * property file honours the same knobs: NETGLASS_PROPERTY_RUNS (runs per property) and
 * NETGLASS_PROPERTY_SEED (a number, or `random` to explore new cases; fast-check prints the failing
 * seed with its counterexample). A fixed default seed keeps `npm test` reproducible.
 */

export interface PropertyDefaults {
  /** Runs per property when NETGLASS_PROPERTY_RUNS is not set. */
  readonly runs: number;
  /** The seed when NETGLASS_PROPERTY_SEED is not set. */
  readonly seed: string;
  /** The test timeout is `base + perRun * runs`: it scales with the run count. */
  readonly timeout: { readonly base: number; readonly perRun: number };
}

export interface PropertySettings {
  readonly runs: number;
  /** fast-check's parameters: the run count and, unless `random`, the seed. */
  readonly params: { readonly numRuns: number; readonly seed?: number };
  /** Not a timed assertion, only a hang guard. */
  readonly timeout: number;
}

export function propertySettings(defaults: PropertyDefaults): PropertySettings {
  const runs = Number(process.env.NETGLASS_PROPERTY_RUNS ?? defaults.runs);
  const seedSetting = process.env.NETGLASS_PROPERTY_SEED ?? defaults.seed;
  const seed = seedSetting === 'random' ? undefined : Number(seedSetting);
  return {
    runs,
    params: { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
    timeout: defaults.timeout.base + defaults.timeout.perRun * runs,
  };
}
