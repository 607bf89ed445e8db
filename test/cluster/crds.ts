// CustomResourceDefinitions for the test control plane, taken from Go modules the
// same way the binaries are: a wrapper module in ./gomod pins the version (go.sum
// is the lock), `go mod download -json` puts the module in the Go module cache and
// names its folder, and the CRD YAML files in it are applied with server-side apply.
// Nothing is copied into the repository.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { goBinary, type Log } from './binaries.ts';

const execFileP = promisify(execFile);
const gomodDir = join(dirname(fileURLToPath(import.meta.url)), 'gomod');

/** A wrapper module in ./gomod and the CRD files (relative to the downloaded module) it provides. */
type CrdBundle = { readonly wrapper: string; readonly module: string; readonly files: readonly string[] };

/**
 * sig-network's admin network policy APIs: ClusterNetworkPolicy from v0.3.0 (experimental channel, so
 * nodes, domainNames and named destination ports are accepted; serves v1alpha2 and v1beta1), and the
 * legacy v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy from v0.1.1.
 */
const ADMIN_POLICY_BUNDLES: readonly CrdBundle[] = [
  {
    wrapper: 'network-policy-api',
    module: 'sigs.k8s.io/network-policy-api',
    files: ['config/crd/experimental/policy.networking.k8s.io_clusternetworkpolicies.yaml'],
  },
  {
    wrapper: 'network-policy-api-v0.1',
    module: 'sigs.k8s.io/network-policy-api',
    files: [
      'config/crd/policy.networking.k8s.io_adminnetworkpolicies.yaml',
      'config/crd/policy.networking.k8s.io_baselineadminnetworkpolicies.yaml',
    ],
  },
];

/**
 * Cilium's policy CRDs (cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy) from the
 * Cilium release the wrapper pins. The module zip is the whole Cilium tree (~40 MB): it is downloaded
 * once into the Go module cache and found there afterwards.
 */
const CILIUM_POLICY_BUNDLES: readonly CrdBundle[] = [
  {
    wrapper: 'cilium',
    module: 'github.com/cilium/cilium',
    files: [
      'pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnetworkpolicies.yaml',
      'pkg/k8s/apis/cilium.io/client/crds/v2/ciliumclusterwidenetworkpolicies.yaml',
    ],
  },
];

/**
 * Calico's policy CRDs in their storage form (crd.projectcalico.org/v1: NetworkPolicy,
 * GlobalNetworkPolicy, NetworkSet, GlobalNetworkSet), from the tree the wrapper pins (see its go.mod
 * for why a pseudo-version, and what that tree lacks).
 */
const CALICO_POLICY_BUNDLES: readonly CrdBundle[] = [
  {
    wrapper: 'calico',
    module: 'github.com/projectcalico/calico',
    files: [
      'libcalico-go/config/crd/crd.projectcalico.org_networkpolicies.yaml',
      'libcalico-go/config/crd/crd.projectcalico.org_globalnetworkpolicies.yaml',
      'libcalico-go/config/crd/crd.projectcalico.org_networksets.yaml',
      'libcalico-go/config/crd/crd.projectcalico.org_globalnetworksets.yaml',
    ],
  },
];

/** One CRD file from a downloaded module. */
export type CrdFile = { readonly path: string; readonly module: string; readonly version: string };

/** Downloads (or finds in the Go module cache) the pinned admin policy modules; returns their CRD files. */
export async function adminPolicyCrdFiles(timeoutMs = 5 * 60_000): Promise<CrdFile[]> {
  return bundleCrdFiles(ADMIN_POLICY_BUNDLES, 'adminPolicyCrds', 'admin network policy', timeoutMs);
}

/** Downloads (or finds in the Go module cache) the pinned Cilium module; returns its policy CRD files. */
export async function ciliumPolicyCrdFiles(timeoutMs = 5 * 60_000): Promise<CrdFile[]> {
  return bundleCrdFiles(CILIUM_POLICY_BUNDLES, 'ciliumPolicyCrds', 'Cilium policy', timeoutMs);
}

