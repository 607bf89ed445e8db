/**
 * Preferences kept in localStorage: the theme, whether the legend is open, and per source the hidden namespaces, the namespaces
 * the user collapsed or opened on the graph, and the CNI the user said the source runs. Storage may be missing or full (private windows, tests);
 * then nothing is remembered and nothing fails.
 */
import { describeSource } from '../../../shared/api/api.ts';
import {
  CNI_NAMES,
  type CiliumCidrMatch,
  type CniProfile,
  type SnapshotSource,
} from '../../../shared/model/snapshot.ts';
import type { SourceStore } from './source-store.ts';
import type { ThemeChoice, ViewStore } from './view-store.ts';

const THEME_KEY = 'netglass.theme';
const LEGEND_KEY = 'netglass.legend';
const HIDDEN_PREFIX = 'netglass.hidden:';
const COLLAPSED_PREFIX = 'netglass.collapsed:';
const CNI_PREFIX = 'netglass.cni:';

export interface PrefsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function defaultStorage(): PrefsStorage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

function read(storage: PrefsStorage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: PrefsStorage | undefined, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Storage full or denied: the preference is simply not remembered.
  }
}

export function sourceKey(source: SnapshotSource): string {
  return HIDDEN_PREFIX + describeSource(source);
}

export function loadTheme(storage = defaultStorage()): ThemeChoice {
  const value = read(storage, THEME_KEY);
  return value === 'light' || value === 'dark' || value === 'system' ? value : 'system';
}

export function loadHidden(source: SnapshotSource, storage = defaultStorage()): string[] {
  const value = read(storage, sourceKey(source));
  if (value === null) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function collapsedKey(source: SnapshotSource): string {
  return COLLAPSED_PREFIX + describeSource(source);
}

export function loadCollapsed(source: SnapshotSource, storage = defaultStorage()): Record<string, boolean> {
  const value = read(storage, collapsedKey(source));
  if (value === null) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'),
    );
  } catch {
    return {};
  }
}

export function cniKey(source: SnapshotSource): string {
  return CNI_PREFIX + describeSource(source);
}

/** The CNI chosen for a source, if one was and it still names a known profile. */
export function loadCni(source: SnapshotSource, storage = defaultStorage()): CniProfile | undefined {
  const value = read(storage, cniKey(source));
  if (value === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { cni, ciliumCidrMatch } = parsed as { cni?: unknown; ciliumCidrMatch?: unknown };
    const name = CNI_NAMES.find((n) => n === cni);
    if (name === undefined) return undefined;
    const modes = Array.isArray(ciliumCidrMatch)
      ? ciliumCidrMatch.filter((m): m is CiliumCidrMatch => m === 'nodes' || m === 'pods')
      : [];
    return { cni: name, ...(modes.length > 0 ? { ciliumCidrMatch: modes } : {}), origin: 'chosen' };
  } catch {
    return undefined;
  }
}

/** Whether the legend is open: it is until the user closes it. */
export function loadLegendOpen(storage = defaultStorage()): boolean {
  return read(storage, LEGEND_KEY) !== 'closed';
}

/** The theme actually shown for a choice ('system' follows the OS). */
export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;
}

/**
 * Keeps the view store and storage in step: restores the hidden and collapsed namespaces when a
 * source's first snapshot arrives, and saves the theme, the legend's state and those choices when they
 * change.
 */
export function bindPrefs(view: ViewStore, source: SourceStore, storage = defaultStorage()): () => void {
  let current: SnapshotSource | undefined;
  const restore = (): void => {
    const snapshot = source.getState().snapshot;
    if (snapshot === undefined) return;
    if (current !== undefined && sourceKey(snapshot.source) === sourceKey(current)) return;
    current = snapshot.source;
    view.getState().setHidden(loadHidden(snapshot.source, storage));
    view.getState().restoreCollapsed(loadCollapsed(snapshot.source, storage));
    view.getState().setCni(loadCni(snapshot.source, storage));
  };
  restore();
  const offSource = source.subscribe(restore);
  const offView = view.subscribe((s, prev) => {
    if (s.theme !== prev.theme) write(storage, THEME_KEY, s.theme);
    if (s.legendOpen !== prev.legendOpen) write(storage, LEGEND_KEY, s.legendOpen ? 'open' : 'closed');
    if (current === undefined) return;
    if (s.hidden !== prev.hidden) write(storage, sourceKey(current), JSON.stringify(s.hidden));
    if (s.collapsed !== prev.collapsed) write(storage, collapsedKey(current), JSON.stringify(s.collapsed));
    if (s.cni !== prev.cni) write(storage, cniKey(current), JSON.stringify(s.cni ?? null));
  });
  return () => {
    offSource();
    offView();
  };
}

/** Applies the theme to <html data-theme>, following the OS while the choice is 'system'. */
export function bindTheme(view: ViewStore, doc: Document = document): () => void {
  const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
  const apply = (): void => {
    doc.documentElement.dataset['theme'] = resolveTheme(view.getState().theme, media?.matches === true);
  };
  apply();
  const off = view.subscribe((s, prev) => {
    if (s.theme !== prev.theme) apply();
  });
  media?.addEventListener('change', apply);
  return () => {
    off();
    media?.removeEventListener('change', apply);
  };
}
