import type Database from 'better-sqlite3';

/**
 * The digest of the request each Pay was recorded for (migration 13), one per sale id: written by `Journal.record` in
 * the transaction that records the sale, so a sale never stands without it nor it without the sale. A sale's payload
 * does not hold the request's form (a 10 % discount is recorded as the amount it took off), so a retried Pay is
 * compared with this, not with the payload. Sales recorded before migration 13 have none.
 */
export class PayRequests {
  private readonly insert: Database.Statement<[string, string]>;
  private readonly one: Database.Statement<[string], { digest: string }>;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO pay_requests (sale_id, digest) VALUES (?, ?)');
    this.one = db.prepare('SELECT digest FROM pay_requests WHERE sale_id = ?');
  }

  /** Inside the sale's own transaction only (Journal.record). */
  record(saleId: string, digest: string): void {
    this.insert.run(saleId, digest);
  }

  /** The digest of the request the sale under this id was recorded for; null for a sale recorded without one. */
  digest(saleId: string): string | null {
    return this.one.get(saleId)?.digest ?? null;
  }
}
