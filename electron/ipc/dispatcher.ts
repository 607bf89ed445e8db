/**
 * Transport-neutral request handling for the Node side. Electron IPC (ipc/register.ts) and the
 * web-mode WebSocket (web/server.ts) both hand every incoming message to `handle`, which validates it
 * (shape and size, shared/api/protocol.ts) before acting, and answer with the returned response.
 * Events reach a client through its `Peer` after it subscribed.
 */
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  API_VERSION,
  err,
  ok,
  type ApiError,
  type AppInfo,
  type ApplyFailure,
  type Capability,
  type Result,
} from '../../shared/api/api.ts';
import type { PolicyManifest } from '../../shared/editor/draft.ts';
import {
  DryRunLedger,
  FIELD_MANAGER,
  type ApplyOutcome,
  type ApplyPlan,
  type ClusterResult,
  type DryRunOptions,
  type DryRunOutcome,
} from '../cluster/apply-plan.ts';
import { savePolicyFile, suggestedPath, writableRoots } from '../source/files.ts';
import { saveExportTo, type ExportPathChooser } from './export-file.ts';
import {
  exportExtensionOf,
  parseRequest,
  requestIdOf,
  type RequestMessage,
  type ResponseMessage,
  type ServerMessage,
} from '../../shared/api/protocol.ts';
import type { SourceManager } from '../source/manager.ts';

/** One connected renderer: a window's webContents or a WebSocket. */
export interface Peer {
  send(message: ServerMessage): void;
}

/** How policies reach a cluster; injected by tests. */
export interface PolicyWriter {
  dryRun(
    kubeConfig: KubeConfig,
    manifest: PolicyManifest,
    options?: DryRunOptions,
  ): Promise<ClusterResult<DryRunOutcome>>;
  apply(
    kubeConfig: KubeConfig,
    manifest: PolicyManifest,
    plan: ApplyPlan,
  ): Promise<ClusterResult<ApplyOutcome>>;
}

export interface DispatcherOptions {
  readonly manager: SourceManager;
  readonly appName?: string;
  readonly appVersion: string;
  /** With 'clusters', 'dry-run' and 'apply' are offered too (they act on the live cluster source). */
  readonly capabilities?: readonly Capability[];
  readonly log?: (message: string) => void;
  readonly policyWriter?: PolicyWriter;
  /** Binds each apply to its dry-run (one per dispatcher by default). */
  readonly ledger?: DryRunLedger;
  /**
   * The native save dialog (Electron only): resolves to the absolute path the user chose, or undefined
   * when cancelled. With it, `savePolicyAs` is offered (capability `save-dialog`); web mode has none.
   */
  readonly chooseSavePath?: SavePathChooser;
  /** The native save dialog for exports (Electron only); with it, `saveExport` is offered (`export-dialog`). */
  readonly chooseExportPath?: ExportPathChooser;
  /**
   * The native open dialog (Electron only): the absolute paths the user chose, or undefined when
   * cancelled. With it, `chooseManifests` is offered (capability `open-dialog`).
   */
  readonly chooseOpenPaths?: OpenPathsChooser;
}

/** Asks the user for manifest files (several) or one folder. */
export type OpenPathsChooser = (pick: 'files' | 'folder') => Promise<readonly string[] | undefined>;

/**
 * Asks the user where to save. `defaultPath`: a suggestion (next to the loaded manifests), else just a
 * file name for the dialog to place in its usual folder. It must ask before replacing a file.
 */
export type SavePathChooser = (defaultPath: string) => Promise<string | undefined>;

/**
 * Writes through the Kubernetes client, loaded on the first dry-run: a server that only ever shows
 * manifests or the demo never loads it.
 */
const clusterPolicyWriter: PolicyWriter = {
  async dryRun(kubeConfig, manifest, options) {
    const { dryRunPolicy } = await import('../cluster/apply.ts');
    return dryRunPolicy(kubeConfig, manifest, options);
  },
  async apply(kubeConfig, manifest, plan) {
    const { applyPolicy } = await import('../cluster/apply.ts');
    return applyPolicy(kubeConfig, manifest, plan);
  },
};

function rejected(failure: ApplyFailure): ApiError {
  return { code: 'policy-rejected', message: failure.message, failure };
}

export class Dispatcher {
  readonly #manager: SourceManager;
  readonly #info: AppInfo;
  readonly #log: (message: string) => void;
  readonly #subscriptions = new Map<Peer, () => void>();
  readonly #writer: PolicyWriter;
  readonly #ledger: DryRunLedger;
  readonly #chooseSavePath: SavePathChooser | undefined;
  readonly #chooseExportPath: ExportPathChooser | undefined;
  readonly #chooseOpenPaths: OpenPathsChooser | undefined;

