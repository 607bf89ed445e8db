/**
 * "Open manifests…" beside the source picker, and dropping files or folders on the window.
 *
 * Electron: the Node side shows a native open dialog (files, or a folder) and opens what the user
 * chose. Web mode: the path(s) on the server's machine, typed one per line; the server refuses a path
 * that does not exist, cannot be read or holds no manifest, and the current source stays. Anywhere:
 * files and folders dropped on the window are read by the browser and sent as text (an in-memory
 * source named after the files; reloading it parses the same text again).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError, NetglassApi } from '../../../shared/api/api.ts';
import { useSource, useStores } from '../store/context.tsx';
import { dragHasFiles, droppedItems, openDropped, parsePathList, readDropped } from './open-manifests.ts';
import { IconAlert, IconClose, IconFile } from './icons.tsx';

type DropState =
  | { readonly step: 'idle' }
  | { readonly step: 'reading' }
  | { readonly step: 'sending'; readonly files: number }
  | { readonly step: 'failed'; readonly message: string };

/** The raw API (for results the controller does not return); absent in tests without one. */
function useApi(): NetglassApi | undefined {
  return useStores().editor?.api;
}

function messageOf(error: ApiError): string {
  return error.message;
}

/** An open folder: "open" rather than the file icon the source pill shows. */
const IconOpen = () => (
  <svg
    className="icon"
    width="16"
    height="16"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.75"
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
  >
    <path d="M3 7a2 2 0 0 1 2-2h4l2 2h6a2 2 0 0 1 2 2v1" />
    <path d="M3 7v10a2 2 0 0 0 2 2h12.5a2 2 0 0 0 1.9-1.4L21.8 12a1.5 1.5 0 0 0-1.4-2H8.2a2 2 0 0 0-1.9 1.4L3 19" />
  </svg>
);

export function OpenManifestsButton() {
  const api = useApi();
  const nativeDialog = useSource((s) => s.info?.capabilities.includes('open-dialog') ?? false);
  const canOpen = useSource((s) => s.info?.capabilities.includes('manifests') ?? false);
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  // A click elsewhere closes the dialog, as it does the other popovers of the header.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (rootRef.current !== null && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  if (api === undefined || !canOpen) return null;
  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  return (
    <div className="open-manifests" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button button-ghost"
        data-testid="open-manifests"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-label="Open manifests"
        title="Open manifest files or a folder (or drop them on the window)"
        onClick={() => setOpen(!open)}
      >
        <IconOpen />
        <span className="button-label">Open…</span>
      </button>
      {open && <OpenDialog api={api} nativeDialog={nativeDialog} onClose={close} />}
    </div>
  );
}

