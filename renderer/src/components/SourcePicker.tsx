/**
 * The source picker in the header: the current source at all times (demo, manifests, dropped files,
 * or a cluster context with its server) with its state as a compact pill, and a keyboard-accessible
 * list of the sources one can switch to: the demo and every kubeconfig context (with the file it comes
 * from). Beside it, "Open…" opens manifests (OpenManifests.tsx), and files dropped on the window open
 * as well.
 */
import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import type { KubeContext, SourceRequest } from '../../../shared/api/api.ts';
import {
  AUTH_LABEL,
  baseName,
  clockTime,
  contextsByFile,
  failureText,
  forbiddenOf,
  forbiddenSummary,
  pillFor,
  shownSource,
  splitHint,
  type ShownSource,
} from '../store/cluster-model.ts';
import { loadErrorCount } from '../model/load-errors.ts';
import { useController, useSource, useView } from '../store/context.tsx';
import { IconAlert, IconCheck, IconClose, IconCluster, IconFile, IconRefresh, IconServer } from './icons.tsx';
import { DropManifests, OpenManifestsButton } from './OpenManifests.tsx';

const Chevron = () => (
  <svg
    className="icon source-chevron"
    width="14"
    height="14"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="2"
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
  >
    <path d="m6 9 6 6 6-6" />
  </svg>
);

const KIND_LABEL: Record<ShownSource['kind'], string> = {
  none: 'Source',
  demo: 'Demo',
  manifests: 'Manifests',
  dropped: 'Dropped',
  cluster: 'Cluster',
};

function SourceIcon({ kind }: { kind: ShownSource['kind'] }) {
  switch (kind) {
    case 'demo':
      return <IconCluster />;
    case 'manifests':
    case 'dropped':
      return <IconFile />;
    case 'cluster':
      return <IconServer />;
    case 'none':
      return null;
  }
}

function sourceName(source: ShownSource): string {
  switch (source.kind) {
    case 'none':
      return 'No source';
    case 'demo':
      return 'Demo cluster';
    case 'manifests':
      return source.paths.length === 1 ? (source.paths[0] ?? '') : `${source.paths.length} paths`;
    case 'dropped':
      return source.files.length === 1 ? (source.files[0] ?? '') : `${source.files.length} files`;
    case 'cluster':
      return source.context;
  }
}

/** Said wherever a dropped source is named: its reload does not read the disk. */
const DROPPED_RELOAD =
  'Reload parses the text read when the files were dropped; drop them again for changes.';

/**
 * What an entry opens. The dropped files are listed only while they are the current source, and
 * choosing them reloads it (the Node side keeps their text; the page need not send it again).
 */
type ItemRequest =
  | Exclude<SourceRequest, { kind: 'dropped' }>
  | { readonly kind: 'dropped'; readonly files: readonly string[] };

/** One entry of the list: something that can be opened. */
interface Item {
  readonly id: string;
  readonly request: ItemRequest;
  readonly context?: KubeContext;
}

function sameSource(a: ShownSource, b: ItemRequest): boolean {
  if (a.kind === 'demo' && b.kind === 'demo') return true;
  if (a.kind === 'cluster' && b.kind === 'cluster') return a.context === b.context;
  if (a.kind === 'manifests' && b.kind === 'manifests') return a.paths.join('\n') === b.paths.join('\n');
  if (a.kind === 'dropped' && b.kind === 'dropped') return a.files.join('\n') === b.files.join('\n');
  return false;
}

function useClickOutside(open: boolean, ref: RefObject<HTMLElement | null>, close: () => void) {
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current !== null && !ref.current.contains(e.target as Node)) close();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open, ref, close]);
}

