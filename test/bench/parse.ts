/**
 * Manifest parsing on the L cluster (issue 10, "Loading at the floor"), for `npm run bench`
 * (`benchParse(row)`) or alone: `node test/bench/parse.ts` prints its own table.
 *
 * One cluster, four spellings of the same objects: the YAML files `writeManifests` writes (one per
 * namespace), one `kubectl get -o json` List (4-space indent, as kubectl prints it), one file per
 * namespace of JSON documents separated by `---`, and a JSON stream (`jq -c '.items[]'`: one compact
 * object per line). Each is parsed by netglass (`parseManifestText`: reading plus validation, what
 * `analyze` pays) and, next to it, by the floor (`JSON.parse` of the same bytes) and the maintained YAML
 * libraries (`yaml` 2.9.1, netglass's general reader, and js-yaml 5, the fastest we know of).
 *
 * Decision (2026-12, this 2-core machine under a load of 3 to 7; medians): the hand-written block-YAML
 * reader stays. It reads the L cluster's 7.3 MB of YAML in 0.14–0.17 s, 0.4–0.6× js-yaml's time
 * (0.26–0.46 s) and a thirtieth of the `yaml` package's (4–6 s), and only it gives kubectl's YAML 1.1
 * values with positions (js-yaml reads YAML 1.2, refuses duplicate keys and keeps no positions).
 * Whole parse (reading and validation): YAML 0.22–0.38 s (was 1.8–3.3 s: a `lastIndexOf('\t')` per
 * key scanned back to the start of the file); JSON List 0.27–0.43 s (0.24–0.87 s, already JSON.parse);
 * JSON documents between `---` 0.22–0.34 s (6–12 s through the `yaml` package); JSON stream 0.2–0.3 s
 * (not read at all before). JSON.parse of the same bytes, the floor: 0.05–0.14 s.
 * Nothing here asserts: a slow machine never fails a build.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAll as jsYamlLoadAll } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { parseManifestText } from '../../shared/manifest/index.ts';
import { readDocuments } from '../../shared/manifest/documents.ts';
import { generateCluster, namespaceManifests, SIZES, writeManifests } from './generate.ts';

type RowFn = (
  scenario: string,
  metric: string,
  value: number,
  unit: 'ms' | 'MB',
  target?: number,
  aim?: number,
  note?: string,
) => void;

interface TextFile {
  readonly name: string;
  readonly text: string;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** The issue's target for parsing the L cluster, and the bound against the fastest YAML library. */
const PARSE_TARGET_MS = 500;
const LIBRARY_RATIO_TARGET = 3;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] ?? 0)
    : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
}