function OpenDialog({
  api,
  nativeDialog,
  onClose,
}: {
  api: NetglassApi;
  nativeDialog: boolean;
  onClose: () => void;
}) {
  const [paths, setPaths] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const firstRef = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    (nativeDialog ? firstRef.current : inputRef.current)?.focus();
  }, [nativeDialog]);

  const choose = async (pick: 'files' | 'folder') => {
    if (api.chooseManifests === undefined) return;
    setBusy(true);
    setError(undefined);
    const result = await api.chooseManifests({ pick });
    setBusy(false);
    if (!result.ok) setError(messageOf(result.error));
    else if (result.value.outcome === 'opened') onClose();
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const list = parsePathList(paths);
    if (list.length === 0) {
      setError('Type the path of a manifest file or folder.');
      return;
    }
    setBusy(true);
    setError(undefined);
    const result = await api.openSource({ kind: 'manifests', paths: list, strict: true });
    setBusy(false);
    if (!result.ok) setError(messageOf(result.error));
    else onClose();
  };

  return (
    <div
      className="popover open-manifests-dialog"
      role="dialog"
      aria-label="Open manifests"
      data-testid="open-manifests-dialog"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          // The app-wide Escape (clear the selection) must not fire as well.
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="popover-header">
        <span>Open manifests</span>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <IconClose />
        </button>
      </div>
      <div className="open-manifests-body">
        {nativeDialog ? (
          <div className="open-manifests-choices">
            <button
              ref={firstRef}
              type="button"
              className="button button-primary"
              data-testid="open-files"
              disabled={busy}
              onClick={() => void choose('files')}
            >
              Files…
            </button>
            <button
              type="button"
              className="button"
              data-testid="open-folder"
              disabled={busy}
              onClick={() => void choose('folder')}
            >
              Folder…
            </button>
          </div>
        ) : (
          <form onSubmit={(e) => void submit(e)}>
            <label htmlFor={`${id}-paths`} className="open-manifests-label">
              Path on the server, one per line (a file, or a folder of .yaml, .yml and .json files)
            </label>
            <textarea
              ref={inputRef}
              id={`${id}-paths`}
              className="ed-input mono open-manifests-paths"
              data-testid="open-path"
              rows={2}
              spellCheck={false}
              placeholder="/path/to/manifests"
              value={paths}
              aria-invalid={error !== undefined}
              aria-describedby={error !== undefined ? `${id}-error` : `${id}-hint`}
              onChange={(e) => setPaths(e.target.value)}
              onKeyDown={(e) => {
                // Enter opens; Shift+Enter starts another path.
                if (e.key === 'Enter' && !e.shiftKey) void submit(e);
              }}
            />
            <div className="open-manifests-actions">
              <span className="fine-print" id={`${id}-hint`}>
                Relative paths start where netglass was started. Enter opens, Shift+Enter adds a line.
              </span>
              <button
                type="submit"
                className="button button-primary"
                data-testid="open-path-submit"
                disabled={busy}
              >
                {busy ? 'Opening…' : 'Open'}
              </button>
            </div>
          </form>
        )}
        {error !== undefined && (
          <div className="callout callout-danger" role="alert" id={`${id}-error`} data-testid="open-error">
            {error}
          </div>
        )}
        <p className="fine-print">
          Or drop manifest files or folders anywhere on the window: their text is read by the browser and
          loaded as is; Reload parses that text again (drop them again to pick up changes).
        </p>
      </div>
    </div>
  );
}

/**
 * Files dragged over the window: an overlay says what dropping does, and the drop opens them. Drags
 * of anything but files (text, links) are left alone.
 */
export function DropManifests() {
  const api = useApi();
  const canOpen = useSource((s) => s.info?.capabilities.includes('manifests') ?? false);
  const [over, setOver] = useState(false);
  const [state, setState] = useState<DropState>({ step: 'idle' });
  const depth = useRef(0);
  const enabled = api !== undefined && canOpen;

  useEffect(() => {
    if (!enabled || api === undefined) return;
    const onEnter = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer)) return;
      e.preventDefault();
      depth.current += 1;
      setOver(true);
    };
    const onOver = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer)) return;
      // Without this the browser opens the file itself instead of handing the drop to the page.
      e.preventDefault();
      if (e.dataTransfer !== null) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const onDrop = (e: DragEvent) => {
      if (e.dataTransfer === null || !dragHasFiles(e.dataTransfer)) return;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      const items = droppedItems(e.dataTransfer);
      void (async () => {
        setState({ step: 'reading' });
        const read = await readDropped(items);
        if (!read.ok) return setState({ step: 'failed', message: read.message });
        setState({ step: 'sending', files: read.files.length });
        const opened = await openDropped(api, read.files);
        setState(opened.ok ? { step: 'idle' } : { step: 'failed', message: opened.error.message });
      })();
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [enabled, api]);

  if (!enabled) return null;
  return (
    <>
      {over && (
        <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-card">
            <IconFile />
            Drop manifest files or folders to open them
          </div>
        </div>
      )}
      {(state.step === 'reading' || state.step === 'sending') && (
        <span className="source-state pill-busy" role="status" data-testid="drop-progress">
          <span className="spinner spinner-sm" aria-hidden="true" />
          {state.step === 'reading' ? 'Reading the dropped files…' : `Sending ${state.files} files…`}
        </span>
      )}
      {state.step === 'failed' && (
        <div className="popover drop-error" role="alert" data-testid="drop-error">
          <IconAlert />
          <span>{state.message}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => setState({ step: 'idle' })}
          >
            <IconClose />
          </button>
        </div>
      )}
    </>
  );
}
