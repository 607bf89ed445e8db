/**
 * In a namespace's details: the NetworkPolicies the loader refused there, each with its file:line,
 * and the way to the load issues. Without it the namespace would read as having no policy.
 */
import { useMemo } from 'react';
import type { Snapshot } from '../../../shared/model/snapshot.ts';
import { failedPoliciesByNamespace } from '../model/load-errors.ts';
import { useView } from '../store/context.tsx';
import { formatLocation } from './Header.tsx';
import { Field } from './parts.tsx';

export function FailedPoliciesField({ namespace, snapshot }: { namespace: string; snapshot: Snapshot }) {
  const setIssuesOpen = useView((s) => s.setIssuesOpen);
  const failed = useMemo(
    () => failedPoliciesByNamespace(snapshot).get(namespace) ?? [],
    [snapshot, namespace],
  );
  if (failed.length === 0) return null;
  return (
    <Field label="Did not load">
      <div data-testid="namespace-failed">
        <ul className="failed-policies">
          {failed.map((f) => {
            const first = f.issues[0];
            const at = first !== undefined ? formatLocation(first) : undefined;
            return (
              <li key={f.name}>
                <span className="mono">{f.name}</span>
                {at !== undefined && <span className="muted mono"> · {at}</span>}
              </li>
            );
          })}
        </ul>
        <p className="warn-text">
          Verdicts here leave {failed.length === 1 ? 'this policy' : 'these policies'} out: the namespace may
          be more restricted than shown.
        </p>
        <button type="button" className="text-button" onClick={() => setIssuesOpen(true)}>
          Show the load issues
        </button>
      </div>
    </Field>
  );
}
