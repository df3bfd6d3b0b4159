import { describe, expect, it } from 'vitest';
import { ManagerApprovalPayloadV1 } from './business-payloads.js';
import { sealEvent } from './chain.js';
import {
  EVENT_VERSIONS,
  payloadForVersion,
  payloadSchema,
  readJournalEvent,
  upcastPayload,
  versionToWrite,
} from './event-versions.js';
import { EVENT_PAYLOADS, type EventType, GENESIS_HASH, type PayloadOf } from './events.js';
import { DowncastError } from './payload-casts.js';
import { AMOUNT_PERMISSIONS, PERCENT_PERMISSIONS, PERMISSION_FLAGS } from './permissions.js';
import { type EventTypeBeforeEmployees, samplePayloads, sampleV1Payloads } from './testing.js';

const APPROVAL = '019ab8a0-0000-7000-8000-000000005403';
const EVENT_TYPES = Object.keys(EVENT_VERSIONS) as EventType[];
const TYPES_BEFORE_EMPLOYEES = Object.keys(sampleV1Payloads()) as EventTypeBeforeEmployees[];

function event(type: string, schema: number, payload: unknown) {
  return sealEvent({
    schema,
    eventId: '019ab8a0-0000-7000-8000-000000005404',
    type,
    terminalId: 'T1',
    storeId: 'S1',
    epoch: 1,
    seq: 1,
    occurredAt: '2026-11-25T10:00:00.000Z',
    payload,
    prevHash: GENESIS_HASH,
  } as never);
}

/** Payloads as tills wrote them at every version below the latest, with the variants each step has to carry. */
function oldPayloads(): [EventType, number, unknown][] {
  const v1 = sampleV1Payloads();
  const variants: [EventType, number, unknown][] = [
    ['sale', 2, { ...v1.sale, timeZone: 'Europe/Berlin' }],
    [
      'sale',
      1,
      {
        ...v1.sale,
        approvals: [{ kind: 'line-discount', lineId: 'l1', rate: 200_000, limit: 100_000, approvedBy: 'm1' }],
      },
    ],
    ['return', 1, { ...v1.return, authorization: { kind: 'manager-override', approvedBy: 'm1' } }],
    ['return', 1, { ...v1.return, authorization: { kind: 'server-token', token: 'ra_1' } }],
    ['cash-drop', 1, { ...v1['cash-drop'], approvedBy: null }],
    ['price-override', 1, { ...v1['price-override'], approvedBy: null }],
    ...ManagerActionsV1.map(
      (action) =>
        ['manager-approval', 1, { ...v1['manager-approval'], action }] as [EventType, number, unknown],
    ),
  ];
  return [
    ...TYPES_BEFORE_EMPLOYEES.map((type) => [type, 1, v1[type]] as [EventType, number, unknown]),
    ...variants,
  ];
}
const ManagerActionsV1 = ManagerApprovalPayloadV1.shape.action.options;

const OLD_VERSIONS = EVENT_TYPES.flatMap((type) =>
  Array.from({ length: EVENT_VERSIONS[type].latest - 1 }, (_, i) => [type, i + 1] as const),
);

