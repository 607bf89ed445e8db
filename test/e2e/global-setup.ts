/**
 * Builds the renderer when out/renderer is missing or older than any source it is built from
 * (bin/fresh-build.js decides, as it does for `npm run web`), so `npx playwright test` alone tests the
 * current code (`npm run test:e2e` builds first anyway).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function rendererIsFresh(): Promise<boolean> {
  const mod: unknown = await import(pathToFileURL(join(root, 'bin', 'fresh-build.js')).href);
  const fresh: unknown = typeof mod === 'object' && mod !== null ? Reflect.get(mod, 'freshBuild') : undefined;
  if (typeof fresh !== 'function') throw new Error('bin/fresh-build.js exports no freshBuild');
  return typeof Reflect.apply(fresh, undefined, [root, 'renderer']) === 'string';
}

export default async function globalSetup(): Promise<void> {
  if (await rendererIsFresh()) return;
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0)
    throw new Error('Building the renderer failed (vite build --config renderer/vite.config.ts).');
}
