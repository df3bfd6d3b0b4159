import {
  GENESIS_HASH,
  type HqStreamItem,
  type JournalEvent,
  type PayloadOf,
  ProtocolVersions,
  type SaleEvent,
} from '@tillwright/protocol';
import { hashEvent, sealEvent } from '@tillwright/protocol/chain';
import { asLatestSaleLines, samplePayloads, sampleSalePayload } from '@tillwright/protocol/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  eventChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';

const APPROVAL_ID = '019ab8a0-0000-7000-8000-00000000a001';

/** A manager's approval of a no-sale cashier-7 asked for, by PIN. */
const noSaleApproval = (): PayloadOf<'manager-approval'> => ({
  approvalId: APPROVAL_ID,
  employeeId: 'cashier-7',
  approverId: 'mgr-1',
  permission: 'noSale',
  action: 'no-sale',
  subject: 'drawer',
  reason: null,
});

/** A sale of the pen (catalog price 2.50) at `unitPrice`, rung up by cashier-7 outside any shift. */
const penSale = (unitPrice: number, approvals: PayloadOf<'sale'>['approvals'] = []): PayloadOf<'sale'> => ({
  ...sampleSalePayload(unitPrice),
  timeZone: 'Europe/Berlin',
  employeeId: 'cashier-7',
  approvals,
  shiftId: null,
  receiptNumber: null,
  lines: asLatestSaleLines(sampleSalePayload(unitPrice).lines),
  store: null,
});

/** `eventChain` for a second till of the org: the same chain with event ids of its own (ids are unique per org). */
function reChain(terminal: TestTerminal, drafts: Parameters<typeof eventChain>[1]) {
  let prevHash = GENESIS_HASH;
  return eventChain(terminal, drafts).map(({ hash: _, ...event }) => {
    const sealed = sealEvent({
      ...event,
      eventId: event.eventId.replace('019ab8a0-0000-7000-8000-0', '019ab8a0-0000-7000-8000-f'),
      prevHash,
    } as never) as JournalEvent;
    prevHash = sealed.hash;
    return sealed;
  });
}

