/**
 * The stores and the controller for one app instance, handed down by context so tests can mount the
 * UI with their own. Hooks read slices with selectors (zustand's `useStore`).
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { EditorHandle } from '../editor/store.ts';
import type { FlowsHandle } from './flows-store.ts';
import type { AnalysisState, AnalysisStore } from './analysis-store.ts';
import type { Controller } from './bind.ts';
import type { SourceActions, SourceState, SourceStore } from './source-store.ts';
import type { ViewActions, ViewState, ViewStore } from './view-store.ts';

export interface AppStores {
  readonly source: SourceStore;
  readonly view: ViewStore;
  readonly analysis: AnalysisStore;
  readonly controller: Controller;
  /** The policy editor (absent in tests that mount the app without it). */
  readonly editor?: EditorHandle;
  /** Imported flow logs (absent in tests that mount the app without them). */
  readonly flows?: FlowsHandle;
}

const StoresContext = createContext<AppStores | null>(null);

export function StoresProvider({ stores, children }: { stores: AppStores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): AppStores {
  const stores = useContext(StoresContext);
  if (stores === null) throw new Error('useStores outside StoresProvider');
  return stores;
}

export function useSource<T>(selector: (state: SourceState & SourceActions) => T): T {
  return useStore(useStores().source, selector);
}

export function useView<T>(selector: (state: ViewState & ViewActions) => T): T {
  return useStore(useStores().view, selector);
}

export function useController(): Controller {
  return useStores().controller;
}

export function useAnalysis<T>(selector: (state: AnalysisState) => T): T {
  return useStore(useStores().analysis, selector);
}
