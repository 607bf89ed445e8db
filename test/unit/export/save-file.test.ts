// @vitest-environment happy-dom
/**
 * saveExportFile: the native dialog when the app has one (text as UTF-8, bytes as base64), a browser
 * download otherwise or when the Node side has no dialog, and every outcome said.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodParams, Result, SaveExportAsResult } from '../../../shared/api/api.ts';
import {
  browserDownload,
  describeSaveResult,
  safeFileName,
  saveExportFile,
  toBase64,
  type SaveEnvironment,
} from '../../../renderer/src/export/save-file.ts';

afterEach(() => vi.restoreAllMocks());

function native(answer: Result<SaveExportAsResult>) {
  const calls: MethodParams<'saveExport'>[] = [];
  const download = vi.fn<SaveEnvironment['download']>();
  const env: SaveEnvironment = {
    saveExport: (params) => {
      calls.push(params);
      return Promise.resolve(answer);
    },
    download,
  };
  return { env, calls, download };
}

describe('saveExportFile', () => {
  it('asks the native dialog with the text as UTF-8', async () => {
    const { env, calls, download } = native({
      ok: true,
      value: { outcome: 'saved', path: '/home/u/m.csv', bytes: 5 },
    });
    const result = await saveExportFile({ fileName: 'm.csv', mime: 'text/csv', data: 'a,b\r\n' }, env);
    expect(result).toEqual({ outcome: 'saved', path: '/home/u/m.csv', bytes: 5 });
    expect(calls).toEqual([{ fileName: 'm.csv', data: 'a,b\r\n', encoding: 'utf8' }]);
    expect(download).not.toHaveBeenCalled();
    expect(describeSaveResult(result)).toBe('Saved m.csv');
  });

  it('sends bytes as base64', async () => {
    const { env, calls } = native({ ok: true, value: { outcome: 'cancelled' } });
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    expect(await saveExportFile({ fileName: 'g.png', mime: 'image/png', data: bytes }, env)).toEqual({
      outcome: 'cancelled',
    });
    expect(calls[0]?.encoding).toBe('base64');
    expect(Buffer.from(calls[0]?.data ?? '', 'base64')).toEqual(Buffer.from(bytes));
  });

  it('says why the Node side could not write', async () => {
    const { env, download } = native({
      ok: false,
      error: { code: 'write-failed', message: 'Cannot write /x.csv: permission denied.', path: '/x.csv' },
    });
    const result = await saveExportFile({ fileName: 'x.csv', mime: 'text/csv', data: '' }, env);
    expect(result).toEqual({ outcome: 'failed', message: 'Cannot write /x.csv: permission denied.' });
    expect(download).not.toHaveBeenCalled();
  });

  it('downloads when the Node side has no dialog, and in web mode', async () => {
    const { env, download } = native({
      ok: false,
      error: { code: 'not-supported', message: 'no dialog', feature: 'export-dialog' },
    });
    expect(await saveExportFile({ fileName: 'r.md', mime: 'text/markdown', data: '# x' }, env)).toEqual({
      outcome: 'downloaded',
      fileName: 'r.md',
    });
    const web = vi.fn<SaveEnvironment['download']>();
    await saveExportFile({ fileName: 'm.csv', mime: 'text/csv', data: 'a' }, { download: web });
    for (const [name, blob] of [...download.mock.calls, ...web.mock.calls]) {
      expect(name).toMatch(/^(r\.md|m\.csv)$/);
      expect(blob).toBeInstanceOf(Blob);
    }
    expect(await web.mock.calls[0]?.[1].text()).toBe('a');
    expect(web.mock.calls[0]?.[1].type).toBe('text/csv');
  });

  it('says when the browser refused the download', async () => {
    const result = await saveExportFile(
      { fileName: 'm.csv', mime: 'text/csv', data: 'a' },
      {
        download: () => {
          throw new Error('blocked');
        },
      },
    );
    expect(result).toEqual({ outcome: 'failed', message: 'Could not download m.csv: blocked' });
  });

  it('uses a browser download in a page without the Electron API', async () => {
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:netglass/7');
    const clicks: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.href, download: this.download });
    });
    expect(await saveExportFile({ fileName: 'm.csv', mime: 'text/csv', data: 'a' })).toEqual({
      outcome: 'downloaded',
      fileName: 'm.csv',
    });
    expect(clicks).toEqual([{ href: 'blob:netglass/7', download: 'm.csv' }]);
    // The link is gone again.
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
    browserDownload('x.txt', new Blob(['x']));
    expect(clicks).toHaveLength(2);
  });

  it('encodes big byte arrays', () => {
    const bytes = new Uint8Array(200_000).map((_, i) => i % 256);
    expect(Buffer.from(toBase64(bytes), 'base64').equals(Buffer.from(bytes))).toBe(true);
  });

  it('makes any name one the Node side accepts', async () => {
    expect(safeFileName('policy-shop-web.md')).toBe('policy-shop-web.md');
    expect(safeFileName('../../etc/passwd.CSV')).toBe('etc-passwd.csv');
    expect(safeFileName('graph: prod/ns*.png')).toBe('graph- prod-ns-.png');
    expect(safeFileName('.png')).toBe('export.png');
    const { env, calls } = native({ ok: true, value: { outcome: 'cancelled' } });
    await saveExportFile({ fileName: 'a/b.svg', mime: 'image/svg+xml', data: '<svg/>' }, env);
    expect(calls[0]?.fileName).toBe('a-b.svg');
  });
});
