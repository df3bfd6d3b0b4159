import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { MethodName, ProductView } from '../contract/methods.js';
import { RpcCallError } from '../contract/wire.js';
import { CartDatabase } from './cart-db.js';
import { cartTotal } from './cart-store.js';
import { devices, pen, setup } from './test-host.js';

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
  training: false,
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

  it('says so when a barcode is unknown, pointing to name search, and leaves the cart alone', async () => {
    const { store, host } = await setup(() => null);
    store.getState().addProduct(pen);
    const before = store.getState().cart;
    host.emit({ event: 'scanner.scan', payload: { barcode: '123', product: null } });
    expect(store.getState().notice).toEqual({
      kind: 'error',
      text: 'No product with barcode 123 — search by name (F2)',
    });
    expect(store.getState().cart).toBe(before);
  });

  it('looks a wedge scan up through the host and adds it like a scanner event; a garbled read is unknown', async () => {
    const { store, host } = await setup((method, params) =>
      method === 'catalog.lookup' && params.barcode === pen.barcode ? pen : null,
    );
    await store.getState().lookupScan(pen.barcode!);
    expect(store.getState().cart.lines).toMatchObject([{ productId: 'pen', quantity: 1 }]);
    await store.getState().lookupScan('5901234123457');
    expect(store.getState().notice).toEqual({
      kind: 'error',
      text: 'No product with barcode 5901234123457 — search by name (F2)',
    });
    await store.getState().lookupScan('40063\x1d81');
    expect(store.getState().notice?.text).toMatch(/^No product with barcode/);
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
    const reloaded = await setup(() => null, { dbName: first.dbName });
    expect(reloaded.store.getState().cart).toEqual(first.store.getState().cart);
  });

  it('sends the same sale id for every press of Pay and starts a new cart after', async () => {
    let recorded = false;
    const { store, host } = await setup((method, params) => {
      if (method !== 'sale.complete') return null;
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

const NAMES: Record<string, string> = { pen: 'Pen', book: 'Book', cup: 'Cup' };
const book: ProductView = { ...pen, productId: 'book', name: 'Book', barcode: '5901234123457' };
const cup: ProductView = { ...pen, productId: 'cup', name: 'Cup', barcode: null };

type PayParams = {
  saleId: string;
  lines: { lineId: string; productId: string; quantity: number }[];
  tenders: { kind: 'cash'; tendered: number }[];
};

/**
 * A host stand-in that keeps sales by id the way sale-service.ts does: the same Pay again answers the recorded sale,
 * another Pay under a recorded id is refused with `sale_already_recorded`; `loseNextAnswer` records the next sale
 * and then loses its answer, as when the connection drops after the commit.
 */
function journalHost() {
  const sales = new Map<string, { asked: string; params: PayParams; receiptNumber: string }>();
  const control = { loseNextAnswer: false };
  const describe = (saleId: string, alreadyRecorded: boolean) => {
    const { params, receiptNumber } = sales.get(saleId)!;
    const total = params.lines.reduce((sum, line) => sum + line.quantity * 250, 0);
    const tendered = params.tenders[0]!.tendered;
    return {
      saleId,
      receiptNumber,
      currency: 'EUR',
      total,
      taxTotal: 0,
      paid: total,
      cashRounding: 0,
      change: tendered - total,
      alreadyRecorded,
      receipt: alreadyRecorded ? 'skipped' : 'confirmed',
      drawer: alreadyRecorded ? 'skipped' : 'confirmed',
      training: false,
    };
  };
  const answer = (method: MethodName, raw: Record<string, unknown>) => {
    const params = raw as unknown as PayParams;
    if (method === 'sale.recorded') {
      if (!sales.has(params.saleId)) return null;
      return {
        sale: describe(params.saleId, true),
        employeeId: null,
        lines: sales.get(params.saleId)!.params.lines.map(({ lineId, productId, quantity }) => ({
          lineId,
          productId,
          name: NAMES[productId],
          quantity,
        })),
      };
    }
    if (method !== 'sale.complete') return null;
    const asked = JSON.stringify([params.lines, params.tenders]);
    const recorded = sales.get(params.saleId);
    if (recorded) {
      if (recorded.asked !== asked) {
        throw new RpcCallError({
          code: 'sale_already_recorded',
          message: `This sale was already paid (receipt ${recorded.receiptNumber}) with other items or payment`,
          retryable: false,
        });
      }
      return describe(params.saleId, true);
    }
    sales.set(params.saleId, {
      asked,
      params,
      receiptNumber: `S1-T01-1-${String(sales.size + 1).padStart(6, '0')}`,
    });
    if (control.loseNextAnswer) {
      control.loseNextAnswer = false;
      throw new RpcCallError({
        code: 'host_disconnected',
        message: 'lost contact with the terminal host',
        retryable: true,
      });
    }
    return describe(params.saleId, false);
  };
  const sold = () =>
    [...sales.values()].map(({ params }) =>
      params.lines.map(({ productId, quantity }) => ({ productId, quantity })),
    );
  return { answer, control, sales, sold };
}

/**
 * A till whose first Pay of `firstCart` was recorded by the host but whose answer never arrived; `unreachable`
 * names methods whose answers are lost from then on too.
 */
async function afterLostAnswer(
  firstCart: ProductView[],
  unreachable: (method: MethodName) => boolean = () => false,
) {
  const journal = journalHost();
  const till = await setup((method, params) => {
    if (unreachable(method)) {
      throw new RpcCallError({
        code: 'host_disconnected',
        message: 'lost contact with the terminal host',
        retryable: true,
      });
    }
    return journal.answer(method, params);
  });
  for (const product of firstCart) till.store.getState().addProduct(product);
  till.store.getState().setCashTendered('10.00');
  const firstSaleId = till.store.getState().cart.saleId;
  journal.control.loseNextAnswer = true;
  await till.store.getState().pay();
  expect(till.store.getState().notice).toEqual({
    kind: 'error',
    text: 'lost contact with the terminal host',
  });
  expect(journal.sales.has(firstSaleId)).toBe(true);
  return { ...till, journal, firstSaleId };
}

describe('Pay after a Pay whose answer was lost', () => {
  it('shows the recorded sale and rings up only what was added after it as a new sale', async () => {
    const { store, journal, firstSaleId } = await afterLostAnswer([pen]);
    // One more pen on the recorded line, and a book on a new line.
    store.getState().addProduct(pen);
    store.getState().addProduct(book);
    await store.getState().pay();

    const state = store.getState();
    expect(state.lastSale).toMatchObject({
      saleId: firstSaleId,
      receiptNumber: 'S1-T01-1-000001',
      total: 250,
      change: 750,
    });
    expect(state.cart.saleId).not.toBe(firstSaleId);
    expect(state.cart.lines.map(({ productId, quantity }) => ({ productId, quantity }))).toEqual([
      { productId: 'pen', quantity: 1 },
      { productId: 'book', quantity: 1 },
    ]);
    expect(state.cart.cashTendered).toBe('');
    expect(state.notice).toEqual({
      kind: 'info',
      text:
        'Pay had already gone through for this cart: receipt S1-T01-1-000001, Pen × 1, total EUR 2.50, ' +
        'change EUR 7.50.\nAdded after that Pay, now a new sale: Pen × 1, Book × 1. Take payment for it.',
    });
    expect(journal.sold()).toEqual([[{ productId: 'pen', quantity: 1 }]]);

    // Paying the new sale records exactly the added items under the new id.
    await store.getState().pay();
    expect(journal.sold()).toEqual([
      [{ productId: 'pen', quantity: 1 }],
      [
        { productId: 'pen', quantity: 1 },
        { productId: 'book', quantity: 1 },
      ],
    ]);
    expect(store.getState().lastSale).toMatchObject({ receiptNumber: 'S1-T01-1-000002', total: 500 });
    expect(store.getState().cart.lines).toHaveLength(0);
  });

  it('counts by product, not by line, and names what the recorded sale sold that the cart no longer holds', async () => {
    const { store } = await afterLostAnswer([pen, book]);
    // The cashier removed both lines, then scanned a pen again (a new line id) and a cup.
    for (const line of store.getState().cart.lines) store.getState().removeLine(line.lineId);
    store.getState().addProduct(pen);
    store.getState().addProduct(cup);
    await store.getState().pay();

    const state = store.getState();
    expect(state.cart.lines.map(({ productId, quantity }) => ({ productId, quantity }))).toEqual([
      { productId: 'cup', quantity: 1 },
    ]);
    expect(state.notice?.text).toBe(
      'Pay had already gone through for this cart: receipt S1-T01-1-000001, Pen × 1, Book × 1, ' +
        'total EUR 5.00, change EUR 5.00.\nAdded after that Pay, now a new sale: Cup × 1. Take payment for it.\n' +
        'Sold on that receipt but no longer in the cart: Book × 1. If the customer does not take it, make a return.',
    );
  });

  it('starts an empty sale when only the cash amount changed', async () => {
    const { store, firstSaleId } = await afterLostAnswer([pen]);
    store.getState().setCashTendered('20.00');
    await store.getState().pay();
    const state = store.getState();
    expect(state.lastSale).toMatchObject({ saleId: firstSaleId, change: 750 });
    expect(state.cart.lines).toHaveLength(0);
    expect(state.cart.saleId).not.toBe(firstSaleId);
    expect(state.notice?.text).toBe(
      'Pay had already gone through for this cart: receipt S1-T01-1-000001, Pen × 1, total EUR 2.50, ' +
        'change EUR 7.50.\nNothing was added after that Pay.',
    );
  });

  it('moves the added items to one new sale however often Pay is pressed', async () => {
    const { store, host } = await afterLostAnswer([pen]);
    store.getState().addProduct(pen);
    await Promise.all([store.getState().pay(), store.getState().pay()]);
    expect(store.getState().cart.lines).toMatchObject([{ productId: 'pen', quantity: 1 }]);
    const saleIds = host.calls
      .filter((call) => call.method === 'sale.complete')
      .map((call) => call.params.saleId);
    expect(new Set(saleIds).size).toBe(1);
    await store.getState().pay();
    const ids = host.calls
      .filter((call) => call.method === 'sale.complete')
      .map((call) => call.params.saleId);
    expect(new Set(ids).size).toBe(2);
  });

  it('keeps the cart and the host’s words when the recorded sale cannot be read', async () => {
    const { store } = await afterLostAnswer([pen], (method) => method === 'sale.recorded');
    store.getState().addProduct(book);
    const saleId = store.getState().cart.saleId;
    await store.getState().pay();
    expect(store.getState().cart).toMatchObject({
      saleId,
      lines: [{ productId: 'pen' }, { productId: 'book' }],
    });
    expect(store.getState().notice).toEqual({
      kind: 'error',
      text: 'This sale was already paid (receipt S1-T01-1-000001) with other items or payment',
    });
  });
});
