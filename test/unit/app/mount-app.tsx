/**
 * The whole UI mounted with its real stores on the given API, the analysis in process and the graph
 * headless (happy-dom has no canvas): what the renderer's entry point wires up, minus the window.
 */
import { render } from '@testing-library/react';
import type { NetglassApi } from '../../../shared/api/api.ts';
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
