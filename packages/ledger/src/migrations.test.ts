import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CatalogProduct, DEFAULT_TERMINAL_CONFIG } from '@tillwright/protocol';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from './ledger.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
import { SALE_BY_NUMBER_SQL } from './projections.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function pen(price: number, version: number): CatalogProduct {
  return {
    productId: 'p1',
    sku: 'PEN-1',
    name: 'Pen',
    barcodes: ['4006381333931'],
    currency: 'EUR',
    price,
    taxCategory: 'standard',
    tags: [],
    active: true,
    version,
  };
}

/** A ledger file as a given version left it: only migrations up to `version` applied. */
function ledgerAtVersion(version: number): string {
  dir = mkdtempSync(join(tmpdir(), 'tillwright-migrate-'));
  const path = join(dir, 'ledger.sqlite');
  const db = new Database(path);
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
    db.exec(migration.sql);
    db.pragma(`user_version = ${migration.version}`);
  }
  db.close();
  return path;
}

describe('ledger migrations', () => {
  it('are numbered 1, 2, 3… without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('2: gives existing catalog rows the standard tax category and no tags', () => {
    const path = ledgerAtVersion(1);
    const raw = new Database(path);
    raw
      .prepare(
        "INSERT INTO catalog_products (product_id, sku, name, currency, price, active, version) VALUES ('p1', 'S', 'Pen', 'EUR', 250, 1, 1)",
      )
      .run();
    raw.prepare("INSERT INTO catalog_barcodes (barcode, product_id) VALUES ('4006381333931', 'p1')").run();
    raw.close();
    const ledger = Ledger.open(path);
    try {
      expect(ledger.catalog.findByBarcode('4006381333931')).toMatchObject({
        taxCategory: 'standard',
        tags: [],
      });
    } finally {
      ledger.close();
    }
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    check.close();
  });
});

describe('5: server contact', () => {
  it('starts an existing ledger with no answer and no clock offset, then keeps the latest answer', () => {
    const path = ledgerAtVersion(4);
    const ledger = Ledger.open(path);
    try {
      expect(ledger.serverContact.get()).toEqual({ lastAnswerAt: null, clockOffsetMs: null });
      ledger.serverContact.record({ at: '2026-12-06T10:00:05.000Z', clockOffsetMs: 600_000 });
      // An answer without a measured offset keeps the offset known.
      ledger.serverContact.record({ at: '2026-12-06T10:00:07.000Z', clockOffsetMs: null });
      expect(ledger.serverContact.get()).toEqual({
        lastAnswerAt: '2026-12-06T10:00:07.000Z',
        clockOffsetMs: 600_000,
      });
      // The till's clock was 10 minutes fast and was set right: the next answer is recorded although it reads earlier.
      ledger.serverContact.record({ at: '2026-12-06T09:50:09.000Z', clockOffsetMs: 12 });
      expect(ledger.serverContact.get()).toEqual({
        lastAnswerAt: '2026-12-06T09:50:09.000Z',
        clockOffsetMs: 12,
      });
    } finally {
      ledger.close();
    }
    // It survives a restart.
    const reopened = Ledger.open(path);
    expect(reopened.serverContact.get().lastAnswerAt).toBe('2026-12-06T09:50:09.000Z');
    reopened.close();
  });
});