export function SourcePicker() {
  const controller = useController();
  const status = useSource((s) => s.status);
  const snapshot = useSource((s) => s.snapshot);
  const link = useSource((s) => s.link);
  const contexts = useSource((s) => s.contexts);
  const clusters = useSource((s) => s.info?.capabilities.includes('clusters') ?? false);
  const [open, setOpen] = useState(false);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [active, setActive] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const baseId = useId();

  const shown = shownSource(status, snapshot, contexts);
  const setIssuesOpen = useView((s) => s.setIssuesOpen);
  const pill = pillFor(status, link === 'lost', loadErrorCount(snapshot?.issues ?? []));
  const connection = status.state === 'ready' ? status.connection : undefined;
  const hasDetails =
    status.state === 'failed' ||
    connection?.state === 'error' ||
    connection?.state === 'reconnecting' ||
    connection?.state === 'stale' ||
    forbiddenOf(connection).length > 0;

  // A cluster source needs its context's file and remembered namespaces: read the contexts once.
  const needContexts = clusters && contexts === undefined && shown.kind === 'cluster';
  useEffect(() => {
    if (needContexts) void controller.listContexts();
  }, [needContexts, controller]);

  const items: Item[] = [{ id: `${baseId}-demo`, request: { kind: 'demo' } }];
  if (shown.kind === 'manifests') {
    items.push({ id: `${baseId}-manifests`, request: { kind: 'manifests', paths: shown.paths } });
  }
  if (shown.kind === 'dropped') {
    items.push({ id: `${baseId}-dropped`, request: { kind: 'dropped', files: shown.files } });
  }
  const groups = clusters && contexts !== undefined ? contextsByFile(contexts) : [];
  for (const group of groups) {
    for (const c of group.contexts) {
      items.push({
        id: `${baseId}-ctx-${items.length}`,
        request: { kind: 'cluster', context: c.name },
        context: c,
      });
    }
  }
  const itemIndex = (request: ItemRequest) =>
    items.findIndex((i) => JSON.stringify(i.request) === JSON.stringify(request));

  const close = (focusTrigger: boolean) => {
    setOpen(false);
    if (focusTrigger) triggerRef.current?.focus();
  };
  useClickOutside(open || detailsOpen, rootRef, () => {
    setOpen(false);
    setDetailsOpen(false);
  });

  const openMenu = (at: 'selected' | 'first' | 'last') => {
    if (clusters) void controller.listContexts();
    const selected = items.findIndex((i) => sameSource(shown, i.request));
    setActive(at === 'last' ? items.length - 1 : at === 'first' ? 0 : Math.max(0, selected));
    setDetailsOpen(false);
    setOpen(true);
  };

  useEffect(() => {
    if (open) listRef.current?.focus();
  }, [open]);

  // The list grows when the contexts arrive; keep the active entry in range.
  const activeIndex = Math.min(active, items.length - 1);
  useEffect(() => {
    if (!open) return;
    document.getElementById(items[activeIndex]?.id ?? '')?.scrollIntoView?.({ block: 'nearest' });
  });

  const choose = (item: Item | undefined) => {
    if (item === undefined) return;
    close(true);
    void (item.request.kind === 'dropped' ? controller.reload() : controller.openSource(item.request));
  };

  const onTriggerKey = (e: ReactKeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      openMenu(e.key === 'ArrowUp' ? 'last' : 'selected');
    }
  };

  const onListKey = (e: ReactKeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        setActive(Math.min(items.length - 1, activeIndex + 1));
        return;
      case 'ArrowUp':
        e.preventDefault();
        setActive(Math.max(0, activeIndex - 1));
        return;
      case 'Home':
        e.preventDefault();
        setActive(0);
        return;
      case 'End':
        e.preventDefault();
        setActive(items.length - 1);
        return;
      case 'Enter':
      case ' ':
        e.preventDefault();
        choose(items[activeIndex]);
        return;
      case 'Escape':
        // preventDefault: the app-wide Escape (clear the selection) must not fire as well.
        e.preventDefault();
        close(true);
        return;
      case 'Tab':
        setOpen(false);
        return;
    }
  };

  const option = (item: Item, children: ReactNode, extra?: Record<string, string>) => {
    const index = itemIndex(item.request);
    const selected = sameSource(shown, item.request);
    return (
      <div
        key={item.id}
        id={item.id}
        role="option"
        aria-selected={selected}
        className={`source-option ${index === activeIndex ? 'active' : ''} ${selected ? 'selected' : ''}`}
        data-testid="source-option"
        data-kind={item.request.kind}
        onMouseMove={() => index !== activeIndex && setActive(index)}
        onClick={() => choose(item)}
        {...extra}
      >
        <span className="source-option-check">{selected && <IconCheck />}</span>
        {children}
      </div>
    );
  };

  const title =
    shown.kind === 'manifests'
      ? shown.paths.join('\n')
      : shown.kind === 'dropped'
        ? `${shown.files.join('\n')}\n${DROPPED_RELOAD}`
        : shown.kind === 'cluster'
          ? `${shown.context}${shown.server !== undefined ? ` — ${shown.server}` : ''}`
          : sourceName(shown);

  return (
    <div className="source-picker" ref={rootRef}>
      <button
        ref={triggerRef}
        type="button"
        className={`source-badge source-trigger ${open ? 'open' : ''}`}
        data-testid="source"
        data-kind={shown.kind === 'none' ? '' : shown.kind}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? `${baseId}-list` : undefined}
        aria-label={`Source: ${KIND_LABEL[shown.kind]} ${sourceName(shown)}. Choose a source`}
        title={title}
        onClick={() => (open ? close(false) : openMenu('selected'))}
        onKeyDown={onTriggerKey}
      >
        <span className="source-icon">
          <SourceIcon kind={shown.kind} />
        </span>
        <span className="source-kind">{KIND_LABEL[shown.kind]}</span>
        <span className="source-name">{sourceName(shown)}</span>
        {shown.kind === 'cluster' && shown.server !== undefined && shown.server !== '' && (
          <span className="source-server mono" data-testid="source-server">
            {shown.server.replace(/^https?:\/\//, '')}
          </span>
        )}
        <Chevron />
      </button>
      {pill !== undefined &&
        (pill.state === 'loaded-with-errors' ? (
          // Refused objects are listed with their file and line in the load issues.
          <button
            type="button"
            className={`source-state pill-${pill.tone}`}
            data-testid="connection-pill"
            data-state={pill.state}
            aria-haspopup="dialog"
            aria-label={`${pill.label}. Show the load issues`}
            onClick={() => setIssuesOpen(true)}
          >
            {pill.label}
          </button>
        ) : hasDetails ? (
          <button
            type="button"
            className={`source-state pill-${pill.tone}`}
            data-testid="connection-pill"
            data-state={pill.state}
            aria-haspopup="dialog"
            aria-expanded={detailsOpen}
            aria-label={`${pill.label}. Show connection details`}
            onClick={() => {
              setOpen(false);
              setDetailsOpen(!detailsOpen);
            }}
          >
            {pill.label}
          </button>
        ) : (
          <span
            className={`source-state pill-${pill.tone}`}
            data-testid="connection-pill"
            data-state={pill.state}
            role="status"
          >
            {pill.tone === 'busy' && <span className="spinner spinner-sm" aria-hidden="true" />}
            {pill.label}
          </span>
        ))}
      {open && (
        <div className="popover source-menu" data-testid="source-menu">
          <div
            ref={listRef}
            id={`${baseId}-list`}
            role="listbox"
            tabIndex={-1}
            aria-label="Sources"
            aria-activedescendant={items[activeIndex]?.id}
            className="source-list"
            onKeyDown={onListKey}
          >
            <div role="group" aria-labelledby={`${baseId}-g-builtin`}>
              <div className="source-group-label" id={`${baseId}-g-builtin`} role="presentation">
                Built in
              </div>
              {option(
                items[0] as Item,
                <span className="source-option-body">
                  <span className="source-option-title">Demo cluster</span>
                  <span className="source-option-sub">Six namespaces and their policies, for exploring</span>
                </span>,
              )}
              {shown.kind === 'manifests' &&
                option(
                  items[1] as Item,
                  <span className="source-option-body">
                    <span className="source-option-title">Manifests</span>
                    <span className="source-option-sub mono">{sourceName(shown)}</span>
                  </span>,
                )}
              {shown.kind === 'dropped' &&
                option(
                  items[1] as Item,
                  <span className="source-option-body">
                    <span className="source-option-title">Dropped files</span>
                    <span className="source-option-sub mono">{sourceName(shown)}</span>
                    <span className="source-option-sub">{DROPPED_RELOAD}</span>
                  </span>,
                )}
            </div>
            {groups.map((group) => (
              <div
                key={group.file}
                role="group"
                aria-label={`Contexts in ${group.file}`}
                data-testid="context-group"
                data-file={group.file}
              >
                <div className="source-group-label" role="presentation" title={group.file}>
                  <IconFile />
                  <span className="mono">{group.file}</span>
                </div>
                {group.contexts.map((c) => {
                  const item = items.find((i) => i.context === c) as Item;
                  return option(item, <ContextEntry context={c} />, {
                    'data-context': c.name,
                    'data-file': c.file,
                  });
                })}
              </div>
            ))}
          </div>
          {clusters && contexts === undefined && (
            <div className="source-menu-note" role="status">
              <span className="spinner spinner-sm" aria-hidden="true" /> Reading kubeconfig…
            </div>
          )}
          {clusters && contexts !== undefined && contexts.contexts.length === 0 && (
            <div className="source-menu-note" data-testid="no-contexts">
              No kubeconfig contexts
              {contexts.files.length > 0 ? ` in ${contexts.files.join(', ')}` : ''}.
            </div>
          )}
          {clusters && contexts !== undefined && contexts.problems.length > 0 && (
            <ul
              className="source-problems"
              data-testid="kubeconfig-problems"
              aria-label="Kubeconfig problems"
            >
              {contexts.problems.map((p, i) => (
                <li key={i}>
                  <IconAlert />
                  <span>{p}</span>
                </li>
              ))}
            </ul>
          )}
          <div className="source-menu-footer" aria-hidden="true">
            <span>
              <kbd className="kbd">↑</kbd>
              <kbd className="kbd">↓</kbd> move
            </span>
            <span>
              <kbd className="kbd">Enter</kbd> open
            </span>
            <span>
              <kbd className="kbd">Esc</kbd> close
            </span>
          </div>
        </div>
      )}
      {detailsOpen && hasDetails && <ConnectionDetails onClose={() => setDetailsOpen(false)} />}
      <OpenManifestsButton />
      <DropManifests />
    </div>
  );
}