describe.each(BACKENDS)('the employee on events, on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let till: TestTerminal;

  beforeEach(async () => {
    server = await startTestServer(backend);
    till = await server.enrol(server.codes[0]!);
  });
  afterEach(() => server.close());

  const hq = (path: string) => server.hqGet(path);

  it('announces the versions that record the employee, and the employee events', async () => {
    const response = await server.signed(till, 'GET', '/v1/terminal/versions');
    expect(ProtocolVersions.parse(response.json()).events).toMatchObject({
      sale: [1, 2, 3, 4, 5, 6],
      return: [1, 2, 3],
      'no-sale': [1, 2, 3],
      'manager-approval': [1, 2, 3],
      'employee-signed-in': [1],
      'employee-signed-out': [1],
      'employee-locked-out': [1],
      'employee-unlocked': [1],
      'training-sale': [1, 2, 3],
      'training-mode': [1],
    });
  });

  it('stores a sale v6 and a no-sale v2 with the approval v2 it links, and streams each with its employee', async () => {
    const events = eventChain(till, [
      { type: 'employee-signed-in', payload: { employeeId: 'cashier-7', method: 'number' } },
      { type: 'sale', payload: penSale(250) },
      { type: 'manager-approval', schema: 2, payload: noSaleApproval() },
      {
        type: 'no-sale',
        schema: 2,
        payload: { reason: 'change for the float', employeeId: 'cashier-7', approvalId: APPROVAL_ID },
      },
      { type: 'employee-signed-out', payload: { employeeId: 'cashier-7', reason: 'sign-out' } },
    ]);
    expect((await server.push(till, events)).json()).toEqual({ ackedSeq: 5, ackedHash: events[4]!.hash });
    expect(await server.store.counts()).toMatchObject({ events: 5, quarantined: 0 });

    // As written, at its version, verifiable by its hash; who did it is in each payload.
    const items = (await hq('/v1/hq/events?after=0')).items as HqStreamItem[];
    expect(items.map((item) => item.event)).toEqual(events);
    for (const { event } of items) {
      const { hash, ...unsigned } = event;
      expect(hashEvent(unsigned)).toBe(hash);
    }
    const [signIn, sale, approval, noSale] = items.map((item) => item.event);
    expect(signIn).toMatchObject({
      type: 'employee-signed-in',
      schema: 1,
      payload: { employeeId: 'cashier-7' },
    });
    expect(sale).toMatchObject({ type: 'sale', schema: 6, payload: { employeeId: 'cashier-7' } });
    expect(approval).toMatchObject({
      type: 'manager-approval',
      schema: 2,
      payload: {
        approvalId: APPROVAL_ID,
        employeeId: 'cashier-7',
        approverId: 'mgr-1',
        permission: 'noSale',
      },
    });
    expect(noSale).toMatchObject({
      type: 'no-sale',
      schema: 2,
      payload: { employeeId: 'cashier-7', approvalId: APPROVAL_ID },
    });
    expect((await hq('/v1/hq/exceptions')).exceptions).toEqual([]);
  });

  it('quarantines as invalid an approval by the employee who asked for it, and an unlock by the one locked out', async () => {
    const own = { ...noSaleApproval(), approverId: 'cashier-7' };
    const selfUnlock = { employeeId: 'cashier-7', unlockedBy: 'cashier-7', approvalId: APPROVAL_ID };
    const events = eventChain(till, [
      { type: 'manager-approval', payload: own },
      { type: 'employee-unlocked', payload: selfUnlock },
    ]);
    expect((await server.push(till, events)).json()).toEqual({ ackedSeq: 2, ackedHash: events[1]!.hash });
    expect(await server.store.counts()).toMatchObject({ events: 0, quarantined: 2, alerts: 0 });
    expect((await hq('/v1/hq/quarantine')).events).toMatchObject([
      { eventId: events[0]!.eventId, issues: ['payload.approverId: nobody approves their own request'] },
      { eventId: events[1]!.eventId, issues: ['payload.unlockedBy: nobody unlocks themselves'] },
    ]);
  });

  it('raises an exception, keeping the event, for an approval by the one who acted, not stored before on this till, or an unlock by another than the approver', async () => {
    const LATER = '019ab8a0-0000-7000-8000-00000000a002';
    const ELSEWHERE = '019ab8a0-0000-7000-8000-00000000a003';
    // Another till of the org stores an approval: it allows nothing on this till.
    const other = await server.enrol(server.codes[1]!);
    const [elsewhere] = reChain(other, [
      { type: 'manager-approval', payload: { ...noSaleApproval(), approvalId: ELSEWHERE } },
    ]);
    expect((await server.push(other, [elsewhere!])).json()).toMatchObject({ ackedSeq: 1 });
    const noSaleBy = (employeeId: string) => ({
      type: 'no-sale',
      payload: { reason: 'change for the float', employeeId, approvalId: APPROVAL_ID, shiftId: null },
    });
    // First batch: the approval, and the no-sale it allowed (same batch, after it): no exception.
    const first = eventChain(till, [
      { type: 'manager-approval', payload: noSaleApproval() },
      noSaleBy('cashier-7'),
    ]);
    expect((await server.push(till, first)).json()).toMatchObject({ ackedSeq: 2 });
    const selfApproved = {
      kind: 'price-override' as const,
      lineId: 'l1',
      rate: 200_000,
      limit: 100_000,
      approvedBy: 'cashier-7',
      approvalId: null,
    };
    const unlockApproval = {
      ...noSaleApproval(),
      approvalId: LATER,
      approverId: 'mgr-2',
      permission: 'unlockEmployees' as const,
      action: 'unlock-employee' as const,
    };
    const second = eventChain(
      till,
      [
        // The approval of a batch before, used by the manager who gave it: approved by the one who acted.
        noSaleBy('mgr-1'),
        // A sale whose override its own cashier approved.
        { type: 'sale', payload: penSale(200, [selfApproved]) },
        // A void linking an approval that only comes later.
        { type: 'void', payload: { ...samplePayloads().void, employeeId: 'cashier-7', approvalId: LATER } },
        { type: 'manager-approval', payload: unlockApproval },
        // Unlocked by mgr-1, though mgr-2 approved it.
        {
          type: 'employee-unlocked',
          payload: { employeeId: 'cashier-9', unlockedBy: 'mgr-1', approvalId: LATER },
        },
        // A paid-out linking the other till's approval.
        {
          type: 'paid-out',
          payload: { ...samplePayloads()['paid-out'], employeeId: 'cashier-7', approvalId: ELSEWHERE },
        },
      ],
      { seq: 2, hash: first[1]!.hash },
    );
    expect((await server.push(till, second)).json()).toMatchObject({ ackedSeq: 8 });
    expect(await server.store.counts()).toMatchObject({ events: 9, quarantined: 0 });
    const [ownApproval, ownSale, early, , wrongUnlock, elsewhereLinked] = second;
    expect(
      ((await hq('/v1/hq/exceptions')).exceptions as { eventId: string; kind: string }[]).map((e) => [
        e.eventId,
        e.kind,
      ]),
    ).toEqual([
      [ownApproval!.eventId, 'self_approval'],
      [ownSale!.eventId, 'self_approval'],
      [early!.eventId, 'unknown_approval'],
      [wrongUnlock!.eventId, 'unlocked_not_by_approver'],
      [elsewhereLinked!.eventId, 'unknown_approval'],
    ]);
  });

  it('runs its business checks on every version: returns of v1 and v3 sales, and an override with its approval', async () => {
    const approvedOverride = {
      kind: 'price-override' as const,
      lineId: 'l1',
      rate: 200_000,
      limit: 100_000,
      approvedBy: 'mgr-1',
      approvalId: APPROVAL_ID,
    };
    const [approval, v3, approvedBelow, unapprovedBelow, v1] = eventChain(till, [
      {
        type: 'manager-approval',
        payload: {
          ...noSaleApproval(),
          permission: 'priceOverridePercent',
          action: 'price-override',
          requested: { percent: 20 },
        },
      },
      { type: 'sale', payload: penSale(250) },
      { type: 'sale', payload: penSale(200, [approvedOverride]) },
      { type: 'sale', payload: penSale(200) },
      { type: 'sale', schema: 1, payload: sampleSalePayload(250) },
    ]) as SaleEvent[];
    const returnOf = (sale: SaleEvent, schema: 1 | 2) => {
      const { employeeId: _, ...v1Return } = samplePayloads().return;
      // A return line before v3 has no measure.
      const { measure: _measure, ...line } = v1Return.lines[0]!;
      return {
        type: 'return',
        schema,
        payload: {
          ...v1Return,
          ...(schema === 2 ? { employeeId: 'cashier-7' } : {}),
          originalSaleId: sale.eventId,
          originalStoreId: sale.storeId,
          originalTerminalId: sale.terminalId,
          total: 250,
          lines: [{ ...line, total: 250 }],
        },
      };
    };
    const returns = eventChain(till, [returnOf(v3!, 1), returnOf(v1!, 2), returnOf(v3!, 2)], {
      seq: v1!.seq,
      hash: v1!.hash,
    });
    const pushed = await server.push(till, [
      approval!,
      v3!,
      approvedBelow!,
      unapprovedBelow!,
      v1!,
      ...returns,
    ]);
    expect(pushed.json()).toMatchObject({ ackedSeq: 8 });
    expect(await server.store.counts()).toMatchObject({ events: 8, quarantined: 0 });
    expect(await server.store.returnedQuantities(server.orgId, v3!.eventId)).toEqual({ l1: 2 });
    expect(await server.store.returnedQuantities(server.orgId, v1!.eventId)).toEqual({ l1: 1 });
    expect((await hq('/v1/hq/exceptions')).exceptions).toMatchObject([
      { eventId: unapprovedBelow!.eventId, kind: 'price_below_catalog' },
      { eventId: returns[2]!.eventId, kind: 'over_return' },
    ]);
  });
});
