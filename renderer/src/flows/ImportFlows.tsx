/**
 * "Import flows…" in the header: flow files (Hubble JSON lines, Calico flows) chosen in the browser,
 * read here and compared in the analysis worker; once imported, the same place reopens the Flows
 * panel. Reading shows its progress; a failure says why (size, format) and what to do.
 */
import { IconActivity } from '../components/icons.tsx';
import { useRef } from 'react';
import { useSource, useStores, useView } from '../store/context.tsx';
import { useEditor, useEditorHandle } from '../editor/hooks.ts';
import { useFlows, useFlowsHandle } from './hooks.ts';

export function ImportFlowsButton() {
  const handle = useFlowsHandle();
  const snapshot = useSource((s) => s.snapshot);
  const status = useFlows((s) => s.status);
  const view = useFlows((s) => s.view);
  const open = useFlows((s) => s.open);
  const setOpen = useFlows((s) => s.setOpen);
  const editor = useEditorHandle().store;
  const viewStore = useStores().view;
  // The editor, a selection and Reach each take the panel's place: open, it may be out of sight.
  const editorOpen = useEditor((s) => s.open);
  const detailsOpen = useView((s) => s.selection !== undefined || s.reach.active);
  const shown = open && !editorOpen && !detailsOpen;
  const input = useRef<HTMLInputElement>(null);
  if (handle === undefined) return null;
  const reading = status.step === 'reading';
  const percent = reading && status.total > 0 ? Math.round((100 * status.read) / status.total) : 0;
  return (
    <div className="import-flows">
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept=".json,.jsonl,.ndjson,.log,.txt,application/json"
        data-testid="import-flows-input"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length > 0) void handle.importFiles(files);
        }}
      />
      <button
        type="button"
        className="button"
        data-testid="import-flows"
        disabled={snapshot === undefined || reading}
        title="Compare observed traffic (Hubble or Calico flow logs) with the policies; the files are read here, not uploaded"
        onClick={() => input.current?.click()}
        aria-label={reading ? `Reading flows… ${percent}%` : 'Import flows…'}
      >
        <IconActivity />
        <span className="button-label">{reading ? `Reading flows… ${percent}%` : 'Import flows…'}</span>
      </button>
      {view !== undefined && (
        <button
          type="button"
          className={`button ${shown ? 'button-active' : ''}`}
          aria-pressed={shown}
          data-testid="open-flows"
          data-contradictions={view.counts.contradiction}
          onClick={() => {
            if (shown) {
              setOpen(false);
              return;
            }
            // Bring the panel into sight: what covers it gives way (the editor keeps its drafts).
            editor.getState().setOpen(false);
            viewStore.getState().closeReach();
            viewStore.getState().select(undefined);
            setOpen(true);
          }}
        >
          Flows
          {view.counts.contradiction > 0 && (
            <span className="flows-badge" title="contradictions">
              {view.counts.contradiction}
            </span>
          )}
        </button>
      )}
      {status.step === 'failed' && view === undefined && (
        <div className="popover flows-import-error" role="alert" data-testid="import-flows-error">
          {status.message}
        </div>
      )}
    </div>
  );
}
