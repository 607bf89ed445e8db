// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Layer rules (DESIGN.md "Layers and folders"). The tsconfig of each layer already hides the other
 * runtimes' globals; these rules stop the imports themselves, including relative ones across folders.
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const browserLibraries = [
  'react',
  'react-dom',
  'react-dom/*',
  'react/*',
  'zustand',
  'zustand/*',
  'cytoscape',
  'cytoscape-*',
];
const nodeLibraries = ['electron', 'electron/*', '@kubernetes/client-node', 'ws'];

/** @param {string[]} names @param {string[]} folders @param {string} why */
function forbid(names, folders, why) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: names.filter((n) => !n.includes('*')).map((name) => ({ name, message: why })),
        patterns: [
          ...names.filter((n) => n.includes('*')).map((n) => ({ group: [n], message: why })),
          ...folders.map((f) => ({ group: [`**/${f}/**`, `**/${f}`], message: why })),
        ],
      },
    ],
  };
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'release/',
      'dist/',
      'test-results/',
      'playwright-report/',
      'test/layering/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js', 'bin/*.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: forbid(
      [...nodeBuiltins, ...browserLibraries, ...nodeLibraries],
      ['electron', 'renderer', 'test'],
      'shared/ is platform-neutral: no Node, DOM, Electron or UI libraries, and nothing outside shared/ (DESIGN.md, Layers).',
    ),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: globals.browser },
    rules: forbid(
      [...nodeBuiltins, ...nodeLibraries],
      ['electron', 'test'],
      'renderer/ runs in the browser and reaches Node only through the typed API in shared/api (DESIGN.md, Layers).',
    ),
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/vite.config.ts'],
    languageOptions: { globals: globals.node },
    rules: forbid(
      browserLibraries,
      ['renderer', 'test'],
      'electron/ is the Node side: it talks to the renderer through the typed API, never by importing it (DESIGN.md, Layers).',
    ),
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js', 'test/**/*.ts', '*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // bin/check-node.cjs stays CommonJS so an old Node can run it and explain itself.
    files: ['bin/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