/** Median wall time of `fn` over `runs` runs after one warm-up. */
function time(fn: () => void, runs = RUNS): number {
  fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const bytes = (files: readonly TextFile[]): number => files.reduce((n, f) => n + f.text.length, 0);
const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;

/** The L cluster in its four spellings. */
function clusterTexts(): {
  yaml: TextFile[];
  list: TextFile;
  jsonDocs: TextFile[];
  jsonStream: TextFile;
  pods: number;
  policies: number;
} {
  const snapshot = generateCluster(SIZES.L);
  const dir = mkdtempSync(join(tmpdir(), 'netglass-bench-parse-'));
  try {
    writeManifests(snapshot, dir);
    const yaml = readdirSync(dir)
      .sort()
      .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
    const perNamespace = snapshot.namespaces.map((ns) => ({
      name: ns.name,
      objects: namespaceManifests(snapshot, ns.name),
    }));
    const all = perNamespace.flatMap((n) => n.objects);
    return {
      yaml,
      list: {
        name: 'cluster.json',
        text: `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: all, metadata: { resourceVersion: '' } }, null, 4)}\n`,
      },
      jsonDocs: perNamespace.map((n) => ({
        name: `${n.name}.yaml`,
        text: n.objects.map((o) => `${JSON.stringify(o, null, 4)}\n`).join('---\n'),
      })),
      jsonStream: { name: 'cluster.ndjson', text: all.map((o) => `${JSON.stringify(o)}\n`).join('') },
      pods: snapshot.pods.length,
      policies: snapshot.policies.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses every file with netglass; throws when the result is not the whole cluster (a broken bench). */
function parseAll(files: readonly TextFile[], pods: number): void {
  let n = 0;
  for (const f of files) {
    const p = parseManifestText(f.text, f.name);
    const error = p.issues.find((i) => i.severity === 'error');
    if (error) throw new Error(`${f.name}: ${error.message}`);
    n += p.pods.length;
  }
  if (n !== pods) throw new Error(`parsed ${n} pods, expected ${pods}`);
}

export function benchParse(row: RowFn): void {
  const c = clusterTexts();
  const scenario = `parse L ${c.pods} pods/${c.policies} NP`;
  const yamlBytes = bytes(c.yaml);

  const ours = time(() => parseAll(c.yaml, c.pods));
  row(scenario, `netglass, YAML (${c.yaml.length} files, ${mb(yamlBytes)})`, ours, 'ms', PARSE_TARGET_MS);
  const reader = time(() => {
    for (const f of c.yaml) readDocuments(f.text, f.name);
  });
  const jsYaml = time(() => {
    for (const f of c.yaml) jsYamlLoadAll(f.text);
  });
  // The `yaml` package takes seconds here: fewer runs.
  const yamlPkg = time(
    () => {
      for (const f of c.yaml) for (const d of parseAllDocuments(f.text)) d.toJS();
    },
    Math.min(RUNS, 2),
  );
  const fastest = Math.min(jsYaml, yamlPkg);
  const ratio = reader / fastest;
  row(
    scenario,
    'netglass YAML reader only (no validation)',
    reader,
    'ms',
    Math.round(LIBRARY_RATIO_TARGET * fastest),
    undefined,
    `${ratio.toFixed(2)}× ${jsYaml <= yamlPkg ? 'js-yaml' : 'yaml'} (target ≤ ${LIBRARY_RATIO_TARGET}×); the hand-written reader stays: it alone gives kubectl's YAML 1.1 values with positions`,
  );
  row(scenario, 'js-yaml 5 loadAll, same YAML', jsYaml, 'ms');
  row(scenario, 'yaml 2.9 parseAllDocuments+toJS, same YAML', yamlPkg, 'ms');

  const listOurs = time(() => parseAll([c.list], c.pods));
  row(
    scenario,
    `netglass, JSON List (kubectl get -o json, ${mb(c.list.text.length)})`,
    listOurs,
    'ms',
    PARSE_TARGET_MS,
  );
  const listFloor = time(() => {
    JSON.parse(c.list.text);
  });
  row(scenario, 'JSON.parse of the List (floor)', listFloor, 'ms');
  const docsOurs = time(() => parseAll(c.jsonDocs, c.pods));
  row(
    scenario,
    `netglass, JSON documents (--- between, ${mb(bytes(c.jsonDocs))})`,
    docsOurs,
    'ms',
    PARSE_TARGET_MS,
  );
  const docsFloor = time(() => {
    for (const f of c.jsonDocs) for (const d of f.text.split('---\n')) JSON.parse(d);
  });
  row(scenario, 'JSON.parse of each document (floor)', docsFloor, 'ms');
  const streamOurs = time(() => parseAll([c.jsonStream], c.pods));
  row(
    scenario,
    `netglass, JSON stream (one object a line, ${mb(c.jsonStream.text.length)})`,
    streamOurs,
    'ms',
    PARSE_TARGET_MS,
  );
  const streamFloor = time(() => {
    for (const line of c.jsonStream.text.split('\n')) if (line !== '') JSON.parse(line);
  });
  row(scenario, 'JSON.parse of each line (floor)', streamFloor, 'ms');
}

if (import.meta.main) {
  const rows: string[][] = [['scenario', 'metric', 'value', 'target', '']];
  benchParse((scenario, metric, value, unit, target, _aim, note) => {
    rows.push([
      scenario,
      metric,
      `${value.toFixed(0)} ${unit}`,
      target === undefined ? '—' : `≤ ${target} ${unit}`,
      `${target === undefined ? '' : value <= target ? 'pass' : 'FAIL'}${note ? `  ${note}` : ''}`,
    ]);
  });
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows)
    console.log(
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}
