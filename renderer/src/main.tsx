/** Renderer entry: choose the API (Electron preload or WebSocket), create the stores, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseApi } from './api/connect.ts';
import { App } from './components/App.tsx';
import { bindApi, type Controller } from './store/bind.ts';
import { StoresProvider, type AppStores } from './store/context.tsx';
import { createSourceStore } from './store/source-store.ts';
import { createViewStore } from './store/view-store.ts';
import './styles/tokens.css';
import './styles/app.css';

const source = createSourceStore();
const view = createViewStore();
const choice = chooseApi();
let controller: Controller;
if (choice.ok) {
  controller = bindApi(choice.api, source);
} else {
  source.getState().setUnavailable(choice.reason);
  controller = { openSource: async () => {}, reload: async () => {}, dispose: () => {} };
}
const stores: AppStores = { source, view, controller };

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