describe('6: catalog history', () => {
  it('keeps the products a ledger already had as history, so sales before the upgrade read back their prices', () => {
    const path = ledgerAtVersion(5);
    const raw = new Database(path);
    raw
      .prepare(
        `INSERT INTO catalog_products (product_id, sku, name, currency, price, active, version, tax_category, tags)
         VALUES ('p1', 'PEN-1', 'Pen', 'EUR', 250, 1, 3, 'reduced', '["stationery"]'),
                ('p2', 'OLD-1', 'Old pad', 'EUR', 90, 0, 2, 'standard', '[]')`,
      )
      .run();
    raw
      .prepare(
        "INSERT INTO catalog_barcodes (barcode, product_id) VALUES ('96385074', 'p1'), ('4006381333931', 'p1')",
      )
      .run();
    raw.prepare('UPDATE catalog_cursor SET version = 3').run();
    raw.close();
    const ledger = Ledger.open(path);
    try {
      const before = {
        productId: 'p1',
        sku: 'PEN-1',
        name: 'Pen',
        barcodes: ['4006381333931', '96385074'],
        currency: 'EUR',
        price: 250,
        taxCategory: 'reduced',
        tags: ['stationery'],
        active: true,
        version: 3,
      };
      expect(ledger.catalog.productAt('p1', 3)).toEqual(before);
      expect(ledger.catalog.productAt('p2', 3)).toMatchObject({ active: false, price: 90 });
      // The first pull after the upgrade re-prices the pen; the sale priced at 3 still reads 2.50.
      ledger.catalog.applyBatch([{ ...before, price: 275, version: 4 }], 4);
      expect(ledger.catalog.productAt('p1', 3)?.price).toBe(250);
      expect(ledger.catalog.findByBarcode('96385074')?.price).toBe(275);
    } finally {
      ledger.close();
    }
  });
});

describe('6: journal indexes for business days and catalog retention', () => {
  it('indexes the sales a ledger already holds: they count in their business day and keep their catalog version', () => {
    dir = mkdtempSync(join(tmpdir(), 'tillwright-migrate-'));
    const path = join(dir, 'ledger.sqlite');
    const ledger = Ledger.open(path);
    ledger.journal.setIdentity({ orgId: 'O', storeId: 'S', terminalId: 'T', epoch: 1 });
    ledger.catalog.applyBatch([pen(250, 1)], 1);
    ledger.journal.record({
      eventId: '019ab000-0000-7000-8000-000000000001',
      type: 'sale',
      occurredAt: '2026-10-24T22:30:00.000Z', // 00:30 CEST on Berlin's 25-hour day
      payload: sampleSalePayload(250),
    });
    ledger.close();
    // The file as version 5 left it: no history table, no journal indexes of migration 6 (nor 7's employees, nor
    // 8's PIN counts, nor 10's parked sales).
    const raw = new Database(path);
    raw.exec(`DROP TABLE catalog_product_versions; DROP INDEX journal_money_by_time;
      DROP INDEX journal_sales_by_catalog; DROP TABLE employees; ${UNDO_8} PRAGMA user_version = 5;`);
    raw.close();

    const upgraded = Ledger.open(path);
    try {
      expect(upgraded.projections.businessDayTotals('2026-10-25', 'Europe/Berlin').sales).toEqual({
        count: 1,
        total: 250,
      });
      upgraded.catalog.applyBatch([pen(275, 2)], 2);
      expect(upgraded.catalog.pruneHistory('2999-01-01T00:00:00.000Z')).toBe(0);
      expect(upgraded.catalog.productAt('p1', 1)?.price).toBe(250);
    } finally {
      upgraded.close();
    }
  });
});

/** Migration 12 undone by hand: the catalog's selling columns. */
const UNDO_12 = `ALTER TABLE catalog_products DROP COLUMN minimum_age;
  ALTER TABLE catalog_products DROP COLUMN open_price_max; ALTER TABLE catalog_products DROP COLUMN open_price_min;
  ALTER TABLE catalog_products DROP COLUMN measure;`;
/** Migrations 11, 13 and 14 undone by hand (parked sales, with 14's column, and the Pay requests). */
const UNDO_11 = 'DROP TABLE parked_sales; DROP TABLE pay_requests;';
/** What migrations 8 and 10–14 added, taken away again (9 rebuilt search only): a file as version 7 left it. */
const UNDO_8 = `DROP TABLE pin_attempts; DROP INDEX journal_employee_locks; DROP INDEX journal_sales_by_receipt_number; ${UNDO_11} ${UNDO_12}`;

