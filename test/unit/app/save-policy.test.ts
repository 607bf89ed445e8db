/**
 * `savePolicy` through the dispatcher (what Electron IPC and the web-mode WebSocket both call): it
 * writes only a policy document, only under the loaded manifest folders, and never replaces a file
 * that holds anything but policies. A renderer (or WebSocket client) cannot turn it into "write any
 * file". `savePolicyAs` writes where the user chose in the native save dialog (Electron), that file
 * only; without a dialog (web mode) it writes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher, type SavePathChooser } from '../../../electron/ipc/dispatcher.ts';
import { loadManifests } from '../../../electron/manifests/load.ts';
import { SourceManager } from '../../../electron/source/manager.ts';

const policy = (name: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n`;
const clusterPolicy = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: deny-all
spec:
  tier: Baseline
  priority: 10
  subject:
    namespaces: {}
  ingress:
  - action: Deny
    from:
    - namespaces: {}
`;

let base: string;
let root: string;
let outside: string;

function make(chooseSavePath?: SavePathChooser) {
  const manager = new SourceManager({
    loaders: {
      demoPath: path.join(import.meta.dirname, '../../../shared/demo/demo-cluster.yaml'),
      loadManifests,
    },
    log: () => {},
  });
  const dispatcher = new Dispatcher({
    manager,
    appVersion: '0',
    log: () => {},
    ...(chooseSavePath !== undefined ? { chooseSavePath } : {}),
  });
  const call = async (method: string, params: unknown) =>
    (await dispatcher.handle({ send: () => {} }, { kind: 'request', id: 1, method, params })).result;
  const save = (file: string, yaml: string, overwrite = false) =>
    call('savePolicy', { path: file, yaml, overwrite });
  const saveAs = (yaml: string, fileName = 'web.yaml') => call('savePolicyAs', { yaml, fileName });
  return { manager, save, saveAs, call };
}

/** A save dialog that answers `answer` and remembers what it was offered. */
function dialog(answer: string | undefined) {
  const offered: string[] = [];
  const choose: SavePathChooser = (defaultPath) => {
    offered.push(defaultPath);
    return Promise.resolve(answer);
  };
  return { choose, offered };
}

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'netglass-save-policy-')));
  root = path.join(base, 'manifests');
  outside = path.join(base, 'elsewhere');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(root, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

describe('savePolicy', () => {
  it('writes a NetworkPolicy or a ClusterNetworkPolicy under the loaded manifest folder', async () => {
    const { manager, save } = make();
    await manager.open({ kind: 'manifests', paths: [root] });
    expect(await save(path.join(root, 'web.yaml'), policy('web'))).toMatchObject({ ok: true });
    fs.mkdirSync(path.join(root, 'sub'));
    expect(await save(path.join(root, 'sub', 'cnp.yml'), clusterPolicy)).toMatchObject({ ok: true });
    // Replacing a file that holds only a policy is allowed, with the flag.
    expect(await save(path.join(root, 'web.yaml'), policy('web2'), true)).toMatchObject({
      ok: true,
      value: { replaced: true },
    });
    expect(fs.readFileSync(path.join(root, 'web.yaml'), 'utf8')).toBe(policy('web2'));
  });

  it('refuses a path outside the loaded folders, also through .. and symbolic links', async () => {
    const { manager, save } = make();
    await manager.open({ kind: 'manifests', paths: [root] });
    for (const file of [
      path.join(outside, 'x.yaml'),
      path.join(root, '..', 'elsewhere', 'x.yaml'),
      path.join(os.homedir(), '.github-x.yaml'),
    ]) {
      expect(await save(file, policy('x')), file).toMatchObject({
        ok: false,
        error: { code: 'write-failed', message: /only under the loaded manifest folders/ },
      });
    }
    fs.symlinkSync(outside, path.join(root, 'link'));
    expect(await save(path.join(root, 'link', 'x.yaml'), policy('x'))).toMatchObject({
      ok: false,
      error: { code: 'write-failed' },
    });
    fs.symlinkSync(path.join(outside, 'target.yaml'), path.join(root, 'file-link.yaml'));
    expect(await save(path.join(root, 'file-link.yaml'), policy('x'), true)).toMatchObject({
      ok: false,
      error: { code: 'write-failed' },
    });
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('refuses content that is not only a policy document', async () => {
    const { manager, save } = make();
    await manager.open({ kind: 'manifests', paths: [root] });
    const ci = 'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n    - run: curl https://x | sh\n';
    for (const yaml of [
      ci,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: c, image: x}]}\n',
      `${policy('a')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n`,
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad}\nspec: {podSelector: 7}\n',
      '',
    ]) {
      expect(await save(path.join(root, 'x.yaml'), yaml), yaml).toMatchObject({
        ok: false,
        error: { code: 'invalid-request', field: 'params.yaml' },
      });
    }
    expect(fs.existsSync(path.join(root, 'x.yaml'))).toBe(false);
  });

  it('never replaces a file that holds anything but policies, nor writes a non-YAML name', async () => {
    const { manager, save } = make();
    await manager.open({ kind: 'manifests', paths: [root] });
    const before = fs.readFileSync(path.join(root, 'ns.yaml'), 'utf8');
    expect(await save(path.join(root, 'ns.yaml'), policy('x'), true)).toMatchObject({
      ok: false,
      error: { code: 'write-failed', message: /something other than policies/ },
    });
    expect(fs.readFileSync(path.join(root, 'ns.yaml'), 'utf8')).toBe(before);
    fs.writeFileSync(path.join(root, 'ci.yaml'), 'on: push\njobs: {}\n');
    expect(await save(path.join(root, 'ci.yaml'), policy('x'), true)).toMatchObject({ ok: false });
    expect(fs.readFileSync(path.join(root, 'ci.yaml'), 'utf8')).toBe('on: push\njobs: {}\n');
    expect(await save(path.join(root, 'run.sh'), policy('x'))).toMatchObject({ ok: false });
  });

  it('writes nothing when no manifest folder is loaded (demo source)', async () => {
    const { manager, save } = make();
    await manager.open({ kind: 'demo' });
    expect(await save(path.join(root, 'web.yaml'), policy('web'))).toMatchObject({
      ok: false,
      error: { code: 'write-failed', message: /open a manifest folder first/ },
    });
    expect(fs.existsSync(path.join(root, 'web.yaml'))).toBe(false);
  });
});

