// Finds or builds the control-plane binaries (kube-apiserver, etcd, kubectl).
//
// Order: $KUBEBUILDER_ASSETS (envtest convention: a folder holding the binaries)
// if it has kube-apiserver and etcd; otherwise the project's own build, cached
// outside the repo under ${NETGLASS_CACHE:-~/.cache/netglass}/k8s/<key>/, where
// <key> is derived from the wrapper modules in ./gomod, so a rebuild happens only
// when the pins change. The build goes to a temp folder that is renamed into
// place at the end: an interrupted build never leaves a half-filled cache entry.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile, access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Binaries = {
  kubeApiserver: string;
  etcd: string;
  /** Undefined only when KUBEBUILDER_ASSETS is used and has no kubectl. */
  kubectl: string | undefined;
  /** Where they came from, for messages. */
  source: 'KUBEBUILDER_ASSETS' | 'cache' | 'built';
  dir: string;
};

export type Log = (line: string) => void;

const here = dirname(fileURLToPath(import.meta.url));
const gomodDir = join(here, 'gomod');

// Bump when the way we build changes (flags, tags, ldflags), so caches rebuild.
const RECIPE = '1';
// Upstream's build tags for kube-apiserver and kubectl (hack/lib/golang.sh).
const KUBE_TAGS = 'selinux,notest,grpcnotrace';

export function cacheRoot(): string {
  return process.env['NETGLASS_CACHE'] || join(homedir(), '.cache', 'netglass');
}

/** Pinned versions, read from the wrapper go.mod files (the single source of truth). */
export function pinnedVersions(): { kubernetes: string; etcd: string } {
  const pick = (file: string, mod: string): string => {
    const text = readFileSync(join(gomodDir, file), 'utf8');
    const m = new RegExp(`^\\s*(?:require\\s+)?${mod.replaceAll('.', '\\.')}\\s+(v\\S+)`, 'm').exec(text);
    if (!m?.[1]) throw new Error(`cannot find the ${mod} version in ${join(gomodDir, file)}`);
    return m[1];
  };
  return {
    kubernetes: pick('kube/go.mod', 'k8s.io/kubernetes'),
    etcd: pick('etcd/go.mod', 'go.etcd.io/etcd/server/v3'),
  };
}

