// @vitest-environment happy-dom
/**
 * The live-cluster UI with the real stores and a fake API: the source picker (contexts with their
 * files and flags, keyboard, switching), the connection pill and its details, the banner above the
 * graph (reconnecting, error, forbidden lists with the namespaces form) and a failed open.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  ApiEvent,
  Capability,
  ContextList,
  LiveConnection,
  SourceRequest,
} from '../../../shared/api/api.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { fakeApi, mountApp } from './mount-app.tsx';
import { clockTime, parseNamespaces } from '../../../renderer/src/store/cluster-model.ts';

const DEMO = join(process.cwd(), 'shared/demo/demo-cluster.yaml');

const CONTEXTS: ContextList = {
  files: ['/home/ada/.kube/config', '/home/ada/.kube/lab.yaml', '/home/ada/.kube/gone.yaml'],
  problems: ['/home/ada/.kube/gone.yaml: no such file'],
  contexts: [
    {
      name: 'prod',
      cluster: 'prod',
      server: 'https://prod.example.com:6443',
      current: true,
      file: '/home/ada/.kube/config',
      auth: 'exec',
      insecureSkipTlsVerify: false,
      execInstallHint: 'Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin',
      rememberedNamespaces: [],
    },
    {
      name: 'lab',
      cluster: 'lab',
      server: 'https://10.0.0.5:6443',
      namespace: 'shop',
      current: false,
      file: '/home/ada/.kube/lab.yaml',
      auth: 'token',
      insecureSkipTlsVerify: true,
      rememberedNamespaces: ['shop', 'billing'],
    },
  ],
};

let demo: Snapshot;
beforeAll(async () => {
  demo = { ...(await loadManifests([DEMO])), source: { kind: 'demo' } };
});

function mount(capabilities: readonly Capability[] = ['demo', 'manifests', 'clusters']) {
  const openSource = vi.fn((_request: SourceRequest) =>
    Promise.resolve({ ok: true as const, value: { state: 'idle' as const } }),
  );
  const reload = vi.fn(() => Promise.resolve({ ok: true as const, value: { state: 'idle' as const } }));
  const listContexts = vi.fn(() => Promise.resolve({ ok: true as const, value: CONTEXTS }));
  const fake = fakeApi({ capabilities, methods: { openSource, reload, listContexts } });
  const { view } = mountApp(fake.api);
  const emit = async (...events: ApiEvent[]) => {
    await act(async () => {
      for (const e of events) fake.emit(e);
      await new Promise((r) => setTimeout(r, 10));
    });
  };
  return { emit, openSource, reload, listContexts, view };
}

async function showDemo(emit: (...e: ApiEvent[]) => Promise<void>) {
  await emit(
    {
      type: 'source',
      status: { state: 'ready', source: demo.source, revision: 1, loadedAt: '2025-01-01T00:00:00Z' },
    },
    { type: 'snapshot', revision: 1, snapshot: demo },
  );
}

async function showCluster(
  emit: (...e: ApiEvent[]) => Promise<void>,
  connection: LiveConnection,
  context = 'lab',
) {
  const source = { kind: 'cluster' as const, context, server: 'https://10.0.0.5:6443' };
  await emit(
    {
      type: 'source',
      status: { state: 'ready', source, revision: 2, loadedAt: '2025-01-01T00:00:00Z', connection },
    },
    { type: 'snapshot', revision: 2, snapshot: { ...demo, source } },
  );
}

/** 14:02:11 local time, whatever the test machine's zone. */
const SINCE = new Date(2025, 0, 1, 14, 2, 11).toISOString();

afterEach(() => cleanup());

