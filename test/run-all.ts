/**
 * `npm test`: the whole suite, every layer in order (DESIGN.md "Test layers"). Each step runs even when
 * an earlier one failed, so one run shows everything that is wrong; the exit code is non-zero if any
 * step failed.
 */
import { spawnSync } from 'node:child_process';

const steps: readonly { readonly name: string; readonly script: string }[] = [
  // The CLI bundle (also built by `npm install`): the CLI tests run the launcher, which uses it.
  { name: 'cli-bundle', script: 'build:cli' },
  { name: 'typecheck', script: 'typecheck' },
  { name: 'lint', script: 'lint' },
  { name: 'format', script: 'format:check' },
  { name: 'unit', script: 'test:unit' },
  { name: 'conformance', script: 'test:conformance' },
  { name: 'integration', script: 'test:integration' },
  { name: 'end-to-end', script: 'test:e2e' },
];

const only = process.argv.slice(2);
const results: { name: string; ok: boolean; seconds: number }[] = [];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

for (const step of steps) {
  if (only.length > 0 && !only.includes(step.name)) continue;
  process.stdout.write(`\n━━ ${step.name} (npm run ${step.script})\n`);
  const started = performance.now();
  const run = spawnSync(npm, ['run', '--silent', step.script], { stdio: 'inherit' });
  results.push({ name: step.name, ok: run.status === 0, seconds: (performance.now() - started) / 1000 });
}

process.stdout.write('\n━━ summary\n');
for (const r of results) {
  process.stdout.write(
    `  ${r.ok ? 'pass' : 'FAIL'}  ${r.name.padEnd(12)} ${r.seconds.toFixed(1).padStart(7)} s\n`,
  );
}
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
