import { DEFAULT_TERMINAL_CONFIG } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_PARKED_SALES,
  type MethodParams,
  type MethodResult,
  type ParkedLine,
  type SaleQuote,
} from '../contract/methods.js';
import { type HostFixture, hostFixture } from './host-fixture.js';
import { openShiftIn, STAFF } from './test-support.js';

let till: HostFixture | undefined;
afterEach(async () => {
  await till?.cleanup();
  till = undefined;
});

const PENS: ParkedLine = {
  lineId: 'l1',
  productId: 'pen',
  barcode: '4006381333931',
  name: 'Ballpoint pen',
  unitPrice: 250,
  quantity: 2,
};
const BOOK: ParkedLine = {
  lineId: 'l3',
  productId: 'book',
  barcode: null,
  name: 'Notebook A5',
  unitPrice: 499,
  quantity: 1,
};

async function signedInTill() {
  const t = await hostFixture({ prepare: (ledger) => openShiftIn(ledger) });
  await t.signIn(STAFF.cashier);
  return t;
}

const park = (t: HostFixture, saleId: string, lines: ParkedLine[] = [PENS, BOOK], label?: string) =>
  t.ok<MethodResult<'sale.park'>>('sale.park', {
    saleId,
    currency: 'EUR',
    lines,
    ...(label === undefined ? {} : { label }),
  } satisfies MethodParams<'sale.park'>);
const list = async (t: HostFixture) => (await t.ok<MethodResult<'sale.parkedList'>>('sale.parkedList')).sales;

