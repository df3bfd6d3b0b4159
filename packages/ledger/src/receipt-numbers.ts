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
 * The next receipt number of a sale type in the till's current epoch: one past the last one of that type, whose
 * number is the one it holds, or (written before numbers were) the one derived from its seq. Run inside the
 * transaction that records the sale, so a number is never given twice nor skipped, whatever crashes. A number
 * never collides with an older seq-derived one: every count is at most the seq of its sale.
 */
export class ReceiptNumbers {
  private readonly last: Database.Statement<[number, string], { seq: number; body: string }>;

  constructor(db: Database.Database) {
    // journal_by_type (epoch, type, seq): one index step back from the end.
    this.last = db.prepare(
      'SELECT seq, body FROM journal WHERE epoch = ? AND type = ? ORDER BY seq DESC LIMIT 1',
    );
  }

  next(type: EventType, identity: TerminalIdentity): string {
    const training = type === 'training-sale';
    const row = this.last.get(identity.epoch, type);
    let count = 0;
    if (row) {
      const held = (JSON.parse(row.body) as { payload: { receiptNumber?: string | null } }).payload
        .receiptNumber;
      // A training sale from before numbers printed a sale-shaped number: its own count starts at 1.
      count = typeof held === 'string' ? (receiptCount(held) ?? 0) : training ? 0 : row.seq;
    }
    return saleNumber(identity.terminalId, identity.epoch, count + 1, training);
  }
}
