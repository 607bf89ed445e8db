/**
 * The Node side of opening manifests and saving exports: what the protocol accepts, the store of
 * dropped texts and its caps, the check of picked paths (not found, unreadable, no manifests), the
 * native dialogs (only the path the dialog returned is written or opened), and a dropped source that
 * loads with its file names and reloads from the same texts.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../../shared/api/api.ts';
import {
  MAX_EXPORT_BYTES,
  MAX_UPLOAD_BYTES,
  MAX_UPLOAD_FILES,
  UPLOAD_PART_CHARS,
  parseRequest,
} from '../../../shared/api/protocol.ts';
import type { ServerMessage } from '../../../shared/api/protocol.ts';
import { Dispatcher, type Peer } from '../../../electron/ipc/dispatcher.ts';
import { saveExportTo } from '../../../electron/ipc/export-file.ts';
import { checkPickedPaths } from '../../../electron/source/picked-paths.ts';
import { createLoaders } from '../../../electron/source/loaders.ts';
import { SourceManager } from '../../../electron/source/manager.ts';
import { UploadStore } from '../../../electron/source/uploads.ts';

const UPLOAD = '0123456789abcdef-upload';
const quiet = () => {};
const req = (method: MethodName, params: unknown) => ({ kind: 'request', id: 1, method, params });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netglass-open-'));
  await mkdir(path.join(dir, 'manifests', 'sub'), { recursive: true });
  await writeFile(
    path.join(dir, 'manifests', 'sub', 'ns.yaml'),
    'apiVersion: v1\nkind: Namespace\nmetadata: { name: picked }\n',
  );
  await mkdir(path.join(dir, 'empty'));
  await writeFile(path.join(dir, 'empty', 'notes.txt'), 'not a manifest');
  await mkdir(path.join(dir, 'out'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('protocol', () => {
  it('accepts an export with a known extension, and nothing else', () => {
    expect(parseRequest(req('saveExport', { fileName: 'm.csv', data: 'a', encoding: 'utf8' })).ok).toBe(true);
    expect(parseRequest(req('saveExport', { fileName: 'g.png', data: 'iVBO', encoding: 'base64' })).ok).toBe(
      true,
    );
    for (const params of [
      { fileName: '../m.csv', data: 'a', encoding: 'utf8' },
      { fileName: '/etc/m.csv', data: 'a', encoding: 'utf8' },
      { fileName: 'm.exe', data: 'a', encoding: 'utf8' },
      { fileName: 'm.csv', data: 'a', encoding: 'latin1' },
      { fileName: 'm.png', data: 'not base64!', encoding: 'base64' },
      { fileName: 'm.csv', data: 'x'.repeat(MAX_EXPORT_BYTES + 1), encoding: 'utf8' },
      { fileName: 'm.csv', data: 'a', encoding: 'utf8', path: '/tmp/x.csv' },
    ]) {
      expect(parseRequest(req('saveExport', params))).toMatchObject({
        ok: false,
        error: { code: 'invalid-request' },
      });
    }
  });

  it('checks uploads, dropped sources, strict paths and the open dialog', () => {
    expect(
      parseRequest(req('uploadManifests', { upload: UPLOAD, parts: [{ name: 'a/b.yaml', text: 'x' }] })).ok,
    ).toBe(true);
    expect(
      parseRequest(req('uploadManifests', { upload: 'short', parts: [{ name: 'a', text: '' }] })),
    ).toMatchObject({
      ok: false,
      error: { field: 'params.upload' },
    });
    expect(
      parseRequest(
        req('uploadManifests', {
          upload: UPLOAD,
          parts: [{ name: 'a', text: 'x'.repeat(UPLOAD_PART_CHARS + 1) }],
        }),
      ),
    ).toMatchObject({ ok: false, error: { field: 'params.parts' } });
    // Many small parts with long names count too: a request stays under the transport's frame size.
    const parts = Array.from({ length: 300 }, (_, i) => ({ name: `${'n'.repeat(30)}${i}`, text: '' }));
    expect(parseRequest(req('uploadManifests', { upload: UPLOAD, parts }))).toMatchObject({
      ok: false,
      error: { field: 'params.parts' },
    });
    expect(
      parseRequest(req('uploadManifests', { upload: UPLOAD, parts: [{ name: 'a\nb', text: '' }] })),
    ).toMatchObject({ ok: false, error: { field: 'params.parts[0].name' } });
    expect(parseRequest(req('openSource', { kind: 'dropped', upload: UPLOAD, files: ['a.yaml'] })).ok).toBe(
      true,
    );
    expect(parseRequest(req('openSource', { kind: 'dropped', upload: UPLOAD, files: [] }))).toMatchObject({
      ok: false,
      error: { field: 'params.files' },
    });
    expect(parseRequest(req('openSource', { kind: 'manifests', paths: ['/x'], strict: true })).ok).toBe(true);
    expect(
      parseRequest(req('openSource', { kind: 'manifests', paths: ['/x'], strict: 'yes' })),
    ).toMatchObject({
      ok: false,
      error: { field: 'params.strict' },
    });
    expect(parseRequest(req('chooseManifests', { pick: 'folder' })).ok).toBe(true);
    expect(parseRequest(req('chooseManifests', { pick: '/etc' })).ok).toBe(false);
  });
});

describe('UploadStore', () => {
  it('puts parts together per file, in the order asked', () => {
    const store = new UploadStore();
    expect(
      store.append(UPLOAD, [
        { name: 'b.yaml', text: 'kind: ' },
        { name: 'a.yaml', text: '' },
      ]),
    ).toEqual({ ok: true, value: { files: 2, bytes: 6 } });
    store.append(UPLOAD, [{ name: 'b.yaml', text: 'Namespace' }]);
    expect(store.take(UPLOAD, ['a.yaml', 'b.yaml'])).toEqual({
      ok: true,
      value: [
        { name: 'a.yaml', text: '' },
        { name: 'b.yaml', text: 'kind: Namespace' },
      ],
    });
    // Taken once: the upload is gone.
    expect(store.take(UPLOAD, ['a.yaml', 'b.yaml'])).toMatchObject({ ok: false });
  });

  it('refuses an incomplete upload, too many files or too much text', () => {
    const store = new UploadStore();
    store.append(UPLOAD, [{ name: 'a.yaml', text: 'x' }]);
    expect(store.take(UPLOAD, ['a.yaml', 'b.yaml'])).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('b.yaml is missing') as unknown },
    });
    const many = Array.from({ length: MAX_UPLOAD_FILES + 1 }, (_, i) => ({ name: `f${i}.yaml`, text: '' }));
    expect(store.append('many-files-upload-1', many)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Too many files') as unknown },
    });
    const big = 'x'.repeat(UPLOAD_PART_CHARS);
    let result = store.append('big-text-upload-0001', [{ name: 'a', text: big }]);
    for (let i = 0; result.ok && i < MAX_UPLOAD_BYTES / UPLOAD_PART_CHARS + 1; i++)
      result = store.append('big-text-upload-0001', [{ name: 'a', text: big }]);
    expect(result).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Too much text') as unknown },
    });
    expect(store.take('big-text-upload-0001', ['a'])).toMatchObject({ ok: false });
  });

  it('forgets uploads nobody opened, and keeps only a few', () => {
    let now = 0;
    const store = new UploadStore(() => now);
    store.append(UPLOAD, [{ name: 'a', text: 'x' }]);
    now += 11 * 60 * 1000;
    expect(store.take(UPLOAD, ['a'])).toMatchObject({ ok: false });
    for (let i = 0; i < 6; i++)
      store.append(`pending-upload-${String(i).padStart(4, '0')}`, [{ name: 'a', text: '' }]);
    expect(store.size).toBe(4);
  });
});

describe('checkPickedPaths', () => {
  it('accepts a file or a folder that holds manifests', async () => {
    expect(await checkPickedPaths([path.join(dir, 'manifests')])).toBeUndefined();
    expect(await checkPickedPaths([path.join(dir, 'manifests', 'sub', 'ns.yaml')])).toBeUndefined();
  });

  it('says what is wrong with a path', async () => {
    const missing = path.join(dir, 'nope');
    expect(await checkPickedPaths([missing])).toEqual({
      code: 'not-found',
      message: expect.stringContaining(`Not found: ${missing}`) as unknown,
      path: missing,
    });
    expect(await checkPickedPaths([path.join(dir, 'empty')])).toMatchObject({
      code: 'load-failed',
      message: expect.stringContaining(`No manifests in ${path.join(dir, 'empty')}`) as unknown,
    });
  });

  it.skipIf(process.getuid?.() === 0)('says when a path cannot be read', async () => {
    const locked = path.join(dir, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o000);
    try {
      expect(await checkPickedPaths([locked])).toMatchObject({ code: 'unreadable', path: locked });
    } finally {
      await chmod(locked, 0o755);
    }
  });
});

describe('saveExportTo', () => {
  const bytes = new TextEncoder().encode('a,b\r\n');

  it('writes where the dialog chose, with the filter of the extension', async () => {
    const asked: unknown[] = [];
    const file = path.join(dir, 'out', 'm.csv');
    const result = await saveExportTo(
      (name, ext) => {
        asked.push([name, ext]);
        return Promise.resolve(file);
      },
      { fileName: 'm.csv', extension: 'csv', bytes },
    );
    expect(result).toEqual({ ok: true, value: { outcome: 'saved', path: file, bytes: 5 } });
    expect(asked).toEqual([['m.csv', 'csv']]);
    expect(await readFile(file, 'utf8')).toBe('a,b\r\n');
  });

  it('adds a missing extension but then never replaces a file the dialog did not confirm', async () => {
    const chosen = path.join(dir, 'out', 'typed');
    const first = await saveExportTo(() => Promise.resolve(chosen), {
      fileName: 'm.csv',
      extension: 'csv',
      bytes,
    });
    expect(first).toMatchObject({ ok: true, value: { path: `${chosen}.csv` } });
    const again = await saveExportTo(() => Promise.resolve(chosen), {
      fileName: 'm.csv',
      extension: 'csv',
      bytes,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'exists', path: `${chosen}.csv` } });
  });

  it('does nothing when cancelled, and refuses what is not a file path', async () => {
    expect(
      await saveExportTo(() => Promise.resolve(undefined), { fileName: 'm.csv', extension: 'csv', bytes }),
    ).toEqual({ ok: true, value: { outcome: 'cancelled' } });
    expect(
      await saveExportTo(() => Promise.resolve('relative.csv'), {
        fileName: 'm.csv',
        extension: 'csv',
        bytes,
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const folder = path.join(dir, 'out', 'folder.csv');
    await mkdir(folder);
    expect(
      await saveExportTo(() => Promise.resolve(folder), { fileName: 'm.csv', extension: 'csv', bytes }),
    ).toMatchObject({ ok: false, error: { code: 'write-failed' } });
    expect(
      await saveExportTo(() => Promise.resolve(path.join(dir, 'missing-folder', 'm.csv')), {
        fileName: 'm.csv',
        extension: 'csv',
        bytes,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'write-failed', message: expect.stringContaining('does not exist') as unknown },
    });
  });
});

function peer(): Peer & { messages: ServerMessage[] } {
  const messages: ServerMessage[] = [];
  return { messages, send: (m) => messages.push(m) };
}

describe('Dispatcher: dialogs and dropped files', () => {
  const demo = path.join(dir ?? '', 'unused-demo.yaml');

  it('offers the dialogs only with a chooser; web mode gets not-supported', async () => {
    const web = new Dispatcher({
      manager: new SourceManager({ loaders: createLoaders(demo), log: quiet }),
      appVersion: '1',
      log: quiet,
    });
    const info = await web.handle(peer(), req('getInfo', null));
    expect(info.result).toMatchObject({ ok: true });
    if (info.result.ok) {
      const caps = (info.result.value as { capabilities: string[] }).capabilities;
      expect(caps).not.toContain('export-dialog');
      expect(caps).not.toContain('open-dialog');
    }
    expect(
      (await web.handle(peer(), req('saveExport', { fileName: 'm.csv', data: 'a', encoding: 'utf8' })))
        .result,
    ).toMatchObject({
      ok: false,
      error: { code: 'not-supported', feature: 'export-dialog' },
    });
    expect((await web.handle(peer(), req('chooseManifests', { pick: 'files' }))).result).toMatchObject({
      ok: false,
      error: { code: 'not-supported', feature: 'open-dialog' },
    });
  });

  it('writes the export the dialog chose, decoding base64', async () => {
    const file = path.join(dir, 'out', 'graph.png');
    const electron = new Dispatcher({
      manager: new SourceManager({ loaders: createLoaders(demo), log: quiet }),
      appVersion: '1',
      log: quiet,
      chooseExportPath: () => Promise.resolve(file),
    });
    const info = await electron.handle(peer(), req('getInfo', null));
    expect(JSON.stringify(info.result)).toContain('export-dialog');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const saved = await electron.handle(
      peer(),
      req('saveExport', { fileName: 'graph.png', data: png.toString('base64'), encoding: 'base64' }),
    );
    expect(saved.result).toEqual({ ok: true, value: { outcome: 'saved', path: file, bytes: 8 } });
    expect(await readFile(file)).toEqual(png);
  });

  it('opens what the open dialog chose, checked like a typed path', async () => {
    let answer: readonly string[] | undefined = [path.join(dir, 'manifests')];
    const manager = new SourceManager({ loaders: createLoaders(demo), log: quiet });
    const electron = new Dispatcher({
      manager,
      appVersion: '1',
      log: quiet,
      chooseOpenPaths: () => Promise.resolve(answer),
    });
    const opened = await electron.handle(peer(), req('chooseManifests', { pick: 'folder' }));
    expect(opened.result).toMatchObject({
      ok: true,
      value: { outcome: 'opened', status: { state: 'ready' } },
    });
    expect(manager.snapshot?.namespaces.map((n) => n.name)).toContain('picked');
    answer = [path.join(dir, 'empty')];
    expect((await electron.handle(peer(), req('chooseManifests', { pick: 'folder' }))).result).toMatchObject({
      ok: false,
      error: { code: 'load-failed', message: expect.stringContaining('No manifests') as unknown },
    });
    // The refused folder did not replace what was open.
    expect(manager.status).toMatchObject({
      state: 'ready',
      source: { kind: 'manifests', paths: [path.join(dir, 'manifests')] },
    });
    answer = undefined;
    expect((await electron.handle(peer(), req('chooseManifests', { pick: 'files' }))).result).toEqual({
      ok: true,
      value: { outcome: 'cancelled' },
    });
  });

  it('refuses a typed path that does not exist, keeping the current source', async () => {
    const manager = new SourceManager({ loaders: createLoaders(demo), log: quiet });
    const d = new Dispatcher({ manager, appVersion: '1', log: quiet });
    await d.handle(
      peer(),
      req('openSource', { kind: 'manifests', paths: [path.join(dir, 'manifests')], strict: true }),
    );
    const missing = path.join(dir, 'typo');
    expect(
      (await d.handle(peer(), req('openSource', { kind: 'manifests', paths: [missing], strict: true })))
        .result,
    ).toEqual({
      ok: false,
      error: { code: 'not-found', message: expect.stringContaining(missing) as unknown, path: missing },
    });
    expect(manager.status.state).toBe('ready');
    // Without `strict` (the command line) a missing path still loads, as a load issue.
    expect(
      (await d.handle(peer(), req('openSource', { kind: 'manifests', paths: [missing] }))).result,
    ).toMatchObject({
      ok: true,
    });
  });

  it('loads dropped texts under their names, and reloads from the same texts', async () => {
    const manager = new SourceManager({ loaders: createLoaders(demo), log: quiet });
    const d = new Dispatcher({ manager, appVersion: '1', log: quiet });
    const good = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: dropped-ns }\n';
    const bad =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: x, namespace: dropped-ns }\nspec:\n  podSelector: {}\n  ingress:\n    - ports: [{ port: 99999 }]\n';
    expect(
      (
        await d.handle(
          peer(),
          req('uploadManifests', {
            upload: UPLOAD,
            parts: [{ name: 'dir/ns.yaml', text: good.slice(0, 10) }],
          }),
        )
      ).result,
    ).toEqual({ ok: true, value: { files: 1, bytes: 10 } });
    await d.handle(
      peer(),
      req('uploadManifests', {
        upload: UPLOAD,
        parts: [
          { name: 'dir/ns.yaml', text: good.slice(10) },
          { name: 'dir/bad.yaml', text: bad },
        ],
      }),
    );
    const opened = await d.handle(
      peer(),
      req('openSource', { kind: 'dropped', upload: UPLOAD, files: ['dir/ns.yaml', 'dir/bad.yaml'] }),
    );
    expect(opened.result).toMatchObject({
      ok: true,
      value: { state: 'ready', source: { kind: 'dropped', files: ['dir/ns.yaml', 'dir/bad.yaml'] } },
    });
    expect(manager.snapshot?.namespaces.map((n) => n.name)).toContain('dropped-ns');
    const issue = manager.snapshot?.issues.find((i) => i.location?.file === 'dir/bad.yaml');
    expect(issue?.location?.line).toBe(7);
    // The upload was taken; reload parses the texts the source opened with.
    const reloaded = await d.handle(peer(), req('reload', null));
    expect(reloaded.result).toMatchObject({ ok: true, value: { state: 'ready', revision: 2 } });
    expect(manager.snapshot?.namespaces.map((n) => n.name)).toContain('dropped-ns');
    // An upload that never arrived is a clear error.
    expect(
      (
        await d.handle(
          peer(),
          req('openSource', { kind: 'dropped', upload: 'never-sent-upload-01', files: ['a.yaml'] }),
        )
      ).result,
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('drop them again') as unknown } });
  });
});