describe('8: wrong-PIN counts and employee lockouts', () => {
  it('reads the lockouts a version 7 ledger journaled, and starts counting wrong PINs from nothing', () => {
    dir = mkdtempSync(join(tmpdir(), 'tillwright-migrate-'));
    const path = join(dir, 'ledger.sqlite');
    const ledger = Ledger.open(path);
    ledger.journal.setIdentity({ orgId: 'O', storeId: 'S', terminalId: 'T', epoch: 1 });
    ledger.journal.record({
      eventId: '019ab000-0000-7000-8000-000000000002',
      type: 'employee-locked-out',
      occurredAt: '2026-11-25T10:00:00.000Z',
      schema: 1,
      payload: { employeeId: 'cashier-7', failedAttempts: 5, lockedUntil: null },
    });
    ledger.close();
    const raw = new Database(path);
    raw.exec(`${UNDO_8} PRAGMA user_version = 7;`);
    raw.close();

    const upgraded = Ledger.open(path);
    try {
      expect(upgraded.employeeLocks.of('cashier-7', new Date('2026-11-26T00:00:00.000Z'))).toMatchObject({
        failedAttempts: 5,
        lockedUntil: null,
      });
      expect(upgraded.pinAttempts.of('1001')).toBeNull();
      expect(upgraded.pinAttempts.fail('1001', '2026-11-25T10:01:00.000Z')).toBe(1);
    } finally {
      upgraded.close();
    }
  });
});

describe('11: parked sales', () => {
  it('gives a version 10 ledger an empty parked list that keeps what is parked, and a sold ledger keeps its sales', () => {
    const path = ledgerAtVersion(10);
    const upgraded = Ledger.open(path);
    try {
      expect(upgraded.parkedSales.list()).toEqual([]);
      const sale = {
        saleId: 's1',
        currency: 'EUR',
        parkedAt: '2026-12-06T10:00:00.000Z',
        parkedBy: 'cashier-7',
        parkedByName: 'Alex Cashier',
        label: null,
        total: 250,
        lines: [{ lineId: 'l1', productId: 'p1', barcode: null, name: 'Pen', unitPrice: 250, quantity: 1 }],
      };
      upgraded.parkedSales.park(sale);
      expect(upgraded.parkedSales.read('s1')).toEqual(sale);
    } finally {
      upgraded.close();
    }
    const raw = new Database(path);
    try {
      expect(() =>
        raw
          .prepare(
            "INSERT INTO parked_sales (sale_id, currency, parked_at, parked_by, parked_by_name, lines) VALUES ('s2', 'EUR', 't', 'e', 'n', '{')",
          )
          .run(),
      ).toThrow(/CHECK constraint failed/);
    } finally {
      raw.close();
    }
  });
});