describe('the versions that record the employee', () => {
  it('give every type from before employees a newer version, and the employee events a first one', () => {
    expect(Object.fromEntries(EVENT_TYPES.map((type) => [type, EVENT_VERSIONS[type].latest]))).toEqual({
      sale: 6,
      return: 3,
      void: 3,
      'no-sale': 3,
      'shift-open': 3,
      'shift-close': 3,
      'cash-drop': 2,
      'paid-in': 2,
      'paid-out': 2,
      'price-override': 2,
      'manager-approval': 3,
      'employee-signed-in': 1,
      'employee-signed-out': 1,
      'employee-locked-out': 1,
      'employee-unlocked': 1,
      'training-sale': 3,
      'training-mode': 1,
    });
  });

  it.each(TYPES_BEFORE_EMPLOYEES)(
    'read a %s v1 as its latest version: the staffId as employee, else nobody',
    (type) => {
      const v1 = sampleV1Payloads()[type];
      const read = readJournalEvent(event(type, 1, v1));
      expect(read.ok).toBe(true);
      if (!read.ok) return;
      expect(read.written.payload).toEqual(v1);
      expect(read.latest.schema).toBe(EVENT_VERSIONS[type].latest);
      const latest = read.latest.payload as { employeeId: string | null; staffId?: string };
      expect(latest.employeeId).toBe('staffId' in v1 ? v1.staffId : null);
      expect(latest.staffId).toBeUndefined();
      expect(EVENT_PAYLOADS[type].safeParse(latest).success).toBe(true);
    },
  );

  it('keep a v1 approver readable as approvedBy, with no approval linked', () => {
    const v1 = sampleV1Payloads();
    expect(upcastPayload('void', 1, v1.void).payload).toMatchObject({
      approvedBy: 'manager-1',
      approvalId: null,
    });
    expect(upcastPayload('paid-out', 1, v1['paid-out']).payload).toMatchObject({
      approvedBy: 'manager-1',
      approvalId: null,
    });
    expect(upcastPayload('price-override', 1, v1['price-override']).payload).toMatchObject({
      approvedBy: 'manager-1',
      approvalId: null,
    });
    const override = { ...v1.return, authorization: { kind: 'manager-override', approvedBy: 'm1' } as const };
    expect(upcastPayload('return', 1, override).payload.authorization).toEqual({
      kind: 'manager-override',
      approvedBy: 'm1',
      approvalId: null,
    });
  });

  it('read a v1 approval as v2: approved by its manager, asked by nobody, for the permission its action stood for', () => {
    const approval = upcastPayload('manager-approval', 1, {
      ...sampleV1Payloads()['manager-approval'],
      action: 'no-sale',
    }).payload;
    expect(approval).toEqual({
      approvalId: APPROVAL,
      employeeId: null,
      approverId: 'manager-1',
      permission: 'noSale',
      action: 'no-sale',
      subject: 'line l1',
      reason: 'scuffed box',
    });
  });

  it('refuse an approval by the employee who asked for it, and an unlock by the employee locked out', () => {
    const own = { ...samplePayloads()['manager-approval'], approverId: 'staff-1' };
    expect(readJournalEvent(event('manager-approval', 2, own))).toMatchObject({
      ok: false,
      code: 'event_invalid',
      issues: ['payload.approverId: nobody approves their own request'],
    });
    const unlock = { ...samplePayloads()['employee-unlocked'], unlockedBy: 'staff-1' };
    expect(readJournalEvent(event('employee-unlocked', 1, unlock))).toMatchObject({
      ok: false,
      issues: ['payload.unlockedBy: nobody unlocks themselves'],
    });
  });

  it('refuse a v2 approval that names nobody as asking, or a permission that is none of the roles configuration', () => {
    const approval = samplePayloads()['manager-approval'];
    // Asked by nobody passes "nobody approves their own request" unchecked: v2 always names who asked.
    expect(readJournalEvent(event('manager-approval', 2, { ...approval, employeeId: null }))).toMatchObject({
      ok: false,
      code: 'event_invalid',
    });
    expect(
      readJournalEvent(event('manager-approval', 2, { ...approval, permission: 'openTheSafe' })),
    ).toMatchObject({ ok: false, code: 'event_invalid' });
    for (const permission of [...PERMISSION_FLAGS, ...PERCENT_PERMISSIONS, ...AMOUNT_PERMISSIONS]) {
      expect(readJournalEvent(event('manager-approval', 2, { ...approval, permission })).ok, permission).toBe(
        true,
      );
    }
    // A v1 approval recorded nobody asking: it still reads, with employeeId null, in the type readers get.
    const read = readJournalEvent(event('manager-approval', 1, sampleV1Payloads()['manager-approval']));
    expect(read.ok && read.latest.payload).toMatchObject({
      employeeId: null,
      permission: 'priceOverridePercent',
    });
  });

  it('hold each new version to its own schema: no staffId beside employeeId, no v2 field in v1', () => {
    const samples = samplePayloads();
    expect(readJournalEvent(event('no-sale', 2, { ...samples['no-sale'], staffId: 's' })).ok).toBe(false);
    expect(readJournalEvent(event('no-sale', 1, samples['no-sale'])).ok).toBe(false);
    expect(readJournalEvent(event('sale', 3, { ...samples.sale, employeeId: undefined })).ok).toBe(false);
    expect(readJournalEvent(event('sale', 2, samples.sale)).ok).toBe(false);
    expect(readJournalEvent(event('employee-locked-out', 1, samples['employee-locked-out'])).ok).toBe(true);
    expect(
      readJournalEvent(
        event('employee-locked-out', 1, { ...samples['employee-locked-out'], lockedUntil: 'tomorrow' }),
      ).ok,
    ).toBe(false);
  });
});

