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
  /** By the unit, or weighed (`price` is then per kilogram or per pound). */
  measure: 'unit' | 'kg' | 'lb';
  /** An open-price item's limits (minor units), null for a product sold at its price. */
  openPrice: { min: number; max: number } | null;
  /** Sold only to customers at least this old, null when not age-restricted. */
  minimumAge: number | null;
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
  measure: 'unit' | 'kg' | 'lb';
  open_price_min: number | null;
  open_price_max: number | null;
  minimum_age: number | null;
}

const PRODUCT_COLUMNS =
  'p.product_id, p.sku, p.name, p.currency, p.price, p.tax_category, p.tags, p.version, p.measure, ' +
  'p.open_price_min, p.open_price_max, p.minimum_age';

/** Reads of the terminal's catalog copy, so a scan is priced without the network. Works on a read-only handle. */
export class CatalogReader {
  private readonly byBarcode: Database.Statement<[string], ProductRow>;
  private readonly byId: Database.Statement<[string], ProductRow>;
  private readonly byName: Database.Statement<[string, number], ProductRow>;
  private readonly byNameUnranked: Database.Statement<[string, number], ProductRow>;
  private readonly version: Database.Statement<[], { version: number }>;
  private readonly versionAt: Database.Statement<[string, number], { body: string | null }>;

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
    this.versionAt = db.prepare(
      `SELECT body FROM catalog_product_versions WHERE product_id = ? AND version <= ?
        ORDER BY version DESC LIMIT 1`,
    );
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
   * Name or SKU search for what a cashier types ("blue pen", "nb-a5"), from the first character: every word must
   * match the start of a word, accents and case ignored. Input is reduced to words, so it can never be FTS syntax;
   * text with no letter or digit finds nothing. When every word is shorter than 3 characters thousands of products
   * match and bm25 over all of them costs tens of ms, so those come unranked, in catalog order (decision 0016);
   * longer words come best match first.
   */
  search(text: string, limit = 20): CatalogEntry[] {
    const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return [];
    const query = words
      .slice(0, 8)
      .map((word) => `"${word}"*`)
      .join(' ');
    const rows = words.some((word) => word.length >= 3) ? this.byName : this.byNameUnranked;
    return rows.all(query, Math.min(Math.max(Math.trunc(limit) || 1, 1), 200)).map(toEntry);
  }

  cursor(): number {
    return this.version.get()?.version ?? 0;
  }

  /**
   * The product as the till had it at catalog version `catalogVersion` (what a sale's `pricedWith.catalog` names):
   * the newest pulled version at or below it, inactive ones included. Null when the product did not exist yet at
   * that version, or when that version was pruned (see `CatalogCache.pruneHistory`: never one a sale refers to).
   */
  productAt(productId: string, catalogVersion: number): CatalogProduct | null {
    const row = this.versionAt.get(productId, catalogVersion);
    return row?.body ? (JSON.parse(row.body) as CatalogProduct) : null;
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
      `INSERT INTO catalog_products (product_id, sku, name, currency, price, tax_category, tags, active, version,
         measure, open_price_min, open_price_max, minimum_age)
       VALUES (@productId, @sku, @name, @currency, @price, @taxCategory, @tags, @active, @version,
         @measure, @openPriceMin, @openPriceMax, @minimumAge)
       ON CONFLICT (product_id) DO UPDATE SET sku = excluded.sku, name = excluded.name, currency = excluded.currency,
         price = excluded.price, tax_category = excluded.tax_category, tags = excluded.tags,
         active = excluded.active, version = excluded.version, measure = excluded.measure,
         open_price_min = excluded.open_price_min, open_price_max = excluded.open_price_max,
         minimum_age = excluded.minimum_age`,
    );
    // History beside the current rows: a version is written once; a re-pull of it (after `restartCursor`) keeps
    // the body first pulled, and restores one pruned to a tombstone.
    const keepVersion = this.db.prepare(
      `INSERT INTO catalog_product_versions (product_id, version, body, pulled_at)
       VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
       ON CONFLICT (product_id, version) DO UPDATE SET body = excluded.body
         WHERE catalog_product_versions.body IS NULL`,
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
        upsert.run({
          productId: product.productId,
          sku: product.sku,
          name: product.name,
          currency: product.currency,
          price: product.price,
          taxCategory: product.taxCategory,
          tags: JSON.stringify(product.tags),
          active: product.active ? 1 : 0,
          version: product.version,
          measure: product.measure ?? 'unit',
          openPriceMin: product.openPrice?.min ?? null,
          openPriceMax: product.openPrice?.max ?? null,
          minimumAge: product.minimumAge ?? null,
        });
        keepVersion.run(product.productId, product.version, JSON.stringify(product));
        clearBarcodes.run(product.productId);
        for (const barcode of product.barcodes) addBarcode.run(barcode, product.productId);
      }
      for (const doc of documents) {
        putDocument.run(doc.kind, doc.id, doc.version, doc.active ? 1 : 0, JSON.stringify(doc.body));
      }
      moveCursor.run(version, version);
    })();
  }

  /**
   * Retention of the catalog history (decision 0011): drops the body of every product version superseded (its next
   * version pulled) before `supersededBefore` (ISO), unless a sale in the journal was priced at a catalog version
   * that reads it back (`pricedWith.catalog` from this version up to the next). The current version of each product
   * is never dropped. A dropped version leaves a tombstone, so `productAt` answers null rather than an older version.
   * Returns how many versions it dropped.
   */
  pruneHistory(supersededBefore: string): number {
    return this.db
      .prepare(
        `WITH referenced AS MATERIALIZED (
           SELECT DISTINCT json_extract(body, '$.payload.pricedWith.catalog') AS n FROM journal WHERE type = 'sale'
         ),
         chain AS (
           SELECT product_id, version, body,
             LEAD(version) OVER (PARTITION BY product_id ORDER BY version) AS next_version,
             LEAD(pulled_at) OVER (PARTITION BY product_id ORDER BY version) AS superseded_at
           FROM catalog_product_versions
         )
         UPDATE catalog_product_versions SET body = NULL
         WHERE (product_id, version) IN (
           SELECT product_id, version FROM chain
           WHERE body IS NOT NULL AND next_version IS NOT NULL AND superseded_at < ?
             AND NOT EXISTS (SELECT 1 FROM referenced r WHERE r.n >= chain.version AND r.n < chain.next_version)
         )`,
      )
      .run(new Date(supersededBefore).toISOString()).changes;
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
    measure: row.measure,
    openPrice:
      row.open_price_min === null || row.open_price_max === null
        ? null
        : { min: row.open_price_min, max: row.open_price_max },
    minimumAge: row.minimum_age,
  };
}
