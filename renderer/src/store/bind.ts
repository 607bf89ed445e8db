/** Connects an API to the source store: events flow in, requests record their failures. */
import type { NetglassApi, SourceRequest } from '../../../shared/api/api.ts';
import type { SourceStore } from './source-store.ts';

export interface Controller {
  readonly openSource: (request: SourceRequest) => Promise<void>;
  readonly reload: () => Promise<void>;
  /** Reads the kubeconfig's contexts into the store (the source picker asks when it opens). */
  readonly listContexts: () => Promise<void>;
  readonly dispose: () => void;
}

export function bindApi(api: NetglassApi, store: SourceStore): Controller {
  const state = () => store.getState();
  const unsubscribe = api.subscribe((event) => state().applyEvent(event));
  void api.getInfo().then((result) => {
    if (result.ok) state().setInfo(result.value);
  });
  async function run(request: () => ReturnType<NetglassApi['reload']>): Promise<void> {
    const result = await request();
    state().setRequestError(result.ok ? undefined : result.error);
  }
  return {
    openSource: (request) => run(() => api.openSource(request)),
    reload: () => run(() => api.reload()),
    listContexts: async () => {
      const result = await api.listContexts();
      if (result.ok) state().setContexts(result.value);
      else state().setContexts({ contexts: [], files: [], problems: [result.error.message] });
    },
    dispose: unsubscribe,
  };
}
