// @vitest-environment happy-dom
/**
 * Imported flows in the app under happy-dom, with the real stores and the analysis in process: a file
 * too big is refused with what to do; an imported Hubble file opens the Flows panel with its counts,
 * the contradictions' causes and the rules never seen; the verdict filter narrows the list; "Draft
 * policies from flows" opens drafts in the editor (nothing saved) and the what-if line says they keep
 * every seen allowed flow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { MAX_FLOW_BYTES, type FlowFile } from '../../../renderer/src/store/flows-store.ts';
import { flowFileOf, FLOWS_DIR, mountWithFlows } from './mount-app.tsx';

afterEach(() => cleanup());

const mount = () => mountWithFlows();

describe('the Flows panel', () => {
  it('refuses a file past the size cap, saying what to do', async () => {
    const { flows } = await mount();
    const huge: FlowFile = {
      name: 'week.jsonl',
      size: MAX_FLOW_BYTES + 1,
      slice: () => ({ arrayBuffer: () => Promise.reject(new Error('not read')) }),
    };
    await act(() => flows.importFiles([huge]));
    const error = await screen.findByTestId('import-flows-error');
    expect(error.textContent).toMatch(/week\.jsonl: 1\.0 GiB is more than the app reads at once/);
    expect(error.textContent).toMatch(/netglass flows --flows/);
    expect(screen.queryByTestId('flows-panel')).toBeNull();
  });

  it('says so when a file holds no flow record', async () => {
    const { flows } = await mount();
    await act(() => flows.importFiles([flowFileOf('notes.txt', 'hello\nworld\n')]));
    const error = await screen.findByTestId('import-flows-error');
    expect(error.textContent).toMatch(/No Hubble or Calico flow record in notes\.txt/);
    expect(error.textContent).toMatch(/notes\.txt:1: not valid JSON/);
  });

  it('lists verdicts, causes and unused rules, filters them, and drafts policies that keep the seen flows', async () => {
    const { flows, editor } = await mount();
    await act(() =>
      flows.importFiles([flowFileOf('hubble.jsonl', readFileSync(join(FLOWS_DIR, 'hubble.jsonl'), 'utf8'))]),
    );
    const panel = await screen.findByTestId('flows-panel');
    expect(screen.getByTestId('open-flows').getAttribute('data-contradictions')).toBe('3');
    expect(screen.getByTestId('flows-filter-contradiction').getAttribute('data-count')).toBe('3');
    expect(screen.getByTestId('flows-filter-confirmed').getAttribute('data-count')).toBe('5');
    expect(screen.getByTestId('flows-filter-audit').getAttribute('data-count')).toBe('1');
    const causes = within(panel)
      .getAllByTestId('flow-cause')
      .map((c) => c.getAttribute('data-cause'));
    expect(causes.sort()).toEqual(['cni-semantics', 'policy-changed', 'unmodelled-cni-policy']);
    expect(panel.textContent).toMatch(/CiliumNetworkPolicy shop\/checkout-cache/);
    expect(
      within(panel)
        .getAllByTestId('flows-unused-rule')
        .map((r) => r.textContent),
    ).toContain('shop/cart ingress[0]');
    expect(within(panel).getAllByTestId('flow-finding')).toHaveLength(9);

    // Only the contradictions.
    fireEvent.click(screen.getByTestId('flows-filter-confirmed'));
    fireEvent.click(screen.getByTestId('flows-filter-audit'));
    const shown = within(panel).getAllByTestId('flow-finding');
    expect(shown.map((f) => f.getAttribute('data-status'))).toEqual([
      'contradiction',
      'contradiction',
      'contradiction',
    ]);
    expect(screen.getByTestId('flows-filter-confirmed').getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(screen.getByTestId('flows-generate'));
    await waitFor(() => expect(editor.getState().drafts.length).toBeGreaterThan(0));
    expect(editor.getState().open).toBe(true);
    expect(editor.getState().drafts.every((d) => d.enabled && d.draft.name.startsWith('observed-'))).toBe(
      true,
    );
    const kept = await screen.findByTestId('flows-kept');
    expect(kept.getAttribute('data-kept')).toBe(kept.getAttribute('data-total'));
    expect(Number(kept.getAttribute('data-total'))).toBeGreaterThan(0);
    expect(kept.textContent).toMatch(/The drafts keep all \d+ seen allowed flows/);

    // Asking again opens no duplicate.
    const count = editor.getState().drafts.length;
    act(() => flows.store.getState().setOpen(true));
    await act(() => flows.generateDrafts());
    expect(editor.getState().drafts).toHaveLength(count);
  });

  it('drops an import when another source opens, saying to import again', async () => {
    const { flows, source } = await mount();
    await act(() =>
      flows.importFiles([flowFileOf('hubble.jsonl', readFileSync(join(FLOWS_DIR, 'hubble.jsonl'), 'utf8'))]),
    );
    await screen.findByTestId('flows-panel');
    const other = await loadManifests([join(process.cwd(), 'shared/demo/demo-cluster.yaml')]);
    act(() => {
      source
        .getState()
        .applyEvent({ type: 'snapshot', revision: 2, snapshot: { ...other, source: { kind: 'demo' } } });
    });
    const error = await screen.findByTestId('import-flows-error');
    expect(error.textContent).toMatch(/hubble\.jsonl were mapped on the previous source; import them again/);
    expect(screen.queryByTestId('flows-panel')).toBeNull();
    expect(screen.queryByTestId('open-flows')).toBeNull();
  });
});
