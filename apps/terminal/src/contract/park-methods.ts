import { CurrencyCode, MinorUnits, NonNegativeMinorUnits, printableName, UuidV7 } from '@tillwright/protocol';
import { z } from 'zod';
import { ManualDiscountRequest, SaleLineRequest } from './common.js';

/**
 * Parked sales (issue #17, decision 0018): a cart put aside on this till and resumed later under the same sale id.
 * Kept by the host in the ledger (not journaled), so they survive a restart of the host and of the renderer.
 */

/** The most sales one till keeps parked; parking another is refused (`too_many_parked`). */
export const MAX_PARKED_SALES = 50;

/**
 * A cart line as parked: the whole line request the host prices (SaleLineRequest, every field of it) and what the
 * screen shows of it.
 */
export const ParkedLine = SaleLineRequest.extend({
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^\P{Cc}*$/u, 'printable text only'),
  unitPrice: NonNegativeMinorUnits,
});
export type ParkedLine = z.infer<typeof ParkedLine>;

/**
 * A short note to find the sale again by (a customer's name, "blue coat"): printable as names are (protocol's
 * `printableName`: no control or format characters, such as a right-to-left override or a zero-width space), at most
 * 40; blank is none.
 */
export const ParkLabel = z
  .string()
  .trim()
  .pipe(z.union([z.literal(''), printableName(40)]));

/** A parked sale as the list shows it, the most recently parked first. */
export const ParkedSaleSummary = z.strictObject({
  saleId: UuidV7,
  parkedAt: z.string(),
  /** Who parked it, by the name the till showed. */
  parkedBy: z.string(),
  label: z.string().nullable(),
  currency: CurrencyCode,
  lineCount: z.number().int().nonnegative(),
  itemCount: z.number().int().nonnegative(),
  /** The host's total for the lines when they were parked; null when they could not be priced then. */
  total: MinorUnits.nullable(),
});
export type ParkedSaleSummary = z.infer<typeof ParkedSaleSummary>;

export const ParkedSaleView = z.strictObject({
  saleId: UuidV7,
  currency: CurrencyCode,
  parkedAt: z.string(),
  label: z.string().nullable(),
  lines: z.array(ParkedLine),
  /** The cart's discount on the whole basket, when it had one. */
  basketDiscount: ManualDiscountRequest.optional(),
});
export type ParkedSaleView = z.infer<typeof ParkedSaleView>;

const BySaleId = z.strictObject({ saleId: UuidV7 });

export const parkMethods = {
  /**
   * Puts the cart aside under its sale id (again: replaces what was parked under it). Refused for an empty cart
   * (`nothing_to_park`), past MAX_PARKED_SALES (`too_many_parked`), and for a sale id already recorded
   * (`sale_already_recorded`: it was paid). Signed-in employees only.
   */
  'sale.park': {
    params: z.strictObject({
      saleId: UuidV7,
      currency: CurrencyCode,
      lines: z.array(ParkedLine).max(500),
      basketDiscount: ManualDiscountRequest.optional(),
      label: ParkLabel.optional(),
    }),
    result: z.strictObject({ parkedAt: z.string() }),
  },
  /** This till's parked sales, the most recently parked first. */
  'sale.parkedList': {
    params: z.strictObject({}),
    result: z.strictObject({ sales: z.array(ParkedSaleSummary) }),
  },
  /** A parked sale's lines, to be resumed (`parked_sale_not_found` when it is not parked). */
  'sale.parkedRead': { params: BySaleId, result: ParkedSaleView },
  /** Takes a sale off the parked list; removing one that is not there answers `removed: false`, not an error. */
  'sale.unpark': { params: BySaleId, result: z.strictObject({ removed: z.boolean() }) },
} as const;
