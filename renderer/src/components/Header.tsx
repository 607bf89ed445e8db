import { useEffect, useRef, type ReactElement } from 'react';
import type { LoadIssue } from '../../../shared/model/snapshot.ts';
import { useController, useSource, useView } from '../store/context.tsx';
import type { ThemeChoice } from '../store/view-store.ts';
import { NewPolicyButton } from '../editor/entry.tsx';
import { useEditor, useEditorHandle } from '../editor/hooks.ts';
import {
  IconAlert,
  IconCheck,
  IconClose,
  IconGraph,
  IconGrid,
  IconMonitor,
  IconMoon,
  IconRefresh,
  IconRoute,
  IconSearch,
  IconSun,
  LogoMark,
} from './icons.tsx';
import { SourcePicker } from './SourcePicker.tsx';
import { CniPicker } from './CniPicker.tsx';
import { ImportFlowsButton } from '../flows/ImportFlows.tsx';
import { ExportReportButton } from '../export/ExportButtons.tsx';

export function formatLocation(issue: LoadIssue): string | undefined {
  if (issue.location === undefined) return undefined;
  const file = issue.location.file.split(/[\\/]/).pop() ?? issue.location.file;
  return `${file}:${issue.location.line}`;
}

/** An issue's file (full path), line and object, for the tooltip of its one-line, ellipsised place. */
export function describeWhere(issue: LoadIssue): string {
  const at = issue.location === undefined ? [] : [`${issue.location.file}:${issue.location.line}`];
  return [...at, ...(issue.object === undefined ? [] : [issue.object])].join(' · ');
}

const NO_ISSUES: readonly LoadIssue[] = [];

