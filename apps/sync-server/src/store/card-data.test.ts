import { containsCardNumber } from '@tillwright/commerce';
import type { EventEnvelope } from '@tillwright/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutCardNumbers } from './card-data.js';

const envelope = (payload: unknown, type = 'sale'): EventEnvelope => ({
  schema: 1,
  eventId: '019ab8a0-0000-7000-8000-000000000001',
  type,
  terminalId: 'S1-T01',
  storeId: 'S1',
  epoch: 1,
  seq: 7,
  occurredAt: '2026-11-25T10:00:00.000Z',
  payload,
  prevHash: '4'.repeat(64),
  hash: '5'.repeat(64),
});

/** Every string of a JSON value, keys included. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)]);
  }
  return [];
}

describe('what quarantine keeps', () => {
  it('masks card numbers in the payload, type, time and issues, and keeps ids, place and hashes as sent', () => {
    const sent = envelope({ reason: 'card 4111 1111 1111 1111' }, '5555555555554444');
    const kept = withoutCardNumbers({
      envelope: sent,
      issues: ['payload: Unrecognized key: "6011000990139424"'],
    });
    expect(kept.envelope).toEqual({
      ...sent,
      type: '************4444',
      payload: { reason: 'card **** **** **** 1111' },
    });
    expect(kept.issues).toEqual(['payload: Unrecognized key: "************9424"']);
  });

  it('leaves no card number in any string of any payload, and changes nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string(), (payload, type) => {
        const sent = envelope({ note: 'pan 5105 1051 0510 5100', payload }, type);
        const kept = withoutCardNumbers({ envelope: sent, issues: [] }).envelope;
        expect(strings(kept.payload).filter(containsCardNumber)).toEqual([]);
        expect(containsCardNumber(kept.type)).toBe(false);
        const { payload: _payload, type: _type, ...place } = kept;
        const { payload: _sentPayload, type: _sentType, ...sentPlace } = sent;
        expect(place).toEqual(sentPlace);
      }),
      { seed: 20_261_125, numRuns: 300 },
    );
  });
});
