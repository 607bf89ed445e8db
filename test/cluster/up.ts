// test/cluster/up [--dir DIR]: start a long-lived control plane for manual runs
// and local test loops. Prints the admin kubeconfig path as the only stdout line;
// everything else goes to stderr. A healthy control plane already in DIR is reused.
import { attachControlPlane, defaultRunDir, isHealthy, startControlPlane } from './control-plane.ts';
import { parseDirArg } from './cli.ts';

const dir = parseDirArg('up', process.argv.slice(2)) ?? defaultRunDir();

const existing = attachControlPlane(dir);
if (existing && (await isHealthy(existing))) {
  process.stderr.write(
    `netglass: reusing the control plane already running in ${existing.dir} (${existing.apiserverUrl})\n`,
  );
  process.stdout.write(`${existing.adminKubeconfig}\n`);
  process.exit(0);
}
if (existing) {
  // Half-dead (e.g. one process was killed): stop what is left, start afresh.
  process.stderr.write(`netglass: the control plane in ${existing.dir} is not healthy; replacing it\n`);
  await existing.stop();
}

// The processes are detached, so an interrupted start would leave them behind.
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`netglass: ${sig}, stopping what was started\n`);
    void (attachControlPlane(dir)?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

try {
  const cp = await startControlPlane({ dir, detached: true });
  process.stderr.write(
    `netglass: restricted user kubeconfig: ${cp.restrictedKubeconfig}\n` +
      `netglass: logs: ${cp.etcdLog} ${cp.apiserverLog}\n` +
      (cp.kubectl ? `netglass: kubectl: ${cp.kubectl}\n` : '') +
      `netglass: stop with test/cluster/down${dir === defaultRunDir() ? '' : ` --dir ${dir}`}\n`,
  );
  process.stdout.write(`${cp.adminKubeconfig}\n`);
} catch (e) {
  process.stderr.write(
    `${(e as Error).message}\n` +
      `netglass: the run folder ${dir} is kept for its logs; test/cluster/down --dir ${dir} clears it\n`,
  );
  process.exitCode = 1;
}