/** Downloads (or finds in the Go module cache) the pinned Calico tree; returns its policy CRD files. */
export async function calicoPolicyCrdFiles(timeoutMs = 5 * 60_000): Promise<CrdFile[]> {
  return bundleCrdFiles(CALICO_POLICY_BUNDLES, 'calicoPolicyCrds', 'Calico policy', timeoutMs);
}

/** `option` names the control plane option that goes without these CRDs, for the error message. */
async function bundleCrdFiles(
  bundles: readonly CrdBundle[],
  option: string,
  what: string,
  timeoutMs: number,
): Promise<CrdFile[]> {
  let go: string;
  try {
    go = goBinary();
  } catch (e) {
    throw new Error(
      `netglass: the ${what} CRDs come from Go modules, and Go was not found; ` +
        `start the control plane with { ${option}: false } to go without them`,
      { cause: e },
    );
  }
  const out: CrdFile[] = [];
  for (const bundle of bundles) {
    const cwd = join(gomodDir, bundle.wrapper);
    let stdout: string;
    try {
      ({ stdout } = await execFileP(go, ['mod', 'download', '-json', bundle.module], {
        cwd,
        timeout: timeoutMs,
        // The wrapper's go.sum decides what is accepted; no toolchain download, no go.work.
        env: { ...process.env, GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '-mod=readonly' },
      }));
    } catch (e) {
      const err = e as Error & { stdout?: string; stderr?: string; killed?: boolean };
      // With -json, go reports a module's failure as an Error field on stdout.
      const reported = /"Error":\s*"([^"]*)"/.exec(err.stdout ?? '')?.[1];
      const timedOut =
        err.killed === true ? ` (stopped after ${timeoutMs / 1000}s; is the Go module proxy reachable?)` : '';
      throw new Error(
        `netglass: go mod download ${bundle.module} in ${cwd} failed${timedOut}: ${reported ?? err.stderr ?? err.message}`,
        { cause: e },
      );
    }
    const info = JSON.parse(stdout) as { Dir?: string; Version?: string; Error?: string };
    if (info.Error !== undefined || info.Dir === undefined || info.Version === undefined) {
      throw new Error(
        `netglass: go mod download ${bundle.module} in ${cwd}: ${info.Error ?? 'no Dir in its output'}`,
      );
    }
    for (const f of bundle.files) {
      const path = join(info.Dir, f);
      if (!existsSync(path)) {
        throw new Error(`netglass: ${bundle.module}@${info.Version} has no ${f} (looked in ${info.Dir})`);
      }
      out.push({ path, module: bundle.module, version: info.Version });
    }
  }
  return out;
}

type Crd = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { group?: string; names?: { plural?: string }; versions?: { name?: string; served?: boolean }[] };
};

type CrdStatus = { status?: { conditions?: { type?: string; status?: string; message?: string }[] } };

/** What an installed CRD serves, for waiting on discovery. */
type Served = { name: string; group: string; plural: string; versions: string[] };

/**
 * Applies CRD files (server-side apply: creates, or updates what an earlier run left) with the
 * kubeconfig's credentials, then waits until each is Established, and its resource appears in
 * discovery and can be listed at every served version: what a client that asks discovery first and
 * then lists needs.
 */
