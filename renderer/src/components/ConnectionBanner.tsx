/**
 * Above the graph, whenever a live cluster is not plainly live: reconnecting (the last snapshot stays
 * on screen), stale (watches up, but the API server fails its health check), a connection error (reason, details, retry), and lists the user may not make (RBAC),
 * with the namespaces they can read instead. `SourceFailure` explains a source that could not be
 * opened at all, so a failure never leaves a blank screen.
 */
import { useEffect, useId, useState } from 'react';
import type { ApiError, SourceRequest } from '../../../shared/api/api.ts';
import {
  baseName,
  clockTime,
  failureText,
  forbiddenOf,
  forbiddenSummary,
  parseNamespaces,
  splitHint,
} from '../store/cluster-model.ts';
import { useController, useSource } from '../store/context.tsx';
import { IconAlert, IconRefresh, IconShield } from './icons.tsx';

const NO_NAMESPACES: readonly string[] = [];

export function ConnectionBanner() {
  const status = useSource((s) => s.status);
  const [hidden, setHidden] = useState<string | undefined>(undefined);
  if (status.state !== 'ready' || status.connection === undefined || status.source.kind !== 'cluster') {
    return null;
  }
  const context = status.source.context;
  const connection = status.connection;
  const forbidden = forbiddenOf(connection);
  if (
    connection.state !== 'reconnecting' &&
    connection.state !== 'stale' &&
    connection.state !== 'error' &&
    forbidden.length === 0
  ) {
    return null;
  }
  return (
    <div className="connection-banner" data-testid="connection-banner" data-state={connection.state}>
      {connection.state === 'reconnecting' && (
        <div
          className="cluster-banner cluster-banner-warning"
          role="status"
          data-testid="banner-reconnecting"
        >
          <span className="spinner spinner-sm" aria-hidden="true" />
          <div className="cluster-banner-text">
            <strong>
              Reconnecting to {context} since{' '}
              <time dateTime={connection.since}>{clockTime(connection.since)}</time>
            </strong>
            <span>
              {connection.reason !== '' ? `${connection.reason}. ` : ''}Showing the last state read; changes
              appear when the cluster answers again.
            </span>
          </div>
        </div>
      )}
      {connection.state === 'stale' && (
        <div className="cluster-banner cluster-banner-warning" role="status" data-testid="banner-stale">
          <IconAlert />
          <div className="cluster-banner-text">
            <strong>
              {context} may be out of date since{' '}
              <time dateTime={connection.since}>{clockTime(connection.since)}</time>
            </strong>
            <span>
              {connection.reason}. The watches are open but the server may not see changes; the graph shows
              the last state read and follows again once the server is ready.
            </span>
          </div>
        </div>
      )}
      {connection.state === 'error' && (
        <ErrorBanner context={context} reason={connection.reason} detail={connection.detail} />
      )}
      {forbidden.length > 0 &&
        (hidden === context ? (
          <button
            type="button"
            className="cluster-banner cluster-banner-info cluster-banner-compact"
            data-testid="banner-forbidden-collapsed"
            onClick={() => setHidden(undefined)}
          >
            <IconShield />
            Partial access: some lists are forbidden. Show
          </button>
        ) : (
          <ForbiddenBanner context={context} onHide={() => setHidden(context)} />
        ))}
    </div>
  );
}

function ErrorBanner({ context, reason, detail }: { context: string; reason: string; detail: string }) {
  const controller = useController();
  const [open, setOpen] = useState(false);
  const id = useId();
  const split = splitHint(detail);
  return (
    <div className="cluster-banner cluster-banner-danger" role="alert" data-testid="banner-error">
      <IconAlert />
      <div className="cluster-banner-text">
        <strong>Lost the connection to {context}</strong>
        <span>{reason}</span>
        {split.hint !== undefined && (
          <span className="cluster-hint" data-testid="install-hint">
            {split.hint}
          </span>
        )}
        {open && split.detail !== undefined && (
          <pre className="connection-detail" id={id} data-testid="error-detail">
            {split.detail}
          </pre>
        )}
      </div>
      <div className="cluster-banner-actions">
        {split.detail !== undefined && (
          <button
            type="button"
            className="text-button"
            aria-expanded={open}
            aria-controls={id}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide details' : 'Details'}
          </button>
        )}
        <button type="button" className="button" onClick={() => void controller.reload()}>
          <IconRefresh />
          Retry
        </button>
      </div>
    </div>
  );
}

