import '../contract/zod-no-eval.js';
import { createRoot } from 'react-dom/client';
import { RPC_PATH } from '../contract/browser-rpc.js';
import type { RendererBridge } from '../contract/wire.js';
import { App } from './App.js';
import { CartDatabase } from './cart-db.js';
import { createTillStore } from './cart-store.js';
import { RpcClient } from './rpc-client.js';
import { pageRpcToken, servedRpcToken } from './rpc-token.js';
import { markScanReceived } from './scan-timing.js';
import { createWebSocketBridge } from './websocket-bridge.js';
import { installWedgeInput } from './wedge-input.js';

declare global {
  interface Window {
    /** Present in Electron: the preload's bridge. Absent in browser mode. */
    tillwright?: RendererBridge;
  }
}

const bridge =
  window.tillwright ??
  createWebSocketBridge(
    `ws://${location.host}${RPC_PATH}`,
    { first: pageRpcToken(document), reread: () => servedRpcToken(`${location.origin}/`) },
    WebSocket,
    // Back in contact with the host (perhaps restarted, with nobody signed in): ask who is signed in now.
    () => void store.getState().refreshSession(),
  );
const store = createTillStore({ rpc: new RpcClient(bridge), db: new CartDatabase() });
const root = createRoot(document.getElementById('root')!);
root.render(<App store={store} />);
// A keyboard-wedge scan goes to the cart wherever the focus is, and never into a text field.
installWedgeInput(window, {
  onScan: (barcode) => {
    markScanReceived(barcode);
    void store.getState().lookupScan(barcode);
  },
});
store
  .getState()
  .init()
  .catch((error: unknown) => {
    store.setState({ notice: { kind: 'error', text: `cannot reach the terminal host: ${String(error)}` } });
  });
