import Dexie, { type EntityTable } from 'dexie';

export interface CartLine {
  lineId: string;
  productId: string;
  barcode: string | null;
  name: string;
  unitPrice: number;
  quantity: number;
}

/** The cart in progress. Its sale id is minted when the cart starts, so every Pay of this cart is the same sale. */
export interface StoredCart {
  key: 'current';
  saleId: string;
  currency: string;
  lines: CartLine[];
  cashTendered: string;
}

/** IndexedDB keeps the renderer's own state safe across a reload or a renderer crash. */
export class CartDatabase extends Dexie {
  carts!: EntityTable<StoredCart, 'key'>;

  constructor(name = 'tillwright-renderer') {
    super(name);
    this.version(1).stores({ carts: 'key' });
  }

  async load(): Promise<StoredCart | null> {
    return (await this.carts.get('current')) ?? null;
  }

  async save(cart: StoredCart): Promise<void> {
    await this.carts.put(cart);
  }
}
