/**
 * The Electron main process. Security posture (Electron's checklist):
 * - the renderer runs sandboxed with context isolation and no Node integration; it reaches Node only
 *   through the typed API the preload exposes (shared/api);
 * - the page is served from a private `app://netglass` origin (not file://) with a strict CSP;
 * - every IPC request is checked against that origin before it is parsed, then validated;
 * - navigation, new windows, webviews and permission requests are refused (https links open in the
 *   system browser);
 * - credentials (kubeconfig, later) stay in this process;
 * - the page writes files only under the loaded manifest folders, or where the user chose in this
 *   process's native save dialog (`savePolicyAs`): a path the page sends is never enough.
 */
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  session,
  shell,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import { EXPORT_FILE_TYPES, type ExportExtension, type SourceRequest } from '../shared/api/api.ts';
import { Dispatcher } from './ipc/dispatcher.ts';
import { registerIpc } from './ipc/register.ts';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME, isTrustedSenderUrl } from './ipc/sender.ts';
import { adoptLoginShellPath } from './cluster/shell-path.ts';
import { createLoaders } from './source/loaders.ts';
import { SourceManager } from './source/manager.ts';
import { parseAppArgs } from './web/args.ts';
import { contentSecurityPolicy, lookupStatic, securityHeaders } from './web/static.ts';

protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
  },
]);
app.enableSandbox();

const appRoot = app.getAppPath();
const paths = {
  renderer: join(appRoot, 'out', 'renderer'),
  preload: join(appRoot, 'out', 'electron', 'preload.cjs'),
  demo: join(appRoot, 'out', 'electron', 'demo-cluster.yaml'),
};

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function serveRenderer(): Promise<void> {
  const root = await realpath(paths.renderer);
  const csp = contentSecurityPolicy();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return new Response('Not found', { status: 404 });
    }
    const found = await lookupStatic(root, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!found.ok) return new Response(null, { status: found.status });
    const body = await readFile(found.file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { ...securityHeaders({ csp, cache: 'no-cache' }), 'Content-Type': found.mimeType },
    });
  });
}

/** The native save dialog for `savePolicyAs`; it asks before replacing a file on every platform. */
async function chooseSavePath(defaultPath: string): Promise<string | undefined> {
  const options: SaveDialogOptions = {
    title: 'Save the policy',
    defaultPath: isAbsolute(defaultPath) ? defaultPath : join(app.getPath('documents'), defaultPath),
    buttonLabel: 'Save',
    filters: [{ name: 'YAML', extensions: ['yaml', 'yml'] }],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  };
  const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const chosen =
    parent !== undefined
      ? await dialog.showSaveDialog(parent, options)
      : await dialog.showSaveDialog(options);
  return chosen.canceled || chosen.filePath === undefined || chosen.filePath === ''
    ? undefined
    : chosen.filePath;
}

/** The native save dialog for `saveExport`, filtered to the export's one file type. */
async function chooseExportPath(fileName: string, extension: ExportExtension): Promise<string | undefined> {
  const options: SaveDialogOptions = {
    title: 'Export',
    defaultPath: join(app.getPath('documents'), fileName),
    buttonLabel: 'Save',
    filters: [{ name: EXPORT_FILE_TYPES[extension], extensions: [extension] }],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  };
  const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const chosen =
    parent !== undefined
      ? await dialog.showSaveDialog(parent, options)
      : await dialog.showSaveDialog(options);
  return chosen.canceled || chosen.filePath === undefined || chosen.filePath === ''
    ? undefined
    : chosen.filePath;
}

/** The native open dialog for `chooseManifests`: several manifest files, or one folder. */
async function chooseOpenPaths(pick: 'files' | 'folder'): Promise<readonly string[] | undefined> {
  const options: OpenDialogOptions =
    pick === 'folder'
      ? { title: 'Open a folder of manifests', buttonLabel: 'Open', properties: ['openDirectory'] }
      : {
          title: 'Open manifest files',
          buttonLabel: 'Open',
          filters: [
            { name: 'Manifests', extensions: ['yaml', 'yml', 'json'] },
            { name: 'All files', extensions: ['*'] },
          ],
          properties: ['openFile', 'multiSelections'],
        };
  const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const chosen =
    parent !== undefined
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options);
  return chosen.canceled || chosen.filePaths.length === 0 ? undefined : chosen.filePaths;
}

function lockDown(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedSenderUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedSenderUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'netglass',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const parsed = parseAppArgs(process.argv.slice(app.isPackaged ? 1 : 2), { strict: false });
  if (!parsed.ok) log(`netglass: ${parsed.message}`);
  const manifests = parsed.ok ? parsed.args.manifests : [];

  await app.whenReady();
  lockDown();
  await serveRenderer();

  // A desktop launch has a minimal PATH; exec credential plugins live on the login shell's.
  await adoptLoginShellPath();
  const loaders = createLoaders(paths.demo, {
    ...(parsed.ok && parsed.args.kubeconfig !== undefined
      ? { kubeconfig: resolve(parsed.args.kubeconfig) }
      : {}),
    preferencesFile: join(app.getPath('userData'), 'preferences.json'),
  });
  const manager = new SourceManager({ loaders, log });
  const dispatcher = new Dispatcher({
    manager,
    appVersion: app.getVersion(),
    log,
    capabilities: ['demo', 'manifests', 'clusters'],
    chooseSavePath,
    chooseExportPath,
    chooseOpenPaths,
  });
  const unregister = registerIpc({ ipcMain, dispatcher, log });

  const context = parsed.ok ? parsed.args.context : undefined;
  const current = loaders.clusters?.listContexts().contexts.find((c) => c.current)?.name;
  const request: SourceRequest =
    manifests.length > 0
      ? { kind: 'manifests', paths: manifests.map((p) => resolve(p)) }
      : context !== undefined
        ? { kind: 'cluster', context: context === 'current' ? (current ?? context) : context }
        : { kind: 'demo' };
  void manager.open(request);

  let win = createWindow();
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    unregister();
    manager.close();
  });
}

start().catch((e: unknown) => {
  log(`netglass: failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  app.exit(1);
});
