import { type EventType, receiptCount, saleNumber } from '@tillwright/protocol';
import type Database from 'better-sqlite3';
import type { TerminalIdentity } from './journal.js';

/**
 * The versions from which a sale type carries its receipt number, assigned here (docs/decisions/0016): a `sale`
 * from v5, a `training-sale` from v2. Older versions have none: their number is their place in the journal.
 */
const NUMBERED_FROM: Partial<Record<EventType, number>> = { sale: 5, 'training-sale': 2 };

export function isNumberedSale(type: EventType, version: number): boolean {
  const from = NUMBERED_FROM[type];
  return from !== undefined && version >= from;
}

/**
 * The next receipt number of a sale type in the till's current epoch: one past the last number of that type held in
 * a sale (or, before any sale held one, past the last sale's seq, the number it printed), skipping any count that a
 * sale written without a number printed as its place in the journal. Run inside the transaction that records the
 * sale, so a number is never given twice nor skipped, whatever crashes, and a server rolled back to an older sale
 * version for a while (its sales print their seq) leaves neither a gap nor a repeat: v5 #1, v4 at seq 3, then v5
 * sales take #2, #4, #5 (docs/decisions/0017).
 */
export class ReceiptNumbers {
  private readonly lastNumbered: Database.Statement<[number, string], { number: string }>;
  private readonly last: Database.Statement<[number, string], { seq: number }>;
  private readonly printedBySeq: Database.Statement<[number, number], { seq: number }>;

  constructor(db: Database.Database) {
    // journal_by_type (epoch, type, seq): back from the end over the few rows written without a number.
    this.lastNumbered = db.prepare(
      `SELECT json_extract(body, '$.payload.receiptNumber') AS number FROM journal
       WHERE epoch = ? AND type = ? AND json_extract(body, '$.payload.receiptNumber') IS NOT NULL
       ORDER BY seq DESC LIMIT 1`,
    );
    this.last = db.prepare('SELECT seq FROM journal WHERE epoch = ? AND type = ? ORDER BY seq DESC LIMIT 1');
    // A sale without a number at that place printed the seq-derived number (training v1 too: it looked like a sale).
    this.printedBySeq = db.prepare(
      `SELECT seq FROM journal WHERE epoch = ? AND seq = ? AND type IN ('sale', 'training-sale')
       AND json_extract(body, '$.payload.receiptNumber') IS NULL`,
    );
  }

  next(type: EventType, identity: TerminalIdentity): string {
    const training = type === 'training-sale';
    const numbered = this.lastNumbered.get(identity.epoch, type);
    // A training sale from before numbers printed a sale-shaped number: its own count starts at 1.
    let count = numbered
      ? (receiptCount(numbered.number) ?? 0)
      : training
        ? 0
        : (this.last.get(identity.epoch, type)?.seq ?? 0);
    count += 1;
    // Training numbers carry a prefix no seq-derived number has; a sale count steps over the ones already printed.
    if (!training) while (this.printedBySeq.get(identity.epoch, count)) count += 1;
    return saleNumber(identity.terminalId, identity.epoch, count, training);
  }
}
