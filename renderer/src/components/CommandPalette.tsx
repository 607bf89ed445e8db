/**
 * Search everything (Ctrl/Cmd+K or `/`): pods, workloads, namespaces, policies, Calico network sets
 * and labels, and run the app's commands (graph export, a new policy from a template: the editor's
 * own actions), listed above the results when the query names them.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { buildSearchIndex, search, type SearchItem } from '../model/search.ts';
import { matchCommands, runGraphCommand, type GraphCommand } from '../graph/commands.ts';
import { useSource, useView } from '../store/context.tsx';
import type { Selection } from '../store/view-store.ts';
import { useEditorHandle } from '../editor/hooks.ts';
import {
  defaultNamespace,
  matchNewPolicyActions,
  newPolicyDescription,
  newPolicyTitle,
  type NewPolicyAction,
} from '../editor/new-policy.ts';
import { useFocusWhileOpen } from './focus.ts';
import { IconSearch } from './icons.tsx';

type Entry =
  | { readonly type: 'command'; readonly command: GraphCommand }
  | { readonly type: 'new'; readonly action: NewPolicyAction }
  | { readonly type: 'item'; readonly item: SearchItem };

const KIND_LABEL: Record<SearchItem['kind'], string> = {
  pod: 'Pod',
  workload: 'Workload',
  namespace: 'Namespace',
  policy: 'Policy',
  label: 'Label',
  networkset: 'Network set',
};

/** The namespace a new policy is made for: the selected namespace's, or the selected pod's. */
function selectedNamespace(selection: Selection | undefined): string | undefined {
  if (selection?.kind === 'namespace') return selection.name;
  if (selection?.kind === 'pod') return selection.key.slice(0, selection.key.indexOf('/'));
  return undefined;
}

export function CommandPalette() {
  const open = useView((s) => s.paletteOpen);
  const setOpen = useView((s) => s.setPaletteOpen);
  const select = useView((s) => s.select);
  const setTab = useView((s) => s.setTab);
  const setFilter = useView((s) => s.setFilter);
  const setStage = useView((s) => s.setStage);
  const closeReach = useView((s) => s.closeReach);
  const setTierFilter = useView((s) => s.setTierFilter);
  const selection = useView((s) => s.selection);
  const snapshot = useSource((s) => s.snapshot);
  const editor = useEditorHandle().store;
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const listId = useId();
  const index = useMemo(() => (snapshot !== undefined ? buildSearchIndex(snapshot) : []), [snapshot]);
  const results = useMemo(() => search(index, query), [index, query]);
  const entries = useMemo<Entry[]>(
    () => [
      ...matchCommands(query).map((command) => ({ type: 'command' as const, command })),
      // Only with a source: a draft is made in view of its policies and namespaces.
      ...(snapshot !== undefined
        ? matchNewPolicyActions(query).map((action) => ({ type: 'new' as const, action }))
        : []),
      ...results.map((item) => ({ type: 'item' as const, item })),
    ],
    [query, results, snapshot],
  );
  const namespace = defaultNamespace(snapshot, selectedNamespace(selection));

  useFocusWhileOpen(open, inputRef, () => {
    setQuery('');
    setActive(0);
  });
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  if (!open) return null;

  const choose = (entry: Entry | undefined): void => {
    if (entry === undefined) return;
    setOpen(false);
    if (entry.type === 'command') {
      setStage('graph');
      runGraphCommand(entry.command);
      return;
    }
    if (entry.type === 'new') {
      // The chooser's own action: the same draft, named alike, in the namespace in view.
      editor.getState().add(entry.action.create({ snapshot, drafts: editor.getState().drafts, namespace }));
      return;
    }
    const item = entry.item;
    closeReach();
    setStage('graph');
    switch (item.kind) {
      case 'pod':
        select({ kind: 'pod', key: item.ref });
        setTab('pods');
        return;
      case 'workload':
        select({ kind: 'workload', id: item.ref });
        return;
      case 'namespace':
        select({ kind: 'namespace', name: item.ref });
        setTab('namespaces');
        return;
      case 'policy':
        select({ kind: 'policy', key: item.ref });
        setTab('policies');
        return;
      case 'label':
        setTab('pods');
        setFilter(item.ref);
        return;
      case 'networkset':
        // The Calico group of the policy list shows the set (its sub-list opens on a matching filter).
        setTab('policies');
        setTierFilter('all');
        setFilter(item.title);
        return;
    }
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, entries.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(entries[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <div className="palette-backdrop" onMouseDown={() => setOpen(false)}>
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Search"
        data-testid="palette"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <div className="palette-input">
          <IconSearch />
          <input
            ref={inputRef}
            role="combobox"
            aria-expanded="true"
            aria-controls={listId}
            aria-activedescendant={entries[active] !== undefined ? `${listId}-${active}` : undefined}
            aria-label="Search pods, workloads, namespaces, policies and labels"
            placeholder="Search pods, workloads, namespaces, policies, labels…"
            spellCheck={false}
            autoComplete="off"
            value={query}
            data-testid="palette-input"
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
          />
          <kbd className="kbd">esc</kbd>
        </div>
        <ul className="palette-list" role="listbox" id={listId} ref={listRef} aria-label="Results">
          {entries.length === 0 && <li className="palette-empty">Nothing matches “{query.trim()}”.</li>}
          {entries.map((entry, i) =>
            entry.type === 'new' ? (
              <li
                key={`new:${entry.action.id}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                data-index={i}
                data-testid="palette-new"
                data-action={entry.action.id}
                data-kind={entry.action.kind}
                className={`palette-item ${i === active ? 'active' : ''}`}
                onMouseMove={() => setActive(i)}
                onClick={() => choose(entry)}
                title={newPolicyDescription(entry.action, namespace)}
              >
                <span className="kind-badge kind-new">New</span>
                <span className="palette-title">{newPolicyTitle(entry.action)}</span>
                <span className="palette-detail">
                  {entry.action.namespaced ? `in ${namespace}` : 'cluster-wide'}
                </span>
              </li>
            ) : entry.type === 'command' ? (
              <li
                key={`command:${entry.command.id}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                data-index={i}
                data-testid="palette-command"
                data-command={entry.command.id}
                className={`palette-item ${i === active ? 'active' : ''}`}
                onMouseMove={() => setActive(i)}
                onClick={() => choose(entry)}
              >
                <span className="kind-badge kind-command">Command</span>
                <span className="palette-title">{entry.command.title}</span>
                {entry.command.shortcut !== undefined && (
                  <span className="palette-detail">
                    <kbd className="kbd">Ctrl ⇧ E</kbd>
                  </span>
                )}
              </li>
            ) : (
              <li
                key={`${entry.item.kind}:${entry.item.ref}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                data-index={i}
                data-testid="palette-item"
                data-kind={entry.item.kind}
                data-ref={entry.item.ref}
                className={`palette-item ${i === active ? 'active' : ''}`}
                onMouseMove={() => setActive(i)}
                onClick={() => choose(entry)}
              >
                <span className={`kind-badge kind-${entry.item.kind}`}>{KIND_LABEL[entry.item.kind]}</span>
                <span className="palette-title mono-name">{entry.item.title}</span>
                <span className="palette-detail">{entry.item.detail}</span>
              </li>
            ),
          )}
        </ul>
        <div className="palette-foot">
          <span>
            <kbd className="kbd">↑</kbd>
            <kbd className="kbd">↓</kbd> move
          </span>
          <span>
            <kbd className="kbd">↵</kbd> open
          </span>
        </div>
      </div>
    </div>
  );
}
