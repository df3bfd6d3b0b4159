import { z } from 'zod';
import {
  Barcode,
  CurrencyCode,
  Identifier,
  IsoTimestamp,
  MinorUnits,
  NonNegativeMinorUnits,
  Sha256Hex,
  UuidV7,
} from './primitives.js';

export const SaleLineV1 = z.strictObject({
  lineId: Identifier,
  productId: Identifier,
  sku: Identifier,
  barcode: Barcode.nullable(),
  name: z.string().min(1).max(200),
  quantity: z.number().int().positive().max(100_000),
  unitPrice: NonNegativeMinorUnits,
  lineTotal: NonNegativeMinorUnits,
});
export type SaleLineV1 = z.infer<typeof SaleLineV1>;

export const CashTenderV1 = z.strictObject({
  kind: z.literal('cash'),
  /** What the cashier received. */
  tendered: NonNegativeMinorUnits,
  /** What was applied to the sale: tendered minus change. */
  amount: NonNegativeMinorUnits,
  change: NonNegativeMinorUnits,
});
export const TenderV1 = z.discriminatedUnion('kind', [CashTenderV1]);
export type TenderV1 = z.infer<typeof TenderV1>;

export const SalePayloadV1 = z.strictObject({
  currency: CurrencyCode,
  lines: z.array(SaleLineV1).min(1).max(1000),
  subtotal: MinorUnits,
  total: MinorUnits,
  tenders: z.array(TenderV1).min(1).max(20),
  /** Versions of the reference data the sale was priced with, so HQ can verify without re-pricing differently. */
  pricedWith: z.strictObject({ catalogVersion: z.number().int().nonnegative() }),
});
export type SalePayloadV1 = z.infer<typeof SalePayloadV1>;

export const EVENT_SCHEMA_VERSION = 1 as const;
export const GENESIS_HASH = '0'.repeat(64);

/** The part of a journal event that is hashed: everything but the hash itself. */
export const UnsignedSaleEvent = z.strictObject({
  schema: z.literal(EVENT_SCHEMA_VERSION),
  eventId: UuidV7,
  type: z.literal('sale'),
  terminalId: Identifier,
  storeId: Identifier,
  epoch: z.number().int().positive(),
  seq: z.number().int().positive(),
  occurredAt: IsoTimestamp,
  payload: SalePayloadV1,
  prevHash: Sha256Hex,
});

export const SaleEvent = UnsignedSaleEvent.extend({ hash: Sha256Hex });
export type SaleEvent = z.infer<typeof SaleEvent>;

/** Every journal event type. Issue #4 adds returns, voids, shifts and the rest as further members. */
export const JournalEvent = z.discriminatedUnion('type', [SaleEvent]);
export type JournalEvent = z.infer<typeof JournalEvent>;
export type UnsignedJournalEvent = Omit<JournalEvent, 'hash'>;

/** A receipt number is derived from where the sale sits in its terminal's journal, so it needs no extra state. */
export function receiptNumber(terminalId: string, epoch: number, seq: number): string {
  return `${terminalId}-${epoch}-${String(seq).padStart(6, '0')}`;
}
