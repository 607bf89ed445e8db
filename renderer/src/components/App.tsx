import { useController, useSource } from '../store/context.tsx';
import { GraphView, type GraphViewProps } from './GraphView.tsx';
import { Header } from './Header.tsx';
import { IconAlert } from './icons.tsx';
import { Inspector } from './Inspector.tsx';
import { SidePanel } from './SidePanel.tsx';

/** Over the graph: connecting, loading, a failed source, a lost link, an empty source. */
function GraphOverlay() {
  const link = useSource((s) => s.link);
  const status = useSource((s) => s.status);
  const snapshot = useSource((s) => s.snapshot);
  const requestError = useSource((s) => s.requestError);
  const controller = useController();

  if (link === 'lost') {
    return (
      <div className="banner banner-warning" role="status">
        <IconAlert />
        Lost the connection to netglass; reconnecting…
      </div>
    );
  }
  if (status.state === 'failed') {
    return (
      <div className="overlay-card" role="alert" data-testid="source-error">
        <div className="overlay-title">Could not load the source</div>
        <p className="overlay-text">{status.error.message}</p>
        <button
          type="button"
          className="button button-primary"
          onClick={() => void controller.openSource({ kind: 'demo' })}
        >
          Open the demo cluster
        </button>
      </div>
    );
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
  if (link === 'unavailable') return <Unavailable reason={problem ?? 'No API.'} />;
  return (
    <div className="app">
      <Header />
      <main className="workspace">
        <SidePanel />
        <section className="stage" aria-label="Graph">
          <GraphView {...graph} />
          <GraphOverlay />
          <Inspector />
        </section>
      </main>
    </div>
  );
}