describe('parking a sale on the till', () => {
  it('keeps the cart under its sale id: listed with who, when, label, counts and the host total; read back line for line', async () => {
    till = await signedInTill();
    const saleId = till.nextSaleId();
    const quote = await till.ok<SaleQuote>('sale.quote', {
      currency: 'EUR',
      lines: [PENS, BOOK].map(({ lineId, productId, barcode, quantity }) => ({
        lineId,
        productId,
        barcode,
        quantity,
      })),
    });
    const { parkedAt } = await park(till, saleId, [PENS, BOOK], '  Mrs Jones  ');
    expect(parkedAt).toBe(till.clock.now().toISOString());
    expect(await list(till)).toEqual([
      {
        saleId,
        parkedAt,
        parkedBy: 'Alex Cashier',
        label: 'Mrs Jones',
        currency: 'EUR',
        lineCount: 2,
        itemCount: 3,
        total: quote.total,
      },
    ]);
    expect(await till.ok('sale.parkedRead', { saleId })).toEqual({
      saleId,
      currency: 'EUR',
      parkedAt,
      label: 'Mrs Jones',
      lines: [PENS, BOOK],
    });
    // Nothing was sold: the journal holds no trace of it.
    expect(till.journal().filter((event) => event.eventId === saleId)).toEqual([]);
  });

  it('lists the most recently parked first; a blank label is none; a cart that cannot be priced is kept with no total', async () => {
    till = await signedInTill();
    const first = till.nextSaleId();
    const second = till.nextSaleId();
    await park(till, first, [PENS], '   ');
    till.clock.advance(60_000);
    await park(till, second, [{ ...BOOK, productId: 'gone-from-catalog' }]);
    expect(await list(till)).toMatchObject([
      { saleId: second, label: null, total: null, lineCount: 1, itemCount: 1 },
      { saleId: first, label: null, total: 500 },
    ]);
  });

  it('parking the same sale again replaces it; unpark removes it, and again answers removed: false', async () => {
    till = await signedInTill();
    const saleId = till.nextSaleId();
    await park(till, saleId, [PENS, BOOK]);
    await park(till, saleId, [{ ...PENS, quantity: 5 }], 'second go');
    expect(await list(till)).toMatchObject([{ saleId, label: 'second go', lineCount: 1, itemCount: 5 }]);
    expect(await till.ok('sale.unpark', { saleId })).toEqual({ removed: true });
    expect(await till.ok('sale.unpark', { saleId })).toEqual({ removed: false });
    expect(await list(till)).toEqual([]);
    expect(await till.call('sale.parkedRead', { saleId })).toMatchObject({
      ok: false,
      error: { code: 'parked_sale_not_found', message: expect.stringMatching(/pick another/) },
    });
  });

  it('refuses bad input with a clear error and parks nothing', async () => {
    till = await signedInTill();
    const saleId = till.nextSaleId();
    const bad: unknown[] = [
      { saleId, currency: 'EUR', lines: [PENS], label: 'x'.repeat(41) },
      { saleId, currency: 'EUR', lines: [PENS], label: 'bell\u0007' },
      { saleId, currency: 'EUR', lines: [{ ...PENS, quantity: 0 }] },
      { saleId, currency: 'EUR', lines: [{ ...PENS, unitPrice: -1 }] },
      { saleId, currency: 'EUR', lines: [{ ...PENS, unitPrice: 2.5 }] },
      { saleId, currency: 'EUR', lines: [{ ...PENS, name: undefined }] },
      { saleId, currency: 'EUR', lines: [{ ...PENS, extra: true }] },
      { saleId: 'not-a-uuid', currency: 'EUR', lines: [PENS] },
    ];
    for (const params of bad) {
      expect(await till.call('sale.park', params)).toMatchObject({
        ok: false,
        error: { code: 'invalid_params' },
      });
    }
    expect(await till.call('sale.park', { saleId, currency: 'EUR', lines: [] })).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_park', message: 'The sale has no items: there is nothing to park' },
    });
    expect(await list(till)).toEqual([]);
  });

  it('refuses a card number in the note, a line name, a custom description or a reason (card_data_refused), parking nothing', async () => {
    till = await signedInTill();
    const saleId = till.nextSaleId();
    await park(till, saleId, [BOOK], 'Mrs Jones');
    const card = '4111 1111 1111 1111';
    const custom: ParkedLine = {
      lineId: 'l5',
      productId: 'custom',
      barcode: null,
      name: 'Engraving',
      unitPrice: 2000,
      quantity: 1,
      custom: { description: 'Engraving', amount: 2000 },
    };
    const discount = { discount: { kind: 'amount' as const, amount: 50 }, reason: 'dented' };
    const refused: { lines: ParkedLine[]; label?: string; field: string }[] = [
      { lines: [PENS], label: `card ${card}`, field: 'label' },
      { lines: [{ ...PENS, name: `Pen ${card}` }], field: 'lines.0.name' },
      {
        lines: [{ ...custom, custom: { description: card, amount: 2000 } }],
        field: 'lines.0.custom.description',
      },
      { lines: [{ ...PENS, discount: { ...discount, reason: card } }], field: 'lines.0.discount.reason' },
      {
        lines: [PENS, { ...PENS, lineId: 'l2', priceOverride: { unitPrice: 100, reason: card } }],
        field: 'lines.1.priceOverride.reason',
      },
    ];
    for (const { lines, label, field } of refused) {
      expect(
        await till.call('sale.park', { saleId, currency: 'EUR', lines, ...(label ? { label } : {}) }),
      ).toMatchObject({
        ok: false,
        error: {
          code: 'card_data_refused',
          message:
            `the parked sale was not kept: ${field} looks like it holds a card number, and card numbers are never ` +
            'kept; remove it and try again',
        },
      });
    }
    // What was parked before stays as it was.
    expect(await till.ok('sale.parkedRead', { saleId })).toMatchObject({ label: 'Mrs Jones', lines: [BOOK] });
    expect(await list(till)).toHaveLength(1);
  });

  it('refuses to park a sale already paid (sale_already_recorded), parking nothing', async () => {
    till = await signedInTill();
    const saleId = till.nextSaleId();
    await till.ok('sale.complete', {
      saleId,
      currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: null, quantity: 1 }],
      tenders: [{ kind: 'cash', tendered: 500 }],
    });
    expect(await till.call('sale.park', { saleId, currency: 'EUR', lines: [PENS] })).toMatchObject({
      ok: false,
      error: {
        code: 'sale_already_recorded',
        message: expect.stringMatching(/already paid .*cannot be parked/),
      },
    });
    expect(await list(till)).toEqual([]);
  });

  it('drops a parked copy of a sale paid since (resumed, paid, and the till stopped before unpark)', async () => {
    till = await signedInTill();
    const saleId = till.nextSaleId();
    const other = till.nextSaleId();
    await park(till, saleId, [PENS]);
    await park(till, other, [BOOK]);
    await till.ok('sale.complete', {
      saleId,
      currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: null, quantity: 2 }],
      tenders: [{ kind: 'cash', tendered: 500 }],
    });
    expect(await till.call('sale.parkedRead', { saleId })).toMatchObject({
      ok: false,
      error: { code: 'parked_sale_not_found' },
    });
    expect((await list(till)).map((sale) => sale.saleId)).toEqual([other]);
  });

  it(`keeps at most ${MAX_PARKED_SALES} parked: one more is refused, re-parking one of them is not`, async () => {
    till = await signedInTill();
    const ids = Array.from({ length: MAX_PARKED_SALES }, () => till!.nextSaleId());
    for (const saleId of ids) await park(till, saleId, [PENS]);
    expect(
      await till.call('sale.park', { saleId: till.nextSaleId(), currency: 'EUR', lines: [PENS] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'too_many_parked', message: expect.stringMatching(/resume or clear one/) },
    });
    await park(till, ids[0]!, [BOOK]);
    expect(await list(till)).toHaveLength(MAX_PARKED_SALES);
  });

  it('is for a signed-in employee only: every method refused with nobody signed in, nothing parked', async () => {
    till = await hostFixture();
    const saleId = till.nextSaleId();
    for (const [method, params] of [
      ['sale.park', { saleId, currency: 'EUR', lines: [PENS] }],
      ['sale.parkedList', {}],
      ['sale.parkedRead', { saleId }],
      ['sale.unpark', { saleId }],
    ] as const) {
      expect(await till.call(method, params)).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    }
  });

  it('keeps every field of each line and the basket discount: resumed as parked, its total the host quote of exactly that', async () => {
    // A store that allows custom lines; a supervisor, who gives these discounts and overrides without approval.
    till = await hostFixture({
      prepare: (ledger) => {
        openShiftIn(ledger);
        const version = ledger.feed.cursor() + 1;
        ledger.feed.apply(
          [
            {
              kind: 'config',
              version,
              storeId: null,
              config: {
                ...DEFAULT_TERMINAL_CONFIG,
                customLines: { allowed: true, maxAmount: 50_00, taxCategory: 'standard' },
              },
            },
          ],
          version,
        );
      },
    });
    await till.signIn(STAFF.supervisor);
    const saleId = till.nextSaleId();
    const lines: ParkedLine[] = [
      { ...PENS, discount: { discount: { kind: 'percent', rate: 100_000 }, reason: 'loyal customer' } },
      { ...BOOK, priceOverride: { unitPrice: 470, reason: 'cover scratched' } },
      {
        lineId: 'l4',
        productId: 'custom',
        barcode: null,
        name: 'Engraving',
        unitPrice: 2000,
        quantity: 1,
        custom: { description: 'Engraving', amount: 2000 },
      },
    ];
    const basketDiscount = { discount: { kind: 'amount' as const, amount: 100 }, reason: 'waited long' };
    await till.ok('sale.park', { saleId, currency: 'EUR', lines, basketDiscount });
    const quote = await till.ok<SaleQuote>('sale.quote', {
      saleId,
      currency: 'EUR',
      lines: lines.map(({ name: _name, unitPrice: _price, ...line }) => line),
      basketDiscount,
    });
    expect(quote.discountTotal).toBeGreaterThan(0);
    expect(await list(till)).toMatchObject([{ saleId, total: quote.total }]);
    expect(await till.ok('sale.parkedRead', { saleId })).toMatchObject({ lines, basketDiscount });
  });

  it('survives a restart of the host: listed and read back exactly after it', async () => {
    till = await signedInTill();
    const saleId = till.nextSaleId();
    const { parkedAt } = await park(till, saleId, [PENS, BOOK], 'blue coat');
    await till.restart();
    await till.signIn(STAFF.supervisor);
    expect(await list(till)).toMatchObject([
      { saleId, parkedAt, parkedBy: 'Alex Cashier', label: 'blue coat' },
    ]);
    expect(await till.ok('sale.parkedRead', { saleId })).toMatchObject({ lines: [PENS, BOOK] });
  });
});
