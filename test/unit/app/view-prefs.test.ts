/** The view store's reach, escape and namespace hiding, and the preferences kept in localStorage. */
import { describe, expect, it } from 'vitest';
import { createSourceStore } from '../../../renderer/src/store/source-store.ts';
import {
  bindPrefs,
  cniKey,
  collapsedKey,
  loadCni,
  loadCollapsed,
  loadHidden,
  loadLegendOpen,
  loadTheme,
  resolveTheme,
  sourceKey,
  type PrefsStorage,
} from '../../../renderer/src/store/prefs.ts';
import { createViewStore } from '../../../renderer/src/store/view-store.ts';
import type { Snapshot } from '../../../shared/model/snapshot.ts';

function memoryStorage(): PrefsStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const snap = (source: Snapshot['source']): Snapshot => ({
  source,
  namespaces: [],
  pods: [],
  policies: [],
  issues: [],
  clusterPolicies: [],
  skippedKinds: {},
});

describe('view store', () => {
  it('fills the reach source, then the destination, then starts over', () => {
    const view = createViewStore();
    const a = { kind: 'pod', key: 'ns/a' } as const;
    const b = { kind: 'pod', key: 'ns/b' } as const;
    view.getState().openReach();
    view.getState().pickEndpoint(a);
    view.getState().pickEndpoint(a);
    expect(view.getState().reach).toMatchObject({ active: true, from: a, to: undefined });
    view.getState().pickEndpoint(b);
    expect(view.getState().reach).toMatchObject({ from: a, to: b });
    view.getState().swapReach();
    expect(view.getState().reach).toMatchObject({ from: b, to: a });
    view.getState().pickEndpoint({ kind: 'external', ip: '10.0.0.1' });
    expect(view.getState().reach).toMatchObject({
      from: { kind: 'external', ip: '10.0.0.1' },
      to: undefined,
    });
  });

  it('Escape closes the innermost thing first', () => {
    const view = createViewStore();
    view.getState().select({ kind: 'pod', key: 'a/b' });
    view.getState().openReach();
    view.getState().setPaletteOpen(true);
    view.getState().escape();
    expect(view.getState().paletteOpen).toBe(false);
    expect(view.getState().reach.active).toBe(true);
    view.getState().escape();
    expect(view.getState().reach.active).toBe(false);
    expect(view.getState().selection).toBeDefined();
    view.getState().escape();
    expect(view.getState().selection).toBeUndefined();
  });

  it('toggles hidden namespaces and replica groups', () => {
    const view = createViewStore();
    view.getState().toggleHidden('b');
    view.getState().toggleHidden('a');
    expect(view.getState().hidden).toEqual(['a', 'b']);
    view.getState().toggleHidden('b');
    expect(view.getState().hidden).toEqual(['a']);
    view.getState().toggleExpanded('w');
    expect(view.getState().expanded).toEqual(['w']);
    view.getState().toggleExpanded('w');
    expect(view.getState().expanded).toEqual([]);
  });
});

