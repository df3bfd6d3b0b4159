import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { JournalEvent, UnsignedJournalEvent } from './event-versions.js';
import { GENESIS_HASH } from './events.js';

/** hash = SHA-256(canonical(event without hash) || prevHash). The previous hash is inside the event too. */
export function hashEvent(event: UnsignedJournalEvent): string {
  return createHash('sha256').update(canonicalJson(event)).update(event.prevHash).digest('hex');
}

export function sealEvent<E extends UnsignedJournalEvent>(event: E): E & { hash: string } {
  return { ...event, hash: hashEvent(event) };
}

export type ChainBreak =
  | { seq: number; eventId: string; reason: 'hash_mismatch'; expected: string; actual: string }
  | { seq: number; eventId: string; reason: 'prev_hash_mismatch'; expected: string; actual: string }
  | { seq: number; eventId: string; reason: 'seq_gap'; expected: number; actual: number };

/**
 * Checks an ordered run of events against the hash and seq before it.
 * Returns the first broken link, or null when the run is intact.
 */
export function findChainBreak(
  events: readonly JournalEvent[],
  previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): ChainBreak | null {
  let { seq, hash } = previous;
  for (const event of events) {
    if (event.seq !== seq + 1) {
      return {
        seq: event.seq,
        eventId: event.eventId,
        reason: 'seq_gap',
        expected: seq + 1,
        actual: event.seq,
      };
    }
    if (event.prevHash !== hash) {
      return {
        seq: event.seq,
        eventId: event.eventId,
        reason: 'prev_hash_mismatch',
        expected: hash,
        actual: event.prevHash,
      };
    }
    const { hash: claimed, ...unsigned } = event;
    const computed = hashEvent(unsigned);
    if (computed !== claimed) {
      return {
        seq: event.seq,
        eventId: event.eventId,
        reason: 'hash_mismatch',
        expected: computed,
        actual: claimed,
      };
    }
    seq = event.seq;
    hash = claimed;
  }
  return null;
}
