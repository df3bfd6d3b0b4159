import type Database from 'better-sqlite3';
import { LedgerError } from './errors.js';

/** Forward-only, numbered. A migration is never edited once released; a change is a new entry. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'journal, outbox cursor, identity, catalog cache',
    sql: `
      CREATE TABLE terminal_identity (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        org_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        epoch INTEGER NOT NULL CHECK (epoch > 0)
      );
      CREATE TABLE journal (
        position INTEGER PRIMARY KEY,
        epoch INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        content_digest TEXT NOT NULL,
        body TEXT NOT NULL,
        hash TEXT NOT NULL,
        UNIQUE (epoch, seq)
      );
      CREATE TRIGGER journal_is_append_only_update BEFORE UPDATE ON journal
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
      CREATE TRIGGER journal_is_append_only_delete BEFORE DELETE ON journal
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
      CREATE TABLE sync_cursor (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        epoch INTEGER NOT NULL,
        acked_seq INTEGER NOT NULL,
        acked_hash TEXT NOT NULL
      );
      CREATE TABLE catalog_products (
        product_id TEXT PRIMARY KEY,
        sku TEXT NOT NULL,
        name TEXT NOT NULL,
        currency TEXT NOT NULL,
        price INTEGER NOT NULL CHECK (price >= 0),
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        version INTEGER NOT NULL
      );
      CREATE TABLE catalog_barcodes (
        barcode TEXT PRIMARY KEY,
        product_id TEXT NOT NULL REFERENCES catalog_products (product_id) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX catalog_barcodes_by_product ON catalog_barcodes (product_id);
      CREATE TABLE catalog_cursor (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        version INTEGER NOT NULL
      );
      INSERT INTO catalog_cursor (singleton, version) VALUES (1, 0);
    `,
  },
  {
    version: 2,
    name: 'catalog tax category and promotion tags',
    sql: `
      ALTER TABLE catalog_products ADD COLUMN tax_category TEXT NOT NULL DEFAULT 'standard';
      ALTER TABLE catalog_products ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 3,
    name: 'catalog name search, promotion and tax-rule documents, returns by original sale',
    sql: `
      CREATE VIRTUAL TABLE catalog_search USING fts5(
        name, sku, content = 'catalog_products', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER catalog_search_insert AFTER INSERT ON catalog_products BEGIN
        INSERT INTO catalog_search (rowid, name, sku) VALUES (new.rowid, new.name, new.sku);
      END;
      CREATE TRIGGER catalog_search_delete AFTER DELETE ON catalog_products BEGIN
        INSERT INTO catalog_search (catalog_search, rowid, name, sku) VALUES ('delete', old.rowid, old.name, old.sku);
      END;
      CREATE TRIGGER catalog_search_update AFTER UPDATE ON catalog_products BEGIN
        INSERT INTO catalog_search (catalog_search, rowid, name, sku) VALUES ('delete', old.rowid, old.name, old.sku);
        INSERT INTO catalog_search (rowid, name, sku) VALUES (new.rowid, new.name, new.sku);
      END;
      INSERT INTO catalog_search (catalog_search) VALUES ('rebuild');
      CREATE TABLE catalog_documents (
        kind TEXT NOT NULL CHECK (kind IN ('promotion', 'tax-rules')),
        doc_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        body TEXT NOT NULL,
        PRIMARY KEY (kind, doc_id)
      );
      CREATE INDEX journal_returns_by_sale ON journal (json_extract(body, '$.payload.originalSaleId'))
        WHERE type = 'return';
      CREATE INDEX journal_by_type ON journal (epoch, type, seq);
    `,
  },
  {
    version: 4,
    name: 'terminal feed: configuration, return authorisations and their cursor',
    sql: `
      CREATE TABLE feed_config (
        scope TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version > 0),
        body TEXT
      );
      CREATE TABLE return_authorisations (
        authorisation_id TEXT PRIMARY KEY,
        original_sale_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
        expires_at TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        body TEXT NOT NULL
      );
      CREATE INDEX return_authorisations_by_sale ON return_authorisations (original_sale_id, status);
      CREATE TABLE feed_cursor (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        version INTEGER NOT NULL
      );
      INSERT INTO feed_cursor (singleton, version) VALUES (1, 0);
    `,
  },
  {
    version: 5,
    name: 'server contact: when the server last answered, and how far the till clock is off its clock',
    sql: `
      CREATE TABLE server_contact (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        last_answer_at TEXT,
        clock_offset_ms INTEGER
      );
      INSERT INTO server_contact (singleton, last_answer_at, clock_offset_ms) VALUES (1, NULL, NULL);
    `,
  },
  {
    version: 6,
    name: 'catalog history beside the current catalog; journal money events by time, for business days',
    sql: `
      CREATE TABLE catalog_product_versions (
        product_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        body TEXT,
        pulled_at TEXT NOT NULL,
        PRIMARY KEY (product_id, version)
      ) WITHOUT ROWID;
      INSERT INTO catalog_product_versions (product_id, version, body, pulled_at)
        SELECT p.product_id, p.version,
          json_object(
            'productId', p.product_id, 'sku', p.sku, 'name', p.name,
            'barcodes', (SELECT json_group_array(barcode)
                           FROM (SELECT barcode FROM catalog_barcodes b WHERE b.product_id = p.product_id ORDER BY barcode)),
            'currency', p.currency, 'price', p.price, 'taxCategory', p.tax_category, 'tags', json(p.tags),
            'active', json(CASE p.active WHEN 1 THEN 'true' ELSE 'false' END), 'version', p.version
          ),
          strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM catalog_products p;
      CREATE INDEX journal_money_by_time ON journal (json_extract(body, '$.occurredAt'))
        WHERE type IN ('sale', 'void', 'return');
      CREATE INDEX journal_sales_by_catalog ON journal (json_extract(body, '$.payload.pricedWith.catalog'))
        WHERE type = 'sale';
    `,
  },
  {
    version: 7,
    name: 'employees of this store as the feed last sent them (issue #15), for sign-in by number and PIN',
    sql: `
      CREATE TABLE employees (
        employee_id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        version INTEGER NOT NULL CHECK (version > 0),
        body TEXT NOT NULL
      );
      CREATE INDEX employees_by_number ON employees (number, version);
    `,
  },
  {
    version: 8,
    name: 'wrong-PIN counts per employee number on this till (not journaled); lockouts by employee in the journal',
    sql: `
      CREATE TABLE pin_attempts (
        number TEXT PRIMARY KEY,
        failures INTEGER NOT NULL CHECK (failures >= 0),
        last_failed_at TEXT NOT NULL,
        locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
        locked_until TEXT
      ) WITHOUT ROWID;
      CREATE INDEX journal_employee_locks ON journal (json_extract(body, '$.payload.employeeId'), epoch, seq)
        WHERE type IN ('employee-locked-out', 'employee-unlocked');
    `,
  },
  {
    version: 9,
    name: 'catalog search from the first letter: FTS5 prefix indexes for 1- and 2-character prefixes (decision 0016)',
    sql: `
      DROP TRIGGER catalog_search_insert;
      DROP TRIGGER catalog_search_delete;
      DROP TRIGGER catalog_search_update;
      DROP TABLE catalog_search;
      CREATE VIRTUAL TABLE catalog_search USING fts5(
        name, sku, content = 'catalog_products', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2'
      );
      CREATE TRIGGER catalog_search_insert AFTER INSERT ON catalog_products BEGIN
        INSERT INTO catalog_search (rowid, name, sku) VALUES (new.rowid, new.name, new.sku);
      END;
      CREATE TRIGGER catalog_search_delete AFTER DELETE ON catalog_products BEGIN
        INSERT INTO catalog_search (catalog_search, rowid, name, sku) VALUES ('delete', old.rowid, old.name, old.sku);
      END;
      CREATE TRIGGER catalog_search_update AFTER UPDATE ON catalog_products BEGIN
        INSERT INTO catalog_search (catalog_search, rowid, name, sku) VALUES ('delete', old.rowid, old.name, old.sku);
        INSERT INTO catalog_search (rowid, name, sku) VALUES (new.rowid, new.name, new.sku);
      END;
      INSERT INTO catalog_search (catalog_search) VALUES ('rebuild');
    `,
  },
  {
    version: 10,
    name: 'sales by receipt number: a receipt look-up (reprint, returns) is one index step, not a scan of every sale',
    sql: `
      CREATE INDEX journal_sales_by_receipt_number ON journal (json_extract(body, '$.payload.receiptNumber'))
        WHERE type = 'sale';
    `,
  },
  {
    version: 11,
    name: 'parked sales of this till (issue #17): carts put aside to resume later, not journaled (decision 0018)',
    sql: `
      CREATE TABLE parked_sales (
        sale_id TEXT PRIMARY KEY,
        currency TEXT NOT NULL,
        parked_at TEXT NOT NULL,
        parked_by TEXT NOT NULL,
        parked_by_name TEXT NOT NULL,
        label TEXT,
        total INTEGER,
        lines TEXT NOT NULL CHECK (json_valid(lines) AND json_type(lines) = 'array')
      ) WITHOUT ROWID;
      CREATE INDEX parked_sales_newest_first ON parked_sales (parked_at DESC, sale_id DESC);
    `,
  },
  {
    version: 12,
    name: 'how a catalog product is sold: measure (unit, kg, lb), open-price limits, minimum age (issue #17)',
    sql: `
      ALTER TABLE catalog_products ADD COLUMN measure TEXT NOT NULL DEFAULT 'unit'
        CHECK (measure IN ('unit', 'kg', 'lb'));
      ALTER TABLE catalog_products ADD COLUMN open_price_min INTEGER CHECK (open_price_min >= 0);
      ALTER TABLE catalog_products ADD COLUMN open_price_max INTEGER CHECK (open_price_max >= open_price_min);
      ALTER TABLE catalog_products ADD COLUMN minimum_age INTEGER CHECK (minimum_age BETWEEN 1 AND 99);
    `,
  },
  {
    version: 13,
    name: 'the request each Pay was recorded for (issue #17): a retried Pay is the recorded sale only if it asks the same',
    sql: `
      CREATE TABLE pay_requests (
        sale_id TEXT PRIMARY KEY,
        digest TEXT NOT NULL CHECK (length(digest) = 64)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 14,
    name: "a parked sale keeps the cart's basket discount (issue #17)",
    sql: `
      ALTER TABLE parked_sales ADD COLUMN basket_discount TEXT
        CHECK (basket_discount IS NULL OR (json_valid(basket_discount) AND json_type(basket_discount) = 'object'));
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) {
    throw new LedgerError(
      'newer_schema',
      `this ledger was written by a newer Tillwright (schema ${current}, this build knows ${LATEST_SCHEMA_VERSION}); install the newer version instead of opening it with this one`,
      false,
      { found: current, supported: LATEST_SCHEMA_VERSION },
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
