import { createHash } from 'node:crypto';
import { canonicalJson, type SalePayloadV6 } from '@tillwright/protocol';
import type { MethodParams } from '../contract/methods.js';

/**
 * What a Pay asked for, in the terms the journal records it: the currency, each line as asked (line id, product,
 * barcode, quantity, a custom line's description and amount, in order) and each tender as taken (kind, reference,
 * amount handed over, in order). Not prices, taxes, promotions or times: a retried Pay is the same sale even when a
 * price changed in between, and a Pay with another line, quantity or tender is another request, whatever it would
 * cost.
 */
interface PayFingerprint {
  currency: string;
  lines: {
    lineId: string;
    productId: string;
    barcode: string | null;
    quantity: number;
    /** A custom-amount line's description and amount: another of either is another sale. */
    custom?: { description: string; amount: number };
  }[];
  tenders: { kind: string; ref: string | null; tendered: number }[];
}

/** The digest of a `sale.complete` request. */
export function payRequestDigest(request: MethodParams<'sale.complete'>): string {
  return digest({
    currency: request.currency,
    lines: request.lines.map(({ lineId, productId, barcode, quantity, custom }) => ({
      lineId,
      productId,
      barcode,
      quantity,
      ...(custom ? { custom: { description: custom.description, amount: custom.amount } } : {}),
    })),
    tenders: request.tenders.map((tender) =>
      tender.kind === 'cash'
        ? { kind: 'cash', ref: null, tendered: tender.tendered }
        : { kind: tender.kind, ref: tender.token, tendered: tender.amount },
    ),
  });
}

/** The digest of the request a recorded sale answered: equal to `payRequestDigest` of that request. */
export function recordedPayDigest(sale: SalePayloadV6): string {
  return digest({
    currency: sale.currency,
    lines: sale.lines.map(({ lineId, productId, barcode, quantity, kind, name, unitPrice }) => ({
      lineId,
      productId,
      barcode,
      quantity,
      ...(kind === 'custom' ? { custom: { description: name, amount: unitPrice } } : {}),
    })),
    tenders: sale.tenders.map(({ kind, ref, tendered }) => ({ kind, ref, tendered })),
  });
}

function digest(fingerprint: PayFingerprint): string {
  return createHash('sha256').update(canonicalJson(fingerprint)).digest('hex');
}
