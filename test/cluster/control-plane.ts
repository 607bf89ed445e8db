// A real Kubernetes control plane (etcd + kube-apiserver, nothing else) for
// integration tests, envtest-style. No scheduler, controller-manager or kubelet:
// pods are created with the API and given IPs with setPodIP().
//
// Two lifetimes:
// - attached (default, for vitest): children are bound to this Node process with
//   PR_SET_PDEATHSIG (via util-linux `setpriv`) and an exit hook, so they die
//   with the test run even if it is SIGKILLed; stop() removes the run folder.
// - detached (test/cluster/up): children get their own session and outlive us;
//   state.json in the run folder lets test/cluster/down stop them later.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, isIP, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { V1Pod } from '@kubernetes/client-node';
import { boundCommand, cacheRoot, ensureBinaries, type Binaries, type Log } from './binaries.ts';
import {
  adminPolicyCrdFiles,
  calicoPolicyCrdFiles,
  ciliumPolicyCrdFiles,
  installCrds,
  type CrdFile,
} from './crds.ts';

export { cacheRoot, ensureBinaries, type Binaries } from './binaries.ts';

export type ControlPlaneOptions = {
  /** Run folder (pki, data, logs, kubeconfigs, state.json). Default: a fresh temp folder. */
  dir?: string;
  /** Let etcd and kube-apiserver outlive this process (test/cluster/up). Default false. */
  detached?: boolean;
  /** Progress lines (build, start). Default: stderr. */
  log?: Log;
  /** How long etcd, then kube-apiserver, may take to become ready. Default 90 s. */
  startTimeoutMs?: number;
  /**
   * Install the admin network policy CRDs (ClusterNetworkPolicy v1alpha2+v1beta1 from
   * network-policy-api v0.3.0, AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1 from
   * v0.1.1; see crds.ts) and wait until they are served. Default true; false gives a cluster
   * without them (the "API not installed" case).
   */
  adminPolicyCrds?: boolean;
  /**
   * Install Cilium's policy CRDs (cilium.io/v2 CiliumNetworkPolicy and
   * CiliumClusterwideNetworkPolicy from the Cilium release pinned in gomod/cilium; see crds.ts) and
   * wait until they are served. Default true.
   */
  ciliumPolicyCrds?: boolean;
  /**
   * Install Calico's policy CRDs (crd.projectcalico.org/v1 NetworkPolicy, GlobalNetworkPolicy,
   * NetworkSet, GlobalNetworkSet, from the tree pinned in gomod/calico; see crds.ts). Default true.
   */
  calicoPolicyCrds?: boolean;
};

export type ControlPlane = {
  dir: string;
  apiserverUrl: string;
  /** Kubeconfig of a system:masters user. */
  adminKubeconfig: string;
  /** Kubeconfig of RESTRICTED_USER: may get/list/watch namespaces and pods, nothing else. */
  restrictedKubeconfig: string;
  /** Undefined only with KUBEBUILDER_ASSETS lacking kubectl. */
  kubectl: string | undefined;
  etcdLog: string;
  apiserverLog: string;
  /** Stops kube-apiserver and etcd and deletes the run folder. */
  stop(): Promise<void>;
  /** For reconnect tests: stop only kube-apiserver; etcd (and all data) stays. */
  stopApiServer(): Promise<void>;
  /** Start kube-apiserver again on the same URL and wait until it is ready. */
  startApiServer(): Promise<void>;
  restartApiServer(): Promise<void>;
  /** Apply the admin network policy CRDs now (idempotent), e.g. to a cluster started without them. */
  installAdminPolicyCrds(): Promise<void>;
  /** Apply the Cilium policy CRDs now (idempotent), e.g. to a cluster started without them. */
  installCiliumPolicyCrds(): Promise<void>;
  /**
   * A kubeconfig for a new client-certificate user (signed by this control plane's CA) with the
   * given groups and no permissions of its own: tests grant it RBAC as they need.
   */
  addUser(name: string, groups?: readonly string[]): Promise<string>;
};

