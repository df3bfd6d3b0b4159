import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, utilityProcess } from 'electron';
import type { HostToRenderer } from '../contract/wire.js';
import { ConfigError, readHostLaunch } from './config.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.js';
import { applySecurity } from './security.js';

/** Electron's main process: creates the window, applies security, and relays IPC to the host process. */
const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  await app.whenReady();
  applySecurity(app, session.defaultSession);
  const launch = readHostLaunch(app.getPath('userData'));
  const host = utilityProcess.fork(join(here, 'host-process.js'), launch.args, {
    serviceName: 'tillwright-terminal-host',
    env: { ...process.env, ...launch.env },
  });
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webviewTag: false,
    },
  });
  const pending = new Map<number, (response: unknown) => void>();
  let nextId = 1;
  host.on('message', (message: HostToRenderer) => {
    if (message.kind === 'event') {
      window.webContents.send(EVENT_CHANNEL, { event: message.event, payload: message.payload });
      return;
    }
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  host.on('exit', (code) => {
    for (const [id, resolve] of pending) {
      resolve({
        id,
        ok: false,
        error: { code: 'host_exited', message: `the terminal host stopped (${code})`, retryable: true },
      });
    }
    pending.clear();
  });
  ipcMain.handle(CALL_CHANNEL, (_event, method: string, params: unknown) => {
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      host.postMessage({ id, method, params });
    });
  });
  await window.loadFile(join(here, '..', 'renderer', 'index.html'));
  app.on('window-all-closed', () => {
    host.kill();
    app.quit();
  });
}

main().catch((error: unknown) => {
  dialog.showErrorBox('Tillwright could not start', error instanceof Error ? error.message : String(error));
  app.exit(error instanceof ConfigError ? 2 : 1);
});
