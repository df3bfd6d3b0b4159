import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { DevicesStatusView, MethodName, ProductView } from '../contract/methods.js';
import { type RendererBridge, RpcCallError, type RpcEventMessage } from '../contract/wire.js';
import { CartDatabase } from './cart-db.js';
import { cartTotal, createTillStore } from './cart-store.js';
import { RpcClient } from './rpc-client.js';

const pen: ProductView = {
  productId: 'pen',
  sku: 'PEN',
  name: 'Pen',
  barcode: '4006381333931',
  currency: 'EUR',
  unitPrice: 250,
};
const sync = {
  state: 'online' as const,
  pending: 0,
  oldestPendingAt: null,
  lastSyncAt: null,
  lastError: null,
  alert: null,
  overdue: false,
};

const devices: DevicesStatusView = {
  printer: 'online',
  paper: 'near-end',
  coverOpen: false,
  drawer: 'closed',
  drawerLeftOpen: false,
  alerts: ['Receipt paper running low'],
};

/** A host stand-in that records calls; the real host is exercised end to end in e2e/. */
function recordingHost(answer: (method: MethodName, params: Record<string, unknown>) => unknown) {
  const calls: { method: MethodName; params: Record<string, unknown> }[] = [];
  const listeners = new Set<(message: RpcEventMessage) => void>();
  const bridge: RendererBridge = {
    async call(method, params) {
      calls.push({ method, params: params as Record<string, unknown> });
      if (method === 'session.hello') {
        return { terminalId: 'T1', storeId: 'S1', currency: 'EUR', simulators: true, sync };
      }
      if (method === 'devices.status') return devices;
      if (method === 'sale.quote')
        return quoteAtPenPrice(params as { lines: { lineId: string; quantity: number }[] });
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
  return { bridge, calls, emit };
}

/** Every product costs what the pen costs; enough for the store to show a host-priced total. */
function quoteAtPenPrice({ lines }: { lines: { lineId: string; quantity: number }[] }) {
  const priced = lines.map((line) => ({
    lineId: line.lineId,
    extended: line.quantity * 250,
    amount: line.quantity * 250,
    discounts: [],
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
  };
}

let dbCounter = 0;
async function setup(
  answer: (method: MethodName, params: Record<string, unknown>) => unknown,
  dbName = `cart-${dbCounter++}`,
) {
  const host = recordingHost(answer);
  let n = 0;
  const store = createTillStore({
    rpc: new RpcClient(host.bridge),
    db: new CartDatabase(dbName),
    newId: () => `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
  });
  await store.getState().init();
  return { store, host, dbName };
}

const completed = (params: Record<string, unknown>, alreadyRecorded: boolean) => ({
  saleId: params.saleId,
  receiptNumber: 'T1-1-000001',
  currency: 'EUR',
  total: 500,
  taxTotal: 80,
  paid: 500,
  cashRounding: 0,
  change: 500,
  alreadyRecorded,
  receipt: alreadyRecorded ? 'skipped' : 'confirmed',
  drawer: alreadyRecorded ? 'skipped' : 'confirmed',
});

describe('the till store', () => {
  it('adds a scanned product as a line and counts up repeated scans', async () => {
    const { store, host } = await setup(() => null);
    host.emit({ event: 'scanner.scan', payload: { barcode: pen.barcode!, product: pen } });
    host.emit({ event: 'scanner.scan', payload: { barcode: pen.barcode!, product: pen } });
    expect(store.getState().cart.lines).toMatchObject([{ productId: 'pen', quantity: 2 }]);
    expect(cartTotal(store.getState().cart)).toBe(500);
    await expect.poll(() => store.getState().quote?.total).toBe(500);
  });

  it('never reuses a line id after a line was removed', async () => {
    const { store } = await setup(() => null);
    const book = { ...pen, productId: 'book', name: 'Book' };
    const cup = { ...pen, productId: 'cup', name: 'Cup' };
    store.getState().addProduct(pen);
    store.getState().addProduct(book);
    store.getState().removeLine(store.getState().cart.lines[0]!.lineId);
    store.getState().addProduct(cup);
    const ids = store.getState().cart.lines.map((line) => line.lineId);
    expect(new Set(ids).size).toBe(ids.length);
    store.getState().removeLine(ids[0]!);
    expect(store.getState().cart.lines.map((line) => line.productId)).toEqual(['cup']);
  });

  it('shows the printer and drawer as the host reports them, first asked, then pushed', async () => {
    const { store, host } = await setup(() => null);
    await vi.waitFor(() => expect(store.getState().devices?.alerts).toEqual(['Receipt paper running low']));
    host.emit({
      event: 'devices.status',
      payload: {
        ...devices,
        paper: 'ok',
        drawer: 'open',
        drawerLeftOpen: true,
        alerts: ['Cash drawer left open'],
      },
    });
    expect(store.getState().devices).toMatchObject({ drawer: 'open', alerts: ['Cash drawer left open'] });
  });

  it('says so when a barcode is unknown and leaves the cart alone', async () => {
    const { store, host } = await setup(() => null);
    host.emit({ event: 'scanner.scan', payload: { barcode: '123', product: null } });
    expect(store.getState().notice).toEqual({ kind: 'error', text: 'Unknown barcode 123' });
    expect(store.getState().cart.lines).toHaveLength(0);
  });

  it('looks a wedge scan up through the host and adds it like a scanner event; a garbled read is unknown', async () => {
    const { store, host } = await setup((method, params) =>
      method === 'catalog.lookup' && params.barcode === pen.barcode ? pen : null,
    );
    await store.getState().lookupScan(pen.barcode!);
    expect(store.getState().cart.lines).toMatchObject([{ productId: 'pen', quantity: 1 }]);
    await store.getState().lookupScan('5901234123457');
    expect(store.getState().notice).toEqual({ kind: 'error', text: 'Unknown barcode 5901234123457' });
    await store.getState().lookupScan('40063\x1d81');
    expect(store.getState().notice?.text).toMatch(/^Unknown barcode/);
    const lookups = host.calls.filter((call) => call.method === 'catalog.lookup');
    expect(lookups.map((call) => call.params)).toEqual([
      { barcode: pen.barcode },
      { barcode: '5901234123457' },
    ]);
    expect(store.getState().cart.lines).toHaveLength(1);
  });

  it('keeps the cart in progress, with its sale id, across a reload', async () => {
    const first = await setup(() => null);
    first.store.getState().addProduct(pen);
    first.store.getState().setCashTendered('10');
    // Saving is asynchronous: wait until IndexedDB holds the cart as it now is (within the test's own 5 s, so a
    // cart never saved fails here, by name).
    const saved = new CartDatabase(first.dbName);
    await vi.waitFor(async () => expect(await saved.load()).toEqual(first.store.getState().cart), {
      timeout: 4_000,
    });
    saved.close();
    const reloaded = await setup(() => null, first.dbName);
    expect(reloaded.store.getState().cart).toEqual(first.store.getState().cart);
  });

  it('sends the same sale id for every press of Pay and starts a new cart after', async () => {
    let recorded = false;
    const { store, host } = await setup((_method, params) => {
      const answer = completed(params, recorded);
      recorded = true;
      return answer;
    });
    store.getState().addProduct(pen);
    store.getState().addProduct(pen);
    store.getState().setCashTendered('10.00');
    const saleId = store.getState().cart.saleId;
    await Promise.all([store.getState().pay(), store.getState().pay()]);
    const pays = host.calls.filter((call) => call.method === 'sale.complete');
    expect(pays.map((call) => call.params.saleId)).toEqual([saleId, saleId]);
    expect(pays[0]!.params.tenders).toEqual([{ kind: 'cash', tendered: 1000 }]);
    expect(store.getState().lastSale).toMatchObject({ saleId, alreadyRecorded: false });
    expect(store.getState().cart.lines).toHaveLength(0);
    expect(store.getState().cart.saleId).not.toBe(saleId);
  });

  it('keeps the cart and shows the reason when the host refuses the sale', async () => {
    const { store } = await setup(() => {
      throw new RpcCallError({
        code: 'insufficient_cash',
        message: 'cash tendered is less than the total',
        retryable: false,
      });
    });
    store.getState().addProduct(pen);
    store.getState().setCashTendered('1');
    await store.getState().pay();
    expect(store.getState().notice).toEqual({ kind: 'error', text: 'cash tendered is less than the total' });
    expect(store.getState().cart.lines).toHaveLength(1);
  });

  it('refuses a cash amount with too many decimals before calling the host', async () => {
    const { store, host } = await setup(() => null);
    store.getState().addProduct(pen);
    store.getState().setCashTendered('1.005');
    await store.getState().pay();
    expect(store.getState().notice?.text).toMatch(/more than 2 decimal places/);
    expect(host.calls.some((call) => call.method === 'sale.complete')).toBe(false);
  });
});
