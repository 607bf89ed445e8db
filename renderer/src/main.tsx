/** Renderer entry: choose the API (Electron preload or WebSocket), create the stores, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAnalysisClient, createWorkerTransport } from './analysis/client.ts';
import { chooseApi } from './api/connect.ts';
import { App } from './components/App.tsx';
import { createEditorStore } from './editor/store.ts';
import { bindWhatIf } from './editor/whatif-binding.ts';
import { bindAnalysis, createAnalysisStore } from './store/analysis-store.ts';
import { bindFlows } from './store/flows-store.ts';
import { bindApi, type Controller } from './store/bind.ts';
import { StoresProvider, type AppStores } from './store/context.tsx';
import { createSourceStore } from './store/source-store.ts';
import { bindPrefs, bindTheme, loadLegendOpen, loadTheme } from './store/prefs.ts';
import { createViewStore } from './store/view-store.ts';
import './styles/tokens.css';
import './styles/app.css';
import './styles/editor.css';
import './styles/cluster.css';
import './styles/tiers.css';
import './export/open-export.css';
import './flows/flows.css';

const source = createSourceStore();
const view = createViewStore({ theme: loadTheme(), legendOpen: loadLegendOpen() });
const analysis = createAnalysisStore();
bindTheme(view);
bindPrefs(view, source);
const analysisClient = createAnalysisClient(createWorkerTransport());
bindAnalysis({ client: analysisClient, source, view, analysis });
const editorStore = createEditorStore();
bindWhatIf({ client: analysisClient, source, editor: editorStore });
const flows = bindFlows({ client: analysisClient, source, analysis, editor: editorStore });
const choice = chooseApi();
let controller: Controller;
if (choice.ok) {
  controller = bindApi(choice.api, source);
} else {
  source.getState().setUnavailable(choice.reason);
  controller = {
    openSource: async () => {},
    reload: async () => {},
    listContexts: async () => {},
    dispose: () => {},
  };
}
const stores: AppStores = {
  source,
  view,
  analysis,
  controller,
  editor: { store: editorStore, ...(choice.ok ? { api: choice.api } : {}) },
  flows,
};

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <App />
      </StoresProvider>
    </StrictMode>,
  );
}