describe('savePolicyAs (the native save dialog)', () => {
  it('writes exactly the file the user chose, and opens no folder for savePolicy', async () => {
    const chosen = path.join(outside, 'chosen.yaml');
    const d = dialog(chosen);
    const { manager, save, saveAs, call } = make(d.choose);
    expect(await call('getInfo', null)).toMatchObject({
      ok: true,
      value: { capabilities: ['demo', 'manifests', 'save-dialog'] },
    });
    await manager.open({ kind: 'manifests', paths: [root] });
    expect(await saveAs(policy('web'))).toMatchObject({
      ok: true,
      value: { outcome: 'saved', path: chosen, replaced: false },
    });
    // The dialog starts next to the loaded manifests.
    expect(d.offered).toEqual([path.join(root, 'web.yaml')]);
    expect(fs.readFileSync(chosen, 'utf8')).toBe(policy('web'));
    // The chosen file does not make its folder, or itself, writable through savePolicy.
    for (const file of [chosen, path.join(outside, 'other.yaml')]) {
      expect(await save(file, policy('x'), true), file).toMatchObject({
        ok: false,
        error: { code: 'write-failed' },
      });
    }
    expect(fs.readdirSync(outside)).toEqual(['chosen.yaml']);
  });

  it('replaces a policy file the user confirmed in the dialog, never any other file', async () => {
    fs.writeFileSync(path.join(outside, 'old.yaml'), policy('old'));
    expect(await make(dialog(path.join(outside, 'old.yaml')).choose).saveAs(policy('new'))).toMatchObject({
      ok: true,
      value: { outcome: 'saved', replaced: true },
    });
    expect(fs.readFileSync(path.join(outside, 'old.yaml'), 'utf8')).toBe(policy('new'));

    fs.writeFileSync(path.join(outside, 'ci.yaml'), 'on: push\njobs: {}\n');
    expect(await make(dialog(path.join(outside, 'ci.yaml')).choose).saveAs(policy('x'))).toMatchObject({
      ok: false,
      error: { code: 'write-failed', message: /something other than policies/ },
    });
    expect(fs.readFileSync(path.join(outside, 'ci.yaml'), 'utf8')).toBe('on: push\njobs: {}\n');
    // Content that is not a policy is refused wherever the user points.
    expect(
      await make(dialog(path.join(outside, 'job.yaml')).choose).saveAs('jobs:\n  x: {runs-on: a}\n'),
    ).toMatchObject({ ok: false, error: { code: 'invalid-request', field: 'params.yaml' } });
    expect(fs.existsSync(path.join(outside, 'job.yaml'))).toBe(false);
  });

  it('adds .yaml to a bare name, but does not replace that other file unasked', async () => {
    const { saveAs } = make(dialog(path.join(outside, 'bare')).choose);
    expect(await saveAs(policy('a'))).toMatchObject({
      ok: true,
      value: { outcome: 'saved', path: path.join(outside, 'bare.yaml') },
    });
    expect(await saveAs(policy('b'))).toMatchObject({
      ok: false,
      error: { code: 'exists', message: /choose it in the dialog to replace it/ },
    });
    expect(fs.readFileSync(path.join(outside, 'bare.yaml'), 'utf8')).toBe(policy('a'));
    expect(fs.existsSync(path.join(outside, 'bare'))).toBe(false);
  });

  it('writes nothing when the user cancels, and offers only a file name without manifests', async () => {
    const d = dialog(undefined);
    const { manager, saveAs } = make(d.choose);
    await manager.open({ kind: 'demo' });
    expect(await saveAs(policy('web'), 'web.yaml')).toEqual({ ok: true, value: { outcome: 'cancelled' } });
    expect(d.offered).toEqual(['web.yaml']);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('is refused without a dialog (web mode): the browser downloads instead', async () => {
    const { saveAs, call } = make();
    const info = await call('getInfo', null);
    expect(info.ok && (info.value as { capabilities: string[] }).capabilities).not.toContain('save-dialog');
    expect(await saveAs(policy('web'))).toMatchObject({
      ok: false,
      error: { code: 'not-supported', feature: 'save-dialog' },
    });
  });

  it('takes no path from the page: a folder in the suggested name is refused before any dialog', async () => {
    const d = dialog(path.join(outside, 'x.yaml'));
    const { saveAs } = make(d.choose);
    expect(await saveAs(policy('web'), '../../etc/x.yaml')).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', field: 'params.fileName' },
    });
    expect(d.offered).toEqual([]);
  });
});
