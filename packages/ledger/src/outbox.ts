import { GENESIS_HASH, type JournalEvent } from '@tillwright/protocol';
import type Database from 'better-sqlite3';
import { LedgerError } from './errors.js';

export interface SyncState {
  epoch: number;
  ackedSeq: number;
  ackedHash: string;
  lastSeq: number;
  pending: number;
  /** When the oldest unacknowledged event happened, or null when nothing is pending. */
  oldestPendingAt: string | null;
}

/**
 * The journal is the outbox: what is unsynced is everything after the acknowledged cursor.
 * Rows stay after acknowledgement (reprints, returns, audits).
 */
export class Outbox {
  constructor(private readonly db: Database.Database) {}

  /** The next batch to push, in seq order, bounded by count and by serialized bytes (at least one event). */
  nextBatch(limits: { maxEvents: number; maxBytes: number }): JournalEvent[] {
    const cursor = this.cursor();
    if (!cursor) return [];
    const rows = this.db
      .prepare('SELECT body FROM journal WHERE epoch = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(cursor.epoch, cursor.ackedSeq, limits.maxEvents) as { body: string }[];
    const batch: JournalEvent[] = [];
    let bytes = 0;
    for (const row of rows) {
      bytes += Buffer.byteLength(row.body);
      if (batch.length > 0 && bytes > limits.maxBytes) break;
      batch.push(JSON.parse(row.body) as JournalEvent);
    }
    return batch;
  }

  /** Moves the cursor to what the server acknowledged. Only forward, and only to a hash this journal holds. */
  acknowledge(epoch: number, seq: number, hash: string): void {
    this.db.transaction(() => {
      const cursor = this.cursor();
      if (!cursor || cursor.epoch !== epoch) {
        throw new LedgerError(
          'unknown_ack',
          `acknowledgement for epoch ${epoch} does not match this terminal`,
          false,
          {
            epoch,
          },
        );
      }
      if (seq <= cursor.ackedSeq) return;
      const row = this.db.prepare('SELECT hash FROM journal WHERE epoch = ? AND seq = ?').get(epoch, seq) as
        | { hash: string }
        | undefined;
      if (!row || row.hash !== hash) {
        throw new LedgerError(
          'unknown_ack',
          `the server acknowledged seq ${seq} with a hash this journal does not hold; sync stopped for investigation`,
          false,
          { epoch, seq, hash, local: row?.hash ?? null },
        );
      }
      this.db
        .prepare('UPDATE sync_cursor SET acked_seq = ?, acked_hash = ? WHERE singleton = 1')
        .run(seq, hash);
    })();
  }

  /**
   * Moves the cursor back to where the server says it stands, so the events after it are pushed again: the server
   * lost them (restored from a backup). Only backward, and only to a seq this journal holds (or 0). Rows are kept after
   * acknowledgement precisely so this is possible.
   */
  rewind(epoch: number, seq: number): void {
    this.db.transaction(() => {
      const cursor = this.cursor();
      if (!cursor || cursor.epoch !== epoch || seq >= cursor.ackedSeq || seq < 0) return;
      const hash =
        seq === 0
          ? GENESIS_HASH
          : (
              this.db.prepare('SELECT hash FROM journal WHERE epoch = ? AND seq = ?').get(epoch, seq) as
                | { hash: string }
                | undefined
            )?.hash;
      if (!hash) {
        throw new LedgerError(
          'unknown_ack',
          `cannot rewind to seq ${seq}: this journal does not hold it`,
          false,
          { epoch, seq },
        );
      }
      this.db
        .prepare('UPDATE sync_cursor SET acked_seq = ?, acked_hash = ? WHERE singleton = 1')
        .run(seq, hash);
    })();
  }

  state(): SyncState | null {
    const cursor = this.cursor();
    if (!cursor) return null;
    const last = this.db
      .prepare('SELECT coalesce(max(seq), 0) AS seq FROM journal WHERE epoch = ?')
      .get(cursor.epoch) as { seq: number };
    const oldest = this.db
      .prepare('SELECT body FROM journal WHERE epoch = ? AND seq > ? ORDER BY seq LIMIT 1')
      .get(cursor.epoch, cursor.ackedSeq) as { body: string } | undefined;
    return {
      ...cursor,
      lastSeq: last.seq,
      pending: last.seq - cursor.ackedSeq,
      oldestPendingAt: oldest ? (JSON.parse(oldest.body) as JournalEvent).occurredAt : null,
    };
  }

  private cursor(): { epoch: number; ackedSeq: number; ackedHash: string } | null {
    const row = this.db
      .prepare('SELECT epoch, acked_seq, acked_hash FROM sync_cursor WHERE singleton = 1')
      .get() as { epoch: number; acked_seq: number; acked_hash: string } | undefined;
    return row
      ? { epoch: row.epoch, ackedSeq: row.acked_seq, ackedHash: row.acked_hash ?? GENESIS_HASH }
      : null;
  }
}
