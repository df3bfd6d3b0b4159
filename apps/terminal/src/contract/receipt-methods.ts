import { CurrencyCode, MinorUnits, UuidV7 } from '@tillwright/protocol';
import { z } from 'zod';

/** Receipts of earlier sales (issue #17, point 8): the till's sales to pick one from, newest first. */

/** One sale of this till as the list of receipts shows it. */
export const SaleListItem = z.strictObject({
  saleId: UuidV7,
  /** As its receipt printed it. */
  receiptNumber: z.string(),
  occurredAt: z.string(),
  /** What the receipt printed as the total (minor units). */
  total: MinorUnits,
  currency: CurrencyCode,
  training: z.boolean(),
});
export type SaleListItem = z.infer<typeof SaleListItem>;

/** The most one page holds, and how many it holds when the caller does not say. */
export const SALE_LIST_MAX = 50;
export const SALE_LIST_DEFAULT = 20;

export const SaleListParams = z.strictObject({
  /** Older than this: the `next` of the page before; from the newest sale without it. */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(SALE_LIST_MAX).default(SALE_LIST_DEFAULT),
  /** Only sales whose receipt number contains this (any case): letters, digits and dashes, as receipts print them. */
  receiptNumber: z
    .string()
    .max(40)
    .regex(/^[A-Za-z0-9-]*$/, 'letters, digits and dashes only, as a receipt number prints')
    .optional(),
});

export const SaleListResult = z.strictObject({
  sales: z.array(SaleListItem).max(SALE_LIST_MAX),
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: z.number().int().positive().nullable(),
});
export type SaleListResult = z.infer<typeof SaleListResult>;

export const receiptMethods = {
  /** This till's sales from its journal, newest first, paged; any signed-in employee (shows no more than receipts). */
  'sale.list': { params: SaleListParams, result: SaleListResult },
} as const;
