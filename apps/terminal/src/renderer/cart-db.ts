import Dexie, { type EntityTable } from 'dexie';
import type { ManualDiscountRequest, SaleLineRequest } from '../contract/methods.js';

/** A price override as the cart keeps it: the new unit price, why, and the manager's approval when one was needed. */
export interface CartPriceOverride {
  unitPrice: number;
  reason: string;
  approvalId?: string;
}

export interface CartLine {
  lineId: string;
  productId: string;
  barcode: string | null;
  name: string;
  /** For a weighed line, the amount of its weight (the price per kg/lb is `pricePerUnit`). */
  unitPrice: number;
  quantity: number;
  /** A custom-amount line (productId `custom`): what the cashier typed it is, and its amount in minor units. */
  custom?: { description: string; amount: number };
  /** A manual discount on the line (discount-slice.ts), with its approval when one was needed. */
  discount?: ManualDiscountRequest;
  priceOverride?: CartPriceOverride;
  /** A weighed line's weight (line-entry-slice.ts), with the price per kg or lb it was weighed at. */
  measure?: NonNullable<SaleLineRequest['measure']>;
  pricePerUnit?: number;
  /** An open-price line's keyed price, or a price-embedded label's. */
  enteredPrice?: number;
  /** An age-restricted line's check, made before it was added. */
  ageCheck?: NonNullable<SaleLineRequest['ageCheck']>;
}

/** The cart in progress. Its sale id is minted when the cart starts, so every Pay of this cart is the same sale. */
export interface StoredCart {
  key: 'current';
  saleId: string;
  currency: string;
  lines: CartLine[];
  /** Line ids are numbered from this and never reused within a cart, even after a line is removed. */
  nextLine: number;
  cashTendered: string;
  /** A discount on the whole basket (discount-slice.ts), with its approval when one was needed. */
  basketDiscount?: ManualDiscountRequest;
}

/** IndexedDB keeps the renderer's own state safe across a reload or a renderer crash. */
export class CartDatabase extends Dexie {
  carts!: EntityTable<StoredCart, 'key'>;

  constructor(name = 'tillwright-renderer') {
    super(name);
    this.version(1).stores({ carts: 'key' });
    // Version 2 adds `nextLine`; a cart saved before it continues after its highest line number.
    this.version(2)
      .stores({ carts: 'key' })
      .upgrade((tx) =>
        tx
          .table('carts')
          .toCollection()
          .modify((cart: StoredCart) => {
            cart.nextLine ??= Math.max(0, ...cart.lines.map((line) => Number(line.lineId.slice(1)) || 0)) + 1;
          }),
      );
  }

  async load(): Promise<StoredCart | null> {
    return (await this.carts.get('current')) ?? null;
  }

  async save(cart: StoredCart): Promise<void> {
    await this.carts.put(cart);
  }
}
