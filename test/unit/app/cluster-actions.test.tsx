// @vitest-environment happy-dom
/**
 * The editor's cluster and file actions under happy-dom: a field conflict is shown with its fields
 * and managers, and only the user's click sends a forced dry-run, whose token the apply uses; the
 * dry-run view lists every changed field; saving outside the loaded folders goes through the native
 * dialog (Electron) or a browser download (web mode), never a path the page names.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  ApiError,
  Capability,
  DryRunResult,
  MethodParams,
  NetglassApi,
  Result,
} from '../../../shared/api/api.ts';
import { draftToYaml, templateById } from '../../../shared/editor/index.ts';
import { ApplyActions, SaveButton } from '../../../renderer/src/editor/ClusterActions.tsx';
import { createAnalysisStore } from '../../../renderer/src/store/analysis-store.ts';
import { bindApi } from '../../../renderer/src/store/bind.ts';
import { StoresProvider } from '../../../renderer/src/store/context.tsx';
import { createSourceStore } from '../../../renderer/src/store/source-store.ts';
import { createViewStore } from '../../../renderer/src/store/view-store.ts';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const draft = templateById('default-deny-ingress')!.create('shop');

/** Methods these tests do not use answer an error (bindApi asks for getInfo on mount). */
const unused = <T,>(): Promise<Result<T>> =>
  Promise.resolve({ ok: false, error: { code: 'internal', message: 'unused in this test' } });
const baseApi = (): NetglassApi => ({
  getInfo: unused,
  getStatus: unused,
  openSource: unused,
  reload: unused,
  listContexts: unused,
  subscribe: () => () => undefined,
});

const conflictError: ApiError = {
  code: 'policy-rejected',
  message: 'conflict',
  failure: {
    reason: 'field-conflict',
    message:
      'NetworkPolicy shop/default-deny-ingress: 1 field belongs to other field managers and the draft sets it to other values: metadata.labels.team (owned by "kubectl-label"). Nothing was written.',
    conflicts: [
      {
        field: 'metadata.labels.team',
        manager: 'kubectl-label',
        message: 'conflict with "kubectl-label" using networking.k8s.io/v1',
      },
    ],
    serverMessage: 'Apply failed with 1 conflict',
  },
};

const forcedResult: DryRunResult = {
  context: 'prod',
  operation: 'update',
  namespace: 'shop',
  name: 'default-deny-ingress',
  fieldManager: 'netglass',
  force: true,
  conflicts: [{ field: 'metadata.labels.team', manager: 'kubectl-label', message: 'c' }],
  stored: {},
  live: {},
  changes: [
    { path: 'metadata.labels.team', change: 'changed', before: 'a', after: 'b' },
    { path: 'metadata.annotations["example.com/note"]', change: 'removed', before: 'x' },
  ],
  unchanged: false,
  dryRunToken: 'forced-token',
  expiresAt: '2030-01-01T00:00:00Z',
};

async function click(testId: string, within: ParentNode = document): Promise<void> {
  await act(async () => {
    fireEvent.click(within.querySelector(`[data-testid="${testId}"]`) as Element);
    await Promise.resolve();
  });
}

describe('ApplyActions: a field conflict, then force by choice', () => {
  it('shows the fields and their managers, and forces only when the user clicks', async () => {
    const dryRuns: MethodParams<'dryRunPolicy'>[] = [];
    const applies: MethodParams<'applyPolicy'>[] = [];
    const api: NetglassApi = {
      ...baseApi(),
      dryRunPolicy: (params) => {
        dryRuns.push(params);
        return Promise.resolve<Result<DryRunResult>>(
          params.force === true ? { ok: true, value: forcedResult } : { ok: false, error: conflictError },
        );
      },
      applyPolicy: (params) => {
        applies.push(params);
        return Promise.resolve({
          ok: true,
          value: {
            context: 'prod',
            operation: 'update',
            namespace: 'shop',
            name: params.manifest.metadata.name,
            stored: {},
            resourceVersion: '9',
          },
        });
      },
    };
    render(<ApplyActions api={api} draft={draft} canApply disabled={false} />);
    await click('dry-run');
    expect(dryRuns).toHaveLength(1);
    expect(dryRuns[0]).not.toHaveProperty('force');
    const conflict = screen.getByTestId('dry-run-conflict');
    expect(screen.getByTestId('field-conflicts').textContent).toBe(
      'metadata.labels.team owned by kubectl-label',
    );
    expect(conflict.textContent).toContain('Nothing was written.');
    // Nothing to apply yet.
    expect(screen.getByTestId<HTMLButtonElement>('apply').disabled).toBe(true);

    await click('dry-run-force');
    expect(dryRuns[1]).toMatchObject({ force: true });
    expect(screen.getByTestId('dry-run-result').textContent).toContain(
      'The server would update shop/default-deny-ingress on prod, 2 field changes:',
    );
    expect(screen.getByTestId('dry-run-forced').textContent).toContain(
      'Forced: netglass takes this field over from its manager',
    );
    // Every changed field, metadata too.
    expect(
      [...screen.getByTestId('dry-run-changes').querySelectorAll('li')].map((li) =>
        li.getAttribute('data-path'),
      ),
    ).toEqual(['metadata.labels.team', 'metadata.annotations["example.com/note"]']);
    expect(screen.getByTestId('dry-run-kept').textContent).toContain('owner references, finalizers');

    await click('apply');
    const dialog = screen.getByTestId('apply-dialog');
    expect(dialog.querySelector('[data-testid="dry-run-forced"]')).not.toBeNull();
    await click('confirm-apply', dialog);
    expect(applies).toEqual([expect.objectContaining({ dryRunToken: 'forced-token' }) as unknown]);
    expect(applies[0]).not.toHaveProperty('force');
    expect(screen.getByTestId('apply-result').textContent).toBe(
      'Updated shop/default-deny-ingress on prod (resourceVersion 9).',
    );
  });

  it('says so when an earlier netglass wrote the fields taken over', async () => {
    const own: DryRunResult = {
      ...forcedResult,
      conflicts: [{ field: 'spec.ingress', manager: 'netglass', message: 'c' }],
    };
    const api: NetglassApi = { ...baseApi(), dryRunPolicy: () => Promise.resolve({ ok: true, value: own }) };
    render(<ApplyActions api={api} draft={draft} canApply disabled={false} />);
    await click('dry-run');
    expect(screen.getByTestId('dry-run-forced').textContent).toContain(
      'An earlier netglass set this field with a plain update',
    );
  });
});

