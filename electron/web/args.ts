/**
 * Command-line arguments shared by web mode (`npm run web -- ...`) and the desktop app
 * (`npm start -- ...`). `--manifests` takes every following argument up to the next option, so
 * `--manifests a.yaml b.yaml dir/` works as people type it.
 */
export interface AppArgs {
  readonly port: number;
  readonly open: boolean;
  readonly manifests: readonly string[];
  /** A kubeconfig file instead of KUBECONFIG / ~/.kube/config. */
  readonly kubeconfig?: string;
  /** Open this kubeconfig context (`current` for the current one) instead of the demo. */
  readonly context?: string;
  readonly help: boolean;
}

export type ArgsResult =
  { readonly ok: true; readonly args: AppArgs } | { readonly ok: false; readonly message: string };

export const USAGE = `Usage: netglass-web [--port N] [--open] [--manifests <path>... | --context <name>] [--kubeconfig <file>]

  --port N                 listen on 127.0.0.1:N (default: a free port)
  --open                   open the printed URL in the default browser
  --manifests <path>...    load these manifest files or directories instead of the demo cluster
  --context <name>         watch this kubeconfig context live ("current" for the current one)
  --kubeconfig <file>      read contexts from this file instead of KUBECONFIG / ~/.kube/config
  -h, --help               show this help`;

/**
 * `strict: false` (the Electron main process) ignores unknown options, which Electron and Chromium add
 * (e.g. `--no-sandbox`); bare words are refused either way.
 */
export function parseAppArgs(
  argv: readonly string[],
  options: { readonly strict?: boolean } = {},
): ArgsResult {
  const strict = options.strict ?? true;
  let port = 0;
  let open = false;
  let help = false;
  const manifests: string[] = [];
  let kubeconfig: string | undefined;
  let context: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    switch (flag) {
      case '--port': {
        const value = inline ?? argv[++i];
        if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
          return {
            ok: false,
            message: `--port needs a number from 0 to 65535 (got ${value === undefined ? 'nothing' : `"${value}"`}).`,
          };
        }
        port = Number(value);
        break;
      }
      case '--open':
        open = true;
        break;
      case '--manifests': {
        if (inline !== undefined) manifests.push(inline);
        while (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('-')) manifests.push(argv[++i] ?? '');
        if (manifests.length === 0)
          return { ok: false, message: '--manifests needs at least one file or directory.' };
        break;
      }
      case '--kubeconfig':
      case '--context': {
        const value = inline ?? argv[++i];
        if (value === undefined || value === '' || value.startsWith('-')) {
          return { ok: false, message: `${flag} needs a value.` };
        }
        if (flag === '--kubeconfig') kubeconfig = value;
        else context = value;
        break;
      }
      case '-h':
      case '--help':
        help = true;
        break;
      default:
        if (!arg.startsWith('-') || strict) {
          return { ok: false, message: `Unexpected argument "${arg}". ${USAGE.split('\n')[0] ?? ''}` };
        }
    }
  }
  if (context !== undefined && manifests.length > 0) {
    return { ok: false, message: '--context and --manifests choose different sources; give one of them.' };
  }
  return {
    ok: true,
    args: {
      port,
      open,
      manifests,
      ...(kubeconfig !== undefined ? { kubeconfig } : {}),
      ...(context !== undefined ? { context } : {}),
      help,
    },
  };
}
