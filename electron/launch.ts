/**
 * `npm start`: builds the renderer and the Electron bundles, then launches Electron on them.
 * Where the Electron binary is not installed (offline installs skip its download), it says so in one
 * line, points to web mode and exits non-zero. It never calls `require('electron')`, which would try
 * to download the binary.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The Electron executable, or undefined when it is not installed. */
export function findElectronBinary(
  root: string = repoRoot,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const packageDir = join(root, 'node_modules', 'electron');
  let relative: string | undefined;
  try {
    relative = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim() || undefined;
  } catch {
    relative = undefined;
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override !== undefined && override !== '') {
    const candidate = join(
      override,
      relative ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'),
    );
    return existsSync(candidate) ? candidate : undefined;
  }
  if (relative === undefined) return undefined;
  const candidate = join(packageDir, 'dist', relative);
  return existsSync(candidate) ? candidate : undefined;
}

function run(args: readonly string[]): boolean {
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), ...args],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  return result.status === 0;
}

/**
 * Electron ≥ 44 has no install script: its package fetches the binary on first use. Fetch it here,
 * quietly (offline it fails in a fraction of a second), unless the user opted out.
 */
function fetchElectronBinary(): Promise<boolean> {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return Promise.resolve(false);
  const installer = join(repoRoot, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], { cwd: repoRoot, stdio: 'ignore' });
    const note = setTimeout(
      () => process.stderr.write('netglass: downloading Electron (first start)…\n'),
      1500,
    );
    child.on('error', () => resolve(false));
    child.on('exit', (code) => {
      clearTimeout(note);
      resolve(code === 0);
    });
  });
}

async function main(): Promise<void> {
  let electron = findElectronBinary();
  if (electron === undefined && (await fetchElectronBinary())) electron = findElectronBinary();
  if (electron === undefined) {
    process.stderr.write(
      'netglass: the Electron binary is not installed (node_modules/electron/dist is missing); run `npm run web` to use netglass in a browser instead.\n',
    );
    process.exit(1);
  }
  if (
    !run(['build', '--config', 'renderer/vite.config.ts']) ||
    !run(['build', '--config', 'electron/vite.config.ts'])
  ) {
    process.stderr.write('netglass: the build failed; see above.\n');
    process.exit(1);
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electron, [repoRoot, ...process.argv.slice(2)], {
    cwd: process.cwd(),
    stdio: 'inherit',
    env,
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal !== null ? 1 : 0)));
}

if (import.meta.main) void main();
