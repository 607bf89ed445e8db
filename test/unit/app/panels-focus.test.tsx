// @vitest-environment happy-dom
/**
 * Keyboard and panel paths found by trying the app: closing the command palette gives focus back to
 * where it was (not to <body>, from where Tab starts over at the top), and Reach pressed while the
 * policy editor is open shows the reach panel (the editor had kept it out of sight, the button pressed);
 * so does Flows while the editor, a selection or Reach covers its panel (a press used to close it unseen).
 */
import { join } from 'node:path';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { podKey, type Snapshot } from '../../../shared/model/snapshot.ts';
import { mountSnapshot, mountWithFlows } from './mount-app.tsx';

let snapshot: Snapshot;

beforeAll(async () => {
  snapshot = await loadManifests([join(process.cwd(), 'test/fixtures/calico-netsets')]);
});

afterEach(() => cleanup());

describe('the command palette', () => {
  it('gives focus back to the control that had it when Escape closes it', async () => {
    await mountSnapshot(snapshot);
    const tab = screen.getByTestId('tab-policies');
    act(() => tab.focus());
    fireEvent.keyDown(tab, { key: 'k', ctrlKey: true });
    const input = screen.getByTestId('palette-input');
    expect(document.activeElement).toBe(input);
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByTestId('palette')).toBeNull();
    expect(document.activeElement).toBe(tab);
  });
});

describe('Reach while the policy editor is open', () => {
  it('closes the editor so the reach panel is in sight', async () => {
    await mountSnapshot(snapshot);
    fireEvent.click(screen.getByTestId('new-policy'));
    expect(screen.getByTestId('policy-editor')).toBeTruthy();

    const reach = screen.getByTestId('open-reach');
    fireEvent.click(reach);
    expect(screen.queryByTestId('policy-editor')).toBeNull();
    expect(screen.getByTestId('reach-panel')).toBeTruthy();
    expect(reach.getAttribute('aria-pressed')).toBe('true');

    // The editor back over the reach panel: the button no longer says Reach is shown, and a press
    // brings the panel back rather than turning Reach off out of sight.
    fireEvent.click(screen.getByTestId('new-policy'));
    expect(screen.getByTestId('policy-editor')).toBeTruthy();
    expect(reach.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(reach);
    expect(screen.getByTestId('reach-panel')).toBeTruthy();

    fireEvent.click(reach);
    expect(screen.queryByTestId('reach-panel')).toBeNull();
  });
});

describe('the policy editor and the keyboard', () => {
  it('takes focus when it opens, leaves a field on Escape, closes on the next, and gives focus back', async () => {
    const { view, editor } = await mountSnapshot(snapshot);
    const opener = screen.getByTestId('new-policy');
    act(() => opener.focus());
    fireEvent.click(opener);
    const heading = screen.getByTestId('editor-heading');
    expect(document.activeElement).toBe(heading);

    // A selection behind the editor is out of sight: Escape must not clear it.
    act(() => view.getState().select({ kind: 'namespace', name: 'shop' }));
    const field = screen.getByTestId('policy-editor').querySelector<HTMLElement>('input, select, textarea');
    if (field === null) throw new Error('the new-policy chooser has a field');
    act(() => field.focus());
    fireEvent.keyDown(field, { key: 'Escape' });
    expect(document.activeElement).not.toBe(field);
    expect(editor.getState().open).toBe(true);

    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(editor.getState().open).toBe(false);
    expect(view.getState().selection).toEqual({ kind: 'namespace', name: 'shop' });
    expect(document.activeElement).toBe(opener);
  });
});

describe('Flows while something covers its panel', () => {
  it('brings the panel back into sight rather than closing it unseen', async () => {
    const { view, editor, cluster } = await mountWithFlows('hubble.jsonl');
    const button = screen.getByTestId('open-flows');
    expect(button.getAttribute('aria-pressed')).toBe('true');

    // A selected pod takes the panel's place: the button no longer says the panel is shown.
    const pod = cluster.pods[0];
    if (pod === undefined) throw new Error('the flows fixture has pods');
    act(() => view.getState().select({ kind: 'pod', key: podKey(pod) }));
    expect(screen.queryByTestId('flows-panel')).toBeNull();
    expect(button.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(button);
    expect(screen.getByTestId('flows-panel')).toBeTruthy();
    expect(view.getState().selection).toBeUndefined();

    // The editor over it: Flows closes the editor (its drafts stay) and shows the panel.
    fireEvent.click(screen.getByTestId('new-policy'));
    expect(screen.queryByTestId('flows-panel')).toBeNull();
    fireEvent.click(button);
    expect(editor.getState().open).toBe(false);
    expect(screen.getByTestId('flows-panel')).toBeTruthy();

    // In sight, a press closes it.
    fireEvent.click(button);
    expect(screen.queryByTestId('flows-panel')).toBeNull();
    expect(button.getAttribute('aria-pressed')).toBe('false');
  });
});

describe('the legend', () => {
  it('stays closed once the user closes it (the view store keeps it; prefs save it)', async () => {
    const { view } = await mountSnapshot(snapshot);
    const box = screen.getByTestId<HTMLDetailsElement>('legend-box');
    expect(box.open).toBe(true);
    act(() => {
      box.open = false;
      fireEvent(box, new Event('toggle'));
    });
    expect(view.getState().legendOpen).toBe(false);
    act(() => view.getState().setLegendOpen(true));
    expect(screen.getByTestId<HTMLDetailsElement>('legend-box').open).toBe(true);
  });
});
