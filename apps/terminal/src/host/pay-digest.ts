import { createHash } from 'node:crypto';
import { canonicalJson, type SalePayloadV6 } from '@tillwright/protocol';
import type { MethodParams } from '../contract/methods.js';

/**
 * Is a Pay under a recorded sale id the request that sale was recorded for? Only then is it answered with the
 * recorded sale; anything else it asks (a line, a quantity, a discount, an override, a basket discount, a tender…) is
 * another request (`sale_already_recorded`).
 *
 * Why a stored digest, not the payload: the sale's payload does not hold the request's form (a 10 % discount is
 * recorded as the amount it took off, an override as a price and a reason, and fields other engineers add to a line
 * need not be recorded at all), so a request cannot be rebuilt from it. The journal keeps the digest of the whole
 * request beside the sale, written in the sale's own transaction (ledger `pay_requests`, migration 13), so it holds
 * across a restart and a sale never stands without it. The digest covers every field of the request but its sale id
 * (canonical JSON: every field of every line in order, the basket discount, the tenders), so a field added to the
 * contract is covered without touching this file. A sale recorded before the digest was kept falls back to the
 * fingerprint its payload does hold (`recordedPayDigest`).
 */
export function samePayRequest(
  request: MethodParams<'sale.complete'>,
  sale: { payload: SalePayloadV6 },
  storedDigest: string | null,
): boolean {
  if (storedDigest !== null) return payRequestDigest(request) === storedDigest;
  return legacyRequestDigest(request) === recordedPayDigest(sale.payload);
}

/** The digest of a whole `sale.complete` request, its sale id apart: what the journal keeps with the sale. */
export function payRequestDigest(request: MethodParams<'sale.complete'>): string {
  const { saleId: _, ...asked } = request;
  return digest(asked);
}

/**
 * What a Pay asked for in the terms a sale's payload records it, for sales recorded before their request's digest was
 * kept: the currency, each line as asked (line id, product, barcode, quantity, a custom line's description and amount,
 * in order) and each tender as taken (kind, reference, amount handed over, in order).
 */
interface PayFingerprint {
  currency: string;
  lines: {
    lineId: string;
    productId: string;
    barcode: string | null;
    quantity: number;
    custom?: { description: string; amount: number };
  }[];
  tenders: { kind: string; ref: string | null; tendered: number }[];
}

function legacyRequestDigest(request: MethodParams<'sale.complete'>): string {
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
  } satisfies PayFingerprint);
}

/** The fingerprint of the request a recorded sale answered, from its payload: equal to `legacyRequestDigest`'s. */
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
  } satisfies PayFingerprint);
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
