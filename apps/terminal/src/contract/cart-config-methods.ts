import { CurrencyCode, NonNegativeMinorUnits } from '@tillwright/protocol';
import { z } from 'zod';
import { ProductView } from './product-view.js';

/**
 * What HQ's terminal configuration (v6) puts on the sale screen besides scanned items (issue #17): the store's quick
 * keys and whether custom-amount lines may be rung up. The host pushes `cart.config` whenever either changes (a
 * pulled configuration or catalog), so the screen never needs to poll.
 */

/** One key of the quick-key grid: what it says, and the product a tap adds (as a scan of it would). */
export const QuickKeyView = z.strictObject({
  label: z.string().min(1).max(24),
  product: ProductView,
});
export type QuickKeyView = z.infer<typeof QuickKeyView>;

export const QuickKeysView = z.strictObject({
  /** In the configuration's order. */
  keys: z.array(QuickKeyView).max(48),
  /** Keys of the configuration left out: their product is not in this till's catalog, or no longer sold. */
  leftOut: z.number().int().nonnegative(),
});
export type QuickKeysView = z.infer<typeof QuickKeysView>;

/** Whether this store allows custom-amount lines, and the largest amount one may have (minor units of `currency`). */
export const CustomLinesView = z.strictObject({
  allowed: z.boolean(),
  maxAmount: NonNegativeMinorUnits,
  currency: CurrencyCode,
});
export type CustomLinesView = z.infer<typeof CustomLinesView>;

export const CartConfigView = z.strictObject({ quickKeys: QuickKeysView, customLines: CustomLinesView });
export type CartConfigView = z.infer<typeof CartConfigView>;

export const cartConfigMethods = {
  /** The store's quick keys whose products this till sells now, in the configuration's order. */
  'catalog.quickKeys': { params: z.strictObject({}), result: QuickKeysView },
  /** Whether custom-amount lines may be rung up here, and up to how much. */
  'sale.customLines': { params: z.strictObject({}), result: CustomLinesView },
} as const;

export const cartConfigEvents = {
  /** Pushed when the quick keys or the custom-line rules the screen shows changed (HQ's config, the catalog). */
  'cart.config': CartConfigView,
} as const;
