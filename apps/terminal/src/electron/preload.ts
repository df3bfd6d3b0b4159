import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { isMethodName } from '../contract/methods.js';
import { type RendererBridge, RpcCallError, type RpcEventMessage } from '../contract/wire.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.js';

/**
 * Exposes exactly the renderer contract as `window.tillwright`: `call` for the contract's methods and `on` for
 * its events. No Node, no ipcRenderer, no other channel reaches the page.
 */
export const bridge = {
  async call(method, params) {
    if (!isMethodName(method)) {
      throw new RpcCallError({
        code: 'unknown_method',
        message: `no method ${String(method)}`,
        retryable: false,
      });
    }
    const response = (await ipcRenderer.invoke(CALL_CHANNEL, method, params)) as
      | { ok: true; result: unknown }
      | { ok: false; error: RpcCallError['error'] };
    if (!response.ok) throw new RpcCallError(response.error);
    return response.result;
  },
  on(listener) {
    const forward = (_event: IpcRendererEvent, message: RpcEventMessage) => listener(message);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
} satisfies RendererBridge;

contextBridge.exposeInMainWorld('tillwright', bridge);