export const RESTRICTED_USER = 'netglass-restricted';
export const RESTRICTED_GROUP = 'netglass:restricted';
const ADMIN_USER = 'netglass-admin';
const CLUSTER_NAME = 'netglass-test';

/** A process we started: pid plus its start time, which tells it apart from a later process reusing the pid. */
type Proc = { pid: number; startTime: string };

type State = {
  version: 1;
  detached: boolean;
  binaries: Binaries;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number };
  etcd: Proc | undefined;
  apiserver: Proc | undefined;
  apiserverUrl: string;
  adminKubeconfig: string;
  restrictedKubeconfig: string;
};

const execFileP = promisify(execFile);

/** kubectl matching the apiserver (builds the binaries if needed). */
export async function kubectlPath(log?: Log): Promise<string> {
  const b = await ensureBinaries(log);
  if (!b.kubectl) throw new Error(`netglass: no kubectl in KUBEBUILDER_ASSETS=${b.dir}`);
  return b.kubectl;
}

export function defaultRunDir(): string {
  return join(cacheRoot(), 'cluster-run');
}

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const timeout = opts.startTimeoutMs ?? 90_000;
  const detached = opts.detached ?? false;
  const binaries = await ensureBinaries(log);
  // Resolved before anything starts, so a missing Go or module fails fast.
  const crdFiles = [
    ...((opts.adminPolicyCrds ?? true) ? await adminPolicyCrdFiles() : []),
    ...((opts.ciliumPolicyCrds ?? true) ? await ciliumPolicyCrdFiles() : []),
    ...((opts.calicoPolicyCrds ?? true) ? await calicoPolicyCrdFiles() : []),
  ];

  const ownDir = opts.dir === undefined;
  if (ownDir) await sweepStaleTempDirs();
  const dir = opts.dir ? resolve(opts.dir) : await mkdtemp(join(tmpdir(), TEMP_PREFIX));
  await mkdir(dir, { recursive: true });
  const previous = readState(dir);
  if (previous) {
    if (processAlive(previous.etcd) || processAlive(previous.apiserver)) {
      throw new Error(
        `netglass: a control plane is already running in ${dir} (etcd pid ${previous.etcd?.pid}, ` +
          `kube-apiserver pid ${previous.apiserver?.pid}); stop it with test/cluster/down --dir ${dir}`,
      );
    }
    log(`netglass: removing the leftovers of a stopped control plane in ${dir}`);
  }
  await removeRunFiles(dir);

  const pki = join(dir, 'pki');
  await makePki(pki);

  // Ports are picked free and then handed over, so another process may grab one
  // in between: retry the whole start a few times when that happens.
  for (let attempt = 1; ; attempt++) {
    const [etcdClient, etcdPeer, apiserver] = await freePorts(3);
    const state: State = {
      version: 1,
      detached,
      binaries,
      ports: { etcdClient: etcdClient!, etcdPeer: etcdPeer!, apiserver: apiserver! },
      etcd: undefined,
      apiserver: undefined,
      apiserverUrl: `https://127.0.0.1:${apiserver}`,
      adminKubeconfig: join(dir, 'admin.kubeconfig'),
      restrictedKubeconfig: join(dir, 'restricted.kubeconfig'),
    };
    const cp = handle(dir, state, ownDir, timeout);
    // A retry starts from an empty etcd (its member was bound to the old peer URL) and fresh logs.
    for (const f of ['etcd-data', 'etcd.log', 'kube-apiserver.log'])
      await rm(join(dir, f), { recursive: true, force: true });
    try {
      log(`netglass: starting etcd on 127.0.0.1:${etcdClient} (log: ${cp.etcdLog})`);
      const etcd = launch(binaries.etcd, etcdArgs(dir, state), cp.etcdLog, detached, dir);
      state.etcd = etcd;
      await writeState(dir, state);
      await waitUntil('etcd', etcd, cp.etcdLog, timeout, () =>
        probe(`http://127.0.0.1:${etcdClient}/health`, undefined),
      );
      await writeKubeconfig(state.adminKubeconfig, state.apiserverUrl, pki, 'admin', ADMIN_USER);
      await writeKubeconfig(
        state.restrictedKubeconfig,
        state.apiserverUrl,
        pki,
        'restricted',
        RESTRICTED_USER,
      );
      log(`netglass: starting kube-apiserver on ${state.apiserverUrl} (log: ${cp.apiserverLog})`);
      await cp.startApiServer();
      await waitForDefaultNamespace(state.adminKubeconfig, state, dir, timeout);
      await grantRestrictedUser(state.adminKubeconfig);
      if (crdFiles.length > 0) await installCrds(state.adminKubeconfig, crdFiles, { timeoutMs: timeout });
      log(`netglass: control plane ready at ${state.apiserverUrl} (run folder ${dir})`);
      return cp;
    } catch (e) {
      await killAll(state);
      const portClash = /address already in use/.test(tailOf(cp.etcdLog) + tailOf(cp.apiserverLog));
      if (portClash && attempt < 3) {
        log(`netglass: a port was taken in the meantime; retrying (${attempt}/3)`);
        continue;
      }
      // The run folder is kept so the logs can be read.
      throw e;
    }
  }
}

