import type { DevicesStatusView, MethodName, ProductView, SessionView } from '../contract/methods.js';
import type { RendererBridge, RpcEventMessage } from '../contract/wire.js';
import { CartDatabase } from './cart-db.js';
import { createTillStore } from './cart-store.js';
import { RpcClient } from './rpc-client.js';

/**
 * For the renderer's store tests only (never imported by the app): a host stand-in behind the real RpcClient, and a
 * store on it. The real host is exercised end to end in e2e/. Tests import 'fake-indexeddb/auto' first.
 */

export const pen: ProductView = {
  productId: 'pen',
  sku: 'PEN',
  name: 'Pen',
  barcode: '4006381333931',
  currency: 'EUR',
  unitPrice: 250,
  measure: 'unit',
  openPrice: null,
  minimumAge: null,
  embedded: null,
};

export const sync = {
  state: 'online' as const,
  pending: 0,
  oldestPendingAt: null,
  lastSyncAt: null,
  lastError: null,
  alert: null,
  overdue: false,
  clock: { offsetMs: null, alert: null },
  feed: { skipped: 0, lastSkipped: null },
};

export const devices: DevicesStatusView = {
  printer: 'online',
  paper: 'near-end',
  coverOpen: false,
  drawer: 'closed',
  drawerLeftOpen: false,
  alerts: ['Receipt paper running low'],
};

/** A cashier of the default roles, signed in (or in `state`): may sell, may not open the drawer alone. */
export function sessionOf(state: SessionView['state'], who = { id: 'emp-ada', number: '1042', name: 'Ada' }) {
  return {
    state,
    employee:
      state === 'signed-out'
        ? null
        : {
            employeeId: who.id,
            number: who.number,
            displayName: who.name,
            roleId: 'cashier',
            roleName: 'Cashier',
          },
    permissions: null,
    autoLockSeconds: 120,
  } satisfies SessionView;
}

export type Answer = (method: MethodName, params: Record<string, unknown>) => unknown;

/**
 * A host stand-in that records calls. It greets, reports devices, prices every line at the pen's price and says who
 * is signed in (`host.session`, a signed-in cashier unless changed); everything else is `answer`'s.
 */
export function recordingHost(answer: Answer, quote: Quoter = quoteAtPenPrice) {
  const calls: { method: MethodName; params: Record<string, unknown> }[] = [];
  const listeners = new Set<(message: RpcEventMessage) => void>();
  const state = { session: sessionOf('signed-in') as SessionView };
  const bridge: RendererBridge = {
    async call(method, params) {
      calls.push({ method, params: params as Record<string, unknown> });
      if (method === 'session.hello') {
        return { terminalId: 'T1', storeId: 'S1', currency: 'EUR', simulators: true, sync };
      }
      if (method === 'devices.status') return devices;
      if (method === 'sale.quote') return quote(params as QuoteParams);
      if (method === 'session.status') return state.session;
      return answer(method, params as Record<string, unknown>);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (message: RpcEventMessage) => {
    for (const listener of listeners) listener(message);
  };
  return { bridge, calls, emit, state };
}

type QuoteParams = { lines: { lineId: string; quantity: number }[] };
/** How the stand-in answers `sale.quote` (a test may hold answers back to deliver them late or out of order). */
export type Quoter = (params: QuoteParams) => unknown;

/** Every product costs what the pen costs; enough for the store to show a host-priced total. */
export function quoteAtPenPrice({ lines }: QuoteParams) {
  const priced = lines.map((line) => ({
    lineId: line.lineId,
    unitPrice: 250,
    extended: line.quantity * 250,
    amount: line.quantity * 250,
    discounts: [],
    adjustments: [],
  }));
  const total = priced.reduce((sum, line) => sum + line.amount, 0);
  return {
    currency: 'EUR',
    subtotal: total,
    discountTotal: 0,
    taxTotal: 0,
    total,
    cashDue: total,
    lines: priced,
    promotions: [],
    approvals: [],
  };
}

let dbCounter = 0;

/** A store on a recording host, initialised, having learnt who is signed in. */
export async function setup(
  answer: Answer,
  options: { dbName?: string; session?: SessionView; now?: () => number; quote?: Quoter } = {},
) {
  const host = recordingHost(answer, options.quote);
  if (options.session) host.state.session = options.session;
  const dbName = options.dbName ?? `cart-${dbCounter++}`;
  let n = 0;
  const store = createTillStore({
    rpc: new RpcClient(host.bridge),
    db: new CartDatabase(dbName),
    newId: () => `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    ...(options.now ? { now: options.now } : {}),
  });
  await store.getState().init();
  await store.getState().refreshSession();
  return { store, host, dbName };
}
