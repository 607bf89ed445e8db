/**
 * The graph toolbar's export menu: PNG or SVG, of what is on screen or of the whole graph. The items
 * are the graph's export commands (graph/commands.ts), the same ones the palette and Ctrl/Cmd+Shift+E
 * run; the outcome ("Downloaded demo-graph-view-….png") shows in a live region beside the toolbar.
 */
import { useEffect, useRef, useState } from 'react';
import { GRAPH_EXPORT_COMMANDS, runGraphCommand } from '../graph/commands.ts';
import type { GraphControllerState } from '../graph/graph-controller.ts';

const IconDownload = () => (
  <svg
    className="icon"
    width={16}
    height={16}
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.75"
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
  >
    <path d="M12 4v11M7 10l5 5 5-5M5 19h14" />
  </svg>
);

/** How long the outcome stays beside the toolbar (it covers a little of the graph). */
const STATUS_MS = 8000;

export function GraphExportMenu({ status }: { status: GraphControllerState['export'] }) {
  const [open, setOpen] = useState(false);
  const [shownStatus, setShownStatus] = useState(status);
  useEffect(() => {
    setShownStatus(status);
    if (status?.step !== 'done') return;
    const timer = setTimeout(() => setShownStatus(undefined), STATUS_MS);
    return () => clearTimeout(timer);
  }, [status]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent): void => {
      if (ref.current !== null && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  return (
    <div
      className="graph-export"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          e.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <button
        type="button"
        className={`icon-button ${open ? 'active' : ''}`}
        aria-label="Export the graph"
        title="Export the graph (PNG, SVG)"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="graph-export"
        onClick={() => setOpen(!open)}
      >
        <IconDownload />
      </button>
      {open && (
        <div className="popover graph-export-menu" role="menu" aria-label="Export the graph">
          {GRAPH_EXPORT_COMMANDS.map((c, i) => (
            <button
              key={c.id}
              type="button"
              role="menuitem"
              className="menu-item"
              data-testid={`graph-export-${c.format}-${c.scope}`}
              aria-keyshortcuts={c.shortcut}
              autoFocus={i === 0}
              onClick={() => {
                setOpen(false);
                runGraphCommand(c);
              }}
            >
              <span>{c.title.replace('Export graph as ', '')}</span>
              {c.shortcut !== undefined && <kbd className="kbd">Ctrl ⇧ E</kbd>}
            </button>
          ))}
        </div>
      )}
      <span
        className={`graph-export-status ${shownStatus?.step === 'done' && !shownStatus.ok ? 'warn-text' : ''}`}
        role="status"
        data-testid="graph-export-status"
        data-state={
          shownStatus === undefined
            ? 'idle'
            : shownStatus.step === 'saving'
              ? 'saving'
              : shownStatus.ok
                ? 'ok'
                : 'failed'
        }
      >
        {shownStatus === undefined ? '' : shownStatus.step === 'saving' ? 'Exporting…' : shownStatus.message}
      </span>
    </div>
  );
}
