import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { isMethodName } from '../contract/methods.js';
import type { RendererBridge, RpcError, RpcEventMessage } from '../contract/wire.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.js';

/**
 * Exposes exactly the renderer contract as `window.tillwright`: `call` for the contract's methods and `on` for
 * its events. No Node, no ipcRenderer, no other channel reaches the page.
 */
export const bridge = {
  async call(method, params) {
    if (!isMethodName(method)) {
      throw {
        code: 'unknown_method',
        message: `no method ${String(method)}`,
        retryable: false,
      } satisfies RpcError;
    }
    const response = (await ipcRenderer.invoke(CALL_CHANNEL, method, params)) as
      | { ok: true; result: unknown }
      | { ok: false; error: RpcError };
    // The plain refusal, not an Error: the context bridge copies an Error's message only, and the page needs the code
    // and any `approval` (the renderer's RpcClient makes it an RpcCallError again).
    if (!response.ok) throw response.error;
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
