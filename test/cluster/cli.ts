// Argument parsing shared by up.ts and down.ts.

/** Returns the value of --dir (or --dir=…), undefined when absent; exits on bad usage. */
export function parseDirArg(cmd: string, argv: string[]): string | undefined {
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dir' && argv[i + 1]) dir = argv[++i];
    else if (a.startsWith('--dir=')) dir = a.slice('--dir='.length);
    else {
      const help = a === '-h' || a === '--help';
      (help ? process.stdout : process.stderr).write(
        `usage: test/cluster/${cmd} [--dir DIR]   (default DIR: \${NETGLASS_CACHE:-~/.cache/netglass}/cluster-run)\n`,
      );
      process.exit(help ? 0 : 2);
    }
  }
  return dir;
}
