import { describe, expect, it } from 'vitest';
import { ManagerApprovalPayload } from './business-payloads.js';
import { hashEvent, sealEvent } from './chain.js';
import {
  EVENT_VERSIONS,
  type JournalEvent,
  KNOWN_EVENT_VERSIONS,
  readJournalEvent,
  upcastJournalEvent,
  versionToWrite,
} from './event-versions.js';
import {
  EVENT_PAYLOADS,
  type EventType,
  GENESIS_HASH,
  receiptCount,
  receiptNumber,
  saleNumber,
} from './events.js';
import { createUuidV7Generator } from './ids.js';
import { isIanaTimeZone } from './primitives.js';
import { sampleSalePayload } from './testing.js';

const nextId = createUuidV7Generator(
  () => 1_764_000_000_000,
  (b) => b.fill(9),
);

function sale(schema: 1 | 2 | 4 | 5, extra: Record<string, unknown> = {}): JournalEvent {
  return sealEvent({
    schema,
    eventId: nextId(),
    type: 'sale',
    terminalId: 'T1',
    storeId: 'S1',
    epoch: 1,
    seq: 1,
    occurredAt: '2026-03-29T00:30:00.000Z',
    payload: { ...sampleSalePayload(), ...extra },
    prevHash: GENESIS_HASH,
  } as never) as JournalEvent;
}

describe('event versions', () => {
  it('know every version of every type, each latest version being the payload readers get', () => {
    expect(KNOWN_EVENT_VERSIONS.sale).toEqual([1, 2, 3, 4, 5, 6]);
    for (const type of Object.keys(EVENT_PAYLOADS) as EventType[]) {
      const versions = EVENT_VERSIONS[type];
      // But for a manager approval: a v1 one reads with nobody asking, which v2 must name.
      expect(EVENT_PAYLOADS[type]).toBe(
        type === 'manager-approval' ? ManagerApprovalPayload : versions.versions[versions.latest as 1],
      );
      expect(KNOWN_EVENT_VERSIONS[type]).toContain(1);
    }
  });

  it('read a sale v1 as the latest version, in UTC and by nobody, leaving the event as written (and its hash) untouched', () => {
    const v1 = sale(1);
    const before = JSON.stringify(v1);
    const read = readJournalEvent(v1);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.written).toEqual(v1);
    expect(read.latest.schema).toBe(6);
    expect(read.latest.type === 'sale' && read.latest.payload.timeZone).toBe('UTC');
    // The number its receipt printed: from its place in the journal.
    expect(read.latest.type === 'sale' && read.latest.payload.receiptNumber).toBe('T1-1-000001');
    expect(read.latest.type === 'sale' && read.latest.payload.employeeId).toBeNull();
    expect(read.latest.type === 'sale' && read.latest.payload.shiftId).toBeNull();
    expect(JSON.stringify(v1)).toBe(before);
    const { hash, ...unsigned } = v1;
    expect(hashEvent(unsigned)).toBe(hash);
  });

  it('read a sale v2 as it is, with its zone', () => {
    const read = readJournalEvent(sale(2, { timeZone: 'America/New_York' }));
    expect(read.ok && read.latest.type === 'sale' && read.latest.payload.timeZone).toBe('America/New_York');
  });

  it('hold each version to its own schema: no zone in v1, a zone required in v2, an IANA name only', () => {
    expect(readJournalEvent(sale(1, { timeZone: 'UTC' }))).toMatchObject({
      ok: false,
      code: 'event_invalid',
    });
    expect(readJournalEvent(sale(2))).toMatchObject({ ok: false, code: 'event_invalid' });
    expect(readJournalEvent(sale(2, { timeZone: 'Mars/Olympus' }))).toMatchObject({ ok: false });
  });

  it('tell an unknown type and a version newer than the reader apart from an invalid event', () => {
    expect(readJournalEvent({ ...sale(2, { timeZone: 'UTC' }), schema: 7 })).toMatchObject({
      ok: false,
      code: 'event_version_unsupported',
    });
    expect(readJournalEvent({ ...sale(1), type: 'layaway' })).toMatchObject({
      ok: false,
      code: 'event_type_unknown',
    });
    expect(readJournalEvent(null)).toMatchObject({ ok: false, code: 'event_type_unknown' });
  });

  it('upcast a stored event without validating it again', () => {
    const latest = upcastJournalEvent(sale(1));
    expect(latest).toMatchObject({
      schema: 6,
      payload: {
        timeZone: 'UTC',
        employeeId: null,
        shiftId: null,
        receiptNumber: 'T1-1-000001',
        store: null,
      },
    });
    expect(latest.type === 'sale' && latest.payload.lines[0]).toMatchObject({
      kind: 'product',
      measure: null,
      priceEntered: false,
      overrideReason: null,
      ageCheck: null,
    });
    expect(() => upcastJournalEvent({ ...sale(1), schema: 8 } as never)).toThrow(RangeError);
  });
});

describe('the version a till writes', () => {
  it('is v1 until the server has said what it accepts', () => {
    expect(versionToWrite('sale', null)).toBe(1);
  });

  it('is the newest version both the till and the server know', () => {
    expect(versionToWrite('sale', { sale: [1, 2] })).toBe(2);
    expect(versionToWrite('sale', { sale: [1] })).toBe(1);
    expect(versionToWrite('sale', { sale: [1, 2, 3] })).toBe(3);
    expect(versionToWrite('sale', { sale: [1, 2, 3] })).toBe(3);
    expect(versionToWrite('sale', { sale: [1, 2, 3, 4] })).toBe(4);
    expect(versionToWrite('sale', { sale: [1, 2, 3, 4, 5] })).toBe(5);
    expect(versionToWrite('sale', { sale: [1, 2, 3, 4, 5, 6, 7] })).toBe(6);
    expect(versionToWrite('return', { sale: [1, 2] })).toBe(1);
  });
});

describe('IANA time zones', () => {
  it('accept the database names as spelt, and UTC', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Kolkata', 'Etc/UTC']) {
      expect(isIanaTimeZone(zone), zone).toBe(true);
    }
  });

  it('refuse other spellings, offsets and made-up names', () => {
    for (const zone of ['europe/berlin', 'utc', '+01:00', 'CET ', 'Mars/Olympus', '']) {
      expect(isIanaTimeZone(zone), zone).toBe(false);
    }
  });
});

describe('receipt numbers (sale v5)', () => {
  it('read a v5 sale with the number the ledger assigned, and a v4 one with the number its receipt printed', () => {
    const numbered = readJournalEvent(
      sale(5, {
        timeZone: 'UTC',
        employeeId: 'e1',
        approvals: [],
        shiftId: null,
        receiptNumber: 'T1-1-000007',
      }),
    );
    expect(numbered.ok && numbered.latest.type === 'sale' && numbered.latest.payload.receiptNumber).toBe(
      'T1-1-000007',
    );
    const old = readJournalEvent(
      sale(4, { timeZone: 'UTC', employeeId: 'e1', approvals: [], shiftId: null }),
    );
    expect(old.ok && old.latest.type === 'sale' && old.latest.payload.receiptNumber).toBe(
      receiptNumber('T1', 1, 1),
    );
  });

  it('number training sales apart, with a prefix no sale number has', () => {
    expect(saleNumber('T1', 2, 42, false)).toBe('T1-2-000042');
    expect(saleNumber('T1', 2, 42, true)).toBe('TRN-T1-2-000042');
    expect(receiptCount('TRN-T1-2-000042')).toBe(42);
    expect(receiptCount('nonsense')).toBeNull();
  });
});