describe('preferences', () => {
  it('remembers hidden namespaces per source and the theme', () => {
    const storage = memoryStorage();
    const view = createViewStore();
    const source = createSourceStore();
    bindPrefs(view, source, storage);
    source.getState().applyEvent({ type: 'snapshot', revision: 1, snapshot: snap({ kind: 'demo' }) });
    view.getState().toggleHidden('kube-system');
    view.getState().setTheme('dark');
    expect(loadHidden({ kind: 'demo' }, storage)).toEqual(['kube-system']);
    expect(loadTheme(storage)).toBe('dark');

    // Another source has its own list; coming back restores the first.
    source
      .getState()
      .applyEvent({ type: 'snapshot', revision: 2, snapshot: snap({ kind: 'manifests', paths: ['/x'] }) });
    expect(view.getState().hidden).toEqual([]);
    view.getState().toggleHidden('team-a');
    source.getState().applyEvent({ type: 'snapshot', revision: 3, snapshot: snap({ kind: 'demo' }) });
    expect(view.getState().hidden).toEqual(['kube-system']);
    expect(storage.data.get(sourceKey({ kind: 'manifests', paths: ['/x'] }))).toBe('["team-a"]');
  });

  it('remembers whether the legend is open, for every source alike (open until closed)', () => {
    const storage = memoryStorage();
    expect(loadLegendOpen(storage)).toBe(true);
    const view = createViewStore({ legendOpen: loadLegendOpen(storage) });
    bindPrefs(view, createSourceStore(), storage);
    view.getState().setLegendOpen(false);
    expect(loadLegendOpen(storage)).toBe(false);
    expect(createViewStore({ legendOpen: loadLegendOpen(storage) }).getState().legendOpen).toBe(false);
    view.getState().setLegendOpen(true);
    expect(loadLegendOpen(storage)).toBe(true);
  });

  it('remembers per source which namespaces the user collapsed or opened on the graph', () => {
    const storage = memoryStorage();
    const view = createViewStore();
    const source = createSourceStore();
    bindPrefs(view, source, storage);
    const big = { kind: 'manifests', paths: ['/big'] } as const;
    source.getState().applyEvent({ type: 'snapshot', revision: 1, snapshot: snap(big) });
    view.getState().setCollapsed('team-a', false);
    view.getState().setCollapsed('team-b', true);
    expect(loadCollapsed(big, storage)).toEqual({ 'team-a': false, 'team-b': true });

    source.getState().applyEvent({ type: 'snapshot', revision: 2, snapshot: snap({ kind: 'demo' }) });
    expect(view.getState().collapsed).toEqual({});
    // A new snapshot of the same source (a live update) keeps the choices made since.
    source.getState().applyEvent({ type: 'snapshot', revision: 3, snapshot: snap(big) });
    view.getState().setCollapsed('team-c', true);
    source.getState().applyEvent({ type: 'snapshot', revision: 4, snapshot: snap(big) });
    expect(view.getState().collapsed).toEqual({ 'team-a': false, 'team-b': true, 'team-c': true });

    // Damaged storage restores nothing rather than failing.
    storage.data.set(collapsedKey(big), '{"x": "yes", "y": true');
    expect(loadCollapsed(big, storage)).toEqual({});
    storage.data.set(collapsedKey(big), '{"x": "yes", "y": true}');
    expect(loadCollapsed(big, storage)).toEqual({ y: true });
  });

  it('remembers per source the CNI the user chose, and restores only a known profile', () => {
    const storage = memoryStorage();
    const view = createViewStore();
    const source = createSourceStore();
    bindPrefs(view, source, storage);
    const lab = { kind: 'manifests', paths: ['/lab'] } as const;
    source.getState().applyEvent({ type: 'snapshot', revision: 1, snapshot: snap(lab) });
    expect(view.getState().cni).toBeUndefined();
    view.getState().setCni({ cni: 'cilium', ciliumCidrMatch: ['pods'], origin: 'chosen' });
    expect(loadCni(lab, storage)).toEqual({ cni: 'cilium', ciliumCidrMatch: ['pods'], origin: 'chosen' });

    source.getState().applyEvent({ type: 'snapshot', revision: 2, snapshot: snap({ kind: 'demo' }) });
    expect(view.getState().cni).toBeUndefined();
    source.getState().applyEvent({ type: 'snapshot', revision: 3, snapshot: snap(lab) });
    expect(view.getState().cni).toEqual({ cni: 'cilium', ciliumCidrMatch: ['pods'], origin: 'chosen' });
    // Back to automatic is remembered too.
    view.getState().setCni(undefined);
    expect(loadCni(lab, storage)).toBeUndefined();

    storage.data.set(cniKey(lab), '{"cni": "flannel"}');
    expect(loadCni(lab, storage)).toBeUndefined();
    storage.data.set(cniKey(lab), '{"cni": "cilium", "ciliumCidrMatch": ["pods", "all"]}');
    expect(loadCni(lab, storage)).toEqual({ cni: 'cilium', ciliumCidrMatch: ['pods'], origin: 'chosen' });
    storage.data.set(cniKey(lab), '{"cni": ');
    expect(loadCni(lab, storage)).toBeUndefined();
  });

  it('survives broken storage and resolves the system theme', () => {
    const broken: PrefsStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(loadTheme(broken)).toBe('system');
    expect(loadHidden({ kind: 'demo' }, { getItem: () => '{not json', setItem: () => {} })).toEqual([]);
    const view = createViewStore();
    bindPrefs(view, createSourceStore(), broken);
    expect(() => view.getState().setTheme('light')).not.toThrow();
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
  });
});
