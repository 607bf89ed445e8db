// @vitest-environment happy-dom
/**
 * The whole UI mounted under happy-dom with its real stores and a fake API. Cytoscape runs headless
 * (happy-dom has no canvas); the graph's node counts come from the cytoscape instance itself.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { emitSnapshot, fakeApi, mountApp, settle } from './mount-app.tsx';
import { compactCount } from '../../../renderer/src/components/SidePanel.tsx';

// Under happy-dom import.meta.url is not a file: URL; vitest runs from the repository root.
const DEMO = join(process.cwd(), 'shared/demo/demo-cluster.yaml');

function mount() {
  const { api, emit } = fakeApi();
  const { view, analysis } = mountApp(api);
  return { emit, view, analysis };
}

afterEach(() => cleanup());

describe('App', () => {
  it('shows a connecting state before any snapshot', () => {
    mount();
    expect(screen.getByText('Connecting…')).toBeTruthy();
  });

  it('shows how much of a big snapshot has arrived while its parts come in', async () => {
    const { emit } = mount();
    act(() => {
      emit({ type: 'loadProgress', revision: 1, received: 4000, total: 10000 });
    });
    const progress = screen.getByTestId('load-progress');
    expect(progress.textContent).toContain('Receiving the cluster: 4,000 of 10,000 pods');
    expect(progress.querySelector('progress')?.getAttribute('value')).toBe('4000');
    const snapshot = { ...(await loadManifests([DEMO])), source: { kind: 'demo' as const } };
    await emitSnapshot(emit, snapshot);
    expect(screen.queryByTestId('load-progress')).toBeNull();
  });

  it('lists the demo in the side panel and the graph holds the same nodes', async () => {
    const { emit } = mount();
    const snapshot = { ...(await loadManifests([DEMO])), source: { kind: 'demo' as const } };
    await emitSnapshot(emit, snapshot);

    expect(screen.getByTestId('source').getAttribute('data-kind')).toBe('demo');
    expect(screen.getByTestId('count-namespaces').textContent).toBe('6');
    expect(screen.getByTestId('count-pods').textContent).toBe('27');
    expect(screen.getByTestId('count-policies').textContent).toBe('8');
    expect(screen.getAllByTestId('namespace-row').map((r) => r.getAttribute('data-name'))).toEqual([
      'analytics',
      'billing',
      'identity',
      'monitoring',
      'shop',
      'kube-system',
    ]);
    const stats = screen.getByTestId('graph-stats');
    expect(stats.getAttribute('data-layout')).toBe('done');
    expect(stats.getAttribute('data-namespaces')).toBe('6');
    expect(stats.getAttribute('data-pods')).toBe('27');
    expect(screen.getByTestId('issues').getAttribute('data-count')).toBe('1');
  });

  it('filters, switches tabs and shows the selection in the inspector', async () => {
    const { emit, view } = mount();
    await emitSnapshot(emit, { ...(await loadManifests([DEMO])), source: { kind: 'demo' } });
    fireEvent.click(screen.getByTestId('tab-pods'));
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'users-db' } });
    const rows = screen.getAllByTestId('pod-row');
    expect(rows.map((r) => r.getAttribute('data-key'))).toEqual([
      'identity/users-db-0',
      'identity/users-db-1',
    ]);
    fireEvent.click(rows[0] as HTMLElement);
    expect(view.getState().selection).toEqual({ kind: 'pod', key: 'identity/users-db-0' });
    const inspector = screen.getByTestId('inspector');
    expect(within(inspector).getByText('users-db-0')).toBeTruthy();
    expect(inspector.textContent).toContain('mysql 3306/TCP');
    fireEvent.click(within(inspector).getByLabelText('Clear selection'));
    expect(view.getState().selection).toBeUndefined();
  });

  it('shows load issues with file:line', async () => {
    const { emit } = mount();
    const snapshot: Snapshot = {
      source: { kind: 'manifests', paths: ['/repo/deploy'] },
      namespaces: [{ name: 'shop', labels: {}, declared: true }],
      pods: [],
      policies: [],
      issues: [
        {
          severity: 'error',
          message: 'endPort must not be below port',
          location: { file: '/repo/deploy/net.yaml', line: 12, column: 9 },
          field: 'spec.ingress[0].ports[0].endPort',
          object: 'NetworkPolicy shop/web',
        },
        {
          severity: 'warning',
          message: 'Unknown field',
          location: { file: '/repo/deploy/net.yaml', line: 30, column: 3 },
        },
      ],
      clusterPolicies: [],
      skippedKinds: { Service: 2 },
    };
    await emitSnapshot(emit, snapshot);
    const button = screen.getByTestId('issues');
    expect(button.textContent).toContain('2 issues');
    fireEvent.click(button);
    const list = screen.getByTestId('issues-list');
    expect(list.textContent).toContain('net.yaml:12');
    expect(list.textContent).toContain('net.yaml:30');
    expect(list.textContent).toContain('NetworkPolicy shop/web');
    // Where first, on one line with the full path and object in its tooltip; the message below it,
    // the field last.
    const where = screen.getAllByTestId('issue-where');
    expect(where.map((w) => w.textContent)).toEqual(['net.yaml:12NetworkPolicy shop/web', 'net.yaml:30']);
    expect(where[0]?.getAttribute('title')).toBe('/repo/deploy/net.yaml:12 · NetworkPolicy shop/web');
    const first = where[0]?.parentElement;
    expect([...(first?.children ?? [])].map((c) => c.className)).toEqual([
      'issue-where',
      'issue-message',
      'mono issue-field',
    ]);
    expect(first?.querySelector('.issue-field')?.getAttribute('title')).toBe(
      'spec.ingress[0].ports[0].endPort',
    );
    expect(screen.getByTestId('source').textContent).toContain('/repo/deploy');
    expect(screen.getByTestId('skipped-kinds').textContent).toContain('2 Service');
  });

  it('explains a failed source and offers the demo', () => {
    const { emit } = mount();
    act(() => {
      emit({
        type: 'source',
        status: {
          state: 'failed',
          request: { kind: 'manifests', paths: ['/x'] },
          error: { code: 'not-found', message: 'No such file or directory: /x', path: '/x' },
        },
      });
    });
    expect(screen.getByTestId('source-error').textContent).toContain('No such file or directory: /x');
    expect(screen.getByText('Open the demo cluster')).toBeTruthy();
  });

  it('selecting a policy shows its effect, the pods it selects, its rules and YAML, and draws its edges', async () => {
    const { emit, view, analysis } = mount();
    await emitSnapshot(emit, { ...(await loadManifests([DEMO])), source: { kind: 'demo' } });
    await settle(30);
    expect(analysis.getState().status).toBe('ready');
    fireEvent.click(screen.getByTestId('tab-policies'));
    fireEvent.click(
      screen
        .getAllByTestId('policy-row')
        .find((r) => r.getAttribute('data-key') === 'identity/microsvc-users-api-allow') as HTMLElement,
    );
    await settle(30);
    expect(view.getState().selection).toEqual({ kind: 'policy', key: 'identity/microsvc-users-api-allow' });
    const panel = screen.getByTestId('inspector');
    expect(within(panel).getByTestId('effect-permittedFlowing').textContent).toBe('24');
    expect(within(panel).getByTestId('effect-denied').textContent).toBe('501');
    expect(within(panel).getByTestId('policy-yaml').textContent).toContain(
      'service.corp/users-api-role: api',
    );
    expect(within(panel).getAllByTestId('pod-link')).toHaveLength(3);
    expect(within(panel).getAllByTestId('rule')[0]?.getAttribute('data-matches-nothing')).toBe('false');
    const stats = screen.getByTestId('graph-stats');
    expect(Number(stats.getAttribute('data-edges'))).toBeGreaterThan(0);
    expect(Number(stats.getAttribute('data-flowing'))).toBeGreaterThan(0);
    expect(Number(stats.getAttribute('data-denied'))).toBeGreaterThan(0);

    // Escape clears the selection.
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(view.getState().selection).toBeUndefined();
  });

  it('answers a reach query with both sides explained', async () => {
    const { emit, view } = mount();
    await emitSnapshot(emit, { ...(await loadManifests([DEMO])), source: { kind: 'demo' } });
    await settle(30);
    act(() => {
      view.getState().openReach();
      view.getState().pickEndpoint({ kind: 'pod', key: 'shop/checkout-cjbhgdflmb-dxmvt' });
      view.getState().pickEndpoint({ kind: 'pod', key: 'billing/payments-rdhsjbrgkt-ztx8s' });
      view.getState().setReach({ port: '8443' });
    });
    await settle(30);
    const verdict = screen.getByTestId('reach-verdict');
    expect(verdict.getAttribute('data-verdict')).toBe('allowed');
    expect(screen.getByTestId('side-egress').getAttribute('data-kind')).toBe('not-isolated');
    expect(screen.getByTestId('side-ingress').getAttribute('data-kind')).toBe('allowed');
    expect(screen.getByTestId('side-ingress').textContent).toContain(
      'billing/payments-allow-checkout ingress[0] (from[0], ports[0])',
    );
    expect(screen.getByTestId('graph-stats').getAttribute('data-path')).toBe('path-allowed');
  });

  it('opens search with Ctrl+K and selects what is chosen', async () => {
    const { emit, view } = mount();
    await emitSnapshot(emit, { ...(await loadManifests([DEMO])), source: { kind: 'demo' } });
    fireEvent.keyDown(document, { key: 'k', ctrlKey: true });
    const input = screen.getByTestId('palette-input');
    fireEvent.change(input, { target: { value: 'deny-restricted' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(view.getState().selection).toEqual({ kind: 'policy', key: 'billing/deny-restricted-egress' });
    expect(screen.queryByTestId('palette')).toBeNull();
  });
});

describe('side panel tab counts', () => {
  it('stay exact below 1,000 and shorten above, the exact number kept in data-count and the title', () => {
    expect([0, 27, 999, 1000, 2400, 2499, 9999, 10_000, 10_999, 50_000].map(compactCount)).toEqual([
      '0',
      '27',
      '999',
      '1k',
      '2.4k',
      '2.4k',
      '9.9k',
      '10k',
      '10k',
      '50k',
    ]);
  });
});
