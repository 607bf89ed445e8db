/**
 * The peer tools `npm run bench` compares netglass with, found or built once into
 * ${NETGLASS_CACHE:-~/.cache/netglass}/peers/ (as test/cluster/ builds kube-apiserver):
 *
 * - policy-assistant, module sigs.k8s.io/network-policy-api/policy-assistant (nested in the
 *   network-policy-api repository under cmd/policy-assistant), binary `policy-assistant`;
 * - netpol-analyzer, module github.com/np-guard/netpol-analyzer, binary `k8snetpolicy`.
 *
 * Order: the binary in the cache (built earlier, or put there by hand with a `<binary>.json` naming
 * the repository and commit it was built from), then one on PATH, then
 * `go install` of the module's latest version from the Go module proxy into the cache. A tool that
 * cannot be had is reported with the reason, and its rows are skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheRoot, goBinary } from '../cluster/binaries.ts';

export interface PeerTool {
  readonly name: 'policy-assistant' | 'netpol-analyzer';
  readonly binary: string;
  readonly module: string;
  /** The main package inside the module. */
  readonly command: string;
}

export const PEER_TOOLS: readonly PeerTool[] = [
  {
    name: 'policy-assistant',
    binary: 'policy-assistant',
    module: 'sigs.k8s.io/network-policy-api/policy-assistant',
    command: 'sigs.k8s.io/network-policy-api/policy-assistant/cmd/policy-assistant',
  },
  {
    name: 'netpol-analyzer',
    binary: 'k8snetpolicy',
    module: 'github.com/np-guard/netpol-analyzer',
    command: 'github.com/np-guard/netpol-analyzer/cmd/netpolicy',
  },
];

export type PeerBinary =
  | { readonly ok: true; readonly path: string; readonly origin: string }
  | { readonly ok: false; readonly reason: string };

export function peersDir(): string {
  return join(cacheRoot(), 'peers');
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, binary))) return join(dir, binary);
  }
  return undefined;
}

/**
 * What the cache says about how a binary got there, for the bench's notes. `install` writes
 * `{module, version}`; a binary built by hand from a checkout (the proxy serves neither module here)
 * comes with `{repo, commit}` and optionally `describe` (git describe) beside it.
 */
function cachedOrigin(tool: PeerTool): string {
  let record: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(peersDir(), `${tool.binary}.json`), 'utf8'));
    if (typeof parsed === 'object' && parsed !== null) record = parsed as Record<string, unknown>;
  } catch {
    // no record, or not JSON: said below
  }
  const text = (key: string): string | undefined =>
    typeof record[key] === 'string' && record[key] !== '' ? record[key] : undefined;
  const [version, repo, commit, describe] = [text('version'), text('repo'), text('commit'), text('describe')];
  if (version !== undefined) return `${tool.module} ${version}`;
  if (repo !== undefined && commit !== undefined)
    return `built by hand from ${repo}@${commit.slice(0, 12)}${describe !== undefined ? ` (${describe})` : ''}`;
  return `${join(peersDir(), tool.binary)}, put there by hand (no ${tool.binary}.json says from what)`;
}

/** The first line of a failed command's output that says why. */
function firstReason(output: string): string {
  const lines = output.split('\n').map((l) => l.trim());
  return (
    lines.find((l) =>
      /error|not available|forbidden|not found|cannot|unknown revision|403|404|410/i.test(l),
    ) ??
    lines.find((l) => l !== '') ??
    'no output'
  );
}

/** `go install` of the module's latest version into the cache; the binary takes the tool's name. */
function install(tool: PeerTool, log: (line: string) => void): PeerBinary {
  let go: string;
  try {
    go = goBinary();
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  // Modules from the proxy only (no fetch from version-control hosts), never a toolchain download,
  // never a go.work from a parent folder; cgo is not needed.
  const proxy = execFileSync(go, ['env', 'GOPROXY'], { encoding: 'utf8' })
    .trim()
    .split(/[,|]/)
    .filter((p) => p !== 'direct' && p !== 'off' && p !== '')
    .join(',');
  const env = {
    ...process.env,
    GOPROXY: proxy || 'off',
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
    CGO_ENABLED: '0',
  };
  const latest = spawnSync(go, ['list', '-m', '-json', `${tool.module}@latest`], {
    env,
    encoding: 'utf8',
    cwd: peersDir(),
  });
  if (latest.status !== 0) {
    return {
      ok: false,
      reason: `the Go module proxy does not serve ${tool.module}: ${firstReason(latest.stderr)}`,
    };
  }
  const version = (JSON.parse(latest.stdout) as { Version?: string }).Version ?? 'latest';
  log(
    `peers: building ${tool.name} (${tool.module} ${version}) into ${peersDir()} — once; minutes on 2 cores`,
  );
  const tmp = mkdtempSync(join(peersDir(), '.build-'));
  try {
    const built = spawnSync(go, ['install', '-trimpath', `-ldflags=-s -w`, `${tool.command}@${version}`], {
      env: { ...env, GOBIN: tmp },
      encoding: 'utf8',
      cwd: tmp,
    });
    if (built.status !== 0) {
      return {
        ok: false,
        reason: `go install ${tool.command}@${version} failed: ${firstReason(built.stderr)}`,
      };
    }
    const name = tool.command.split('/').at(-1) ?? tool.binary;
    const target = join(peersDir(), tool.binary);
    renameSync(join(tmp, name), target);
    writeFileSync(`${target}.json`, `${JSON.stringify({ module: tool.module, version })}\n`);
    return { ok: true, path: target, origin: `${tool.module} ${version}` };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The tool's binary: cached, on PATH, or built now; otherwise why not. */
export function peerBinary(tool: PeerTool, log: (line: string) => void = console.log): PeerBinary {
  mkdirSync(peersDir(), { recursive: true });
  const cached = join(peersDir(), tool.binary);
  if (executable(cached)) return { ok: true, path: cached, origin: cachedOrigin(tool) };
  const found = onPath(tool.binary);
  if (found !== undefined) return { ok: true, path: found, origin: `${found} (on PATH)` };
  return install(tool, log);
}
