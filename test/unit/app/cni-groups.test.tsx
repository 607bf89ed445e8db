// @vitest-environment happy-dom
/**
 * The policy list says when the CNI the analysis assumes does not run a group's kind: Calico policies
 * under Cilium, as the evaluator leaves them out (shared/eval/cni.ts).
 */
import { join } from 'node:path';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../electron/manifests/load.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { mountSnapshot } from './mount-app.tsx';

let snapshot: Snapshot;

beforeAll(async () => {
  snapshot = await loadManifests([join(process.cwd(), 'test/fixtures/calico-netsets')]);
});

afterEach(() => cleanup());

describe('policy groups under a CNI profile', () => {
  it('marks the Calico group when the chosen or detected CNI does not run Calico', async () => {
    const { view } = await mountSnapshot(snapshot);
    fireEvent.click(screen.getByTestId('tab-policies'));
    expect(screen.queryByTestId('group-not-enforced')).toBeNull();
    act(() => view.getState().setCni({ cni: 'cilium', origin: 'chosen' }));
    const tag = screen.getByTestId('group-not-enforced');
    expect(tag.textContent).toBe('not enforced by Cilium');
    // A narrow panel cuts the tag short (one-line heading): its title carries the whole text first.
    expect(tag.getAttribute('title')).toMatch(/^not enforced by Cilium: /);
    act(() => view.getState().setCni({ cni: 'calico', origin: 'chosen' }));
    expect(screen.queryByTestId('group-not-enforced')).toBeNull();
  });

  it('reads the detected CNI when none is chosen', async () => {
    await mountSnapshot({ ...snapshot, cni: { cni: 'antrea', origin: 'detected' } });
    fireEvent.click(screen.getByTestId('tab-policies'));
    expect(screen.getByTestId('group-not-enforced').textContent).toBe('not enforced by Antrea');
  });
});