  constructor(options: DispatcherOptions) {
    this.#manager = options.manager;
    this.#chooseSavePath = options.chooseSavePath;
    this.#chooseExportPath = options.chooseExportPath;
    this.#chooseOpenPaths = options.chooseOpenPaths;
    const capabilities = new Set<Capability>(options.capabilities ?? ['demo', 'manifests']);
    if (capabilities.has('clusters')) {
      capabilities.add('dry-run');
      capabilities.add('apply');
    }
    if (this.#chooseSavePath !== undefined) capabilities.add('save-dialog');
    else capabilities.delete('save-dialog');
    if (this.#chooseExportPath !== undefined) capabilities.add('export-dialog');
    else capabilities.delete('export-dialog');
    if (this.#chooseOpenPaths !== undefined) capabilities.add('open-dialog');
    else capabilities.delete('open-dialog');
    this.#info = {
      name: options.appName ?? 'netglass',
      version: options.appVersion,
      apiVersion: API_VERSION,
      capabilities: [...capabilities],
    };
    this.#writer = options.policyWriter ?? clusterPolicyWriter;
    this.#ledger = options.ledger ?? new DryRunLedger();
    this.#log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
  }

  /** Validates and runs one request; never throws. */
  async handle(peer: Peer, raw: unknown): Promise<ResponseMessage> {
    const parsed = parseRequest(raw);
    if (!parsed.ok) return { kind: 'response', id: requestIdOf(raw), result: parsed };
    const request = parsed.value;
    try {
      return { kind: 'response', id: request.id, result: await this.#run(peer, request) };
    } catch (e) {
      this.#log(
        `netglass: ${request.method} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return {
        kind: 'response',
        id: request.id,
        result: err({
          code: 'internal',
          message: `Internal error in ${request.method}; see the netglass log.`,
        }),
      };
    }
  }

  /** Forgets a peer that went away (window closed, socket closed). */
  detach(peer: Peer): void {
    this.#subscriptions.get(peer)?.();
    this.#subscriptions.delete(peer);
  }

  get peerCount(): number {
    return this.#subscriptions.size;
  }

  async #run(peer: Peer, request: RequestMessage): Promise<Result<unknown>> {
    switch (request.method) {
      case 'getInfo':
        return ok(this.#info);
      case 'getStatus':
        return ok(this.#manager.status);
      case 'openSource':
        return this.#manager.open(request.params);
      case 'reload':
        return this.#manager.reload();
      case 'listContexts':
        return this.#manager.listContexts();
      case 'subscribe':
        if (!this.#subscriptions.has(peer)) {
          // The current status and snapshot go out at once; clients accept them before or after the
          // response to `subscribe` (the two may travel on different channels).
          this.#subscriptions.set(
            peer,
            this.#manager.subscribe((event) => peer.send({ kind: 'event', event })),
          );
        }
        return ok(null);
      case 'unsubscribe':
        this.detach(peer);
        return ok(null);
      case 'dryRunPolicy':
        return this.#dryRun(request.params.manifest, request.params.context, request.params.force === true);
      case 'applyPolicy':
        return this.#apply(request.params.manifest, request.params.dryRunToken, request.params.context);
      case 'suggestPolicyPath': {
        const status = this.#manager.status;
        if (status.state !== 'ready' || status.source.kind !== 'manifests') return ok({ exists: false });
        const { namespace, name, originFile } = request.params;
        return ok(await suggestedPath(status.source.paths, { namespace, name }, originFile));
      }
      case 'savePolicy': {
        // Writes only under the loaded manifest folders (files.ts checkSave says why).
        const status = this.#manager.status;
        const roots =
          status.state === 'ready' && status.source.kind === 'manifests'
            ? await writableRoots(status.source.paths)
            : [];
        return savePolicyFile(request.params.path, request.params.yaml, {
          overwrite: request.params.overwrite,
          roots,
        });
      }
      case 'savePolicyAs':
        return this.#saveAs(request.params.yaml, request.params.fileName);
      case 'saveExport':
        return this.#saveExport(request.params);
      case 'uploadManifests':
        return this.#manager.appendUpload(request.params.upload, request.params.parts);
      case 'chooseManifests':
        return this.#chooseManifests(request.params.pick);
    }
  }

  /**
   * Opens what the user chose in the native dialog as the manifests source: only those paths, never
   * one from the page, checked like a typed path (found, readable, holding manifests).
   */
  async #chooseManifests(pick: 'files' | 'folder'): Promise<Result<unknown>> {
    if (this.#chooseOpenPaths === undefined) {
      return err({
        code: 'not-supported',
        message: 'This netglass has no open dialog (web mode): type the path or drop the files instead.',
        feature: 'open-dialog',
      });
    }
    const chosen = await this.#chooseOpenPaths(pick);
    if (chosen === undefined || chosen.length === 0) return ok({ outcome: 'cancelled' });
    const relative = chosen.find((p) => !path.isAbsolute(p));
    if (relative !== undefined) {
      return err({ code: 'invalid-request', message: `Not an absolute path: ${relative}`, field: 'path' });
    }
    const opened = await this.#manager.open({ kind: 'manifests', paths: [...chosen], strict: true });
    return opened.ok ? ok({ outcome: 'opened', paths: chosen, status: opened.value }) : opened;
  }

  /** Writes an export where the user chose in the native dialog (export-file.ts says why only there). */
  async #saveExport(params: {
    fileName: string;
    data: string;
    encoding: 'utf8' | 'base64';
  }): Promise<Result<unknown>> {
    const extension = exportExtensionOf(params.fileName);
    if (this.#chooseExportPath === undefined || extension === undefined) {
      return err({
        code: 'not-supported',
        message: 'This netglass has no save dialog (web mode): the browser downloads exports instead.',
        feature: 'export-dialog',
      });
    }
    const bytes =
      params.encoding === 'base64'
        ? new Uint8Array(Buffer.from(params.data, 'base64'))
        : new TextEncoder().encode(params.data);
    return saveExportTo(this.#chooseExportPath, { fileName: params.fileName, extension, bytes });
  }

  /**
   * Saves where the user chose in the native dialog: that exact file is the one path allowed besides
   * the loaded folders, and it is never taken from the request. The dialog asked before replacing a
   * file; savePolicyFile still refuses to replace anything but a policy file.
   */
  async #saveAs(yaml: string, fileName: string): Promise<Result<unknown>> {
    if (this.#chooseSavePath === undefined) {
      return err({
        code: 'not-supported',
        message: 'This netglass has no save dialog (web mode): download the YAML instead.',
        feature: 'save-dialog',
      });
    }
    const status = this.#manager.status;
    const suggested =
      status.state === 'ready' && status.source.kind === 'manifests'
        ? (await writableRoots(status.source.paths))[0]
        : undefined;
    const chosen = await this.#chooseSavePath(
      suggested !== undefined ? path.join(suggested, fileName) : fileName,
    );
    if (chosen === undefined) return ok({ outcome: 'cancelled' });
    if (!path.isAbsolute(chosen)) {
      return err({ code: 'invalid-request', message: `Not an absolute path: ${chosen}`, field: 'path' });
    }
    // A name typed without extension gets one; the dialog did not confirm replacing that other file.
    const confirmed = /\.ya?ml$/i.test(chosen);
    const file = confirmed ? chosen : `${chosen}.yaml`;
    const saved = await savePolicyFile(file, yaml, { overwrite: confirmed, roots: [path.dirname(file)] });
    if (!saved.ok && saved.error.code === 'exists') {
      return err({
        ...saved.error,
        message: `${file} exists already; choose it in the dialog to replace it.`,
      });
    }
    return saved.ok ? ok({ outcome: 'saved', ...saved.value }) : saved;
  }

  /** The current live cluster, which must be `context` when one is named. */
  #liveCluster(context: string | undefined): Result<{ context: string; kubeConfig: KubeConfig }> {
    const live = this.#manager.liveCluster;
    if (live === undefined) {
      return err({
        code: 'no-cluster',
        message:
          'Dry-run and apply act on a live cluster: open a kubeconfig context first (the current source is not a cluster, or it has not loaded).',
      });
    }
    if (context !== undefined && context !== live.context) {
      return err({
        code: 'no-cluster',
        message: `The current cluster is context "${live.context}", not "${context}": open "${context}" to write to it.`,
      });
    }
    return ok(live);
  }

  async #dryRun(
    manifest: PolicyManifest,
    context: string | undefined,
    force: boolean,
  ): Promise<Result<unknown>> {
    const live = this.#liveCluster(context);
    if (!live.ok) return live;
    const result = await this.#writer.dryRun(live.value.kubeConfig, manifest, { force });
    if (!result.ok) return err(rejected(result.failure));
    const { stored, live: before, changes, unchanged, conflicts, ...plan } = result.value;
    const { token, expiresAt } = this.#ledger.record(live.value.context, manifest, plan);
    return ok({
      context: live.value.context,
      operation: plan.operation,
      namespace: plan.namespace,
      name: plan.name,
      fieldManager: FIELD_MANAGER,
      force: plan.force,
      conflicts,
      stored,
      ...(before !== undefined ? { live: before } : {}),
      changes,
      unchanged,
      dryRunToken: token,
      expiresAt: new Date(expiresAt).toISOString(),
    });
  }

  async #apply(
    manifest: PolicyManifest,
    token: string,
    context: string | undefined,
  ): Promise<Result<unknown>> {
    const live = this.#liveCluster(context);
    if (!live.ok) return live;
    const taken = this.#ledger.take(token, live.value.context, manifest);
    if (!taken.ok) return err({ code: 'dry-run-required', message: taken.message });
    const result = await this.#writer.apply(live.value.kubeConfig, manifest, taken.plan);
    if (!result.ok) return err(rejected(result.failure));
    this.#log(
      `netglass: ${result.value.operation === 'create' ? 'created' : 'updated'} ${manifest.kind} ${result.value.namespace === '' ? '' : `${result.value.namespace}/`}${result.value.name} on context "${live.value.context}"`,
    );
    return ok({ context: live.value.context, ...result.value });
  }
}