function ContextEntry({ context: c }: { context: KubeContext }) {
  return (
    <span className="source-option-body">
      <span className="source-option-title">
        <span className="mono">{c.name}</span>
        {c.current && (
          <span className="tag tag-current" title="The kubeconfig's current-context">
            current
          </span>
        )}
        {c.insecureSkipTlsVerify && (
          <span
            className="tag tag-insecure"
            data-testid="tls-off"
            title="insecure-skip-tls-verify: the server's certificate is not checked"
          >
            ⚠ TLS verification off
          </span>
        )}
      </span>
      <span className="source-option-sub">
        <span className="mono">{c.server}</span>
        <span className="source-option-dot" aria-hidden="true">
          ·
        </span>
        <span>{AUTH_LABEL[c.auth]}</span>
        {c.namespace !== undefined && (
          <>
            <span className="source-option-dot" aria-hidden="true">
              ·
            </span>
            <span>ns {c.namespace}</span>
          </>
        )}
      </span>
      <span className="source-option-file mono" title={c.file}>
        from {baseName(c.file)}
      </span>
    </span>
  );
}

/** The pane the pill opens: why the connection is not plainly live, with the context's file. */
function ConnectionDetails({ onClose }: { onClose: () => void }) {
  const controller = useController();
  const status = useSource((s) => s.status);
  const contexts = useSource((s) => s.contexts);
  const source = shownSource(status, undefined, contexts);
  const context =
    source.kind === 'cluster' ? contexts?.contexts.find((c) => c.name === source.context) : undefined;
  const connection = status.state === 'ready' ? status.connection : undefined;

  let heading = 'Connection';
  let since: string | undefined;
  let reason: string | undefined;
  let detail: string | undefined;
  let hint: string | undefined;
  let file = context?.file;
  let retry = false;
  if (status.state === 'failed') {
    const f = failureText(status.error);
    heading = 'Could not open the source';
    reason = f.message;
    ({ detail, hint } = f);
    file = f.file ?? file;
    retry = true;
  } else if (connection?.state === 'error') {
    heading = 'Connection error';
    reason = connection.reason;
    ({ detail, hint } = splitHint(connection.detail));
    retry = true;
  } else if (connection?.state === 'reconnecting') {
    heading = 'Reconnecting';
    since = connection.since;
    reason = connection.reason;
  } else if (connection?.state === 'stale') {
    heading = 'Possibly out of date';
    since = connection.since;
    reason = connection.reason;
  } else if (connection?.state === 'live') {
    heading = 'Live, with partial access';
  }
  const forbidden = forbiddenOf(connection);

  return (
    <div
      className="popover connection-details"
      role="dialog"
      aria-label="Connection details"
      data-testid="connection-details"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div className="popover-header">
        <span>{heading}</span>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <IconClose />
        </button>
      </div>
      <dl className="connection-fields">
        {source.kind === 'cluster' && (
          <div>
            <dt>Context</dt>
            <dd className="mono">{source.context}</dd>
          </div>
        )}
        {source.kind === 'cluster' && source.server !== undefined && (
          <div>
            <dt>Server</dt>
            <dd className="mono">{source.server}</dd>
          </div>
        )}
        {file !== undefined && (
          <div>
            <dt>Kubeconfig</dt>
            <dd className="mono" data-testid="connection-file">
              {file}
            </dd>
          </div>
        )}
        {since !== undefined && (
          <div>
            <dt>Since</dt>
            <dd>
              <time dateTime={since}>{clockTime(since)}</time>
            </dd>
          </div>
        )}
        {reason !== undefined && (
          <div>
            <dt>Reason</dt>
            <dd data-testid="connection-reason">{reason}</dd>
          </div>
        )}
      </dl>
      {hint !== undefined && (
        <div className="callout callout-hint" data-testid="install-hint">
          {hint}
        </div>
      )}
      {detail !== undefined && (
        <pre className="connection-detail" data-testid="connection-detail">
          {detail}
        </pre>
      )}
      {forbidden.length > 0 && (
        <ul className="connection-forbidden">
          {forbiddenSummary(forbidden).map((f) => (
            <li key={f.resource}>{f.text}</li>
          ))}
        </ul>
      )}
      {context?.insecureSkipTlsVerify === true && (
        <div className="callout callout-warning">
          ⚠ TLS verification is off for this cluster (insecure-skip-tls-verify).
        </div>
      )}
      {retry && (
        <div className="connection-actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              onClose();
              void controller.reload();
            }}
          >
            <IconRefresh />
            Retry
          </button>
        </div>
      )}
    </div>
  );
}
