import { mkdirSync } from 'node:fs';
import type { MessageEvent } from 'electron';
import { parseTerminalArgs } from '../host/cli-options.js';
import { TerminalHost } from '../host/terminal-host.js';

/**
 * The terminal host inside Electron's utility process, so a native crash in a driver cannot take the window
 * down. Main forwards renderer calls here and relays responses and events back.
 */
const port = process.parentPort;
const options = parseTerminalArgs(process.argv.slice(2), process.env);
mkdirSync(options.dataDir, { recursive: true });
const host = new TerminalHost({ ...options, serverUrl: options.server });
host.start();
host.subscribe((message) => port.postMessage({ kind: 'event', ...message }));
port.on('message', (event: MessageEvent) => {
  const { id, method, params } = event.data as { id: number; method: string; params: unknown };
  void host.call(id, method, params).then((response) => port.postMessage({ kind: 'response', ...response }));
});
process.on('SIGTERM', () => void host.stop().then(() => process.exit(0)));
