/**
 * The whole UI mounted with its real stores on the given API, the analysis in process and the graph
 * headless (happy-dom has no canvas): what the renderer's entry point wires up, minus the window.
 * Also the editor panel on the same stores, the app with flows on the flows fixture's cluster, and the
 * fake API and waits the app tests share.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { expect } from 'vitest';
import type { ApiEvent, Capability, NetglassApi } from '../../../shared/api/api.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { loadManifests } from '../../../electron/manifests/load.ts';
import {
  createAnalysisClient,
  createInProcessTransport,
  type AnalysisTransport,
} from '../../../renderer/src/analysis/client.ts';
import { App } from '../../../renderer/src/components/App.tsx';
import { EditorPanel } from '../../../renderer/src/editor/EditorPanel.tsx';
import { createEditorStore } from '../../../renderer/src/editor/store.ts';
import { bindWhatIf } from '../../../renderer/src/editor/whatif-binding.ts';
import { gridLayout } from '../../../renderer/src/graph/layout.ts';
import { bindAnalysis, createAnalysisStore } from '../../../renderer/src/store/analysis-store.ts';
import { bindApi } from '../../../renderer/src/store/bind.ts';
import { StoresProvider } from '../../../renderer/src/store/context.tsx';
import { bindFlows, type FlowFile } from '../../../renderer/src/store/flows-store.ts';
import { createSourceStore } from '../../../renderer/src/store/source-store.ts';
import { createViewStore } from '../../../renderer/src/store/view-store.ts';

export function mountApp(api: NetglassApi) {
  const source = createSourceStore();
  const view = createViewStore();
  const analysis = createAnalysisStore();
  const controller = bindApi(api, source);
  bindAnalysis({ client: createAnalysisClient(createInProcessTransport()), source, view, analysis });
  // An editor of its own (no cluster API): a test's drafts never leak into the next test's app.
  const editor = createEditorStore();
  render(
    <StoresProvider stores={{ source, view, analysis, controller, editor: { store: editor } }}>
      <App graph={{ headless: true, layout: gridLayout }} />
    </StoresProvider>,
  );
  return { source, view, analysis, controller, editor };
}

export interface FakeApiOptions {
  /** What getInfo says the host can do; the demo alone unless given. */
  readonly capabilities?: readonly Capability[];
  /** Given, the API can save policies (to a path that does not exist yet); each saved YAML lands here. */
  readonly saved?: string[];
  /** Methods that replace the idle defaults (spies, say); applied last. */
  readonly methods?: Partial<NetglassApi>;
}

export interface FakeApi {
  readonly api: NetglassApi;
  readonly emit: (e: ApiEvent) => void;
}

/** An API that serves nothing itself: the test emits the source and snapshot events. */
export function fakeApi(options: FakeApiOptions = {}): FakeApi {
  const { capabilities = ['demo'], saved, methods } = options;
  let listener: ((e: ApiEvent) => void) | undefined;
  const api: NetglassApi = {
    getInfo: () =>
      Promise.resolve({
        ok: true,
        value: { name: 'netglass', version: '0', apiVersion: 1, capabilities: [...capabilities] },
      }),
    getStatus: () => Promise.resolve({ ok: true, value: { state: 'idle' } }),
    openSource: () => Promise.resolve({ ok: true, value: { state: 'idle' } }),
    reload: () => Promise.resolve({ ok: true, value: { state: 'idle' } }),
    listContexts: () => Promise.resolve({ ok: true, value: { contexts: [], files: [], problems: [] } }),
    subscribe: (l) => {
      listener = l;
      return () => (listener = undefined);
    },
  };
  if (saved !== undefined) {
    api.suggestPolicyPath = () => Promise.resolve({ ok: true, value: { exists: false } });
    api.savePolicy = (request) => {
      saved.push(request.yaml);
      return Promise.resolve({ ok: true, value: { path: '/x.yaml', replaced: false, bytes: 1 } });
    };
  }
  Object.assign(api, methods);
  return { api, emit: (e: ApiEvent) => listener?.(e) };
}

/** Lets React and the in-process analysis run for `ms`. */
export async function settle(ms = 40): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
}

