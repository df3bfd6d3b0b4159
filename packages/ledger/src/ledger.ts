import type Database from 'better-sqlite3';
import { CatalogCache } from './catalog.js';
import { Journal } from './journal.js';
import { openLedgerDatabase } from './open-database.js';
import { Outbox } from './outbox.js';

/** The terminal's one writable handle on its ledger file: journal, outbox and catalog cache. */
export class Ledger {
  readonly journal: Journal;
  readonly outbox: Outbox;
  readonly catalog: CatalogCache;

  private constructor(private readonly db: Database.Database) {
    this.journal = new Journal(db);
    this.outbox = new Outbox(db);
    this.catalog = new CatalogCache(db);
  }

  static open(path: string): Ledger {
    return new Ledger(openLedgerDatabase(path));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
