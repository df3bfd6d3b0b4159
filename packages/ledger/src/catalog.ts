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

/** A promotion or a jurisdiction's tax rules, kept as the validated JSON HQ sent, with its version. */
export interface CatalogDocument {
  kind: 'promotion' | 'tax-rules';
  id: string;
  version: number;
  active: boolean;
  body: unknown;
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

const PRODUCT_COLUMNS = 'p.product_id, p.sku, p.name, p.currency, p.price, p.tax_category, p.tags, p.version';

/** Reads of the terminal's catalog copy, so a scan is priced without the network. Works on a read-only handle. */
export class CatalogReader {
  private readonly byBarcode: Database.Statement<[string], ProductRow>;
  private readonly byId: Database.Statement<[string], ProductRow>;
  private readonly byName: Database.Statement<[string, number], ProductRow>;
  private readonly byNameUnranked: Database.Statement<[string, number], ProductRow>;
  private readonly version: Database.Statement<[], { version: number }>;

  constructor(protected readonly db: Database.Database) {
    this.byBarcode = db.prepare(
      `SELECT ${PRODUCT_COLUMNS} FROM catalog_barcodes b JOIN catalog_products p ON p.product_id = b.product_id
        WHERE b.barcode = ? AND p.active = 1`,
    );
    this.byId = db.prepare(
      `SELECT ${PRODUCT_COLUMNS} FROM catalog_products p WHERE p.product_id = ? AND p.active = 1`,
    );
    this.byName = db.prepare(
      `SELECT ${PRODUCT_COLUMNS} FROM catalog_search s JOIN catalog_products p ON p.rowid = s.rowid
        WHERE catalog_search MATCH ? AND p.active = 1 ORDER BY s.rank LIMIT ?`,
    );
    this.byNameUnranked = db.prepare(
      `SELECT ${PRODUCT_COLUMNS} FROM catalog_search s JOIN catalog_products p ON p.rowid = s.rowid
        WHERE catalog_search MATCH ? AND p.active = 1 LIMIT ?`,
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

  /**
   * Name or SKU search for what a cashier types ("blue pen", "nb-a5"): every word must match the start of a word,
   * accents ignored, best matches first. Input is reduced to words, so it can never be FTS syntax.
   */
  search(text: string, limit = 20): CatalogEntry[] {
    const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return [];
    const query = words
      .slice(0, 8)
      .map((word) => `"${word}"*`)
      .join(' ');
    return this.byName.all(query, Math.min(Math.max(limit, 1), 200)).map(toEntry);
  }

  cursor(): number {
    return this.version.get()?.version ?? 0;
  }

  documents(kind: CatalogDocument['kind']): CatalogDocument[] {
    const rows = this.db
      .prepare(
        'SELECT kind, doc_id, version, active, body FROM catalog_documents WHERE kind = ? ORDER BY doc_id',
      )
      .all(kind) as {
      kind: CatalogDocument['kind'];
      doc_id: string;
      version: number;
      active: number;
      body: string;
    }[];
    return rows.map((row) => ({
      kind: row.kind,
      id: row.doc_id,
      version: row.version,
      active: row.active === 1,
      body: JSON.parse(row.body) as unknown,
    }));
  }
}

/** The writable catalog cache: pulled batches are applied whole, with their cursor, or not at all. */
export class CatalogCache extends CatalogReader {
  /**
   * Pull everything again from version 0, when the server says the cursor is ahead of it (it was restored from a
   * backup). The products stay, so the till keeps scanning; the full pull overwrites each one with HQ's version.
   */
  restartCursor(): void {
    this.db.prepare('UPDATE catalog_cursor SET version = 0 WHERE singleton = 1').run();
  }

  applyBatch(
    products: readonly CatalogProduct[],
    version: number,
    documents: readonly CatalogDocument[] = [],
  ): void {
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
    const putDocument = this.db.prepare(
      `INSERT INTO catalog_documents (kind, doc_id, version, active, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kind, doc_id) DO UPDATE SET version = excluded.version, active = excluded.active, body = excluded.body`,
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
      for (const doc of documents) {
        putDocument.run(doc.kind, doc.id, doc.version, doc.active ? 1 : 0, JSON.stringify(doc.body));
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
