import { useEffect, useState } from 'react';
import { useAnalysis, useSource, useStores, useView } from '../store/context.tsx';
import { CommandPalette } from './CommandPalette.tsx';
import { ConnectionBanner, SourceFailure } from './ConnectionBanner.tsx';
import { DetailsPanel } from './DetailsPanel.tsx';
import { EditorPanel } from '../editor/EditorPanel.tsx';
import { useEditor, useEditorHandle } from '../editor/hooks.ts';
import { GraphView, type GraphViewProps } from './GraphView.tsx';
import { Header } from './Header.tsx';
import { IconAlert } from './icons.tsx';
import { MatrixView } from './MatrixView.tsx';
import { SidePanel } from './SidePanel.tsx';
import { FlowsKeptBanner, FlowsPanel } from '../flows/FlowsPanel.tsx';
import { useFlows } from '../flows/hooks.ts';

/** A pill over the stage while the worker is busy for more than a moment (the UI never waits on it). */
function AnalysisIndicator() {
  const pending = useAnalysis((s) => s.pending);
  const status = useAnalysis((s) => s.status);
  const error = useAnalysis((s) => s.error);
  const [show, setShow] = useState(false);
  useEffect(() => {
    if (pending === 0) {
      setShow(false);
      return;
    }
    const timer = setTimeout(() => setShow(true), 150);
    return () => clearTimeout(timer);
  }, [pending]);
  if (status === 'failed') {
    return (
      <div className="banner banner-warning" role="alert" data-testid="analysis-error">
        <IconAlert />
        Analysis failed: {error}
      </div>
    );
  }
  return (
    <div
      className={`analysis-pill ${show ? 'visible' : ''}`}
      role="status"
      aria-live="polite"
      data-testid="analysis-status"
      data-busy={pending > 0 ? 'true' : 'false'}
      data-state={status}
    >
      {show && (
        <>
          <span className="spinner" aria-hidden="true" />
          {status === 'loading' ? 'Analysing the cluster…' : 'Working…'}
        </>
      )}
    </div>
  );
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Ctrl/Cmd+K or `/` opens search; Escape closes what is open, then clears the selection. With the
 * policy editor in view, Escape first leaves a field, then closes the editor (its drafts stay).
 */
function useShortcuts(): void {
  const { view } = useStores();
  const editor = useEditorHandle();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const state = view.getState();
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        state.setPaletteOpen(!state.paletteOpen);
      } else if (e.key === '/' && !isTyping(e.target) && !state.paletteOpen) {
        e.preventDefault();
        state.setPaletteOpen(true);
      } else if (e.key === 'Escape' && !e.defaultPrevented) {
        const typing = isTyping(e.target) && !state.paletteOpen;
        const drafting = editor.store.getState();
        if (drafting.open && !state.paletteOpen && !state.issuesOpen) {
          // The selection is out of sight behind the editor: Escape must not clear it unseen.
          if (typing) (e.target as HTMLElement).blur();
          else drafting.setOpen(false);
          return;
        }
        if (typing) (e.target as HTMLElement).blur();
        state.escape();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [view, editor]);
}

/** A big snapshot arriving in parts: how many of its pods are in. */
function LoadProgress({ received, total }: { received: number; total: number }) {
  const label = `Receiving the cluster: ${received.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} pods`;
  return (
    <div className="overlay-card overlay-quiet load-progress" role="status" data-testid="load-progress">
      <span>{label}</span>
      <progress max={total} value={received} aria-label={label} />
    </div>
  );
}

/** Over the graph: connecting, loading (with progress for a big snapshot), a failed source, a lost link, an empty source. */
function GraphOverlay() {
  const link = useSource((s) => s.link);
  const status = useSource((s) => s.status);
  const snapshot = useSource((s) => s.snapshot);
  const requestError = useSource((s) => s.requestError);
  const progress = useSource((s) => s.loadProgress);

  if (link === 'lost') {
    return (
      <div className="banner banner-warning" role="status">
        <IconAlert />
        Lost the connection to netglass; reconnecting…
      </div>
    );
  }
  if (status.state === 'failed') {
    return <SourceFailure error={status.error} request={status.request} />;
  }
  if (progress !== undefined) {
    return <LoadProgress received={progress.received} total={progress.total} />;
  }
  if (snapshot === undefined) {
    return (
      <div className="overlay-card overlay-quiet" role="status">
        <span className="spinner" aria-hidden="true" />
        {link === 'connecting' ? 'Connecting…' : 'Loading…'}
      </div>
    );
  }
  if (snapshot.pods.length === 0 && snapshot.namespaces.length === 0) {
    return (
      <div className="overlay-card overlay-quiet" role="status">
        This source has no namespaces or pods.
      </div>
    );
  }
  if (requestError !== undefined) {
    return (
      <div className="banner banner-warning" role="alert">
        <IconAlert />
        {requestError.message}
      </div>
    );
  }
  return null;
}

function Unavailable({ reason }: { reason: string }) {
  return (
    <div className="unavailable" role="alert">
      <div className="overlay-card">
        <div className="overlay-title">netglass cannot reach its backend</div>
        <p className="overlay-text">{reason}</p>
      </div>
    </div>
  );
}

export function App({ graph }: { graph?: GraphViewProps }) {
  const link = useSource((s) => s.link);
  const problem = useSource((s) => s.linkProblem);
  const stage = useView((s) => s.stage);
  const hasDetails = useView((s) => s.selection !== undefined || s.reach.active);
  const editorOpen = useEditor((s) => s.open);
  // The Flows panel takes the details' place while nothing is selected.
  const flowsShown = useFlows((s) => s.open && s.view !== undefined) && !hasDetails;
  useShortcuts();
  if (link === 'unavailable') return <Unavailable reason={problem ?? 'No API.'} />;
  return (
    <div className="app">
      <Header />
      <main
        className={`workspace ${editorOpen ? 'with-editor' : hasDetails || flowsShown ? 'with-details' : ''}`}
      >
        <SidePanel />
        <section className="stage" aria-label={stage === 'graph' ? 'Graph' : 'Namespace matrix'}>
          {/* Above the graph, not over it: the graph gives up the banner's height. */}
          <ConnectionBanner />
          <div className="stage-body">
            {/* The graph stays mounted under the matrix so its layout survives a switch. */}
            <div className={`stage-layer ${stage === 'graph' ? '' : 'stage-hidden'}`}>
              <GraphView {...graph} />
            </div>
            {stage === 'matrix' && <MatrixView />}
            <GraphOverlay />
            <AnalysisIndicator />
            {editorOpen && <FlowsKeptBanner />}
          </div>
        </section>
        {editorOpen ? <EditorPanel /> : flowsShown ? <FlowsPanel /> : <DetailsPanel />}
      </main>
      <CommandPalette />
    </div>
  );
}
