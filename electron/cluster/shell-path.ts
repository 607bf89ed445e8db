/**
 * A desktop launch (Finder, a .desktop file) starts netglass with a minimal PATH, so exec credential
 * plugins that work in the user's terminal (aws, gke-gcloud-auth-plugin, kubelogin, ...) are not
 * found. Ask the user's login shell for its PATH once and put its entries after the current ones.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

const MARKER = '__NETGLASS_PATH__';

/** Reads PATH from `$SHELL -ilc`; resolves undefined on Windows, on timeout or on any failure. */
export function loginShellPath(
  shell: string | undefined = process.env['SHELL'],
  timeoutMs = 3000,
): Promise<string | undefined> {
  if (process.platform === 'win32' || shell === undefined || shell === '') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    // Markers around the value: login scripts may print banners before or after it.
    execFile(
      shell,
      ['-ilc', `printf '%s%s%s' '${MARKER}' "$PATH" '${MARKER}'`],
      { timeout: timeoutMs, env: { ...process.env, TERM: 'dumb' } },
      (error, stdout) => {
        if (error !== null) return resolve(undefined);
        const match = new RegExp(`${MARKER}(.*)${MARKER}`, 's').exec(stdout);
        resolve(match?.[1]?.trim() || undefined);
      },
    );
  });
}

/** The current PATH followed by the entries only the login shell has, without duplicates. */
export function mergePath(current: string | undefined, fromShell: string | undefined): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of [...(current ?? '').split(path.delimiter), ...(fromShell ?? '').split(path.delimiter)]) {
    if (part === '' || seen.has(part)) continue;
    seen.add(part);
    out.push(part);
  }
  return out.join(path.delimiter);
}

/** Once per process, before the first exec plugin runs. */
export async function adoptLoginShellPath(): Promise<void> {
  process.env['PATH'] = mergePath(process.env['PATH'], await loginShellPath());
}