/** Waits (on a busy machine, as long as it takes up to a bound) until `check` holds. */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (check()) return;
    await settle(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The host says `snapshot` is loaded: its source is ready, then the snapshot itself arrives. */
export async function emitSnapshot(emit: FakeApi['emit'], snapshot: Snapshot): Promise<void> {
  await act(async () => {
    emit({
      type: 'source',
      status: { state: 'ready', source: snapshot.source, revision: 1, loadedAt: '2025-01-01T00:00:00Z' },
    });
    emit({ type: 'snapshot', revision: 1, snapshot });
    await new Promise((r) => setTimeout(r, 20));
  });
}

/** The app mounted on a fake API that has just loaded `snapshot`. */
export async function mountSnapshot(snapshot: Snapshot) {
  const { api, emit } = fakeApi();
  const stores = mountApp(api);
  await emitSnapshot(emit, snapshot);
  await settle();
  return stores;
}

export interface EditorMountOptions {
  /** How the analysis client reaches its engine; in process unless given. */
  readonly transport?: AnalysisTransport;
  /** Rendered before the panel inside the same stores (a policy's editor buttons, say). */
  readonly before?: ReactNode;
}

/** The editor panel, open on its chooser, on real stores bound to `fake`, which then serves `snapshot`. */
export function mountEditorPanel(fake: FakeApi, snapshot: Snapshot, options: EditorMountOptions = {}) {
  const { api, emit } = fake;
  const source = createSourceStore();
  const view = createViewStore();
  const analysis = createAnalysisStore();
  const controller = bindApi(api, source);
  const client = createAnalysisClient(options.transport ?? createInProcessTransport());
  bindAnalysis({ client, source, view, analysis });
  const editor = createEditorStore({ open: true, chooser: true });
  const whatIf = bindWhatIf({ client, source, editor, delayMs: 0 });
  render(
    <StoresProvider stores={{ source, view, analysis, controller, editor: { store: editor, api } }}>
      {options.before}
      <EditorPanel />
    </StoresProvider>,
  );
  act(() => {
    emit({ type: 'snapshot', revision: 1, snapshot });
  });
  return { source, view, analysis, controller, editor, whatIf };
}

/** The what-if is computed asynchronously: wait for it, however busy the machine. */
export async function whatIfReady(): Promise<void> {
  await waitFor(() => expect(screen.getByTestId('whatif').getAttribute('data-status')).toBe('ready'), {
    timeout: 15_000,
  });
}

/** The flows fixtures: a cluster and flow logs of it (test/fixtures/flows). */
export const FLOWS_DIR = join(process.cwd(), 'test/fixtures/flows');

/** A file as the browser hands it over, read slice by slice. */
export function flowFileOf(name: string, text: string): FlowFile {
  const bytes = new TextEncoder().encode(text);
  return {
    name,
    size: bytes.length,
    slice: (start, end) => ({ arrayBuffer: () => Promise.resolve(bytes.slice(start, end).buffer) }),
  };
}

/**
 * The app with flows and an editor on the flows fixture's cluster, its analysis ready; with `imported`
 * (a file of FLOWS_DIR), that file imported and the Flows panel shown.
 */
export async function mountWithFlows(imported?: string) {
  const source = createSourceStore();
  const view = createViewStore();
  const analysis = createAnalysisStore();
  const client = createAnalysisClient(createInProcessTransport());
  bindAnalysis({ client, source, view, analysis });
  const editor = createEditorStore();
  const flows = bindFlows({ client, source, analysis, editor });
  const controller = {
    openSource: () => Promise.resolve(),
    reload: () => Promise.resolve(),
    listContexts: () => Promise.resolve(),
    dispose: () => undefined,
  };
  render(
    <StoresProvider stores={{ source, view, analysis, controller, editor: { store: editor }, flows }}>
      <App graph={{ headless: true, layout: gridLayout }} />
    </StoresProvider>,
  );
  const cluster = await loadManifests([join(FLOWS_DIR, 'cluster.yaml')]);
  act(() => {
    source.getState().applyEvent({
      type: 'source',
      status: { state: 'ready', source: cluster.source, revision: 1, loadedAt: '2026-12-02T09:00:00Z' },
    });
    source.getState().applyEvent({ type: 'snapshot', revision: 1, snapshot: cluster });
  });
  await waitFor(() => expect(analysis.getState().status).toBe('ready'));
  if (imported !== undefined) {
    const file = flowFileOf(imported, readFileSync(join(FLOWS_DIR, imported), 'utf8'));
    await act(() => flows.importFiles([file]));
    await screen.findByTestId('flows-panel');
  }
  return { source, view, analysis, editor, flows, cluster };
}
