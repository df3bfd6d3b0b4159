import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Ledger, LedgerReader } from '../ledger.js';
import { LATEST_SCHEMA_VERSION } from '../migrations.js';
import type { LedgerCheck } from './crash-harness.js';

/**
 * Checks the ledger exactly as the kill left it, through read-only handles that never migrate, checkpoint or
 * write: LedgerReader (quick_check, schema) for the chain, and plain SQL for the per-sale and seq checks. The next
 * round's writer is the restart that recovers the WAL; `finalRestart` is the last one.
 */
export function inspectLedger(
  path: string,
  acked: Map<string, number | null>,
  inFlight: string | null,
): LedgerCheck {
  const check: LedgerCheck = {
    present: 0,
    missing: [],
    duplicated: [],
    seqMismatches: [],
    chainBreak: null,
    gaps: [],
    integrity: 'ok',
    rows: 0,
    inFlightCommitted: false,
  };
  if (acked.size === 0 && !migrated(path)) return check; // killed before the first open finished: nothing sold

  let epoch = 1;
  try {
    const reader = LedgerReader.open(path);
    try {
      epoch = reader.journal.identity()?.epoch ?? epoch;
      check.chainBreak = reader.journal.verify(epoch);
    } finally {
      reader.close();
    }
  } catch (error) {
    check.integrity = `the ledger did not open: ${error instanceof Error ? error.message : String(error)}`;
    check.missing = [...acked.keys()];
    return check;
  }

  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((row) => row.integrity_check)
      .join('; ');
    if (integrity !== 'ok') check.integrity = integrity;

    const find = db.prepare<[string], { seq: number }>('SELECT seq FROM journal WHERE event_id = ?');
    for (const [eventId, ackedSeq] of acked) {
      const rows = find.all(eventId);
      if (rows.length === 0) check.missing.push(eventId);
      else if (rows.length > 1) check.duplicated.push(eventId);
      else {
        check.present++;
        const stored = rows[0]!.seq;
        if (ackedSeq !== null && stored !== ackedSeq) {
          check.seqMismatches.push({ eventId, acknowledged: ackedSeq, stored });
        }
      }
    }
    if (inFlight) check.inFlightCommitted = find.all(inFlight).length > 0;

    const seqs = db
      .prepare<[number], number>('SELECT seq FROM journal WHERE epoch = ? ORDER BY seq')
      .pluck()
      .all(epoch);
    for (let i = 0; i < seqs.length; i++) {
      if (seqs[i] !== i + 1) {
        check.gaps.push({ expected: i + 1, found: seqs[i]! });
        break;
      }
    }
    // Receipt numbers (decision 0017): the epoch's sales count 1, 2, 3… in journal order, none skipped or repeated,
    // whatever the kills interrupted. Reported with the seq gaps, as the count's own positions.
    const numbers = db
      .prepare<[number], string | null>(
        "SELECT json_extract(body, '$.payload.receiptNumber') FROM journal WHERE epoch = ? AND type = 'sale' ORDER BY seq",
      )
      .pluck()
      .all(epoch);
    for (let i = 0; i < numbers.length; i++) {
      const count = numbers[i] ? Number(/-(\d+)$/.exec(numbers[i]!)?.[1]) : Number.NaN;
      if (count !== i + 1) {
        check.gaps.push({ expected: i + 1, found: Number.isNaN(count) ? -1 : count });
        break;
      }
    }
    check.rows = (db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n;
  } finally {
    db.close();
  }
  return check;
}

/** Whether a writer ever finished creating and migrating the file (a kill can land before or during that). */
export function migrated(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('user_version', { simple: true }) as number) >= LATEST_SCHEMA_VERSION;
  } finally {
    db.close();
  }
}

/** The host's restart after the last kill: the writable open recovers the WAL and must succeed. */
export function restart(path: string): string {
  try {
    Ledger.open(path).close();
    return 'ok';
  } catch (error) {
    return `the ledger did not reopen for writing: ${error instanceof Error ? error.message : String(error)}`;
  }
}