/** Cache key: versions for humans, plus a hash of everything that defines the build. */
export function buildKey(): string {
  const h = createHash('sha256').update(`recipe ${RECIPE}\n`);
  for (const f of [
    'kube/go.mod',
    'kube/go.sum',
    'kube/tools.go',
    'etcd/go.mod',
    'etcd/go.sum',
    'etcd/main.go',
  ]) {
    h.update(`${f}\n`).update(readFileSync(join(gomodDir, f)));
  }
  const v = pinnedVersions();
  return `${v.kubernetes}-etcd${v.etcd}-${h.digest('hex').slice(0, 12)}`;
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const hasSetpriv = ((): boolean => {
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * Command line that runs cmd with SIGKILL as its parent-death signal (util-linux
 * setpriv sets it, then execs cmd under the same pid), so a child we start never
 * outlives us, even when we are SIGKILLed. Plain cmd where setpriv is missing.
 */
export function boundCommand(cmd: string, args: string[]): [string, string[]] {
  return hasSetpriv ? ['setpriv', ['--pdeathsig', 'KILL', '--', cmd, ...args]] : [cmd, args];
}

let pending: Promise<Binaries> | undefined;

/** Returns usable binaries, building them first if needed (may take many minutes when cold). */
export function ensureBinaries(log: Log = (l) => process.stderr.write(`${l}\n`)): Promise<Binaries> {
  // One build per process even if several callers ask at once.
  pending ??= resolveBinaries(log).finally(() => {
    pending = undefined;
  });
  return pending;
}

async function resolveBinaries(log: Log): Promise<Binaries> {
  const assets = process.env['KUBEBUILDER_ASSETS'];
  if (assets) {
    const api = join(assets, 'kube-apiserver');
    const etcd = join(assets, 'etcd');
    if ((await isExecutable(api)) && (await isExecutable(etcd))) {
      const kubectl = join(assets, 'kubectl');
      return {
        kubeApiserver: api,
        etcd,
        kubectl: (await isExecutable(kubectl)) ? kubectl : undefined,
        source: 'KUBEBUILDER_ASSETS',
        dir: assets,
      };
    }
    log(`netglass: KUBEBUILDER_ASSETS=${assets} lacks kube-apiserver or etcd; using the project's own build`);
  }

  const dir = join(cacheRoot(), 'k8s', buildKey());
  const bins = (d: string, source: Binaries['source']): Binaries => ({
    kubeApiserver: join(d, 'kube-apiserver'),
    etcd: join(d, 'etcd'),
    kubectl: join(d, 'kubectl'),
    source,
    dir: d,
  });
  // The folder only ever appears complete (atomic rename), so existence is enough.
  if (existsSync(join(dir, 'manifest.json'))) return bins(dir, 'cache');

  await build(dir, log);
  return bins(dir, 'built');
}

/** The Go toolchain: `go` on PATH, else /usr/local/go/bin/go. */
export function goBinary(): string {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'netglass: Go (1.25 or newer) is needed to build kube-apiserver and etcd, and was not found on PATH ' +
      'or at /usr/local/go/bin/go. Install Go, or set KUBEBUILDER_ASSETS to a folder with kube-apiserver and etcd.',
  );
}

async function build(finalDir: string, log: Log): Promise<void> {
  const go = goBinary();
  const v = pinnedVersions();
  const parent = dirname(finalDir);
  await mkdir(parent, { recursive: true });
  removeStaleTempDirs(parent);
  const tmp = join(parent, `.tmp-${process.pid}-${Date.now()}`);
  await mkdir(tmp);
  const logFile = join(tmp, 'build.log');
  const started = Date.now();
  log(`netglass: building kube-apiserver ${v.kubernetes}, kubectl and etcd ${v.etcd} into ${finalDir}`);
  log(
    `netglass: a cold build takes 6 to 15 min on 2 idle cores (up to 40 min on a loaded machine); progress follows; build log: ${logFile}`,
  );

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Never download a toolchain; never pick up a go.work from a parent folder;
    // build exactly what go.sum pins; static binaries like upstream's.
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
    GOFLAGS: '-mod=readonly -buildvcs=false',
    CGO_ENABLED: '0',
  };
  try {
    const kubeDir = join(gomodDir, 'kube');
    const etcdDir = join(gomodDir, 'etcd');
    // Commit of the pinned tag, from the module proxy's metadata (for --version output).
    const kubeCommit = originHash(go, kubeDir, 'k8s.io/kubernetes', env);
    const [major, minor] = v.kubernetes.replace(/^v/, '').split('.');
    const kubeLdflags = ['-s', '-w'];
    for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
      kubeLdflags.push(
        `-X ${pkg}.gitVersion=${v.kubernetes}`,
        `-X ${pkg}.gitMajor=${major}`,
        `-X ${pkg}.gitMinor=${minor}`,
        `-X ${pkg}.gitTreeState=clean`,
      );
      if (kubeCommit) kubeLdflags.push(`-X ${pkg}.gitCommit=${kubeCommit}`);
    }
    // etcd's version is a constant of its module; the proxy has no commit for it.
    await runGo(
      go,
      etcdDir,
      ['build', '-trimpath', '-v', '-ldflags=-s -w', '-o', join(tmp, 'etcd'), '.'],
      env,
      logFile,
      'etcd',
      log,
    );
    // One invocation for both: they share most packages and the two links overlap.
    await runGo(
      go,
      kubeDir,
      [
        'build',
        '-trimpath',
        '-v',
        `-tags=${KUBE_TAGS}`,
        `-ldflags=${kubeLdflags.join(' ')}`,
        '-o',
        `${tmp}/`,
        'k8s.io/kubernetes/cmd/kube-apiserver',
        'k8s.io/kubernetes/cmd/kubectl',
      ],
      env,
      logFile,
      'kube-apiserver+kubectl',
      log,
    );

    const reported = {
      kubeApiserver: execFileSync(join(tmp, 'kube-apiserver'), ['--version'], { encoding: 'utf8' }).trim(),
      kubectl: execFileSync(join(tmp, 'kubectl'), ['version', '--client'], { encoding: 'utf8' }).trim(),
      etcd: execFileSync(join(tmp, 'etcd'), ['--version'], { encoding: 'utf8' }).trim(),
    };
    if (!reported.kubeApiserver.includes(v.kubernetes)) {
      throw new Error(`built kube-apiserver reports "${reported.kubeApiserver}", expected ${v.kubernetes}`);
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    const goVersion = execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8', env }).trim();
    await writeFile(
      join(tmp, 'manifest.json'),
      JSON.stringify(
        { key: basename(finalDir), pinned: v, goVersion, reported, buildSeconds: seconds },
        null,
        2,
      ) + '\n',
    );
    try {
      await rename(tmp, finalDir);
    } catch (e) {
      // Another process finished the same build first: keep theirs.
      if (!existsSync(join(finalDir, 'manifest.json'))) throw e;
      await rm(tmp, { recursive: true, force: true });
    }
    log(`netglass: built in ${Math.floor(seconds / 60)}m${seconds % 60}s -> ${finalDir}`);
  } catch (e) {
    // Keep the log but drop the half-built binaries.
    const keptLog = join(parent, `build-failed-${Date.now()}.log`);
    try {
      await rename(logFile, keptLog);
    } catch {
      // no log yet
    }
    await rm(tmp, { recursive: true, force: true });
    throw new Error(
      `netglass: building the control-plane binaries failed: ${(e as Error).message}\n(full log: ${keptLog})`,
      { cause: e },
    );
  }
}

function originHash(go: string, dir: string, mod: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const out = execFileSync(go, ['mod', 'download', '-json', mod], {
      cwd: dir,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const hash = (JSON.parse(out) as { Origin?: { Hash?: string } }).Origin?.Hash;
    return hash && /^[0-9a-f]{40}$/.test(hash) ? hash : undefined;
  } catch {
    return undefined; // only cosmetic (--version output)
  }
}

// `go build -v` names each package as it is compiled: count them for a progress line
// every 30 s, and keep everything in the log file.
function runGo(
  go: string,
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  what: string,
  log: Log,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile, { flags: 'a' });
    out.write(`\n$ (cd ${cwd} && ${go} ${args.join(' ')})\n`);
    const [cmd, cmdArgs] = boundCommand(go, args);
    const child = spawn(cmd, cmdArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = Date.now();
    let packages = 0;
    let tail: string[] = [];
    const onData = (chunk: Buffer): void => {
      out.write(chunk);
      const lines = chunk.toString('utf8').split('\n').filter(Boolean);
      packages += lines.length;
      tail = [...tail, ...lines].slice(-30);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => {
      const s = Math.round((Date.now() - started) / 1000);
      log(`netglass: building ${what}: ${packages} packages so far (${Math.floor(s / 60)}m${s % 60}s)`);
    }, 30_000);
    // If we are interrupted, do not leave a compiler running.
    const onExit = (): void => {
      child.kill('SIGKILL');
    };
    process.once('exit', onExit);
    child.on('error', (e) => {
      clearInterval(timer);
      process.removeListener('exit', onExit);
      out.end();
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      process.removeListener('exit', onExit);
      out.end(() => {
        if (code === 0) resolve();
        else
          reject(
            new Error(`go build of ${what} exited with ${code ?? signal}; last lines:\n${tail.join('\n')}`),
          );
      });
    });
  });
}

// Leftovers of builds whose process is gone (killed mid-build).
function removeStaleTempDirs(parent: string): void {
  for (const name of readdirSync(parent)) {
    const m = /^\.tmp-(\d+)-/.exec(name);
    if (!m) continue;
    let alive = true;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      alive = false;
    }
    if (!alive) void rm(join(parent, name), { recursive: true, force: true });
  }
}
