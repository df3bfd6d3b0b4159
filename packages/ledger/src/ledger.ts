import type Database from 'better-sqlite3';
import { CatalogCache, CatalogReader } from './catalog.js';
import { EmployeeLocks } from './employee-locks.js';
import { FeedCache, FeedReader } from './feed.js';
import { Journal, JournalReader } from './journal.js';
import { type OpenOptions, openReadonlyDatabase, openWritableDatabase } from './open-database.js';
import { Outbox } from './outbox.js';
import { ParkedSales } from './parked-sales.js';
import { PinAttempts } from './pin-attempts.js';
import { Projections } from './projections.js';
import { SaleList } from './sale-list.js';
import { ServerContact } from './server-contact.js';

/**
 * A read-only handle on a ledger file: journal reads, reports, receipt lookups, employees locked out, the catalog and
 * the feed (terminal configuration, return authorisations, employees). Any number may be open beside the one writer;
 * none can change anything.
 */
export class LedgerReader {
  readonly journal: JournalReader;
  readonly catalog: CatalogReader;
  readonly feed: FeedReader;
  readonly projections: Projections;
  readonly employeeLocks: EmployeeLocks;
  /** The till's sales newest first, paged: the receipts a cashier can show or reprint. */
  readonly sales: SaleList;

  protected constructor(
    protected readonly db: Database.Database,
    parts: { journal: JournalReader; catalog: CatalogReader; feed: FeedReader },
  ) {
    this.journal = parts.journal;
    this.catalog = parts.catalog;
    this.feed = parts.feed;
    this.projections = new Projections(db);
    this.employeeLocks = new EmployeeLocks(db);
    this.sales = new SaleList(db);
  }

  static open(path: string): LedgerReader {
    const db = openReadonlyDatabase(path);
    return new LedgerReader(db, {
      journal: new JournalReader(db),
      catalog: new CatalogReader(db),
      feed: new FeedReader(db),
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * The terminal's one writable handle: journal, outbox, catalog and feed caches, server contact, wrong-PIN counts,
 * parked sales.
 * Keep exactly one open.
 */
export class Ledger extends LedgerReader {
  declare readonly journal: Journal;
  declare readonly catalog: CatalogCache;
  declare readonly feed: FeedCache;
  readonly outbox: Outbox;
  readonly serverContact: ServerContact;
  readonly pinAttempts: PinAttempts;
  readonly parkedSales: ParkedSales;

  private constructor(db: Database.Database) {
    super(db, { journal: new Journal(db), catalog: new CatalogCache(db), feed: new FeedCache(db) });
    this.outbox = new Outbox(db);
    this.serverContact = new ServerContact(db);
    this.pinAttempts = new PinAttempts(db);
    this.parkedSales = new ParkedSales(db);
  }

  static override open(path: string, options: OpenOptions = {}): Ledger {
    return new Ledger(openWritableDatabase(path, options));
  }
}
