import type { CatalogProduct } from '@tillwright/protocol';
import type Database from 'better-sqlite3';

export interface CatalogEntry {
  productId: string;
  sku: string;
  name: string;
  currency: string;
  price: number;
  taxCategory: string;
  tags: string[];
  version: number;
}

interface ProductRow {
  product_id: string;
  sku: string;
  name: string;
  currency: string;
  price: number;
  tax_category: string;
  tags: string;
  version: number;
}

/** The terminal's copy of the catalog, so a scan is priced without the network. */
export class CatalogCache {
  private readonly byBarcode: Database.Statement<[string], ProductRow>;
  private readonly byId: Database.Statement<[string], ProductRow>;
  private readonly version: Database.Statement<[], { version: number }>;

  constructor(private readonly db: Database.Database) {
    this.byBarcode = db.prepare(
      `SELECT p.product_id, p.sku, p.name, p.currency, p.price, p.tax_category, p.tags, p.version
         FROM catalog_barcodes b JOIN catalog_products p ON p.product_id = b.product_id
        WHERE b.barcode = ? AND p.active = 1`,
    );
    this.byId = db.prepare(
      'SELECT product_id, sku, name, currency, price, tax_category, tags, version FROM catalog_products WHERE product_id = ? AND active = 1',
    );
    this.version = db.prepare('SELECT version FROM catalog_cursor WHERE singleton = 1');
  }

  findByBarcode(barcode: string): CatalogEntry | null {
    const row = this.byBarcode.get(barcode);
    return row ? toEntry(row) : null;
  }

  findById(productId: string): CatalogEntry | null {
    const row = this.byId.get(productId);
    return row ? toEntry(row) : null;
  }

  cursor(): number {
    return this.version.get()?.version ?? 0;
  }

  /** Applies one pulled batch and moves the cursor in the same transaction: all of it or none of it. */
  applyBatch(products: readonly CatalogProduct[], version: number): void {
    const upsert = this.db.prepare(
      `INSERT INTO catalog_products (product_id, sku, name, currency, price, tax_category, tags, active, version)
       VALUES (@productId, @sku, @name, @currency, @price, @taxCategory, @tags, @active, @version)
       ON CONFLICT (product_id) DO UPDATE SET sku = excluded.sku, name = excluded.name, currency = excluded.currency,
         price = excluded.price, tax_category = excluded.tax_category, tags = excluded.tags,
         active = excluded.active, version = excluded.version`,
    );
    const clearBarcodes = this.db.prepare('DELETE FROM catalog_barcodes WHERE product_id = ?');
    const addBarcode = this.db.prepare(
      `INSERT INTO catalog_barcodes (barcode, product_id) VALUES (?, ?)
       ON CONFLICT (barcode) DO UPDATE SET product_id = excluded.product_id`,
    );
    const moveCursor = this.db.prepare(
      'UPDATE catalog_cursor SET version = ? WHERE singleton = 1 AND version < ?',
    );
    this.db.transaction(() => {
      for (const product of products) {
        upsert.run({ ...product, tags: JSON.stringify(product.tags), active: product.active ? 1 : 0 });
        clearBarcodes.run(product.productId);
        for (const barcode of product.barcodes) addBarcode.run(barcode, product.productId);
      }
      moveCursor.run(version, version);
    })();
  }
}

function toEntry(row: ProductRow): CatalogEntry {
  return {
    productId: row.product_id,
    sku: row.sku,
    name: row.name,
    currency: row.currency,
    price: row.price,
    taxCategory: row.tax_category,
    tags: JSON.parse(row.tags) as string[],
    version: row.version,
  };
}