describe('source picker', () => {
  it('lists the demo and every context with its file, server, auth and flags; problems plainly', async () => {
    const { emit, listContexts } = mount();
    await showDemo(emit);
    const trigger = screen.getByTestId('source');
    expect(trigger.getAttribute('data-kind')).toBe('demo');
    expect(trigger.getAttribute('aria-haspopup')).toBe('listbox');
    fireEvent.click(trigger);
    await act(async () => {});
    expect(listContexts).toHaveBeenCalled();

    const list = screen.getByRole('listbox', { name: 'Sources' });
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.getAttribute('data-kind'))).toEqual(['demo', 'cluster', 'cluster']);
    expect(options[0]?.getAttribute('aria-selected')).toBe('true');
    expect(options[0]?.textContent).toContain('Demo cluster');

    const groups = screen.getAllByTestId('context-group');
    expect(groups.map((g) => g.getAttribute('data-file'))).toEqual([
      '/home/ada/.kube/config',
      '/home/ada/.kube/lab.yaml',
    ]);
    const prod = options[1] as HTMLElement;
    expect(prod.getAttribute('data-context')).toBe('prod');
    expect(prod.textContent).toContain('https://prod.example.com:6443');
    expect(prod.textContent).toContain('exec plugin');
    expect(prod.textContent).toContain('current');
    expect(prod.textContent).toContain('from config');
    expect(within(prod).queryByTestId('tls-off')).toBeNull();
    const lab = options[2] as HTMLElement;
    expect(lab.getAttribute('data-file')).toBe('/home/ada/.kube/lab.yaml');
    expect(lab.textContent).toContain('token');
    expect(lab.textContent).not.toContain('current');
    expect(within(lab).getByTestId('tls-off').textContent).toBe('⚠ TLS verification off');
    expect(screen.getByTestId('kubeconfig-problems').textContent).toContain(
      '/home/ada/.kube/gone.yaml: no such file',
    );
  });

  it('is keyboard accessible: arrows move, Enter opens the context, Escape closes', async () => {
    const { emit, openSource, view } = mount();
    await showDemo(emit);
    view.getState().select({ kind: 'namespace', name: 'shop' });
    const trigger = screen.getByTestId('source');

    fireEvent.keyDown(trigger, { key: 'ArrowDown' });
    await act(async () => {});
    const list = screen.getByRole('listbox');
    expect(document.activeElement).toBe(list);
    fireEvent.keyDown(list, { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(document.activeElement).toBe(trigger);
    // Escape closed the list only; the app-wide Escape (clear the selection) did not fire too.
    expect(view.getState().selection).toEqual({ kind: 'namespace', name: 'shop' });

    fireEvent.keyDown(trigger, { key: 'ArrowDown' });
    await act(async () => {});
    const again = screen.getByRole('listbox');
    fireEvent.keyDown(again, { key: 'ArrowDown' });
    fireEvent.keyDown(again, { key: 'ArrowDown' });
    const active = again.getAttribute('aria-activedescendant') ?? '';
    expect(document.getElementById(active)?.getAttribute('data-context')).toBe('lab');
    fireEvent.keyDown(again, { key: 'ArrowUp' });
    expect(
      document
        .getElementById(again.getAttribute('aria-activedescendant') ?? '')
        ?.getAttribute('data-context'),
    ).toBe('prod');
    fireEvent.keyDown(again, { key: 'Enter' });
    expect(openSource).toHaveBeenCalledWith({ kind: 'cluster', context: 'prod' });
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('a click opens a context; a contexts event refreshes the list', async () => {
    const { emit, openSource } = mount();
    await showDemo(emit);
    fireEvent.click(screen.getByTestId('source'));
    await act(async () => {});
    await emit({
      type: 'contexts',
      contexts: { ...CONTEXTS, contexts: CONTEXTS.contexts.filter((c) => c.name === 'lab'), problems: [] },
    });
    const options = screen.getAllByTestId('source-option');
    expect(options.map((o) => o.getAttribute('data-context'))).toEqual([null, 'lab']);
    expect(screen.queryByTestId('kubeconfig-problems')).toBeNull();
    fireEvent.click(options[1] as HTMLElement);
    expect(openSource).toHaveBeenCalledWith({ kind: 'cluster', context: 'lab' });
  });

  it('offers no contexts without the clusters capability', async () => {
    const { emit, listContexts } = mount(['demo', 'manifests']);
    await showDemo(emit);
    fireEvent.click(screen.getByTestId('source'));
    await act(async () => {});
    expect(listContexts).not.toHaveBeenCalled();
    expect(within(screen.getByRole('listbox')).getAllByRole('option')).toHaveLength(1);
    expect(screen.queryByTestId('context-group')).toBeNull();
  });

  it('shows the cluster context and server with the connection state', async () => {
    const { emit } = mount();
    await emit({
      type: 'source',
      status: { state: 'loading', request: { kind: 'cluster', context: 'lab' } },
    });
    expect(screen.getByTestId('source').getAttribute('data-kind')).toBe('cluster');
    expect(screen.getByTestId('source').textContent).toContain('lab');
    expect(screen.getByTestId('connection-pill').textContent).toBe('Connecting…');
    await showCluster(emit, { state: 'live', forbidden: [] });
    expect(screen.getByTestId('source-server').textContent).toBe('10.0.0.5:6443');
    const pill = screen.getByTestId('connection-pill');
    expect(pill.textContent).toBe('Live');
    expect(pill.getAttribute('data-state')).toBe('live');
    expect(screen.queryByTestId('connection-banner')).toBeNull();
  });
});

describe('connection banner', () => {
  it('reconnecting: since HH:MM:SS and why, with the last snapshot kept', async () => {
    const { emit } = mount();
    await showCluster(emit, {
      state: 'reconnecting',
      since: SINCE,
      reason: 'connect ECONNREFUSED 10.0.0.5:6443',
      forbidden: [],
    });
    expect(clockTime(SINCE)).toBe('14:02:11');
    expect(screen.getByTestId('connection-pill').textContent).toBe('Reconnecting since 14:02:11');
    const banner = screen.getByTestId('banner-reconnecting');
    expect(banner.textContent).toContain('Reconnecting to lab since 14:02:11');
    expect(banner.textContent).toContain('connect ECONNREFUSED 10.0.0.5:6443');
    expect(screen.getByTestId('count-pods').textContent).toBe('27');

    fireEvent.click(screen.getByTestId('connection-pill'));
    await act(async () => {});
    const details = screen.getByRole('dialog', { name: 'Connection details' });
    expect(details.textContent).toContain('14:02:11');
    expect(within(details).getByTestId('connection-file').textContent).toBe('/home/ada/.kube/lab.yaml');
  });

  it('stale: the watches are up but the server is not ready; the last snapshot stays, marked', async () => {
    const { emit } = mount();
    await showCluster(emit, {
      state: 'stale',
      since: SINCE,
      reason: 'the API server is not ready (HTTP 500: etcd failed)',
      forbidden: [],
    });
    expect(screen.getByTestId('connection-pill').textContent).toBe('Stale since 14:02:11');
    const banner = screen.getByTestId('banner-stale');
    expect(banner.textContent).toContain('lab may be out of date since 14:02:11');
    expect(banner.textContent).toContain('etcd failed');
    expect(screen.getByTestId('count-pods').textContent).toBe('27');
  });

  it('error: the reason, expandable details with the install hint, and retry', async () => {
    const { emit, reload } = mount();
    await showCluster(
      emit,
      {
        state: 'error',
        reason: 'credential plugin failed',
        detail:
          'spawn gke-gcloud-auth-plugin ENOENT\nThe credential plugin "gke-gcloud-auth-plugin" could not be run. Install it with gcloud.',
      },
      'prod',
    );
    expect(screen.getByTestId('connection-pill').textContent).toBe('Error');
    const banner = screen.getByTestId('banner-error');
    expect(banner.textContent).toContain('credential plugin failed');
    expect(within(banner).getByTestId('install-hint').textContent).toContain('Install it with gcloud.');
    expect(within(banner).queryByTestId('error-detail')).toBeNull();
    fireEvent.click(within(banner).getByRole('button', { name: 'Details' }));
    expect(within(banner).getByTestId('error-detail').textContent).toBe(
      'spawn gke-gcloud-auth-plugin ENOENT',
    );
    fireEvent.click(within(banner).getByRole('button', { name: 'Retry' }));
    expect(reload).toHaveBeenCalledTimes(1);

    fireEvent.click(screen.getByTestId('connection-pill'));
    await act(async () => {});
    const details = screen.getByTestId('connection-details');
    expect(within(details).getByTestId('connection-reason').textContent).toBe('credential plugin failed');
    expect(within(details).getByTestId('connection-detail').textContent).toContain('ENOENT');
    expect(within(details).getByTestId('connection-file').textContent).toBe('/home/ada/.kube/config');
  });

  it('forbidden: says which list, prefills the remembered namespaces, validates and watches them', async () => {
    const { emit, openSource, listContexts } = mount();
    await showCluster(emit, {
      state: 'live',
      forbidden: [
        { resource: 'networkpolicies', reason: 'networkpolicies is forbidden: User "ada" cannot list' },
      ],
    });
    expect(screen.getByTestId('connection-pill').textContent).toBe('Live · partial access');
    const banner = screen.getByTestId('banner-forbidden');
    expect(banner.textContent).toContain(
      'Your user may not list NetworkPolicies cluster-wide: connections that depend on them show as unknown.',
    );
    // The cluster source asked for the contexts, whose remembered namespaces fill the input.
    expect(listContexts).toHaveBeenCalled();
    const input = within(banner).getByLabelText<HTMLInputElement>('Namespaces you can read');
    expect(input.value).toBe('shop, billing');

    fireEvent.change(input, { target: { value: 'shop, Not_A_Name' } });
    fireEvent.click(within(banner).getByRole('button', { name: 'Watch these namespaces' }));
    expect(screen.getByTestId('namespaces-problem').textContent).toContain('"Not_A_Name"');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(openSource).not.toHaveBeenCalled();

    fireEvent.change(input, { target: { value: 'shop billing,  identity shop' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    expect(openSource).toHaveBeenCalledWith({
      kind: 'cluster',
      context: 'lab',
      namespaces: ['shop', 'billing', 'identity'],
    });

    fireEvent.click(within(banner).getByRole('button', { name: 'Hide' }));
    expect(screen.queryByTestId('banner-forbidden')).toBeNull();
    fireEvent.click(screen.getByTestId('banner-forbidden-collapsed'));
    expect(screen.getByTestId('banner-forbidden')).toBeTruthy();
  });

  it('a failed open shows the message, the detail and the install hint, never a blank screen', async () => {
    const { emit, reload, openSource } = mount();
    await emit({
      type: 'source',
      status: {
        state: 'failed',
        request: { kind: 'cluster', context: 'prod' },
        error: {
          code: 'cluster',
          message: 'Cannot read cluster "prod": credential plugin failed',
          context: 'prod',
          detail:
            'spawn gke-gcloud-auth-plugin ENOENT\nThe credential plugin "gke-gcloud-auth-plugin" could not be run. Install gke-gcloud-auth-plugin.',
        },
      },
    });
    const card = screen.getByTestId('source-error');
    expect(card.textContent).toContain('Could not connect to prod');
    expect(card.textContent).toContain('Cannot read cluster "prod": credential plugin failed');
    expect(within(card).getByTestId('failure-detail').textContent).toBe(
      'spawn gke-gcloud-auth-plugin ENOENT',
    );
    expect(within(card).getByTestId('install-hint').textContent).toContain('Install gke-gcloud-auth-plugin.');
    expect(screen.getByTestId('connection-pill').textContent).toBe('Failed');
    fireEvent.click(within(card).getByRole('button', { name: 'Retry' }));
    expect(reload).toHaveBeenCalled();
    fireEvent.click(within(card).getByRole('button', { name: 'Open the demo cluster' }));
    expect(openSource).toHaveBeenCalledWith({ kind: 'demo' });
  });

  it('a kubeconfig failure names the file', async () => {
    const { emit } = mount();
    await emit({
      type: 'source',
      status: {
        state: 'failed',
        request: { kind: 'cluster', context: 'nope' },
        error: {
          code: 'kubeconfig',
          message: 'No context "nope" in the kubeconfig.',
          file: '/home/ada/.kube/config',
        },
      },
    });
    const card = screen.getByTestId('source-error');
    expect(card.textContent).toContain('No context "nope" in the kubeconfig.');
    expect(card.textContent).toContain('/home/ada/.kube/config');
  });
});

describe('parseNamespaces', () => {
  it('accepts DNS labels separated by commas or spaces and refuses the rest', () => {
    expect(parseNamespaces(' a-1,b  c ')).toEqual({ ok: true, namespaces: ['a-1', 'b', 'c'] });
    expect(parseNamespaces(' , ').ok).toBe(false);
    expect(parseNamespaces('-a').ok).toBe(false);
    expect(parseNamespaces('x'.repeat(64)).ok).toBe(false);
    expect(parseNamespaces('x'.repeat(63)).ok).toBe(true);
  });
});