// ---------------------------------------------------------------- save

function mountSave(api: NetglassApi, capabilities: Capability[]) {
  const source = createSourceStore();
  source.getState().setInfo({ name: 'netglass', version: '0', apiVersion: 1, capabilities });
  const stores = {
    source,
    view: createViewStore(),
    analysis: createAnalysisStore(),
    controller: bindApi(api, source),
  };
  render(
    <StoresProvider stores={stores}>
      <SaveButton api={api} draft={draft} originFile={undefined} disabled={false} />
    </StoresProvider>,
  );
}

describe('SaveButton outside the loaded folders', () => {
  const noFolder: NetglassApi['suggestPolicyPath'] = () =>
    Promise.resolve({ ok: true, value: { exists: false } });

  it('web mode: downloads the YAML in the browser, and asks the server to write nothing', async () => {
    const writes: unknown[] = [];
    const api: NetglassApi = {
      ...baseApi(),
      suggestPolicyPath: noFolder,
      savePolicy: (p) => {
        writes.push(p);
        return Promise.reject(new Error('no write expected'));
      },
      savePolicyAs: (p) => {
        writes.push(p);
        return Promise.reject(new Error('no write expected'));
      },
    };
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:netglass/1';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const downloads: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push({ href: this.href, download: this.download });
    });
    mountSave(api, ['demo', 'manifests']);
    await click('save-policy');
    expect(screen.getByTestId('save-no-folder').textContent).toContain('Download the YAML');
    expect(screen.queryByTestId('save-path')).toBeNull();
    expect(screen.queryByTestId('save-choose')).toBeNull();
    await click('save-download');
    expect(downloads).toEqual([{ href: 'blob:netglass/1', download: 'default-deny-ingress.yaml' }]);
    expect(await blobs[0]?.text()).toBe(draftToYaml(draft));
    expect(screen.getByTestId('save-result').textContent).toBe('Downloaded default-deny-ingress.yaml');
    expect(writes).toEqual([]);
  });

  it('Electron: opens the native dialog through savePolicyAs, with a file name only', async () => {
    const asked: MethodParams<'savePolicyAs'>[] = [];
    const api: NetglassApi = {
      ...baseApi(),
      suggestPolicyPath: noFolder,
      savePolicy: () => Promise.reject(new Error('no savePolicy expected')),
      savePolicyAs: (p) => {
        asked.push(p);
        return Promise.resolve({
          ok: true,
          value: { outcome: 'saved', path: '/home/u/policies/deny.yaml', bytes: 10, replaced: false },
        });
      },
    };
    mountSave(api, ['demo', 'manifests', 'save-dialog']);
    await click('save-policy');
    await act(async () => {
      await Promise.resolve();
    });
    expect(asked).toEqual([{ yaml: draftToYaml(draft), fileName: 'default-deny-ingress.yaml' }]);
    expect(screen.getByTestId('save-result').textContent).toBe('Saved deny.yaml');
  });

  it('Electron with a loaded folder: the suggested path, and "Choose a file…" for anywhere else', async () => {
    let chose = 0;
    const api: NetglassApi = {
      ...baseApi(),
      suggestPolicyPath: () =>
        Promise.resolve({
          ok: true,
          value: { path: '/work/manifests/default-deny-ingress.yaml', exists: false },
        }),
      savePolicy: () => Promise.reject(new Error('unused')),
      savePolicyAs: () => {
        chose++;
        return Promise.resolve({ ok: true, value: { outcome: 'cancelled' } });
      },
    };
    mountSave(api, ['demo', 'manifests', 'save-dialog']);
    await click('save-policy');
    expect(screen.getByTestId<HTMLInputElement>('save-path').value).toBe(
      '/work/manifests/default-deny-ingress.yaml',
    );
    await click('save-choose');
    expect(chose).toBe(1);
    // Cancelled: nothing saved, no dialog left open.
    expect(screen.queryByTestId('save-result')).toBeNull();
    expect(screen.queryByTestId('save-dialog')).toBeNull();
  });
});