function IssuesButton() {
  const issues = useSource((s) => s.snapshot?.issues) ?? NO_ISSUES;
  const open = useView((s) => s.issuesOpen);
  const setOpen = useView((s) => s.setIssuesOpen);
  const ref = useRef<HTMLDivElement>(null);
  const tone = issues.some((i) => i.severity === 'error')
    ? 'has-errors'
    : issues.some((i) => i.severity === 'warning')
      ? 'has-warnings'
      : 'has-info';

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current !== null && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, setOpen]);

  if (issues.length === 0) {
    return (
      <div className="issues-ok" data-testid="issues" data-count="0">
        <IconCheck />
        <span className="button-label">No load issues</span>
      </div>
    );
  }
  return (
    <div className="issues" ref={ref}>
      <button
        type="button"
        className={`button issues-button ${tone}`}
        data-testid="issues"
        data-count={issues.length}
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen(!open)}
        aria-label={`${issues.length} load ${issues.length === 1 ? 'issue' : 'issues'}`}
      >
        <IconAlert />
        {issues.length}
        <span className="button-label"> {issues.length === 1 ? 'issue' : 'issues'}</span>
      </button>
      {open && (
        <div
          className="popover issues-popover"
          role="dialog"
          aria-label="Load issues"
          data-testid="issues-list"
        >
          <div className="popover-header">
            <span>Load issues</span>
            <button type="button" className="icon-button" aria-label="Close" onClick={() => setOpen(false)}>
              <IconClose />
            </button>
          </div>
          <ul className="issue-list">
            {issues.map((issue, i) => (
              <li key={i} className={`issue severity-${issue.severity}`}>
                <span className="issue-severity">{issue.severity}</span>
                <div className="issue-body">
                  {(issue.location !== undefined || issue.object !== undefined) && (
                    // Where first, on one line whatever its length (the full path in the tooltip).
                    <div className="issue-where" title={describeWhere(issue)} data-testid="issue-where">
                      {formatLocation(issue) !== undefined && (
                        <span className="mono issue-loc">{formatLocation(issue)}</span>
                      )}
                      {issue.object !== undefined && <span className="issue-object">{issue.object}</span>}
                    </div>
                  )}
                  <div className="issue-message">{issue.message}</div>
                  {issue.field !== undefined && (
                    <div className="mono issue-field" title={issue.field}>
                      {issue.field}
                    </div>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

const THEMES: readonly {
  readonly id: ThemeChoice;
  readonly label: string;
  readonly icon: () => ReactElement;
}[] = [
  { id: 'light', label: 'Light theme', icon: IconSun },
  { id: 'dark', label: 'Dark theme', icon: IconMoon },
  { id: 'system', label: 'Follow the system theme', icon: IconMonitor },
];

function ThemeToggle() {
  const theme = useView((s) => s.theme);
  const setTheme = useView((s) => s.setTheme);
  return (
    <div
      className="segmented segmented-icons"
      role="radiogroup"
      aria-label="Theme"
      data-testid="theme-toggle"
    >
      {THEMES.map((t) => (
        <button
          key={t.id}
          type="button"
          role="radio"
          aria-checked={theme === t.id}
          aria-label={t.label}
          title={t.label}
          className={theme === t.id ? 'active' : ''}
          data-theme-choice={t.id}
          onClick={() => setTheme(t.id)}
        >
          <t.icon />
        </button>
      ))}
    </div>
  );
}

function StageToggle() {
  const stage = useView((s) => s.stage);
  const setStage = useView((s) => s.setStage);
  return (
    <div className="segmented" role="radiogroup" aria-label="View">
      <button
        type="button"
        role="radio"
        aria-checked={stage === 'graph'}
        className={stage === 'graph' ? 'active' : ''}
        data-testid="stage-graph"
        onClick={() => setStage('graph')}
      >
        <IconGraph />
        Graph
      </button>
      <button
        type="button"
        role="radio"
        aria-checked={stage === 'matrix'}
        className={stage === 'matrix' ? 'active' : ''}
        data-testid="stage-matrix"
        onClick={() => setStage('matrix')}
      >
        <IconGrid />
        Matrix
      </button>
    </div>
  );
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function Header() {
  const controller = useController();
  const status = useSource((s) => s.status);
  const snapshot = useSource((s) => s.snapshot);
  const reachActive = useView((s) => s.reach.active);
  const openReach = useView((s) => s.openReach);
  const closeReach = useView((s) => s.closeReach);
  const setPaletteOpen = useView((s) => s.setPaletteOpen);
  const editor = useEditorHandle().store;
  // The editor takes the details' place: Reach is in sight only while the editor is closed.
  const reachShown = useEditor((s) => !s.open) && reachActive;
  const canReload = status.state === 'ready' || status.state === 'failed';
  return (
    <header className="app-header">
      <div className="brand">
        <LogoMark />
        <span className="brand-name">netglass</span>
      </div>
      <div className="header-divider" />
      <SourcePicker />
      <CniPicker />
      <ImportFlowsButton />
      <div className="header-spacer" />
      <button
        type="button"
        className="search-trigger"
        onClick={() => setPaletteOpen(true)}
        disabled={snapshot === undefined}
        data-testid="open-search"
        aria-keyshortcuts="Control+K Meta+K /"
      >
        <IconSearch />
        <span>Search…</span>
        <kbd className="kbd">{isMac ? '⌘' : 'Ctrl'} K</kbd>
      </button>
      <StageToggle />
      <button
        type="button"
        className={`button ${reachShown ? 'button-active' : ''}`}
        aria-pressed={reachShown}
        disabled={snapshot === undefined}
        data-testid="open-reach"
        aria-label="Reach"
        onClick={() => {
          if (reachShown) {
            closeReach();
            return;
          }
          // Otherwise Reach would open out of sight behind the editor; closing it keeps its drafts.
          editor.getState().setOpen(false);
          openReach();
        }}
        title="Can A reach B? Pick two pods"
      >
        <IconRoute />
        <span className="button-label">Reach</span>
      </button>
      <NewPolicyButton />
      <ExportReportButton />
      <div className="header-divider" />
      <IssuesButton />
      <button
        type="button"
        className="button button-ghost"
        disabled={!canReload}
        onClick={() => void controller.reload()}
        title={
          snapshot?.source.kind === 'dropped'
            ? 'Parse the dropped files again (the text read when they were dropped; drop them again for changes)'
            : 'Load the source again'
        }
        aria-label="Reload"
      >
        <IconRefresh />
        <span className="button-label">Reload</span>
      </button>
      <ThemeToggle />
    </header>
  );
}
