import { samplePayloads } from '@tillwright/protocol/testing';
import { describe, expect, it } from 'vitest';
import type { MethodParams } from '../contract/methods.js';
import { payRequestDigest, samePayRequest } from './pay-digest.js';

/** A recorded sale (the protocol's sample, at the latest version) and the Pay request it answered. */
const sale = { payload: samplePayloads().sale };
const asked: MethodParams<'sale.complete'> = {
  saleId: '019ab8a0-0000-7000-8000-000000000001',
  currency: sale.payload.currency,
  lines: sale.payload.lines.map(({ lineId, productId, barcode, quantity }) => ({
    lineId,
    productId,
    barcode,
    quantity,
  })),
  tenders: sale.payload.tenders.map((tender) =>
    tender.kind === 'cash'
      ? { kind: 'cash' as const, tendered: tender.tendered }
      : { kind: tender.kind, token: tender.ref ?? '', amount: tender.tendered },
  ) as MethodParams<'sale.complete'>['tenders'],
};
const tenPercent = { discount: { kind: 'percent' as const, rate: 100_000 }, reason: 'loyal customer' };

describe('is a retried Pay the request its sale was recorded for', () => {
  it('with the digest kept with the sale: only the very same request, every field of it', () => {
    const kept = payRequestDigest(asked);
    expect(samePayRequest(asked, sale, kept)).toBe(true);
    // Another sale id asking the same is the same request: the id is where it is kept, not what is asked.
    expect(samePayRequest({ ...asked, saleId: '019ab8a0-0000-7000-8000-000000000002' }, sale, kept)).toBe(
      true,
    );
    const [first, ...rest] = asked.lines;
    for (const changed of [
      { ...asked, lines: [{ ...first!, discount: tenPercent }, ...rest] },
      { ...asked, lines: [{ ...first!, priceOverride: { unitPrice: 1, reason: 'scratched' } }, ...rest] },
      { ...asked, basketDiscount: tenPercent },
      { ...asked, lines: [{ ...first!, quantity: first!.quantity + 1 }, ...rest] },
    ]) {
      expect(samePayRequest(changed, sale, kept)).toBe(false);
    }
  });

  it('for a sale recorded without it (before ledger migration 12): the lines and tenders its payload records', () => {
    expect(samePayRequest(asked, sale, null)).toBe(true);
    const [first, ...rest] = asked.lines;
    expect(
      samePayRequest(
        { ...asked, lines: [{ ...first!, quantity: first!.quantity + 1 }, ...rest] },
        sale,
        null,
      ),
    ).toBe(false);
  });
});
