/**
 * The export buttons: the namespace matrix as CSV (in the matrix view) and the selected policy's
 * report as Markdown (in the header, while a policy is selected). Both save through saveExportFile:
 * a native save dialog in Electron, a browser download in web mode. The outcome is said beside the
 * button, in a live region.
 */
import { useState } from 'react';
import { describeSource } from '../../../shared/api/api.ts';
import { isClusterPolicyKey, type SnapshotSource } from '../../../shared/model/snapshot.ts';
import { calicoTiers, findCalicoPolicy } from '../model/calico.ts';
import { findCiliumPolicy, policyKeyKind } from '../model/cilium.ts';
import { findClusterPolicy } from '../model/admin.ts';
import { findPolicy } from '../model/summary.ts';
import { useAnalysis, useSource, useView } from '../store/context.tsx';
import { matrixCsv, matrixFileName, type MatrixExport } from './matrix-csv.ts';
import { policyReport, reportFileName, type ReportPolicy } from './policy-report.ts';
import { describeSaveResult, saveExportFile, type ExportFile, type SaveExportResult } from './save-file.ts';

/** A tray with an arrow into it: "save to a file". */
const IconDownload = () => (
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
    <path d="M12 4v11M7 10l5 5 5-5" />
    <path d="M4 17v2a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-2" />
  </svg>
);

type Step =
  | { readonly step: 'idle' }
  | { readonly step: 'saving' }
  | { readonly step: 'done'; readonly result: SaveExportResult };

/**
 * `compact` (the header, where room is short): an icon button whose outcome is spoken and shown in
 * its tooltip rather than written beside it.
 */
function ExportButton({
  label,
  testId,
  title,
  make,
  compact = false,
}: {
  label: string;
  testId: string;
  title: string;
  make: () => ExportFile | undefined;
  compact?: boolean;
}) {
  const [state, setState] = useState<Step>({ step: 'idle' });
  const run = async (): Promise<void> => {
    const file = make();
    if (file === undefined) return;
    setState({ step: 'saving' });
    setState({ step: 'done', result: await saveExportFile(file) });
  };
  const outcome =
    state.step === 'saving' ? 'Saving…' : state.step === 'done' ? describeSaveResult(state.result) : '';
  return (
    <span className="export-actions">
      <button
        type="button"
        className={compact ? 'button button-ghost' : 'button'}
        data-testid={testId}
        title={compact && outcome !== '' ? `${title}\n${outcome}` : title}
        aria-label={label}
        disabled={state.step === 'saving'}
        onClick={() => void run()}
      >
        <IconDownload />
        <span className={compact ? 'sr-only' : 'button-label'}>{label}</span>
      </button>
      <span
        className={
          compact
            ? 'sr-only'
            : `fine-print ${state.step === 'done' && state.result.outcome === 'failed' ? 'warn-text' : ''}`
        }
        role="status"
        data-testid={`${testId}-status`}
      >
        {outcome}
      </span>
    </span>
  );
}

/** A short name for file names: the demo, a folder or file without extension, a context. */
export function shortSourceName(source: SnapshotSource): string {
  const base = (p: string | undefined) =>
    (p ?? '')
      .split(/[\\/]/)
      .filter((x) => x !== '')
      .pop() ?? '';
  const stem = (p: string | undefined) => base(p).replace(/\.(ya?ml|json)$/i, '');
  switch (source.kind) {
    case 'demo':
      return 'demo';
    case 'manifests':
      return source.paths.length === 1 ? stem(source.paths[0]) : stem(source.paths[0]) + '-and-more';
    case 'dropped':
      return source.files.length === 1 ? stem(source.files[0]) : stem(source.files[0]) + '-and-more';
    case 'cluster':
      return source.context;
  }
}

/** "Export CSV" for the matrix as shown (`input` is what the matrix view draws). */
export function ExportMatrixButton({ input }: { input: MatrixExport }) {
  const source = useSource((s) => s.snapshot?.source);
  return (
    <ExportButton
      label="Export CSV"
      testId="export-matrix-csv"
      title="Save the matrix as CSV: one line per cell (from, to, state, counts), hidden namespaces left out"
      make={() => ({
        fileName: matrixFileName(source === undefined ? undefined : shortSourceName(source)),
        mime: 'text/csv',
        data: matrixCsv(input),
      })}
    />
  );
}

/** "Export report" for the selected policy, while one is selected and still in the source. */
export function ExportReportButton() {
  const selection = useView((s) => s.selection);
  const snapshot = useSource((s) => s.snapshot);
  const query = useAnalysis((s) => s.policy);
  if (selection?.kind !== 'policy' || snapshot === undefined) return null;
  const key = selection.key;
  let policy: ReportPolicy | undefined;
  if (policyKeyKind(key) === 'cilium') {
    const found = findCiliumPolicy(snapshot, key);
    if (found !== undefined) policy = { kind: 'cilium', policy: found };
  } else if (policyKeyKind(key) === 'calico') {
    const found = findCalicoPolicy(snapshot, key);
    if (found !== undefined) policy = { kind: 'calico', policy: found, tiers: calicoTiers(snapshot) };
  } else if (isClusterPolicyKey(key)) {
    const found = findClusterPolicy(snapshot, key);
    if (found !== undefined) policy = { kind: 'admin', policy: found };
  } else {
    const found = findPolicy(snapshot, key);
    if (found !== undefined) policy = { kind: 'NetworkPolicy', policy: found };
  }
  if (policy === undefined) return null;
  const effect = query?.subject === key ? query.value : undefined;
  const chosen = policy;
  return (
    <ExportButton
      label="Export report"
      compact
      testId="export-policy-report"
      title="Save what the details panel says about this policy as a Markdown report"
      make={() => ({
        fileName: reportFileName(key),
        mime: 'text/markdown',
        data: policyReport({
          policy: chosen,
          ...(effect !== undefined ? { effect } : {}),
          source: describeSource(snapshot.source),
        }),
      })}
    />
  );
}
