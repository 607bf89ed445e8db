// @vitest-environment happy-dom
/**
 * Calico policies in the app, mounted under happy-dom on the UI fixture (test/fixtures/calico-ui/): the
 * worker's badges mark the pods a Calico policy isolates, the namespace list counts Calico policies, the
 * policy list shows Calico's tiers in order, a Calico policy's details show its tier, order, selector
 * and rules with the evaluator's counts, the graph draws its answer, and the reach panel's Calico steps
 * open the policy that decided.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { createAnalyzer } from '../../../shared/eval/index.ts';
import { createAnalysisEngine } from '../../../renderer/src/analysis/engine.ts';
import type { LoadResult } from '../../../renderer/src/analysis/protocol.ts';
import { mountSnapshot, settle, until } from '../app/mount-app.tsx';

const DIR = join(process.cwd(), 'test/fixtures/calico-ui');
const API = 'Calico:NetworkPolicy/shop/default.api-allow';
const METADATA = 'Calico:GlobalNetworkPolicy/security.block-metadata';

afterEach(() => cleanup());

describe('the worker’s badges', () => {
  it('mark the pods a Calico policy isolates, from the evaluator’s isolation', async () => {
    const snapshot = await loadManifests([DIR]);
    const engine = createAnalysisEngine(() => 0);
    const loaded = engine.handle({ id: 1, method: 'load', params: { snapshot, revision: 1 } });
    if (!loaded.ok) throw new Error(loaded.error);
    const { badges } = loaded.value as LoadResult;
    const analyzer = createAnalyzer(snapshot);
    for (const pod of snapshot.pods) {
      const key = `${pod.namespace}/${pod.name}`;
      const iso = analyzer.isolation(key);
      const byCalico = [...iso.ingress.policies, ...iso.egress.policies].some((p) => p.startsWith('Calico:'));
      expect(badges[key]?.calico === true, key).toBe(byCalico);
    }
    // api-0 is isolated by its tier-default policy: the badge must say so.
    expect(badges['shop/api-0']?.calico).toBe(true);
  });
});

describe('Calico policies in the app', () => {
  it('counts them per namespace, lists them in Calico’s order and shows one with its counts', async () => {
    const snapshot = await loadManifests([DIR]);
    const { view } = await mountSnapshot(snapshot);
    await until(() => screen.queryAllByTestId('namespace-row').length === 3, 'the namespace list');
    const payments = screen
      .getAllByTestId('namespace-row')
      .find((r) => r.getAttribute('data-name') === 'payments') as HTMLElement;
    // No-break spaces keep "1 Calico" together when the counts wrap.
    expect(payments.textContent?.replace(/\u00a0/g, ' ')).toContain('· 1 Calico');
    expect(payments.textContent).not.toContain('no policy');

    fireEvent.click(screen.getByTestId('tab-policies'));
    await settle();
    expect(screen.getAllByTestId('calico-tier').map((t) => t.getAttribute('data-tier'))).toEqual([
      'security',
      'platform',
      'default',
    ]);
    const row = screen.getAllByTestId('policy-row').find((r) => r.getAttribute('data-key') === API);
    expect(row?.textContent).toContain("app == 'api'");
    fireEvent.click(row as HTMLElement);
    await until(() => screen.queryByTestId('policy-effect') !== null, 'the policy effect');

    const panel = screen.getByTestId('inspector');
    expect(panel.textContent).toContain('Calico NetworkPolicy');
    expect(within(panel).getByTestId('header-tier').textContent).toBe('tier default');
    expect(within(panel).getByTestId('calico-selector').textContent).toBe("app == 'api'");
    const effect = createAnalyzer(snapshot).policyEffect(API);
    for (const k of ['permittedFlowing', 'permittedBlocked', 'denied', 'passed', 'unaffected'] as const)
      expect(within(panel).getByTestId(`effect-${k}`).textContent, k).toBe(
        effect.counts[k].toLocaleString('en-US'),
      );
    expect(
      within(panel)
        .getAllByTestId('pod-link')
        .map((l) => l.getAttribute('data-key')),
    ).toEqual(effect.selects);
    expect(
      within(panel)
        .getAllByTestId('calico-rule')
        .map((r) => r.getAttribute('data-rule')),
    ).toEqual(['ingress[0]', 'ingress[1]', 'ingress[2]']);

    await until(
      () => screen.getByTestId('graph-stats').getAttribute('data-phase') === 'full',
      'the full overlay',
    );
    const stats = screen.getByTestId('graph-stats');
    expect(stats.getAttribute('data-subjects')).toBe('1');
    expect(Number(stats.getAttribute('data-flowing'))).toBeGreaterThan(0);
    expect(Number(stats.getAttribute('data-denied'))).toBeGreaterThan(0);

    // A global policy: no namespace, and its Pass rule's sides drawn as passed.
    act(() => view.getState().select({ kind: 'policy', key: METADATA }));
    await until(
      () => screen.queryByTestId('calico-selector')?.textContent === 'all()',
      'the global policy’s details',
    );
    expect(screen.getByTestId('inspector').textContent).toContain('global');
    await until(
      () =>
        screen.getByTestId('graph-stats').getAttribute('data-phase') === 'full' &&
        Number(screen.getByTestId('graph-stats').getAttribute('data-passed')) > 0,
      'the passed edges',
    );
  });

  it('opens the Calico policy that decided a reach side', async () => {
    const { view } = await mountSnapshot(await loadManifests([DIR]));
    act(() => {
      view.getState().openReach({ kind: 'pod', key: 'shop/web-0' });
      view.getState().setReach({ to: { kind: 'pod', key: 'shop/api-0' }, port: '8080', protocol: 'TCP' });
    });
    await until(() => screen.queryByTestId('reach-verdict') !== null, 'the verdict');
    expect(screen.getByTestId('reach-verdict').getAttribute('data-verdict')).toBe('allowed');
    const link = within(screen.getByTestId('side-ingress'))
      .getAllByTestId('calico-step-link')
      .find((l) => l.getAttribute('data-policy') === API);
    expect(link).toBeDefined();
    fireEvent.click(link as HTMLElement);
    expect(view.getState().selection).toEqual({ kind: 'policy', key: API });
  });
});