export async function installCrds(
  kubeconfig: string,
  files: readonly CrdFile[],
  opts: { log?: Log; timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error(`netglass: ${kubeconfig} has no current cluster`);

  const call = async (method: string, path: string, body?: string, contentType?: string) => {
    const options: RequestOptions = { method, headers: {}, timeout: 30_000 };
    await kc.applyToHTTPSOptions(options);
    if (contentType !== undefined) options.headers = { ...options.headers, 'Content-Type': contentType };
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpsRequest(new URL(path, server), options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(body);
    });
  };

  const served: Served[] = [];
  for (const file of files) {
    const crd = parseYaml(readFileSync(file.path, 'utf8')) as Crd & { status?: unknown };
    // Generated CRD files carry an empty status; it belongs to the status subresource.
    delete crd.status;
    const name = crd.metadata?.name;
    const group = crd.spec?.group;
    const plural = crd.spec?.names?.plural;
    if (crd.kind !== 'CustomResourceDefinition' || !name || !group || !plural) {
      throw new Error(
        `netglass: ${file.path} is not a CustomResourceDefinition with a name, group and plural`,
      );
    }
    const path =
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}` +
      '?fieldManager=netglass-test&force=true';
    // JSON is YAML, and a JSON body keeps the request independent of YAML dialects.
    const res = await call('PATCH', path, JSON.stringify(crd), 'application/apply-patch+yaml');
    if (res.status !== 200 && res.status !== 201) {
      throw new Error(
        `netglass: applying ${name} from ${file.module}@${file.version} (${file.path}) failed: HTTP ${res.status}: ${res.text.slice(0, 500)}`,
      );
    }
    served.push({
      name,
      group,
      plural,
      versions: (crd.spec?.versions ?? []).filter((v) => v.served && v.name).map((v) => v.name as string),
    });
    opts.log?.(`netglass: applied CRD ${name} (${file.module}@${file.version})`);
  }

  const deadline = Date.now() + timeoutMs;
  const waitFor = async (what: string, ready: () => Promise<string | true>): Promise<void> => {
    for (;;) {
      const state = await ready().catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
      if (state === true) return;
      if (Date.now() > deadline) {
        throw new Error(`netglass: ${what} not ready after ${timeoutMs / 1000}s: ${state}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  for (const crd of served) {
    await waitFor(`CRD ${crd.name}`, async () => {
      const res = await call('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.name}`);
      if (res.status !== 200) return `HTTP ${res.status}`;
      const conditions = (JSON.parse(res.text) as CrdStatus).status?.conditions ?? [];
      const established = conditions.find((c) => c.type === 'Established');
      if (established?.status === 'True') return true;
      return `Established=${established?.status ?? 'absent'} ${established?.message ?? ''}`.trim();
    });
    for (const version of crd.versions) {
      await waitFor(`discovery of ${crd.plural}.${crd.group}/${version}`, async () => {
        const res = await call('GET', `/apis/${crd.group}/${version}`);
        if (res.status !== 200) return `HTTP ${res.status}`;
        const list = JSON.parse(res.text) as { resources?: { name?: string }[] };
        return list.resources?.some((r) => r.name === crd.plural) === true || `${crd.plural} not listed yet`;
      });
      // Established is not yet listable: until its watch cache is filled, a list answers
      // 429 "storage is (re)initializing".
      await waitFor(`listing ${crd.plural}.${crd.group}/${version}`, async () => {
        const res = await call('GET', `/apis/${crd.group}/${version}/${crd.plural}?limit=1`);
        return res.status === 200 || `HTTP ${res.status}: ${res.text.slice(0, 200)}`;
      });
    }
  }
}

/** Applies the pinned admin network policy CRDs and waits until they are served. */
export async function installAdminPolicyCrds(
  kubeconfig: string,
  opts: { log?: Log; timeoutMs?: number } = {},
): Promise<void> {
  await installCrds(kubeconfig, await adminPolicyCrdFiles(), opts);
}

/** Applies the pinned Calico policy CRDs and waits until they are served. */
export async function installCalicoPolicyCrds(
  kubeconfig: string,
  opts: { log?: Log; timeoutMs?: number } = {},
): Promise<void> {
  await installCrds(kubeconfig, await calicoPolicyCrdFiles(), opts);
}

/** Applies the pinned Cilium policy CRDs and waits until they are served. */
export async function installCiliumPolicyCrds(
  kubeconfig: string,
  opts: { log?: Log; timeoutMs?: number } = {},
): Promise<void> {
  await installCrds(kubeconfig, await ciliumPolicyCrdFiles(), opts);
}
