import type { EventDraft, Ledger, RecordResult } from '@tillwright/ledger';
import {
  createUuidV7Generator,
  type EventType,
  type JournalEvent,
  type PayloadOf,
  payloadForVersion,
  versionToWrite,
} from '@tillwright/protocol';

export interface JournalWriterDeps {
  ledger: Ledger;
  now: () => Date;
  /** Event ids (UUIDv7); default a generator on the host's clock. */
  newId?: () => string;
  /** A new event is in the journal: the sync loop may send it now. */
  onCommitted: (event: JournalEvent) => void;
}

/**
 * Writes the till's events at the version its server takes (docs/protocol.md, "Versions"): each payload is built in
 * its type's latest shape and lowered with `payloadForVersion` to the newest version both sides know
 * (`versionToWrite`, from what the server last announced). A type the server never announced that is written only
 * to a server that did (the employee events) is not written at all: `write` answers null.
 */
export class JournalWriter {
  private readonly newId: () => string;

  constructor(private readonly deps: JournalWriterDeps) {
    this.newId = deps.newId ?? createUuidV7Generator(() => deps.now().getTime());
  }

  /** A fresh event id, for an event whose id must be known before it is written (an approval's). */
  id(): string {
    return this.newId();
  }

  /** The version of `type` this till writes now, or null when its server would not take the type. */
  version(type: EventType): number | null {
    return versionToWrite(type, this.deps.ledger.serverContact.versions()?.events ?? null);
  }

  /**
   * Records an event given in the latest shape of its type, under `eventId` (default a fresh one) at `at` (default
   * now); null when the server takes no version of the type. `requestDigest` (a sale's Pay request) is kept with it
   * in the same transaction.
   */
  write<T extends EventType>(
    type: T,
    payload: PayloadOf<T>,
    {
      eventId = this.newId(),
      at = this.deps.now(),
      requestDigest,
    }: { eventId?: string; at?: Date; requestDigest?: string } = {},
  ): RecordResult | null {
    const version = this.version(type);
    if (version === null) return null;
    const result = this.deps.ledger.journal.record(
      {
        eventId,
        type,
        occurredAt: at.toISOString(),
        schema: version,
        payload: payloadForVersion(type, version, payload),
      } as EventDraft,
      requestDigest === undefined ? {} : { requestDigest },
    );
    if (result.created) this.deps.onCommitted(result.event);
    return result;
  }
}
