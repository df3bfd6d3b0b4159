import { createHash } from 'node:crypto';
import { containsCardNumber } from '@tillwright/commerce';
import {
  canonicalJson,
  EVENT_VERSIONS,
  type EventType,
  freeTextOf,
  GENESIS_HASH,
  type JournalEvent,
  type LatestJournalEvent,
  payloadSchema,
  SAFE_EVENT_VERSION,
  type UnsignedJournalEvent,
  upcastJournalEvent,
  type WrittenPayloadOf,
} from '@tillwright/protocol';
import { type ChainBreak, findChainBreak, sealEvent } from '@tillwright/protocol/chain';
import type Database from 'better-sqlite3';
import { LedgerError } from './errors.js';
import { PayRequests } from './pay-requests.js';
import { isNumberedSale, ReceiptNumbers } from './receipt-numbers.js';

export interface TerminalIdentity {
  orgId: string;
  storeId: string;
  terminalId: string;
  epoch: number;
}

/**
 * What the caller decides, the payload version (`schema`) included: the journal adds identity, seq and the chain
 * link inside the transaction. Without `schema`, version 1, which every server accepts; the till host writes the
 * newest version its server announced (docs/protocol.md, "Versions").
 */
export type EventDraft = {
  [T in EventType]: {
    eventId: string;
    type: T;
    occurredAt: string;
    schema?: number;
    payload: WrittenPayloadOf<T>;
  };
}[EventType];

/**
 * A journal row's body as the latest version of its type: the in-memory view readers work with. The body itself,
 * as written, stays what is hashed and sent; the ledger validated it when it recorded it.
 */
export function readStoredEvent(body: string): LatestJournalEvent {
  return upcastJournalEvent(JSON.parse(body) as JournalEvent);
}

export interface RecordResult {
  event: JournalEvent;
  /** False when this event id was already recorded with the same content: a retry, not a new fact. */
  created: boolean;
}

interface JournalRow {
  seq: number;
  body: string;
  hash: string;
  content_digest: string;
}

/** Reads of the journal; works on a read-only handle. */
export class JournalReader {
  protected readonly byEventId: Database.Statement<[string], JournalRow>;
  protected readonly last: Database.Statement<[number], { seq: number; hash: string }>;
  private readonly identityQuery: Database.Statement<[], TerminalIdentity>;

  constructor(protected readonly db: Database.Database) {
    this.byEventId = db.prepare('SELECT seq, body, hash, content_digest FROM journal WHERE event_id = ?');
    this.last = db.prepare('SELECT seq, hash FROM journal WHERE epoch = ? ORDER BY seq DESC LIMIT 1');
    this.identityQuery = db.prepare(
      'SELECT org_id AS orgId, store_id AS storeId, terminal_id AS terminalId, epoch FROM terminal_identity',
    );
  }

  identity(): TerminalIdentity | null {
    return this.identityQuery.get() ?? null;
  }

  /** The event as written (any version): what was hashed and is sent. */
  get(eventId: string): JournalEvent | null {
    const row = this.byEventId.get(eventId);
    return row ? (JSON.parse(row.body) as JournalEvent) : null;
  }

  /** The event as the latest version of its type (upcast in memory; see `readStoredEvent`). */
  read(eventId: string): LatestJournalEvent | null {
    const row = this.byEventId.get(eventId);
    return row ? readStoredEvent(row.body) : null;
  }

  bySeq(epoch: number, seq: number): JournalEvent | null {
    const row = this.db.prepare('SELECT body FROM journal WHERE epoch = ? AND seq = ?').get(epoch, seq) as
      | { body: string }
      | undefined;
    return row ? (JSON.parse(row.body) as JournalEvent) : null;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n;
  }

  lastSeq(epoch: number): number {
    return this.last.get(epoch)?.seq ?? 0;
  }

  /** Re-reads the whole chain of an epoch, in pages, and names the first broken link, or null when intact. */
  verify(epoch: number): ChainBreak | null {
    const page = this.db.prepare(
      'SELECT body FROM journal WHERE epoch = ? AND seq > ? ORDER BY seq LIMIT 1000',
    );
    let previous = { seq: 0, hash: GENESIS_HASH };
    for (;;) {
      const rows = page.all(epoch, previous.seq) as { body: string }[];
      if (rows.length === 0) return null;
      const events = rows.map((row) => JSON.parse(row.body) as JournalEvent);
      const broken = findChainBreak(events, previous);
      if (broken) return broken;
      const tail = events.at(-1)!;
      previous = { seq: tail.seq, hash: tail.hash };
    }
  }
}

/** The append-only, hash-chained journal. One writer; every record is one SQLite transaction. */
export class Journal extends JournalReader {
  private readonly insert: Database.Statement<[number, number, string, string, string, string, string]>;
  private readonly receiptNumbers: ReceiptNumbers;
  private readonly payRequests: PayRequests;

