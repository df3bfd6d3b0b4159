import { describe, expect, it } from 'vitest';
import { sealEvent } from './chain.js';
import { payloadForVersion, readJournalEvent, upcastPayload, versionToWrite } from './event-versions.js';
import { GENESIS_HASH, PAYLOAD_TEXT_FIELDS } from './events.js';
import { DowncastError } from './payload-casts.js';
import {
  DenominationCounts,
  denominationTotal,
  ShiftClosePayloadV3,
  ShiftOpenPayloadV3,
} from './shift-payloads.js';
import { samplePayloads } from './testing.js';

const SHIFT = '019ab8a0-0000-7000-8000-000000005401';

function event(type: string, schema: number, payload: unknown) {
  return sealEvent({
    schema,
    eventId: '019ab8a0-0000-7000-8000-000000005409',
    type,
    terminalId: 'T1',
    storeId: 'S1',
    epoch: 1,
    seq: 1,
    occurredAt: '2026-12-06T08:00:00.000Z',
    payload,
    prevHash: GENESIS_HASH,
  } as never);
}

describe('denomination counts', () => {
  it('total Σ value × count exactly, and say so when that is beyond a safe integer', () => {
    expect(
      denominationTotal([
        { value: 2000, count: 3 },
        { value: 5, count: 7 },
      ]),
    ).toBe(6035);
    expect(denominationTotal([])).toBe(0);
    expect(denominationTotal([{ value: Number.MAX_SAFE_INTEGER, count: 2 }])).toBeNull();
  });

  it('refuse a value twice, a negative, fractional or huge count, a zero value and more than 40 lines', () => {
    for (const bad of [
      [
        { value: 100, count: 1 },
        { value: 100, count: 2 },
      ],
      [{ value: 100, count: -1 }],
      [{ value: 100, count: 1.5 }],
      [{ value: 100, count: 100_001 }],
      [{ value: 0, count: 1 }],
      [{ value: 100, count: 1, kind: 'note' }],
      Array.from({ length: 41 }, (_, i) => ({ value: i + 1, count: 0 })),
    ]) {
      expect(DenominationCounts.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
  });
});

describe('shift open v3', () => {
  const open = samplePayloads()['shift-open'];

  it('holds the float count to the opening float', () => {
    expect(ShiftOpenPayloadV3.safeParse(open).success).toBe(true);
    const off = { ...open, openingFloat: open.openingFloat + 1 };
    expect(readJournalEvent(event('shift-open', 3, off))).toMatchObject({
      ok: false,
      code: 'event_invalid',
      issues: ['payload.floatCount: the float count must add up to openingFloat'],
    });
    // A count of nothing is a float of 0.
    expect(ShiftOpenPayloadV3.safeParse({ ...open, openingFloat: 0, floatCount: [] }).success).toBe(true);
  });

  it('reads a v2 open with no count and no approval, and writes v2 without them', () => {
    const { floatCount: _, approvalId: _id, ...v2 } = open;
    expect(upcastPayload('shift-open', 2, v2).payload).toEqual({ ...v2, floatCount: null, approvalId: null });
    expect(payloadForVersion('shift-open', 2, open)).toEqual(v2);
    expect(payloadForVersion('shift-open', 1, open)).toEqual({
      shiftId: SHIFT,
      staffId: 'staff-1',
      currency: 'EUR',
      openingFloat: 10_000,
    });
    expect(readJournalEvent(event('shift-open', 2, open)).ok).toBe(false);
  });
});

describe('shift close v3', () => {
  const close = samplePayloads()['shift-close'];

  it('holds the cash count to the one cash entry of counted', () => {
    expect(ShiftClosePayloadV3.safeParse(close).success).toBe(true);
    const withCounted = (counted: typeof close.counted) =>
      ShiftClosePayloadV3.safeParse({ ...close, counted });
    expect(withCounted([{ kind: 'cash', amount: 9_999 }]).success).toBe(false);
    expect(withCounted([{ kind: 'card', amount: 10_000 }]).success).toBe(false);
    expect(
      withCounted([
        { kind: 'cash', amount: 5_000 },
        { kind: 'cash', amount: 5_000 },
      ]).success,
    ).toBe(false);
    expect(
      ShiftClosePayloadV3.safeParse({
        ...close,
        counted: [
          { kind: 'cash', amount: 10_000 },
          { kind: 'card', amount: 3 },
        ],
        overShort: [
          { kind: 'cash', amount: 0 },
          { kind: 'card', amount: 3 },
        ],
      }).success,
    ).toBe(true);
    // Without a count by denomination (an upcast v2 close) counted stands alone.
    expect(
      ShiftClosePayloadV3.safeParse({
        ...close,
        cashCount: null,
        counted: [],
        overShort: [{ kind: 'cash', amount: -10_000 }],
      }).success,
    ).toBe(true);
  });

  it('holds over/short to counted − expected for every tender, a tender missing from a list being 0', () => {
    const valid = {
      ...close,
      expected: [
        { kind: 'cash', amount: 10_000 },
        { kind: 'card', amount: 2_500 },
      ],
      counted: [{ kind: 'cash', amount: 10_000 }],
      overShort: [
        { kind: 'cash', amount: 0 },
        { kind: 'card', amount: -2_500 },
      ],
    } as const;
    expect(ShiftClosePayloadV3.safeParse(valid).success).toBe(true);
    // An exact tender may be left out of overShort: 0.
    expect(ShiftClosePayloadV3.safeParse({ ...valid, overShort: [valid.overShort[1]] }).success).toBe(true);
    for (const overShort of [
      [{ kind: 'cash', amount: 500 }, valid.overShort[1]], // the till says over, the figures say exact
      [valid.overShort[0]], // the card shortage left out
      [valid.overShort[0], { kind: 'card', amount: 2_500 }], // the wrong sign
      [...valid.overShort, { kind: 'gift-card', amount: 0 }], // a tender neither counted nor expected
      [...valid.overShort, { kind: 'card', amount: 0 }], // a tender twice
    ]) {
      const parsed = ShiftClosePayloadV3.safeParse({ ...valid, overShort });
      expect(parsed.success, JSON.stringify(overShort)).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['overShort']);
    }
  });

  it('reads a v2 close as not blind, with no count and no approval, and writes v2 without them', () => {
    const { cashCount: _, blind: _blind, approvalId: _id, ...v2 } = close;
    expect(upcastPayload('shift-close', 2, v2).payload).toEqual({
      ...v2,
      cashCount: null,
      blind: false,
      approvalId: null,
    });
    expect(payloadForVersion('shift-close', 2, close)).toEqual(v2);
  });
});

describe('the shift on a sale, void and no-sale', () => {
  it('is null on one read from an older version, and dropped when written at one', () => {
    const samples = samplePayloads();
    for (const type of ['sale', 'void', 'no-sale'] as const) {
      const latest = samples[type];
      expect(latest.shiftId, type).toBe(SHIFT);
      const older = payloadForVersion(type, (type === 'sale' ? 4 : 3) - 1, latest as never);
      expect('shiftId' in (older as object), type).toBe(false);
      // What the version with the shift keeps of the latest (a sale's v4 has no v6 line details or store), unlinked.
      const withShift = payloadForVersion(type, type === 'sale' ? 4 : 3, latest as never);
      expect(upcastPayload(type, type === 'sale' ? 3 : 2, older).payload, type).toEqual({
        ...upcastPayload(type, type === 'sale' ? 4 : 3, withShift).payload,
        shiftId: null,
      });
    }
  });

  it('must be a UUIDv7 or null, and is an identifier, never scanned as free text', () => {
    const sale = { ...samplePayloads().sale, shiftId: 'shift-1' };
    expect(readJournalEvent(event('sale', 4, sale)).ok).toBe(false);
    expect(PAYLOAD_TEXT_FIELDS.sale.identifiers).toContain('shiftId');
    expect(PAYLOAD_TEXT_FIELDS['no-sale'].identifiers).toContain('shiftId');
  });
});

describe('training', () => {
  it('journals a training sale as a sale payload under its own type, with the sale text fields', () => {
    const training = samplePayloads()['training-sale'];
    const v2 = payloadForVersion('training-sale', 2, training);
    const { receiptNumber: _, ...v1 } = v2 as typeof v2 & { receiptNumber: string | null };
    const read = readJournalEvent(event('training-sale', 1, v1));
    // v1 read as the latest: the number its receipt printed, from its place in the journal.
    expect(read.ok && read.latest).toMatchObject({
      type: 'training-sale',
      schema: 3,
      payload: { shiftId: null, receiptNumber: expect.stringMatching(/-\d{6}$/) },
    });
    expect(PAYLOAD_TEXT_FIELDS['training-sale']).toBe(PAYLOAD_TEXT_FIELDS.sale);
    const numbered = { ...training, receiptNumber: 'TRN-T1-1-000001' };
    expect(readJournalEvent(event('training-sale', 3, numbered))).toMatchObject({
      ok: true,
      latest: { payload: { receiptNumber: 'TRN-T1-1-000001' } },
    });
    expect(readJournalEvent(event('training-sale', 4, numbered))).toMatchObject({
      code: 'event_version_unsupported',
    });
  });

  it('records who turned training mode on or off', () => {
    const mode = samplePayloads()['training-mode'];
    expect(readJournalEvent(event('training-mode', 1, mode)).ok).toBe(true);
    expect(readJournalEvent(event('training-mode', 1, { ...mode, employeeId: null })).ok).toBe(false);
    expect(readJournalEvent(event('training-mode', 1, { ...mode, on: 'yes' })).ok).toBe(false);
  });

  it('is written only to a server that announced it, like the employee events', () => {
    for (const type of ['training-sale', 'training-mode'] as const) {
      expect(versionToWrite(type, null), type).toBeNull();
      expect(versionToWrite(type, { sale: [1, 2, 3, 4] }), type).toBeNull();
      expect(versionToWrite(type, { [type]: [1] }), type).toBe(1);
    }
  });
});

describe('manager approval v3', () => {
  it('approves opening and closing a shift and training mode, which v2 cannot say', () => {
    const approval = samplePayloads()['manager-approval'];
    for (const action of ['shift-open', 'shift-close', 'training-mode'] as const) {
      const v3 = { ...approval, action, permission: 'shiftOpen' as const };
      expect(readJournalEvent(event('manager-approval', 3, v3)).ok, action).toBe(true);
      expect(readJournalEvent(event('manager-approval', 2, v3)).ok, action).toBe(false);
      expect(() => payloadForVersion('manager-approval', 2, v3)).toThrow(DowncastError);
    }
    expect(payloadForVersion('manager-approval', 2, approval)).toEqual(approval);
    expect(versionToWrite('manager-approval', { 'manager-approval': [1, 2] })).toBe(2);
    expect(versionToWrite('manager-approval', { 'manager-approval': [1, 2, 3] })).toBe(3);
  });
});
