import type { EventEnvelope, JournalEvent } from '@tillwright/protocol';

/**
 * Event identity (decision 0008). An event is the terminal that wrote it and its id. Ids are minted on the till as
 * UUIDv7 and printed on receipts, so another org can learn one before the sale reaches the server: an id is unique
 * within an org only (`UNIQUE (org_id, event_id)`), and every lookup by id is scoped to the caller's org, and to a
 * terminal where the caller names one.
 */

/**
 * Why a well-formed event cannot be stored under its id: another stored event of the org holds it (`holder` is
 * that event's terminal). Within an org a reused id is never an accident (a cloned till, or a forged event), so
 * the event goes to quarantine with the reason and HQ gets an alert; the stored event stays.
 */
export function idReused(envelope: EventEnvelope, holder: string) {
  const whose = holder === envelope.terminalId ? `terminal ${holder} (this terminal)` : `terminal ${holder}`;
  return {
    issue: `eventId: already used in this org by ${whose}; the stored event stays`,
    alert:
      `event ${envelope.eventId} (seq ${envelope.seq}, epoch ${envelope.epoch}) reuses the id of a stored event of ` +
      `${whose} and was quarantined. A till mints each id once: look for a cloned till or a forged event.`,
  };
}

type ReturnEvent = Extract<JournalEvent, { type: 'return' }>;

/**
 * The returns, among stored returns of the org naming the sale's id, that are returns of this sale: those naming
 * the terminal that wrote it too. A return naming another terminal is of another sale under the same id (one that
 * is in quarantine), and must not count against this one.
 */
export function returnsOfSale(saleBody: string, returnBodies: readonly string[]): ReturnEvent[] {
  const sale = JSON.parse(saleBody) as JournalEvent;
  return returnBodies
    .map((body) => JSON.parse(body) as ReturnEvent)
    .filter((ret) => ret.payload.originalTerminalId === sale.terminalId);
}