  constructor(db: Database.Database) {
    super(db);
    this.receiptNumbers = new ReceiptNumbers(db);
    this.payRequests = new PayRequests(db);
    this.insert = db.prepare(
      'INSERT INTO journal (epoch, seq, event_id, type, content_digest, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** The digest of the Pay request the sale under this id was recorded for; null when it was recorded without one. */
  payRequestDigest(saleId: string): string | null {
    return this.payRequests.digest(saleId);
  }

  setIdentity(identity: TerminalIdentity): void {
    this.db.transaction(() => this.writeIdentity(identity))();
  }

  /**
   * Events of the current epoch the server has not acknowledged, but for those of the types in `except`: what a new
   * epoch would strand.
   */
  unsent(except: readonly EventType[] = []): number {
    const identity = this.identity();
    if (!identity) return 0;
    const cursor = this.db.prepare('SELECT epoch, acked_seq FROM sync_cursor WHERE singleton = 1').get() as
      | { epoch: number; acked_seq: number }
      | undefined;
    const acked = cursor?.epoch === identity.epoch ? cursor.acked_seq : 0;
    const row = this.db
      .prepare(
        `SELECT count(*) AS n FROM journal WHERE epoch = ? AND seq > ?
           AND type NOT IN (SELECT value FROM json_each(?))`,
      )
      .get(identity.epoch, acked, JSON.stringify(except)) as { n: number };
    return row.n;
  }

  /**
   * Moves the terminal to a new epoch (after its database was restored from a backup, or when IT re-enrols it): new
   * events start again at seq 1, and whatever of the old epoch the server has not acknowledged will never be sent.
   * So it is refused while such events exist (but for those of the types in `mayLeave`, which the caller accepts to
   * keep on this till only), checked in the same transaction as the switch: no sale slips between.
   */
  startEpoch(epoch: number, { mayLeave = [] }: { mayLeave?: readonly EventType[] } = {}): void {
    this.db.transaction(() => {
      const identity = this.identity();
      if (!identity) throw new LedgerError('not_enrolled', 'this terminal is not enrolled yet', false);
      if (epoch <= identity.epoch) {
        throw new LedgerError(
          'conflict',
          `epoch ${epoch} is not after the current epoch ${identity.epoch}`,
          false,
          {
            epoch,
            current: identity.epoch,
          },
        );
      }
      const pending = this.unsent(mayLeave);
      if (pending > 0) {
        throw new LedgerError(
          'unsynced_events',
          `${pending} events of epoch ${identity.epoch} have not reached the server; a new epoch would strand them`,
          false,
          { pending, epoch: identity.epoch },
        );
      }
      this.writeIdentity({ ...identity, epoch });
    })();
  }

  private writeIdentity(identity: TerminalIdentity): void {
    this.db
      .prepare(
        `INSERT INTO terminal_identity (singleton, org_id, store_id, terminal_id, epoch) VALUES (1, ?, ?, ?, ?)
           ON CONFLICT (singleton) DO UPDATE SET org_id = excluded.org_id, store_id = excluded.store_id,
             terminal_id = excluded.terminal_id, epoch = excluded.epoch`,
      )
      .run(identity.orgId, identity.storeId, identity.terminalId, identity.epoch);
    this.db
      .prepare(
        `INSERT INTO sync_cursor (singleton, epoch, acked_seq, acked_hash) VALUES (1, ?, 0, ?)
           ON CONFLICT (singleton) DO UPDATE SET epoch = excluded.epoch, acked_seq = 0, acked_hash = excluded.acked_hash
           WHERE sync_cursor.epoch <> excluded.epoch`,
      )
      .run(identity.epoch, GENESIS_HASH);
  }

  /**
   * Records an event exactly once. The payload is validated against its type's schema first, and refused if it is
   * of a version that records the employee and names none (`employee_missing`), or if a free-text field holds a
   * card number; the same event id with the same content returns the original entry; with
   * different content it is a conflict. A refusal writes nothing. `requestDigest`, the digest of the Pay request a
   * sale answers, is kept with a new event in the same transaction (`payRequestDigest` reads it back).
   */
  record(draft: EventDraft, { requestDigest }: { requestDigest?: string } = {}): RecordResult {
    const version = draft.schema ?? SAFE_EVENT_VERSION;
    const schema = payloadSchema(draft.type, version);
    if (schema === null) {
      throw new LedgerError(
        'invalid_event',
        `${draft.type} version ${version} is not known to this till (1 to ${EVENT_VERSIONS[draft.type].latest}); nothing was recorded`,
        false,
        { eventId: draft.eventId, schema: version },
      );
    }
    // Before the schema: a version that requires the employee (a manager approval v2) would otherwise call it merely
    // invalid, where the till needs to be told to sign someone in.
    refuseWithoutEmployee(draft, version);
    const checked = schema.safeParse(draft.payload);
    if (!checked.success) {
      throw new LedgerError(
        'invalid_event',
        `the ${draft.type} event is not valid; nothing was recorded`,
        false,
        {
          eventId: draft.eventId,
          issues: checked.error.issues.slice(0, 10).map((i) => `${i.path.join('.')}: ${i.message}`),
        },
      );
    }
    refuseCardNumbers(draft);
    const numbered = isNumberedSale(draft.type, version);
    if (numbered && (draft.payload as unknown as { receiptNumber: string | null }).receiptNumber !== null) {
      throw new LedgerError(
        'invalid_event',
        `the ${draft.type} names its own receipt number; the ledger assigns it, so hand it null. Nothing was recorded`,
        false,
        { eventId: draft.eventId },
      );
    }
    // Over the draft as handed over (number null): a retried Pay is the same sale whatever number it was given.
    const digest = contentDigest(draft);
    try {
      return this.db.transaction((): RecordResult => {
        const existing = this.byEventId.get(draft.eventId);
        if (existing) {
          if (existing.content_digest !== digest) {
            throw new LedgerError(
              'conflict',
              `event ${draft.eventId} was already recorded with different content; a correction must be a new event`,
              false,
              { eventId: draft.eventId, seq: existing.seq },
            );
          }
          return { event: JSON.parse(existing.body) as JournalEvent, created: false };
        }
        const identity = this.identity();
        if (!identity) {
          throw new LedgerError(
            'not_enrolled',
            'this terminal is not enrolled yet; enrol it before selling',
            true,
          );
        }
        const previous = this.last.get(identity.epoch) ?? { seq: 0, hash: GENESIS_HASH };
        const unsigned = {
          schema: version,
          eventId: draft.eventId,
          type: draft.type,
          terminalId: identity.terminalId,
          storeId: identity.storeId,
          epoch: identity.epoch,
          seq: previous.seq + 1,
          occurredAt: draft.occurredAt,
          payload: numbered
            ? { ...draft.payload, receiptNumber: this.receiptNumbers.next(draft.type, identity) }
            : draft.payload,
          prevHash: previous.hash,
        } as UnsignedJournalEvent;
        const event = sealEvent(unsigned);
        this.insert.run(
          event.epoch,
          event.seq,
          event.eventId,
          event.type,
          digest,
          canonicalJson(event),
          event.hash,
        );
        if (requestDigest !== undefined) this.payRequests.record(event.eventId, requestDigest);
        return { event, created: true };
      })();
    } catch (cause) {
      if (cause instanceof LedgerError) throw cause;
      throw new LedgerError(
        'write_failed',
        `the ${draft.type} could not be saved (${cause instanceof Error ? cause.message : String(cause)}); nothing was recorded`,
        true,
        { eventId: draft.eventId, sqliteCode: (cause as { code?: string }).code ?? null },
        { cause },
      );
    }
  }
}

/**
 * Nothing new is written without the employee who did it: a version that records the employee (`employeeId`) is
 * refused when it names nobody. Null is only what an event from before employees reads as when upcast; a version
 * from before employees (for a server that takes nothing newer) has no such field and is recorded as it is.
 */
function refuseWithoutEmployee(draft: EventDraft, version: number): void {
  if ((draft.payload as { employeeId?: string | null } | null)?.employeeId !== null) return;
  throw new LedgerError(
    'employee_missing',
    `the ${draft.type} was not recorded: ${draft.type} version ${version} records the employee who did it, and ` +
      'it names nobody; sign an employee in first',
    false,
    { eventId: draft.eventId, schema: version },
  );
}

/** No card data at rest: a card number in free text is refused before anything is written (docs/security.md). */
function refuseCardNumbers(draft: EventDraft): void {
  const fields = freeTextOf(draft.type, draft.payload)
    .filter((field) => containsCardNumber(field.text))
    .map((field) => field.path);
  if (fields.length === 0) return;
  throw new LedgerError(
    'card_data_refused',
    `the ${draft.type} was not recorded: ${fields.join(', ')} ` +
      `${fields.length === 1 ? 'looks like it holds' : 'look like they hold'} a card number, and card numbers are ` +
      'never kept; remove it and try again',
    false,
    { eventId: draft.eventId, fields },
  );
}

/**
 * Identifies what the caller asked to record, independent of where the journal placed it and of when a retry
 * was sent: a retried "Pay" a second later is still the same sale. The version is left out, as it always was (rows
 * recorded before versions keep their digest): two versions of one type differ in their payloads anyway.
 */
function contentDigest(draft: EventDraft): string {
  return createHash('sha256')
    .update(canonicalJson({ type: draft.type, payload: draft.payload }))
    .digest('hex');
}