describe('migrating an existing ledger', () => {
  it('takes a backup copy first, holding the data as it was', () => {
    const path = ledgerAtVersion(1);
    const raw = new Database(path);
    raw
      .prepare(
        "INSERT INTO terminal_identity (singleton, org_id, store_id, terminal_id, epoch) VALUES (1, 'O', 'S', 'T', 1)",
      )
      .run();
    raw.close();
    Ledger.open(path).close();
    const backup = new Database(`${path}.pre-v${LATEST_SCHEMA_VERSION}.bak`, { readonly: true });
    try {
      expect(backup.pragma('user_version', { simple: true })).toBe(1);
      expect(backup.prepare('SELECT terminal_id FROM terminal_identity').get()).toEqual({ terminal_id: 'T' });
    } finally {
      backup.close();
    }
  });

  it('takes no backup of a new, empty ledger', () => {
    dir = mkdtempSync(join(tmpdir(), 'tillwright-migrate-'));
    Ledger.open(join(dir, 'ledger.sqlite')).close();
    expect(readdirSync(dir).filter((name) => name.endsWith('.bak'))).toEqual([]);
  });

  it('4: adds an empty feed cache to a ledger that has sold, so the terminal uses the defaults until it pulls', () => {
    const path = ledgerAtVersion(3);
    const raw = new Database(path);
    raw
      .prepare(
        "INSERT INTO terminal_identity (singleton, org_id, store_id, terminal_id, epoch) VALUES (1, 'O', 'S', 'T', 1)",
      )
      .run();
    raw.close();
    const ledger = Ledger.open(path);
    try {
      expect(ledger.journal.identity()).toMatchObject({ storeId: 'S' });
      expect(ledger.feed.cursor()).toBe(0);
      expect(ledger.feed.config()).toEqual(DEFAULT_TERMINAL_CONFIG);
      ledger.feed.apply(
        [
          {
            kind: 'config',
            version: 3,
            storeId: 'S',
            config: { ...DEFAULT_TERMINAL_CONFIG, receiptFooter: 'Hi' },
          },
        ],
        3,
      );
      expect(ledger.feed.config().receiptFooter).toBe('Hi');
    } finally {
      ledger.close();
    }
  });

  it('3: indexes existing product names for search', () => {
    const path = ledgerAtVersion(2);
    const raw = new Database(path);
    raw
      .prepare(
        "INSERT INTO catalog_products (product_id, sku, name, currency, price, active, version) VALUES ('p1', 'S', 'Blue pen', 'EUR', 250, 1, 1)",
      )
      .run();
    raw.close();
    const ledger = Ledger.open(path);
    try {
      expect(ledger.catalog.search('blue').map((p) => p.productId)).toEqual(['p1']);
    } finally {
      ledger.close();
    }
  });
  it('9: rebuilds the search index with prefix indexes, keeping existing products findable from one letter', () => {
    const path = ledgerAtVersion(8);
    const raw = new Database(path);
    raw
      .prepare(
        "INSERT INTO catalog_products (product_id, sku, name, currency, price, active, version) VALUES ('p1', 'S', 'Blue pen', 'EUR', 250, 1, 1)",
      )
      .run();
    raw.close();
    const ledger = Ledger.open(path);
    try {
      expect(ledger.catalog.search('b').map((p) => p.productId)).toEqual(['p1']);
      ledger.catalog.applyBatch([{ ...pen(250, 2), name: 'Red pen' }], 2);
      expect(ledger.catalog.search('r').map((p) => p.productId)).toEqual(['p1']);
      expect(ledger.catalog.search('b')).toEqual([]);
    } finally {
      ledger.close();
    }
  });
  it('12: products a ledger already holds are sold by the unit, at their price, with no age check', () => {
    const path = ledgerAtVersion(11);
    const raw = new Database(path);
    raw
      .prepare(
        "INSERT INTO catalog_products (product_id, sku, name, currency, price, active, version) VALUES ('p1', 'S', 'Blue pen', 'EUR', 250, 1, 1)",
      )
      .run();
    raw.close();
    const ledger = Ledger.open(path);
    try {
      expect(ledger.catalog.findById('p1')).toMatchObject({
        measure: 'unit',
        openPrice: null,
        minimumAge: null,
      });
      ledger.catalog.applyBatch([{ ...pen(250, 2), measure: 'kg', minimumAge: 18 }], 2);
      expect(ledger.catalog.findById('p1')).toMatchObject({ measure: 'kg', minimumAge: 18 });
    } finally {
      ledger.close();
    }
  });
});

describe('10: sales by receipt number', () => {
  it('indexes the numbered sales a ledger already holds, and finds one by its number through the index', () => {
    dir = mkdtempSync(join(tmpdir(), 'tillwright-migrate-'));
    const path = join(dir, 'ledger.sqlite');
    const ledger = Ledger.open(path);
    ledger.journal.setIdentity({ orgId: 'O', storeId: 'S', terminalId: 'T', epoch: 1 });
    const sale = ledger.journal.record({
      eventId: '019ab000-0000-7000-8000-000000000001',
      type: 'sale',
      occurredAt: '2026-10-24T22:30:00.000Z',
      payload: sampleSalePayload(250),
    }).event;
    ledger.close();
    // The file as version 9 left it: no index on the number.
    const raw = new Database(path);
    raw.exec(`DROP INDEX journal_sales_by_receipt_number; ${UNDO_11} ${UNDO_12} PRAGMA user_version = 9;`);
    raw.close();

    const upgraded = Ledger.open(path);
    try {
      expect(upgraded.projections.findSale({ receiptNumber: 'T-1-000001' })?.eventId).toBe(sale.eventId);
    } finally {
      upgraded.close();
    }
    const db = new Database(path, { readonly: true });
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${SALE_BY_NUMBER_SQL}`).all('T-1-000001') as { detail: string }[]
    )
      .map((row) => row.detail)
      .join('\n');
    db.close();
    expect(plan).toContain('journal_sales_by_receipt_number');
    expect(plan).not.toMatch(/SCAN journal\b/);
  });
});
