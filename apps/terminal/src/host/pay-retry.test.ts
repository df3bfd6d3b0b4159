import { afterEach, describe, expect, it } from 'vitest';
import type { CompletedSale, MethodParams, SaleLineRequest } from '../contract/methods.js';
import { type HostFixture, hostFixture } from './host-fixture.js';
import { openShiftIn, STAFF } from './test-support.js';

/**
 * A Pay under a sale id already recorded is answered with the recorded sale only when it asks for exactly what was
 * recorded: every field of every line (discounts, overrides…), the basket discount and the tenders. The till keeps
 * the digest of the request each sale answered, so this holds after a restart too.
 */

let till: HostFixture | undefined;
afterEach(async () => {
  await till?.cleanup();
  till = undefined;
});

const pens: SaleLineRequest = { lineId: 'l1', productId: 'pen', barcode: null, quantity: 2 };
const book: SaleLineRequest = { lineId: 'l2', productId: 'book', barcode: null, quantity: 1 };
const tenPercent = { discount: { kind: 'percent' as const, rate: 100_000 }, reason: 'loyal customer' };

async function supervisorTill() {
  const t = await hostFixture({ prepare: (ledger) => openShiftIn(ledger) });
  // A supervisor gives up to 20 % discounts and 10 % overrides without anyone's approval.
  await t.signIn(STAFF.supervisor);
  return t;
}

const request = (saleId: string, changes: Partial<MethodParams<'sale.complete'>> = {}) =>
  ({
    saleId,
    currency: 'EUR',
    lines: [pens, book],
    tenders: [{ kind: 'cash', tendered: 5000 }],
    ...changes,
  }) satisfies MethodParams<'sale.complete'>;

describe('a retried Pay', () => {
  it('with a 10 % line discount added is another request: refused, nothing recorded; the same request again is the recorded sale', async () => {
    till = await supervisorTill();
    const saleId = till.nextSaleId();
    const first = await till.ok<CompletedSale>('sale.complete', request(saleId));
    const journaled = till.journalCount();

    const discounted = request(saleId, { lines: [{ ...pens, discount: tenPercent }, book] });
    expect(await till.call('sale.complete', discounted)).toMatchObject({
      ok: false,
      error: { code: 'sale_already_recorded' },
    });
    expect(await till.ok<CompletedSale>('sale.complete', request(saleId))).toEqual({
      ...first,
      alreadyRecorded: true,
      receipt: 'skipped',
      drawer: 'skipped',
    });
    expect(till.journalCount()).toBe(journaled);
  });

  it('with a price override or a basket discount added, or one taken off, is another request', async () => {
    till = await supervisorTill();
    const discountedSale = till.nextSaleId();
    await till.ok(
      'sale.complete',
      request(discountedSale, { lines: [{ ...pens, discount: tenPercent }, book] }),
    );
    const plainSale = till.nextSaleId();
    await till.ok('sale.complete', request(plainSale));
    const refused = { ok: false, error: { code: 'sale_already_recorded' } };

    // The discount taken off again.
    expect(await till.call('sale.complete', request(discountedSale))).toMatchObject(refused);
    // The same discount as another reason, or as an amount.
    expect(
      await till.call(
        'sale.complete',
        request(discountedSale, { lines: [{ ...pens, discount: { ...tenPercent, reason: 'staff' } }, book] }),
      ),
    ).toMatchObject(refused);
    // An override added.
    expect(
      await till.call(
        'sale.complete',
        request(plainSale, {
          lines: [{ ...pens, priceOverride: { unitPrice: 240, reason: 'scratched' } }, book],
        }),
      ),
    ).toMatchObject(refused);
    // A basket discount added.
    expect(
      await till.call('sale.complete', request(plainSale, { basketDiscount: { ...tenPercent } })),
    ).toMatchObject(refused);
    // Asked exactly as recorded, each is the recorded sale.
    expect(
      await till.ok<CompletedSale>(
        'sale.complete',
        request(discountedSale, { lines: [{ ...pens, discount: tenPercent }, book] }),
      ),
    ).toMatchObject({ saleId: discountedSale, alreadyRecorded: true });
    expect(await till.ok<CompletedSale>('sale.complete', request(plainSale))).toMatchObject({
      saleId: plainSale,
      alreadyRecorded: true,
    });
  });

  it('after a restart of the host still matches the request recorded, and no other', async () => {
    till = await supervisorTill();
    const saleId = till.nextSaleId();
    const asked = request(saleId, { lines: [{ ...pens, discount: tenPercent }, book] });
    const first = await till.ok<CompletedSale>('sale.complete', asked);
    await till.restart();
    await till.signIn(STAFF.supervisor);
    expect(await till.ok<CompletedSale>('sale.complete', asked)).toMatchObject({
      saleId,
      receiptNumber: first.receiptNumber,
      total: first.total,
      alreadyRecorded: true,
    });
    expect(await till.call('sale.complete', request(saleId))).toMatchObject({
      ok: false,
      error: { code: 'sale_already_recorded' },
    });
  });
});
