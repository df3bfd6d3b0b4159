import {
  createUuidV7Generator,
  EVENT_VERSIONS,
  type EventType,
  GENESIS_HASH,
  type JournalEvent,
  type SaleEvent,
  type SaleEventV1,
  type SaleEventV2,
  type SalePayloadV1,
  type UnsignedJournalEvent,
} from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import type { TerminalPrincipal } from '../store/store.js';

/** The frozen "now" of server tests, and when their events happened unless a test says otherwise. */
export const FIXED_NOW = new Date('2026-11-25T10:00:00.000Z');
const payload: SalePayloadV1 = sampleSalePayload(250, 500);

/** A terminal's chain of sale events (version 1, as every till wrote them before #13), built as the ledger does. */
export function saleChain(
  terminal: TerminalPrincipal,
  count: number,
  from = { seq: 0, hash: GENESIS_HASH },
  change: (payload: SalePayloadV1) => SalePayloadV1 = (p) => p,
): SaleEventV1[] {
  let tick = 1_764_064_800_000 + from.seq;
  const nextId = createUuidV7Generator(() => tick++);
  const events: SaleEventV1[] = [];
  let previous = from;
  for (let i = 0; i < count; i++) {
    const event: SaleEventV1 = sealEvent({
      schema: 1 as const,
      eventId: nextId(),
      type: 'sale' as const,
      terminalId: terminal.terminalId,
      storeId: terminal.storeId,
      epoch: terminal.epoch,
      seq: previous.seq + 1,
      occurredAt: FIXED_NOW.toISOString(),
      payload: change(payload),
      prevHash: previous.hash,
    });
    events.push(event);
    previous = { seq: event.seq, hash: event.hash };
  }
  return events;
}

/** A terminal's chain of sale events at version 2, recorded in `timeZone`: a till since #13. */
export function zonedSaleChain(
  terminal: TerminalPrincipal,
  count: number,
  timeZone: string,
  from = { seq: 0, hash: GENESIS_HASH },
): SaleEventV2[] {
  return saleChain(terminal, count, from).reduce<SaleEventV2[]>((chain, v1) => {
    const { hash: _, ...unsigned } = v1;
    const previous = chain.at(-1) ?? { hash: from.hash };
    chain.push(
      sealEvent({ ...unsigned, schema: 2, prevHash: previous.hash, payload: { ...v1.payload, timeZone } }),
    );
    return chain;
  }, []);
}

/** A return of `quantity` of a sale's first line (a pen at 2.50), chained after `previous`, sealed like the ledger. */
export function returnEvent(
  terminal: TerminalPrincipal,
  previous: { seq: number; hash: string },
  sale: Pick<SaleEvent, 'eventId' | 'storeId' | 'terminalId'>,
  quantity: number,
): JournalEvent {
  let tick = 1_764_064_900_000 + previous.seq;
  const total = 250 * quantity;
  const tax = Math.round((total * 19) / 119);
  const unsigned: Extract<UnsignedJournalEvent, { type: 'return' }> = {
    schema: 1,
    eventId: createUuidV7Generator(() => tick++)(),
    type: 'return',
    terminalId: terminal.terminalId,
    storeId: terminal.storeId,
    epoch: terminal.epoch,
    seq: previous.seq + 1,
    occurredAt: FIXED_NOW.toISOString(),
    payload: {
      originalSaleId: sale.eventId,
      originalStoreId: sale.storeId,
      originalTerminalId: sale.terminalId,
      currency: 'EUR',
      lines: [
        {
          lineId: 'l1',
          productId: 'pen',
          quantity,
          net: total - tax,
          taxes: [{ code: 'VAT19', amount: tax }],
          total,
        },
      ],
      taxes: [{ code: 'VAT19', amount: tax }],
      total,
      refunds: [{ tenderIndex: 0, kind: 'cash', ref: null, amount: total, paidOut: total }],
      cashRounding: 0,
      reason: 'changed their mind',
      authorization: { kind: 'local-journal' },
    },
    prevHash: previous.hash,
  };
  return sealEvent(unsigned);
}

export interface EventDraft {
  type: string;
  payload: unknown;
  /** The version it declares; the latest of its type (1 for a type the protocol does not know) when left out. */
  schema?: number;
  occurredAt?: string;
}

/**
 * The id `eventChain` gives the event at `seq`; `idSpace` (one hex digit, 0 unless given) keeps two tills' chains
 * apart, since event ids are unique within an org.
 */
export const chainEventId = (seq: number, idSpace = '0') =>
  `019ab8a0-0000-7000-8${idSpace}00-${String(seq).padStart(12, '0')}`;

/** Events sealed the way a till seals them, whatever they hold: the server must judge them, not the test. */
export function eventChain(
  terminal: TerminalPrincipal,
  drafts: EventDraft[],
  from = { seq: 0, hash: GENESIS_HASH },
  idSpace = '0',
): JournalEvent[] {
  let previous = from;
  return drafts.map((draft, index) => {
    const event = sealEvent({
      schema: draft.schema ?? EVENT_VERSIONS[draft.type as EventType]?.latest ?? 1,
      eventId: chainEventId(from.seq + index + 1, idSpace),
      type: draft.type,
      terminalId: terminal.terminalId,
      storeId: terminal.storeId,
      epoch: terminal.epoch,
      seq: previous.seq + 1,
      occurredAt: draft.occurredAt ?? '2026-11-25T10:00:00.000Z',
      payload: draft.payload,
      prevHash: previous.hash,
    } as never) as JournalEvent;
    previous = { seq: event.seq, hash: event.hash };
    return event;
  });
}
