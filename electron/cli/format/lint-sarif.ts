/**
 * `netglass lint --format sarif`: SARIF 2.1.0, the log format code-scanning UIs read (GitHub, GitLab,
 * Azure DevOps, VS Code's SARIF viewer). One run; the driver lists every rule of `LINT_RULES`, each
 * result points at its rule by id and index, and at the file and line of the object (or field). Files
 * given as relative paths stay relative to `%SRCROOT%` (the directory netglass ran in), so a CI upload
 * maps them onto the repository; absolute paths become `file:` URIs.
 */
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, Log, ReportingDescriptor, Result } from 'sarif';
import type { LintFinding, LintRule, LintSeverity } from '../../../shared/lint/index.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type Level = NonNullable<Result['level']>;

const LEVEL: Readonly<Record<LintSeverity, Level>> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  /** The directory relative paths are relative to (`%SRCROOT%`), absolute. */
  readonly cwd: string;
  readonly version?: string;
}

/** A path as a URI reference: percent-encoded, `/`-separated; relative ones against `%SRCROOT%`. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const uri = file
    .split(sep)
    .join('/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return { uri, uriBaseId: SRCROOT };
}

function rule(r: LintRule): ReportingDescriptor {
  return {
    id: r.id,
    shortDescription: { text: r.summary },
    defaultConfiguration: { level: LEVEL[r.severity] },
  };
}

function locations(f: LintFinding): Location[] {
  const logical = [{ fullyQualifiedName: f.field !== undefined ? `${f.object}:${f.field}` : f.object }];
  if (!f.location) return [{ logicalLocations: logical }];
  return [
    {
      physicalLocation: {
        artifactLocation: artifactLocation(f.location.file),
        region: { startLine: f.location.line, startColumn: f.location.column },
      },
      logicalLocations: logical,
    },
  ];
}

export function lintSarif(
  findings: readonly LintFinding[],
  rules: readonly LintRule[],
  options: SarifOptions,
): Log {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i] as const));
  const results: Result[] = findings.map((f) => {
    const index = ruleIndex.get(f.id);
    return {
      ruleId: f.id,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: LEVEL[f.severity],
      message: { text: `${f.message}. Fix: ${f.fix}.` },
      locations: locations(f),
      // Stable across runs and line moves, so a code-scanning UI keeps one alert per problem.
      partialFingerprints: { 'netglassFinding/v1': [f.id, f.object, f.field ?? ''].join('|') },
      properties: { object: f.object, ...(f.field !== undefined ? { field: f.field } : {}), fix: f.fix },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'netglass',
            ...(options.version !== undefined ? { version: options.version } : {}),
            rules: rules.map(rule),
          },
        },
        originalUriBaseIds: {
          [SRCROOT]: {
            uri: pathToFileURL(options.cwd.endsWith(sep) ? options.cwd : `${options.cwd}${sep}`).href,
          },
        },
        results,
      },
    ],
  };
}