describe('payloadForVersion', () => {
  it.each(oldPayloads())(
    'gives back a %s v%d it upcast: the step down of a step up is the identity',
    (type, version, written) => {
      expect(payloadSchema(type, version)!.safeParse(written).success).toBe(true);
      const { payload } = upcastPayload(type, version, written);
      expect(payloadForVersion(type, version, payload)).toEqual(written);
    },
  );

  it.each(OLD_VERSIONS)(
    'writes a %s at v%d from a latest payload, valid against that version',
    (type, version) => {
      const written = payloadForVersion(type, version, samplePayloads()[type] as PayloadOf<typeof type>);
      const checked = payloadSchema(type, version)!.safeParse(written);
      expect(checked.success, JSON.stringify(checked.error?.issues)).toBe(true);
    },
  );

  it('writes the latest version as it is, and drops only what newer versions added', () => {
    const sale = samplePayloads().sale;
    expect(payloadForVersion('sale', 6, sale)).toBe(sale);
    const { store: _store, lines, ...v5Rest } = sale;
    const v5 = {
      ...v5Rest,
      lines: lines.map(
        ({ kind: _k, measure: _m, priceEntered: _p, overrideReason: _o, ageCheck: _a, ...line }) => line,
      ),
    };
    expect(payloadForVersion('sale', 5, sale)).toEqual(v5);
    const { receiptNumber: _number, ...v4 } = v5;
    expect(payloadForVersion('sale', 4, sale)).toEqual(v4);
    const { shiftId: _shift, ...v3 } = v4;
    expect(payloadForVersion('sale', 3, sale)).toEqual(v3);
    const { employeeId: _, ...v2 } = v3;
    expect(payloadForVersion('sale', 2, sale)).toEqual(v2);
    const { timeZone: _zone, ...v1 } = v2;
    expect(payloadForVersion('sale', 1, sale)).toEqual(v1);
    expect(payloadForVersion('no-sale', 1, samplePayloads()['no-sale'])).toEqual({
      reason: 'change for the float',
      staffId: 'staff-1',
    });
  });

  it('names the employee as v1 approver of a void that needed no approval', () => {
    const own = {
      voidedEventId: APPROVAL,
      reason: 'rung twice',
      employeeId: 'mgr-2',
      approvalId: null,
      shiftId: null,
    };
    expect(payloadForVersion('void', 1, own)).toEqual({
      voidedEventId: APPROVAL,
      reason: 'rung twice',
      approvedBy: 'mgr-2',
    });
    expect(
      payloadForVersion('cash-drop', 1, {
        ...samplePayloads()['cash-drop'],
        approvalId: null,
        approvedBy: undefined,
      }),
    ).toMatchObject({ approvedBy: null, staffId: 'staff-1' });
  });

  it('refuses, with a DowncastError, what an older version cannot say', () => {
    const samples = samplePayloads();
    const linkedOnly = { ...samples.void, approvedBy: undefined };
    expect(() => payloadForVersion('void', 1, linkedOnly)).toThrow(DowncastError);
    expect(() => payloadForVersion('paid-in', 1, { ...samples['paid-in'], approvedBy: undefined })).toThrow(
      expect.objectContaining({ code: 'not_expressible', type: 'paid-in', version: 1, field: 'approvedBy' }),
    );
    const unlock = { ...samples['manager-approval'], action: 'unlock-employee' as const };
    expect(() => payloadForVersion('manager-approval', 1, unlock)).toThrow(
      /version 1 has no action unlock-employee/,
    );
    const noReason = { ...samples['manager-approval'], reason: null };
    expect(() => payloadForVersion('manager-approval', 1, noReason)).toThrow(
      expect.objectContaining({ field: 'reason' }),
    );
    expect(() => payloadForVersion('sale', 0, samples.sale)).toThrow(RangeError);
    expect(() => payloadForVersion('sale', 7, samples.sale)).toThrow(RangeError);
    // Version 5 lines hold no weight, keyed price, custom line, override reason or age check: such a sale is not
    // written at v5.
    const line = samples.sale.lines[0]!;
    const measure = { unit: 'g', value: 512, pricePerUnit: 399, source: 'manual' } as const;
    const ageCheck = {
      minimumAge: 18,
      checkedBy: 'staff-1',
      checkedAt: '2026-12-06T10:00:00.000Z',
      method: 'id-checked',
    } as const;
    for (const [what, changed] of [
      ['a weighed line', { measure }],
      ['a custom-amount line', { kind: 'custom' }],
      ['an open-price line', { priceEntered: true }],
      ['an age check', { ageCheck }],
      ['a price override', { overrideReason: 'price match' }],
    ] as const) {
      expect(() =>
        payloadForVersion('sale', 5, { ...samples.sale, lines: [{ ...line, ...changed }] }),
      ).toThrow(
        expect.objectContaining({
          code: 'not_expressible',
          version: 5,
          message: expect.stringContaining(what),
        }),
      );
    }
  });
});

describe('the version a till writes of the employee events', () => {
  it('is none until the server announced the type, since servers before them would not take it', () => {
    expect(versionToWrite('employee-signed-in', null)).toBeNull();
    expect(versionToWrite('employee-locked-out', { sale: [1, 2, 3] })).toBeNull();
    expect(versionToWrite('employee-unlocked', { 'employee-unlocked': [1] })).toBe(1);
    expect(versionToWrite('manager-approval', null)).toBe(1);
    expect(versionToWrite('manager-approval', { 'manager-approval': [1, 2] })).toBe(2);
  });
});