/** The control plane recorded in a run folder (started by test/cluster/up), or undefined. */
export function attachControlPlane(dir: string = defaultRunDir()): ControlPlane | undefined {
  const abs = resolve(dir);
  const state = readState(abs);
  return state ? handle(abs, state, false, 90_000) : undefined;
}

/** Is the recorded control plane running and answering? */
export async function isHealthy(cp: ControlPlane): Promise<boolean> {
  const state = readState(cp.dir);
  if (!state || !processAlive(state.etcd) || !processAlive(state.apiserver)) return false;
  return probe(`${state.apiserverUrl}/readyz`, readFileSync(join(cp.dir, 'pki', 'ca.crt')));
}

/**
 * Gives a pod an IP and makes it look Running and Ready, as a kubelet would, by
 * patching the pods/status subresource (the main resource ignores status).
 */
export async function setPodIP(
  kubeconfig: string,
  namespace: string,
  name: string,
  ip: string,
): Promise<V1Pod> {
  if (!isIP(ip)) throw new Error(`setPodIP: "${ip}" is not an IP address`);
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const pod = await core.readNamespacedPod({ name, namespace });
  const now = new Date().toISOString();
  const status = {
    phase: 'Running',
    podIP: ip,
    podIPs: [{ ip }],
    startTime: pod.status?.startTime ?? now,
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
      type,
      status: 'True',
      lastTransitionTime: now,
    })),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
  return core.patchNamespacedPodStatus(
    { name, namespace, body: { status } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
}

// ---------------------------------------------------------------------------

function handle(dir: string, state: State, ownDir: boolean, timeoutMs: number): ControlPlane {
  const etcdLog = join(dir, 'etcd.log');
  const apiserverLog = join(dir, 'kube-apiserver.log');
  const cp: ControlPlane = {
    dir,
    apiserverUrl: state.apiserverUrl,
    adminKubeconfig: state.adminKubeconfig,
    restrictedKubeconfig: state.restrictedKubeconfig,
    kubectl: state.binaries.kubectl,
    etcdLog,
    apiserverLog,
    async stop() {
      await killAll(state);
      await removeRunFiles(dir);
      if (ownDir) await rm(dir, { recursive: true, force: true });
      else await rmdir(dir).catch(() => undefined); // only if nothing else is in it
    },
    async stopApiServer() {
      await killProcess(state.apiserver);
      state.apiserver = undefined;
      await writeState(dir, state);
    },
    async startApiServer() {
      if (processAlive(state.apiserver)) throw new Error('netglass: kube-apiserver is already running');
      const apiserver = launch(
        state.binaries.kubeApiserver,
        apiserverArgs(dir, state),
        apiserverLog,
        state.detached,
        dir,
      );
      state.apiserver = apiserver;
      await writeState(dir, state);
      const ca = readFileSync(join(dir, 'pki', 'ca.crt'));
      // /readyz covers etcd, the RBAC bootstrap roles and the other post-start hooks.
      await waitUntil('kube-apiserver', apiserver, apiserverLog, timeoutMs, () =>
        probe(`${state.apiserverUrl}/readyz`, ca),
      );
    },
    async restartApiServer() {
      await cp.stopApiServer();
      await cp.startApiServer();
    },
    async installAdminPolicyCrds() {
      const files: CrdFile[] = await adminPolicyCrdFiles();
      await installCrds(state.adminKubeconfig, files, { timeoutMs });
    },
    async installCiliumPolicyCrds() {
      await installCrds(state.adminKubeconfig, await ciliumPolicyCrdFiles(), { timeoutMs });
    },
    async addUser(name, groups = []) {
      const pki = join(dir, 'pki');
      const file = join(dir, 'users', `${name}.kubeconfig`);
      await mkdir(join(dir, 'users'), { recursive: true });
      await clientCert(pki, `user-${name}`, name, groups);
      await writeKubeconfig(file, state.apiserverUrl, pki, `user-${name}`, name);
      return file;
    },
  };
  return cp;
}

function etcdArgs(dir: string, s: State): string[] {
  const client = `http://127.0.0.1:${s.ports.etcdClient}`;
  const peer = `http://127.0.0.1:${s.ports.etcdPeer}`;
  return [
    '--name=netglass',
    `--data-dir=${join(dir, 'etcd-data')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=netglass=${peer}`,
    // Test data only: no fsync makes etcd much faster on CI disks.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

function apiserverArgs(dir: string, s: State): string[] {
  const pki = join(dir, 'pki');
  return [
    `--etcd-servers=http://127.0.0.1:${s.ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${s.ports.apiserver}`,
    // Without it the apiserver derives an address from the default route, and
    // refuses to start on a machine without one.
    '--advertise-address=127.0.0.1',
    // The `kubernetes` Endpoints would point at loopback, which is rejected: log noise only.
    '--endpoint-reconciler-type=none',
    `--tls-cert-file=${join(pki, 'apiserver.crt')}`,
    `--tls-private-key-file=${join(pki, 'apiserver.key')}`,
    `--client-ca-file=${join(pki, 'ca.crt')}`,
    '--authorization-mode=RBAC',
    '--service-cluster-ip-range=10.0.0.0/24',
    `--service-account-issuer=${s.apiserverUrl}`,
    `--service-account-key-file=${join(pki, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
    // No controller-manager creates `default` ServiceAccounts, and this plugin
    // rejects pods whose ServiceAccount does not exist.
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    '--profiling=false',
  ];
}

// --- processes --------------------------------------------------------------

const attached = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts a binary with its output appended to logFile. */
function launch(bin: string, args: string[], logFile: string, detached: boolean, dir: string): Proc {
  const fd = openSync(logFile, 'a');
  try {
    let child: ChildProcess;
    if (detached) {
      child = spawn(bin, args, { cwd: dir, stdio: ['ignore', fd, fd], detached: true });
      child.unref();
    } else {
      const [cmd, cmdArgs] = boundCommand(bin, args);
      child = spawn(cmd, cmdArgs, { cwd: dir, stdio: ['ignore', fd, fd] });
      attached.add(child);
      child.on('exit', () => attached.delete(child));
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on('exit', () => {
          for (const c of attached) c.kill('SIGKILL');
        });
      }
    }
    child.on('error', () => undefined); // spawn failures: child.pid is undefined
    if (child.pid === undefined) throw new Error(`netglass: could not start ${bin}`);
    // Read now: the child cannot have been reaped yet, so the pid is still its own.
    const startTime = startTimeOf(child.pid);
    if (startTime === undefined) throw new Error(`netglass: ${bin} exited at once; see ${logFile}`);
    return { pid: child.pid, startTime };
  } finally {
    closeSync(fd);
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or undefined if gone or a zombie. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may contain spaces: split after its closing ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/** True if the process we started is still running (not exited, not a different process reusing the pid). */
function processAlive(p: Proc | undefined): boolean {
  return p !== undefined && startTimeOf(p.pid) === p.startTime;
}

async function killProcess(p: Proc | undefined, graceMs = 10_000): Promise<void> {
  if (!p || !processAlive(p)) return;
  process.kill(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (processAlive(p)) {
    if (Date.now() > deadline) {
      process.kill(p.pid, 'SIGKILL');
      // The kernel reaps a killed process when it gets to it: on a busy machine that can take more
      // than the 100 ms once waited here, so wait up to 5 s before calling it a survivor.
      const killDeadline = Date.now() + 5_000;
      while (processAlive(p) && Date.now() < killDeadline) await sleep(50);
      if (processAlive(p)) throw new Error(`netglass: process ${p.pid} survived SIGKILL for 5 s`);
      return;
    }
    await sleep(50);
  }
}

async function killAll(state: State): Promise<void> {
  // apiserver first, so it does not log a burst of etcd errors while stopping.
  await killProcess(state.apiserver);
  await killProcess(state.etcd);
}

async function waitUntil(
  name: string,
  proc: Proc,
  logFile: string,
  timeoutMs: number,
  ready: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!processAlive(proc)) {
      throw new Error(
        `netglass: ${name} exited during start-up; last lines of ${logFile}:\n${tailOf(logFile)}`,
      );
    }
    if (await ready()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `netglass: ${name} (pid ${proc.pid}) not ready after ${timeoutMs / 1000}s; last lines of ${logFile}:\n${tailOf(logFile)}`,
      );
    }
    await sleep(200);
  }
}

function tailOf(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** GET url; true on HTTP 200. ca set means https trusting only that CA. */
function probe(url: string, ca: Buffer | undefined): Promise<boolean> {
  return new Promise((done) => {
    const req = (ca ? httpsRequest : httpRequest)(url, { ca, timeout: 2_000 }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
    req.end();
  });
}

async function freePorts(n: number): Promise<number[]> {
  // Hold all listeners at once so the ports differ.
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((ok, fail) => {
          const s = createServer();
          s.once('error', fail);
          s.listen(0, '127.0.0.1', () => ok(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// --- files ------------------------------------------------------------------

const TEMP_PREFIX = 'netglass-cp-';

/**
 * Temp run folders of test runs that were killed (SIGKILL gives no chance to
 * clean up; their processes died with them through the parent-death signal).
 * Only folders whose state is over a minute old and whose processes are all gone.
 */
async function sweepStaleTempDirs(): Promise<void> {
  for (const name of await readdir(tmpdir()).catch(() => [])) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    try {
      const state = readState(dir);
      const age = Date.now() - statSync(join(dir, 'state.json')).mtimeMs;
      if (state && age > 60_000 && !processAlive(state.etcd) && !processAlive(state.apiserver)) {
        await rm(dir, { recursive: true, force: true });
      }
    } catch {
      // not ours, or being created right now
    }
  }
}

// Only these are ever deleted from a run folder, so a --dir pointing at a
// folder with other content never loses it.
const RUN_FILES = [
  'state.json',
  'pki',
  'etcd-data',
  'etcd.log',
  'kube-apiserver.log',
  'admin.kubeconfig',
  'restricted.kubeconfig',
  'users',
];

async function removeRunFiles(dir: string): Promise<void> {
  for (const f of RUN_FILES) await rm(join(dir, f), { recursive: true, force: true });
}

function readState(dir: string): State | undefined {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) return undefined;
  const s = JSON.parse(readFileSync(file, 'utf8')) as State;
  return s.version === 1 ? s : undefined;
}

async function writeState(dir: string, s: State): Promise<void> {
  const tmp = join(dir, `.state.json.${process.pid}`);
  await writeFile(tmp, JSON.stringify(s, null, 2) + '\n');
  await rename(tmp, join(dir, 'state.json'));
}

/** Runs openssl in the pki folder; says plainly when openssl is missing. */
async function ssl(pki: string, ...args: string[]): Promise<void> {
  try {
    await execFileP('openssl', args, { cwd: pki });
  } catch (e) {
    const err = e as Error & { stderr?: string; code?: string };
    const why =
      err.code === 'ENOENT'
        ? 'openssl is not installed (apt-get install openssl)'
        : (err.stderr ?? err.message);
    throw new Error(`netglass: openssl ${args[0]} failed: ${why}`, { cause: e });
  }
}

// P-256 keys: generated in milliseconds, accepted by Go and Node alike.
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const CERT_DAYS = '3650';

/** `<name>.key` and `<name>.crt` in pki, signed by its CA. */
async function leafCert(pki: string, name: string, subj: string, ext: string): Promise<void> {
  await ssl(pki, 'req', '-new', ...EC_KEY, '-subj', subj, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  await writeFile(join(pki, `${name}.ext`), ext);
  await ssl(
    pki,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    CERT_DAYS,
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  );
  await rm(join(pki, `${name}.csr`));
  await rm(join(pki, `${name}.ext`));
}

/** A client certificate: CN is the user name, one O per group (how kube-apiserver reads them). */
async function clientCert(pki: string, file: string, user: string, groups: readonly string[]): Promise<void> {
  const dn = (v: string): string => v.replace(/[/\\=+,]/g, (c) => `\\${c}`);
  const subj = `${groups.map((g) => `/O=${dn(g)}`).join('')}/CN=${dn(user)}`;
  await leafCert(pki, file, subj, 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
}

/** CA, serving cert, admin and restricted client certs, service-account key pair. */
async function makePki(pki: string): Promise<void> {
  await mkdir(pki, { recursive: true });
  await ssl(
    pki,
    'req',
    '-x509',
    ...EC_KEY,
    '-days',
    CERT_DAYS,
    '-subj',
    '/CN=netglass-test-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  await leafCert(
    pki,
    'apiserver',
    '/CN=kube-apiserver',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n',
  );
  await clientCert(pki, 'admin', ADMIN_USER, ['system:masters']);
  await clientCert(pki, 'restricted', RESTRICTED_USER, [RESTRICTED_GROUP]);
  await ssl(pki, 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'sa.key');
  await ssl(pki, 'pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
}

async function writeKubeconfig(
  file: string,
  server: string,
  pki: string,
  cert: string,
  user: string,
): Promise<void> {
  const b64 = async (f: string): Promise<string> => (await readFile(join(pki, f))).toString('base64');
  const context = `${CLUSTER_NAME}-${cert}`;
  await writeFile(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: ${CLUSTER_NAME}
  cluster:
    server: ${server}
    certificate-authority-data: ${await b64('ca.crt')}
users:
- name: ${user}
  user:
    client-certificate-data: ${await b64(`${cert}.crt`)}
    client-key-data: ${await b64(`${cert}.key`)}
contexts:
- name: ${context}
  context:
    cluster: ${CLUSTER_NAME}
    user: ${user}
current-context: ${context}
`,
    { mode: 0o600 },
  );
}

// --- API set-up -------------------------------------------------------------

/** The system-namespaces controller creates `default` shortly after /readyz. */
async function waitForDefaultNamespace(
  kubeconfig: string,
  s: State,
  dir: string,
  timeoutMs: number,
): Promise<void> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await waitUntil('kube-apiserver', s.apiserver!, join(dir, 'kube-apiserver.log'), timeoutMs, () =>
    core.readNamespace({ name: 'default' }).then(
      () => true,
      () => false,
    ),
  );
}

/** RBAC for the restricted user: namespaces and pods read-only, cluster-wide; no NetworkPolicies. */
async function grantRestrictedUser(adminKubeconfig: string): Promise<void> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(adminKubeconfig);
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  const name = 'netglass:restricted';
  await rbac.createClusterRole({
    body: {
      metadata: { name },
      rules: [{ apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['get', 'list', 'watch'] }],
    },
  });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: RESTRICTED_USER }],
    },
  });
}
