/** `--open`: hands the URL to the desktop's default browser. */
import { spawn } from 'node:child_process';

export function browserCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
): { command: string; args: string[] } {
  switch (platform) {
    case 'darwin':
      return { command: 'open', args: [url] };
    case 'win32':
      // `start` is a cmd builtin; the empty string is the window title.
      return { command: 'cmd', args: ['/c', 'start', '""', url] };
    case 'linux':
    case 'freebsd':
    case 'openbsd':
    case 'netbsd':
    case 'sunos':
    case 'aix':
    case 'android':
    case 'haiku':
    case 'cygwin':
      return { command: 'xdg-open', args: [url] };
  }
}

/** Resolves with an error message when the browser could not be started, undefined otherwise. */
export function openBrowser(url: string): Promise<string | undefined> {
  const { command, args } = browserCommand(url);
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true });
      child.once('error', (e) => resolve(`could not run ${command}: ${e.message}`));
      child.once('spawn', () => {
        child.unref();
        resolve(undefined);
      });
    } catch (e) {
      resolve(`could not run ${command}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}
