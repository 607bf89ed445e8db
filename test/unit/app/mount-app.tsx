/**
 * The whole UI mounted with its real stores on the given API, the analysis in process and the graph
 * headless (happy-dom has no canvas): what the renderer's entry point wires up, minus the window.
 */
import { act, render } from '@testing-library/react';
import type { ApiEvent, NetglassApi } from '../../../shared/api/api.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { createAnalysisClient, createInProcessTransport } from '../../../renderer/src/analysis/client.ts';
import { App } from '../../../renderer/src/components/App.tsx';
import { gridLayout } from '../../../renderer/src/graph/layout.ts';
import { bindAnalysis, createAnalysisStore } from '../../../renderer/src/store/analysis-store.ts';
import { bindApi } from '../../../renderer/src/store/bind.ts';
import { StoresProvider } from '../../../renderer/src/store/context.tsx';
import { createSourceStore } from '../../../renderer/src/store/source-store.ts';
import { createViewStore } from '../../../renderer/src/store/view-store.ts';

export function mountApp(api: NetglassApi) {
  const source = createSourceStore();
  const view = createViewStore();
  const analysis = createAnalysisStore();
  const controller = bindApi(api, source);
  bindAnalysis({ client: createAnalysisClient(createInProcessTransport()), source, view, analysis });
  render(
    <StoresProvider stores={{ source, view, analysis, controller }}>
      <App graph={{ headless: true, layout: gridLayout }} />
    </StoresProvider>,
  );
  return { source, view, analysis, controller };
}

/** An API that serves nothing itself: the test emits the source and snapshot events. */
export function fakeApi(): { api: NetglassApi; emit: (e: ApiEvent) => void } {
  let listener: ((e: ApiEvent) => void) | undefined;
  const api: NetglassApi = {
    getInfo: () =>
      Promise.resolve({
        ok: true,
        value: { name: 'netglass', version: '0', apiVersion: 1, capabilities: ['demo'] },
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

/** The app mounted on a fake API that has just loaded `snapshot`. */
export async function mountSnapshot(snapshot: Snapshot) {
  const { api, emit } = fakeApi();
  const stores = mountApp(api);
  await act(async () => {
    emit({
      type: 'source',
      status: { state: 'ready', source: snapshot.source, revision: 1, loadedAt: '2025-01-01T00:00:00Z' },
    });
    emit({ type: 'snapshot', revision: 1, snapshot });
    await new Promise((r) => setTimeout(r, 20));
  });
  await settle();
  return stores;
}
