// @vitest-environment happy-dom
/**
 * Opening manifests from the UI under happy-dom: in web mode a typed path goes to the server as a
 * strict manifests source and its refusal is shown in the dialog; in Electron the native dialog is
 * asked; files and folders dropped on the window are read, sent in parts and opened as a `dropped`
 * source, which the picker names and reloads; the parts never exceed a request's budget.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  ApiError,
  Capability,
  MethodParams,
  NetglassApi,
  Result,
  SourceRequest,
  SourceStatus,
} from '../../../shared/api/api.ts';
import {
  MAX_UPLOAD_FILES,
  UPLOAD_PART_CHARS,
  UPLOAD_PART_OVERHEAD,
  uploadPartCost,
} from '../../../shared/api/protocol.ts';
import { Header } from '../../../renderer/src/components/Header.tsx';
import {
  readDropped,
  uploadBatches,
  type DroppedItem,
} from '../../../renderer/src/components/open-manifests.ts';
import { createEditorStore } from '../../../renderer/src/editor/store.ts';
import { createAnalysisStore } from '../../../renderer/src/store/analysis-store.ts';
import { bindApi } from '../../../renderer/src/store/bind.ts';
import { StoresProvider } from '../../../renderer/src/store/context.tsx';
import { createSourceStore } from '../../../renderer/src/store/source-store.ts';
import { createViewStore } from '../../../renderer/src/store/view-store.ts';
import { fakeApi as idleApi } from './mount-app.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const READY: SourceStatus = {
  state: 'ready',
  source: { kind: 'demo' },
  revision: 1,
  loadedAt: '2025-01-01T00:00:00Z',
};

function fakeApi(capabilities: Capability[], openAnswer: (r: SourceRequest) => Result<SourceStatus>) {
  const opened: SourceRequest[] = [];
  const uploads: MethodParams<'uploadManifests'>[] = [];
  const chosen: MethodParams<'chooseManifests'>[] = [];
  let chooseAnswer: Awaited<ReturnType<NonNullable<NetglassApi['chooseManifests']>>> = {
    ok: true,
    value: { outcome: 'cancelled' },
  };
  const reload = vi.fn(() => Promise.resolve<Result<SourceStatus>>({ ok: true, value: READY }));
  const methods: Partial<NetglassApi> = {
    getStatus: () => Promise.resolve({ ok: true, value: READY }),
    openSource: (request) => {
      opened.push(request);
      return Promise.resolve(openAnswer(request));
    },
    reload,
    uploadManifests: (params) => {
      uploads.push(params);
      return Promise.resolve({ ok: true, value: { files: 1, bytes: 1 } });
    },
    chooseManifests: (params) => {
      chosen.push(params);
      return Promise.resolve(chooseAnswer);
    },
  };
  return {
    ...idleApi({ capabilities, methods }),
    opened,
    uploads,
    chosen,
    reload,
    answerChoose: (a: typeof chooseAnswer) => (chooseAnswer = a),
  };
}

async function mount(fake: ReturnType<typeof fakeApi>) {
  const source = createSourceStore();
  const view = createViewStore();
  const analysis = createAnalysisStore();
  const controller = bindApi(fake.api, source);
  render(
    <StoresProvider
      stores={{ source, view, analysis, controller, editor: { store: createEditorStore(), api: fake.api } }}
    >
      <Header />
    </StoresProvider>,
  );
  await act(async () => {
    fake.emit({ type: 'source', status: READY });
    await new Promise((r) => setTimeout(r, 10));
  });
}

const notFound: ApiError = {
  code: 'not-found',
  message: 'Not found: /srv/typo. Check the path.',
  path: '/srv/typo',
};

describe('open manifests: web mode', () => {
  it('sends the typed paths as a strict source and shows the server’s refusal', async () => {
    const fake = fakeApi(['demo', 'manifests'], (r) =>
      r.kind === 'manifests' && r.paths[0] === '/srv/typo'
        ? { ok: false, error: notFound }
        : { ok: true, value: READY },
    );
    await mount(fake);
    const button = screen.getByTestId('open-manifests');
    fireEvent.click(button);
    const dialog = screen.getByTestId('open-manifests-dialog');
    expect(within(dialog).queryByTestId('open-files')).toBeNull();
    const input = within(dialog).getByTestId('open-path');
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: '/srv/typo' } });
    await act(async () => {
      fireEvent.keyDown(input, { key: 'Enter' });
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(fake.opened).toEqual([{ kind: 'manifests', paths: ['/srv/typo'], strict: true }]);
    expect(screen.getByTestId('open-error').textContent).toBe(notFound.message);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    // Two paths, one per line; blank lines ignored. Success closes the dialog.
    fireEvent.change(input, { target: { value: '/srv/a\n\n  /srv/b  \n' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('open-path-submit'));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(fake.opened[1]).toEqual({ kind: 'manifests', paths: ['/srv/a', '/srv/b'], strict: true });
    expect(screen.queryByTestId('open-manifests-dialog')).toBeNull();
  });

  it('asks for a path before sending anything, and closes on Escape', async () => {
    const fake = fakeApi(['demo', 'manifests'], () => ({ ok: true, value: READY }));
    await mount(fake);
    fireEvent.click(screen.getByTestId('open-manifests'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('open-path-submit'));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(screen.getByTestId('open-error').textContent).toContain('Type the path');
    expect(fake.opened).toEqual([]);
    fireEvent.keyDown(screen.getByTestId('open-path'), { key: 'Escape' });
    expect(screen.queryByTestId('open-manifests-dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('open-manifests'));
    // A click elsewhere closes it too.
    fireEvent.click(screen.getByTestId('open-manifests'));
    expect(screen.getByTestId('open-manifests-dialog')).toBeTruthy();
    fireEvent.mouseDown(document.body);
    expect(screen.queryByTestId('open-manifests-dialog')).toBeNull();
  });
});

describe('open manifests: Electron', () => {
  it('asks the native dialog for files or a folder', async () => {
    const fake = fakeApi(['demo', 'manifests', 'open-dialog'], () => ({ ok: true, value: READY }));
    await mount(fake);
    fireEvent.click(screen.getByTestId('open-manifests'));
    expect(screen.queryByTestId('open-path')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('open-files'));
    fake.answerChoose({
      ok: false,
      error: { code: 'load-failed', message: 'No manifests in /home/u/empty', source: 'manifests' },
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('open-folder'));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(fake.chosen).toEqual([{ pick: 'folder' }]);
    expect(screen.getByTestId('open-error').textContent).toContain('No manifests in /home/u/empty');
    fake.answerChoose({ ok: true, value: { outcome: 'opened', paths: ['/home/u/a.yaml'], status: READY } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('open-files'));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(fake.chosen[1]).toEqual({ pick: 'files' });
    expect(screen.queryByTestId('open-manifests-dialog')).toBeNull();
  });
});

// ---------------------------------------------------------------- dropping files

function fileEntry(fullPath: string, text: string) {
  const name = fullPath.split('/').pop() ?? fullPath;
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath,
    file: (ok: (f: File) => void) => ok(new File([text], name)),
  };
}

function dirEntry(fullPath: string, children: unknown[]) {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split('/').pop() ?? fullPath,
    fullPath,
    createReader: () => {
      let done = false;
      return {
        readEntries: (ok: (e: unknown[]) => void) => {
          ok(done ? [] : children);
          done = true;
        },
      };
    },
  };
}

function dropEvent(entries: unknown[]) {
  const event = new Event('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', {
    value: {
      types: ['Files'],
      files: [],
      items: entries.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry, getAsFile: () => null })),
    },
  });
  return event;
}

describe('dropping files on the window', () => {
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: dropped }\n';

  it('reads folders (manifest files only) and files, sends them and opens a dropped source', async () => {
    const fake = fakeApi(['demo', 'manifests'], () => ({ ok: true, value: READY }));
    await mount(fake);
    const folder = dirEntry('/manifests', [
      fileEntry('/manifests/b.yaml', ns),
      fileEntry('/manifests/.hidden.yaml', 'x'),
      fileEntry('/manifests/notes.txt', 'x'),
      dirEntry('/manifests/sub', [fileEntry('/manifests/sub/a.json', '{}')]),
    ]);
    const event = dropEvent([folder, fileEntry('/extra.txt', 'kind: List')]);
    await act(async () => {
      window.dispatchEvent(event);
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(event.defaultPrevented).toBe(true);
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]?.parts).toEqual([
      { name: 'manifests/b.yaml', text: ns },
      { name: 'manifests/sub/a.json', text: '{}' },
      { name: 'extra.txt', text: 'kind: List' },
    ]);
    const request = fake.opened[0];
    expect(request).toMatchObject({
      kind: 'dropped',
      files: ['manifests/b.yaml', 'manifests/sub/a.json', 'extra.txt'],
    });
    expect(request?.kind === 'dropped' && request.upload).toBe(fake.uploads[0]?.upload);
  });

  it('says what is wrong with a drop, and sends nothing', async () => {
    const fake = fakeApi(['demo', 'manifests'], () => ({ ok: true, value: READY }));
    await mount(fake);
    await act(async () => {
      window.dispatchEvent(dropEvent([dirEntry('/empty', [fileEntry('/empty/readme.md', 'x')])]));
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(screen.getByTestId('drop-error').textContent).toContain('Nothing to open');
    expect(fake.uploads).toEqual([]);
    fireEvent.click(within(screen.getByTestId('drop-error')).getByLabelText('Dismiss'));
    expect(screen.queryByTestId('drop-error')).toBeNull();
  });

  it('shows the overlay while files are dragged over the window', async () => {
    const fake = fakeApi(['demo', 'manifests'], () => ({ ok: true, value: READY }));
    await mount(fake);
    const enter = new Event('dragenter', { cancelable: true });
    Object.defineProperty(enter, 'dataTransfer', { value: { types: ['Files'] } });
    act(() => {
      window.dispatchEvent(enter);
    });
    expect(screen.getByTestId('drop-overlay')).toBeTruthy();
    const leave = new Event('dragleave');
    Object.defineProperty(leave, 'dataTransfer', { value: { types: ['Files'] } });
    act(() => {
      window.dispatchEvent(leave);
    });
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    // Text dragged within the page is not a drop of files.
    const text = new Event('dragenter', { cancelable: true });
    Object.defineProperty(text, 'dataTransfer', { value: { types: ['text/plain'] } });
    act(() => {
      window.dispatchEvent(text);
    });
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
  });

  it('names a dropped source in the picker, and reloads it from the Node side', async () => {
    const fake = fakeApi(['demo', 'manifests'], () => ({ ok: true, value: READY }));
    await mount(fake);
    await act(async () => {
      fake.emit({
        type: 'source',
        status: { ...READY, source: { kind: 'dropped', files: ['manifests/b.yaml'] } },
      });
      await new Promise((r) => setTimeout(r, 0));
    });
    const trigger = screen.getByTestId('source');
    expect(trigger.getAttribute('data-kind')).toBe('dropped');
    expect(trigger.textContent).toContain('Dropped');
    expect(trigger.textContent).toContain('manifests/b.yaml');
    expect(trigger.getAttribute('title')).toContain(
      'Reload parses the text read when the files were dropped',
    );
    fireEvent.click(trigger);
    const option = screen
      .getAllByTestId('source-option')
      .find((o) => o.getAttribute('data-kind') === 'dropped');
    expect(option?.getAttribute('aria-selected')).toBe('true');
    await act(async () => {
      if (option !== undefined) fireEvent.click(option);
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(fake.reload).toHaveBeenCalledTimes(1);
    expect(fake.opened).toEqual([]);
  });
});

describe('reading and sending dropped files', () => {
  it('refuses more files than an upload takes, before reading any', async () => {
    const items: DroppedItem[] = Array.from({ length: MAX_UPLOAD_FILES + 1 }, (_, i) => ({
      kind: 'file',
      file: new File(['x'], `f${i}.yaml`),
    }));
    expect(await readDropped(items)).toMatchObject({
      ok: false,
      message: expect.stringContaining('Too many files') as unknown,
    });
  });

  it('keeps two files of the same name apart', async () => {
    const read = await readDropped([
      { kind: 'file', file: new File(['a'], 'x.yaml') },
      { kind: 'file', file: new File(['b'], 'x.yaml') },
    ]);
    expect(read).toEqual({
      ok: true,
      files: [
        { name: 'x.yaml', text: 'a' },
        { name: 'x.yaml (2)', text: 'b' },
      ],
    });
  });

  it('packs small files together and cuts big ones, never inside a surrogate pair', () => {
    // The first request holds the name and this much text: the emoji straddles the cut.
    const cut = UPLOAD_PART_CHARS - ('big.yaml'.length + UPLOAD_PART_OVERHEAD);
    const big = `${'a'.repeat(cut - 1)}😀${'b'.repeat(UPLOAD_PART_CHARS)}`;
    const batches = uploadBatches([
      { name: 'big.yaml', text: big },
      { name: 'small.yaml', text: 'x' },
      { name: 'empty.yaml', text: '' },
    ]);
    for (const batch of batches)
      expect(batch.reduce((n, p) => n + uploadPartCost(p), 0)).toBeLessThanOrEqual(UPLOAD_PART_CHARS);
    expect(batches[0]?.[0]?.text).toBe('a'.repeat(cut - 1));
    // Small files share the request the big one's last part leaves room in.
    expect(batches.at(-1)?.slice(-2)).toEqual([
      { name: 'small.yaml', text: 'x' },
      { name: 'empty.yaml', text: '' },
    ]);
    const rebuilt = batches
      .flat()
      .filter((p) => p.name === 'big.yaml')
      .map((p) => p.text);
    expect(rebuilt.join('')).toBe(big);
    for (const part of rebuilt) {
      const last = part.charCodeAt(part.length - 1);
      expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
    }
  });

  it('spreads many files with long names over requests that each fit', () => {
    const files = Array.from({ length: 300 }, (_, i) => ({
      name: `${'n'.repeat(200)}-${i}.yaml`,
      text: 'kind: List',
    }));
    const batches = uploadBatches(files);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat()).toEqual(files);
    for (const batch of batches)
      expect(batch.reduce((n, p) => n + uploadPartCost(p), 0)).toBeLessThanOrEqual(UPLOAD_PART_CHARS);
  });
});
