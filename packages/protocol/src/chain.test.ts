import { describe, expect, it } from 'vitest';
import { findChainBreak, sealEvent } from './chain.js';
import { type JournalEvent, JournalEvent as JournalEventSchema } from './event-versions.js';
import { GENESIS_HASH, type SalePayloadV1 } from './events.js';
import { createUuidV7Generator } from './ids.js';
import { sampleSalePayload } from './testing.js';

const nextId = createUuidV7Generator(
  () => 1_764_000_000_000,
  (b) => b.fill(7),
);

function chain(length: number): JournalEvent[] {
  const events: JournalEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const event = sealEvent({
      schema: 1,
      eventId: nextId(),
      type: 'sale',
      terminalId: 'T1',
      storeId: 'S1',
      epoch: 1,
      seq,
      occurredAt: '2026-11-25T10:00:00.000Z',
      prevHash,
      payload: sampleSalePayload(),
    });
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

describe('hash chain', () => {
  it('produces events that satisfy the wire schema and verify', () => {
    const events = chain(3);
    for (const event of events) expect(JournalEventSchema.parse(event)).toEqual(event);
    expect(findChainBreak(events)).toBeNull();
  });

  it('names the first event whose content was altered', () => {
    const events = chain(4);
    const tampered = structuredClone(events);
    (tampered[2]!.payload as SalePayloadV1).total = 1;
    expect(findChainBreak(tampered)).toMatchObject({ seq: 3, reason: 'hash_mismatch' });
  });

  it('names a removed event as a seq gap and a reordered one as a broken link', () => {
    const events = chain(4);
    expect(findChainBreak([events[0]!, events[2]!])).toMatchObject({
      seq: 3,
      reason: 'seq_gap',
      expected: 2,
    });
    const relinked = { ...events[1]!, prevHash: GENESIS_HASH };
    expect(findChainBreak([events[0]!, relinked])).toMatchObject({ seq: 2, reason: 'prev_hash_mismatch' });
  });

  it('continues from a known previous link', () => {
    const events = chain(3);
    expect(findChainBreak(events.slice(1), { seq: 1, hash: events[0]!.hash })).toBeNull();
  });
});
