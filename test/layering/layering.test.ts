/**
 * Proves that the layer boundaries of DESIGN.md are enforced by the tools themselves: a probe file
 * placed (virtually) in a layer that reaches for another runtime must fail typecheck or lint.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import ts from 'typescript';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');

/** Type-checks one in-memory file as if it lived in `layer/`, with that layer's tsconfig. */
function typecheckProbe(layer: 'shared' | 'electron' | 'renderer', source: string): string[] {
  const configPath = path.join(repo, layer, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configPath));
  const probe = path.join(repo, layer, '__layering_probe__.ts');
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => (f === probe ? source : readFile(f));
  host.fileExists = (f) => f === probe || fileExists(f);
  const program = ts.createProgram({ rootNames: [probe], options: parsed.options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === probe)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

async function lintProbe(relativePath: string, source: string): Promise<string[]> {
  // The probe exists only in memory, so the type-aware parser setup (which needs files on disk) is
  // switched off and only the layer rule runs: it is the one under test.
  const eslint = new ESLint({
    cwd: repo,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });
  const [result] = await eslint.lintText(source, { filePath: path.join(repo, relativePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('typecheck enforces the layers', () => {
  it('shared/ cannot import node:fs', () => {
    const errors = typecheckProbe(
      'shared',
      "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
    );
    expect(errors.join('\n')).toMatch(/Cannot find (module|name) 'node:fs'/);
  });

  it('shared/ cannot see Node or DOM globals', () => {
    const errors = typecheckProbe(
      'shared',
      'export const a = process.env;\nexport const b = document.title;\n',
    );
    expect(errors.join('\n')).toMatch(/Cannot find name 'process'/);
    expect(errors.join('\n')).toMatch(/Cannot find name 'document'/);
  });

  it('electron/ cannot see DOM globals', () => {
    const errors = typecheckProbe('electron', 'export const b = document.title;\n');
    expect(errors.join('\n')).toMatch(/Cannot find name 'document'/);
  });

  it('renderer/ cannot see Node globals', () => {
    const errors = typecheckProbe('renderer', 'export const a = process.env;\n');
    expect(errors.join('\n')).toMatch(/Cannot find name 'process'/);
  });

  it('a clean probe passes, so the failures above are about the imports', () => {
    expect(typecheckProbe('shared', 'export const x: number = 1;\n')).toEqual([]);
  });
});

describe('lint enforces the layers', () => {
  it("renderer/ cannot import 'electron'", async () => {
    const messages = await lintProbe(
      'renderer/__layering_probe__.ts',
      "import { ipcRenderer } from 'electron';\nexport const r = ipcRenderer;\n",
    );
    expect(messages.join('\n')).toMatch(/renderer\/ runs in the browser/);
  });

  it("shared/ cannot import 'node:fs' or reach into electron/", async () => {
    const messages = await lintProbe(
      'shared/model/__layering_probe__.ts',
      "import fs from 'node:fs';\nimport { x } from '../../electron/main.ts';\nexport const r = [fs, x];\n",
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/shared\/ is platform-neutral/);
  });

  it('electron/ cannot import React', async () => {
    const messages = await lintProbe(
      'electron/__layering_probe__.ts',
      "import React from 'react';\nexport const r = React;\n",
    );
    expect(messages.join('\n')).toMatch(/electron\/ is the Node side/);
  });

  it('a clean probe passes lint', async () => {
    expect(await lintProbe('shared/model/__layering_probe__.ts', 'export const x: number = 1;\n')).toEqual(
      [],
    );
  });
});