function ForbiddenBanner({ context, onHide }: { context: string; onHide: () => void }) {
  const controller = useController();
  const status = useSource((s) => s.status);
  const remembered =
    useSource((s) => s.contexts?.contexts.find((c) => c.name === context)?.rememberedNamespaces) ??
    NO_NAMESPACES;
  const forbidden = forbiddenOf(status.state === 'ready' ? status.connection : undefined);
  const [text, setText] = useState(remembered.join(', '));
  const [dirty, setDirty] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const inputId = useId();
  const helpId = useId();

  // The remembered namespaces arrive with the context list; fill them in unless the user typed.
  const rememberedText = remembered.join(', ');
  useEffect(() => {
    if (!dirty) setText(rememberedText);
  }, [rememberedText, dirty]);

  const summary = forbiddenSummary(forbidden);

  const submit = () => {
    const parsed = parseNamespaces(text);
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    setProblem(undefined);
    setDirty(false);
    void controller
      .openSource({ kind: 'cluster', context, namespaces: parsed.namespaces })
      .then(() => controller.listContexts());
  };

  return (
    <section
      className="cluster-banner cluster-banner-info cluster-banner-forbidden"
      aria-label="Partial access"
      data-testid="banner-forbidden"
    >
      <IconShield />
      <div className="cluster-banner-text">
        <strong>Partial access to {context}</strong>
        <ul className="forbidden-list">
          {summary.map((f) => (
            <li key={f.resource} data-testid="forbidden-item" data-resource={f.resource} title={f.reasons}>
              {f.text}
            </li>
          ))}
        </ul>
        <form
          className="namespaces-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label htmlFor={inputId}>Namespaces you can read</label>
          <div className="namespaces-row">
            <input
              id={inputId}
              className="text-input mono"
              data-testid="namespaces-input"
              value={text}
              placeholder="e.g. shop, billing"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={problem !== undefined}
              aria-describedby={helpId}
              onChange={(e) => {
                setText(e.target.value);
                setDirty(true);
                setProblem(undefined);
              }}
            />
            <button type="submit" className="button button-primary" data-testid="watch-namespaces">
              Watch these namespaces
            </button>
          </div>
          <span
            id={helpId}
            className={problem !== undefined ? 'namespaces-help namespaces-problem' : 'namespaces-help'}
            data-testid={problem !== undefined ? 'namespaces-problem' : undefined}
            role={problem !== undefined ? 'alert' : undefined}
          >
            {problem ??
              'Comma or space separated. Pods and policies are then listed namespace by namespace; remembered for this context.'}
          </span>
        </form>
      </div>
      <button type="button" className="text-button cluster-banner-hide" onClick={onHide}>
        Hide
      </button>
    </section>
  );
}

function requestName(request: SourceRequest): string {
  switch (request.kind) {
    case 'demo':
      return 'the demo cluster';
    case 'manifests':
      return request.paths.length === 1 ? baseName(request.paths[0] ?? '') : 'the manifests';
    case 'dropped':
      return request.files.length === 1 ? baseName(request.files[0] ?? '') : 'the dropped files';
    case 'cluster':
      return request.context;
  }
}

/** A source that could not be opened: what went wrong, the details, the install hint, what to do. */
export function SourceFailure({ error, request }: { error: ApiError; request: SourceRequest }) {
  const controller = useController();
  const f = failureText(error);
  return (
    <div className="overlay-card source-failure" role="alert" data-testid="source-error">
      <div className="overlay-title">
        {request.kind === 'cluster' ? `Could not connect to ${request.context}` : 'Could not load the source'}
      </div>
      <p className="overlay-text">{f.message}</p>
      {f.hint !== undefined && (
        <div className="callout callout-hint" data-testid="install-hint">
          {f.hint}
        </div>
      )}
      {f.file !== undefined && (
        <div className="source-failure-file">
          Kubeconfig: <span className="mono">{f.file}</span>
        </div>
      )}
      {f.detail !== undefined && (
        <details className="source-failure-details" open>
          <summary>Details</summary>
          <pre className="connection-detail" data-testid="failure-detail">
            {f.detail}
          </pre>
        </details>
      )}
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={() => void controller.reload()}
          title={`Try ${requestName(request)} again`}
        >
          <IconRefresh />
          Retry
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => void controller.openSource({ kind: 'demo' })}
        >
          Open the demo cluster
        </button>
      </div>
    </div>
  );
}
