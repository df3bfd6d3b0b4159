import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { MethodName, ShiftReportView, ShiftStatusView, VoidableSaleView } from '../contract/methods.js';
import { RpcCallError } from '../contract/wire.js';
import { amountOf } from './CashMovementView.js';
import { countOf } from './CountGrid.js';
import { NO_SHIFT_WORDS, sellingBlocked } from './cart-store.js';
import { applyPadKey } from './NumberPad.js';
import { pen, setup } from './test-host.js';
import { overShortInWords } from './words.js';

const refusal = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new RpcCallError({ code, message, retryable: false, ...extra });
const needs = (permission: string, what: string) =>
  refusal('approval_required', `${what} needs approval`, {
    approval: { request: { permission }, what, requestedBy: 'Ada' },
  });
const MORGAN = { number: '3001', pin: '3579' };

const denominations: ShiftStatusView['denominations'] = [
  { value: 2000, kind: 'note', label: '20.00' },
  { value: 1000, kind: 'note', label: '10.00' },
  { value: 200, kind: 'coin', label: '2.00' },
  { value: 50, kind: 'coin', label: '0.50' },
];
const SHIFT = {
  shiftId: '0190a000-0000-7000-8000-00000000aaaa',
  openedAt: '2026-12-06T08:02:00.000Z',
  openedBy: { employeeId: 'emp-morgan', displayName: 'Morgan Manager' },
  currency: 'EUR',
  openingFloat: 15_000,
  fromEarlierDay: false,
};
const noShift: ShiftStatusView = { shift: null, training: false, denominations, otherTenders: ['card'] };
const openShift: ShiftStatusView = { ...noShift, shift: SHIFT };

const callsOf = (
  host: { calls: { method: MethodName; params: Record<string, unknown> }[] },
  method: MethodName,
) => host.calls.filter((call) => call.method === method).map((call) => call.params);

/** A host whose `method` needs a manager's approval (Morgan's), and answers `result` once approved. */
function approvedBy(
  method: MethodName,
  permission: string,
  what: string,
  result: (params: Record<string, unknown>) => unknown,
) {
  return (called: MethodName, params: Record<string, unknown>) => {
    if (called !== method) return undefined;
    const approval = params.approval as { number: string; pin: string } | undefined;
    if (!approval) throw needs(permission, what);
    if (approval.number !== MORGAN.number || approval.pin !== MORGAN.pin)
      throw refusal('approval_refused', "Approver's number or PIN is wrong");
    return result(params);
  };
}

/** A store on a host with this shift status (asked at start) and these other answers. */
async function tillWith(
  status: ShiftStatusView,
  answer: (method: MethodName, params: Record<string, unknown>) => unknown = () => undefined,
) {
  const till = await setup((method, params) => {
    const answered = answer(method, params);
    if (answered !== undefined) return answered;
    if (method === 'shift.status') return status;
    return null;
  });
  await vi.waitFor(() => expect(till.store.getState().shiftStatus).not.toBeNull());
  return till;
}

describe('the shift on the till screen', () => {
  it('with no shift open, nothing is sold: Pay says what to do and never reaches the host', async () => {
    const { store, host } = await tillWith(noShift);
    expect(sellingBlocked(store.getState().shiftStatus)).toBe(true);
    store.getState().addProduct(pen);
    await store.getState().pay();
    expect(store.getState().notice).toEqual({ kind: 'error', text: NO_SHIFT_WORDS });
    expect(callsOf(host, 'sale.complete')).toEqual([]);
    expect(store.getState().cart.lines).toHaveLength(1);

    // The host says a shift opened (a manager at this till or a restart): selling is possible again.
    host.emit({ event: 'shift.status', payload: openShift });
    expect(sellingBlocked(store.getState().shiftStatus)).toBe(false);
    // Training mode needs no shift.
    host.emit({ event: 'shift.status', payload: { ...noShift, training: true } });
    expect(sellingBlocked(store.getState().shiftStatus)).toBe(false);
  });

  it('asks for the shift again when who works here changes, so a failed first ask does not leave it unknown', async () => {
    let asked = 0;
    const { store, host } = await setup((method) => {
      if (method !== 'shift.status') return null;
      asked += 1;
      if (asked === 1) throw refusal('host_unavailable', 'the host is starting');
      return openShift;
    });
    await vi.waitFor(() => expect(asked).toBe(1));
    expect(store.getState().shiftStatus).toBeNull();
    host.emit({ event: 'session.status', payload: host.state.session });
    await vi.waitFor(() => expect(store.getState().shiftStatus).toEqual(openShift));
  });

  it('blocks nothing while the host cannot say what the shift is', async () => {
    const { store } = await setup(() => {
      throw refusal('host_busy', 'not now');
    });
    expect(store.getState().shiftStatus).toBeNull();
    expect(sellingBlocked(null)).toBe(false);
  });

  it('shows a no_open_shift refusal of Pay in words, keeps the cart, and asks the host for the shift again', async () => {
    let refused = false;
    const { store } = await tillWith(openShift, (method) => {
      if (method === 'sale.complete') {
        refused = true;
        throw refusal('no_open_shift', 'no shift is open on this till');
      }
      if (method === 'shift.status' && refused) return noShift;
      return undefined;
    });
    store.getState().addProduct(pen);
    await store.getState().pay();
    expect(store.getState().notice?.text).toBe(
      'No shift is open on this till: a manager opens the shift (F12, Open shift), then try again. Nothing was recorded.',
    );
    expect(store.getState().cart.lines).toHaveLength(1);
    await vi.waitFor(() => expect(store.getState().shiftStatus?.shift).toBeNull());
  });

  it('opens the shift with the float counted by denomination, through a manager’s approval, and says the float', async () => {
    const { store, host } = await tillWith(
      noShift,
      approvedBy('shift.open', 'shiftOpen', 'opening a shift', () => openShift),
    );
    store.getState().openManagerMenu();
    const { count, total } = countOf(denominations, { 2000: '5', 1000: '4', 200: '', 50: '20' });
    expect(total).toBe(15_000);
    const opening = store.getState().openShift(count);
    await vi.waitFor(() => expect(store.getState().approval?.needed.what).toBe('opening a shift'));
    expect(await store.getState().approve(MORGAN)).toBe(true);
    expect(await opening).toEqual(openShift);
    expect(callsOf(host, 'shift.open')).toEqual([
      {
        floatCount: [
          { value: 2000, count: 5 },
          { value: 1000, count: 4 },
          { value: 200, count: 0 },
          { value: 50, count: 20 },
        ],
      },
      { floatCount: count, approval: MORGAN },
    ]);
    expect(store.getState().shiftStatus).toEqual(openShift);
    expect(store.getState().managerMenu.open).toBe(false);
    expect(store.getState().notice).toEqual({
      kind: 'info',
      text: 'Shift open: float EUR 150.00 counted. Cashiers can sign in and sell.',
    });
  });

  it('the X report shows the expected cash, so a cashier sees it only through a manager’s approval', async () => {
    const report: ShiftReportView = {
      openedByName: 'Morgan Manager',
      closedByName: null,
      report: {
        shiftId: SHIFT.shiftId,
        openedBy: 'emp-morgan',
        closedBy: null,
        currency: 'EUR',
        openedAt: SHIFT.openedAt,
        closedAt: null,
        floatCount: [
          { value: 2000, count: 7 },
          { value: 1000, count: 1 },
        ],
        sales: { count: 0, subtotal: 0, discountTotal: 0, taxTotal: 0, total: 0 },
        returns: { count: 0, total: 0 },
        voids: { count: 0, total: 0 },
        noSales: 0,
        taxes: [],
        tenders: [],
        cash: {
          openingFloat: 15_000,
          sales: 0,
          refunds: 0,
          paidIn: 0,
          paidOut: 0,
          drops: 0,
          expected: 15_000,
        },
        movements: [],
        close: null,
      },
    };
    const { store, host } = await tillWith(
      openShift,
      approvedBy('shift.report', 'shiftClose', 'the X report', () => report),
    );
    store.getState().openManagerMenu();
    const loading = store.getState().loadShiftReport();
    await vi.waitFor(() => expect(store.getState().approval?.needed.what).toBe('the X report'));
    expect(await store.getState().approve(MORGAN)).toBe(true);
    expect(await loading).toEqual(report);
    expect(callsOf(host, 'shift.report')).toEqual([{}, { approval: MORGAN }]);
  });

  it('with no shift open, printing reprints the last Z report and says it is a copy', async () => {
    const { store, host } = await tillWith(noShift, (method) =>
      method === 'shift.printReport' ? { receipt: 'confirmed' } : undefined,
    );
    store.getState().openManagerMenu();
    expect(await store.getState().printShiftReport()).toBe(true);
    expect(callsOf(host, 'shift.printReport')).toEqual([{}]);
    expect(store.getState().managerMenu.message?.text).toMatch(/^Copy of the last Z report /);
  });

  it('a shift_already_open refusal keeps the menu open with the host’s words and shows the open shift to close first', async () => {
    const earlier = { ...openShift, shift: { ...SHIFT, fromEarlierDay: true } };
    let opened = false;
    const { store } = await tillWith(noShift, (method) => {
      if (method === 'shift.open') {
        opened = true;
        throw refusal(
          'shift_already_open',
          'A shift is already open here, opened by Morgan Manager on 05/12',
        );
      }
      if (method === 'shift.status' && opened) return earlier;
      return undefined;
    });
    store.getState().openManagerMenu();
    expect(await store.getState().openShift([])).toBeNull();
    expect(store.getState().managerMenu).toMatchObject({
      open: true,
      message: { kind: 'error', text: 'A shift is already open here, opened by Morgan Manager on 05/12' },
    });
    await vi.waitFor(() => expect(store.getState().shiftStatus).toEqual(earlier));
  });

  it('closes with a blind count: nothing expected is asked for before, the answer brings expected and over/short', async () => {
    const report: ShiftReportView = {
      openedByName: 'Morgan Manager',
      closedByName: 'Morgan Manager',
      report: {
        shiftId: SHIFT.shiftId,
        openedBy: 'emp-morgan',
        closedBy: 'emp-morgan',
        currency: 'EUR',
        openedAt: SHIFT.openedAt,
        closedAt: '2026-12-06T17:00:00.000Z',
        floatCount: [
          { value: 2000, count: 7 },
          { value: 1000, count: 1 },
        ],
        sales: { count: 1, subtotal: 500, discountTotal: 0, taxTotal: 80, total: 500 },
        returns: { count: 0, total: 0 },
        voids: { count: 0, total: 0 },
        noSales: 0,
        taxes: [],
        tenders: [{ kind: 'cash', taken: 500, refunded: 0, net: 500 }],
        cash: {
          openingFloat: 15_000,
          sales: 500,
          refunds: 0,
          paidIn: 0,
          paidOut: 0,
          drops: 0,
          expected: 15_500,
        },
        movements: [],
        close: {
          expected: [{ kind: 'cash', amount: 15_500 }],
          counted: [{ kind: 'cash', amount: 14_250 }],
          overShort: [{ kind: 'cash', amount: -1250 }],
          cashCount: [
            { value: 2000, count: 7 },
            { value: 50, count: 5 },
          ],
          blind: true,
        },
      },
    };
    const { store, host } = await tillWith(openShift, (method) =>
      method === 'shift.close' ? { report, receipt: 'confirmed' } : undefined,
    );
    store.getState().openManagerMenu();
    const cash = countOf(denominations, { 2000: '7', 50: '5' });
    const closed = await store.getState().closeShift(cash.count, [{ kind: 'card', amount: 0 }]);
    expect(closed?.report.report.close?.overShort).toEqual([{ kind: 'cash', amount: -1250 }]);
    expect(overShortInWords(-1250, 'EUR')).toBe('short 12.50');
    expect(callsOf(host, 'shift.close')).toEqual([
      { cashCount: cash.count, otherTenders: [{ kind: 'card', amount: 0 }] },
    ]);
    expect(callsOf(host, 'shift.report')).toEqual([]);
  });

  it('a paid out a cashier may not make goes through a manager, and the screen says the drawer opened', async () => {
    const { store, host } = await tillWith(
      openShift,
      approvedBy('cash.movement', 'paidOutLimit', 'a paid out of EUR 12.50', () => ({
        eventId: '0190a000-0000-7000-8000-0000000000e1',
        approvalId: '0190a000-0000-7000-8000-0000000000a1',
        drawer: 'confirmed',
        slip: 'confirmed',
      })),
    );
    store.getState().openManagerMenu();
    const paying = store.getState().cashMovement('paid-out', 1250, 'Supplies');
    await vi.waitFor(() => expect(store.getState().approval).not.toBeNull());
    expect(await store.getState().approve(MORGAN)).toBe(true);
    expect(await paying).toBe(true);
    expect(callsOf(host, 'cash.movement')).toEqual([
      { type: 'paid-out', amount: 1250, reason: 'Supplies' },
      { type: 'paid-out', amount: 1250, reason: 'Supplies', approval: MORGAN },
    ]);
    expect(store.getState().managerMenu.open).toBe(false);
    expect(store.getState().notice).toEqual({
      kind: 'info',
      text: 'Drawer opened: paid out EUR 12.50 (Supplies). Slip printed.',
    });
  });

  it('a cash drop whose drawer did not open says so, and a cancelled approval records nothing and says nothing', async () => {
    let asked = 0;
    const { store, host } = await tillWith(openShift, (method, params) => {
      if (method !== 'cash.movement') return undefined;
      asked++;
      if (params.type === 'paid-in' && !params.approval)
        throw needs('cashMovement', 'a cash drop or paid-in');
      return {
        eventId: '0190a000-0000-7000-8000-0000000000e2',
        approvalId: null,
        drawer: 'not-sent',
        slip: 'not-sent',
      };
    });
    store.getState().openManagerMenu();
    expect(await store.getState().cashMovement('cash-drop', 20_000, 'Scheduled drop')).toBe(true);
    expect(store.getState().notice?.text).toBe(
      'Cash drop of EUR 200.00 recorded, but the drawer did not open: open it by key. Slip not printed: the printer cannot be reached (check it is on and connected).',
    );
    store.getState().openManagerMenu();
    const paidIn = store.getState().cashMovement('paid-in', 500, 'Float top-up');
    await vi.waitFor(() => expect(store.getState().approval).not.toBeNull());
    store.getState().cancelApproval();
    expect(await paidIn).toBe(false);
    expect(store.getState().managerMenu).toMatchObject({ open: true, message: null });
    expect(asked).toBe(2);
    expect(callsOf(host, 'cash.movement')).toHaveLength(2);
  });

  it('a post-void names the receipt and the cash handed back; training mode refusals are in words', async () => {
    const sale: VoidableSaleView = {
      saleId: '0190a000-0000-7000-8000-0000000000b1',
      receiptNumber: 'T1-1-000003',
      occurredAt: '2026-12-06T10:42:00.000Z',
      currency: 'EUR',
      total: 500,
      cashier: 'Alex Cashier',
      tenders: ['cash'],
      voidable: true,
      why: null,
    };
    const { store } = await tillWith(openShift, (method) => {
      if (method === 'sale.voidable') return { sales: [sale] };
      if (method === 'sale.postVoid')
        return {
          voidId: '0190a000-0000-7000-8000-0000000000c1',
          approvalId: null,
          currency: 'EUR',
          refunded: 500,
          slip: 'confirmed',
          drawer: 'confirmed',
        };
      if (method === 'training.set') throw refusal('training_not_supported', 'server too old');
      return undefined;
    });
    store.getState().openManagerMenu();
    expect(await store.getState().loadVoidable()).toEqual([sale]);
    expect(await store.getState().postVoid(sale, 'Rung up in error')).toMatchObject({ refunded: 500 });
    expect(store.getState().notice?.text).toBe(
      'Receipt T1-1-000003 voided: hand back EUR 5.00 cash. Void slip printed; drawer opened.',
    );
    store.getState().openManagerMenu();
    expect(await store.getState().setTraining(true)).toBe(false);
    expect(store.getState().managerMenu.message?.text).toBe(
      'Training mode is not available yet: the server has not been updated for it. Ask HQ.',
    );
  });

  it('turns training mode on and shows it until turned off', async () => {
    const { store, host } = await tillWith(openShift, (method, params) =>
      method === 'training.set' ? { ...openShift, training: params.on } : undefined,
    );
    store.getState().openManagerMenu();
    expect(await store.getState().setTraining(true)).toBe(true);
    expect(store.getState().shiftStatus?.training).toBe(true);
    expect(store.getState().notice?.text).toMatch(/^Training mode on/);
    expect(callsOf(host, 'training.set')).toEqual([{ on: true }]);
  });
});

describe('what the cashier types into counts and amounts', () => {
  it('counts every denomination (zero where nothing was typed) and adds them up in minor units', () => {
    expect(countOf(denominations, { 1000: '3', 50: '007' })).toEqual({
      count: [
        { value: 2000, count: 0 },
        { value: 1000, count: 3 },
        { value: 200, count: 0 },
        { value: 50, count: 7 },
      ],
      total: 3350,
    });
  });

  it('takes amounts above zero typed like 25.50, and says why otherwise', () => {
    expect(amountOf('25.50', 'EUR')).toEqual({ amount: 2550 });
    expect(amountOf('25,5', 'EUR')).toEqual({ amount: 2550 });
    expect(amountOf('', 'EUR')).toBeNull();
    expect(amountOf('0', 'EUR')).toEqual({ problem: 'Enter an amount above zero' });
    expect(amountOf('1.234', 'EUR')).toEqual({ problem: '"1.234" is not an amount: type it like 25.50' });
  });

  it('types on the keypad: digits appended up to the length, one point, back and clear', () => {
    expect(applyPadKey('12', '5', 6)).toBe('125');
    expect(applyPadKey('12.5', '.', 13)).toBe('12.5');
    expect(applyPadKey('123456', '7', 6)).toBe('123456');
    expect(applyPadKey('12', '00', 13)).toBe('1200');
    expect(applyPadKey('125', 'back', 6)).toBe('12');
    expect(applyPadKey('125', 'clear', 6)).toBe('');
  });

  it('says over and short in words, never by sign or colour alone', () => {
    expect(overShortInWords(-1250, 'EUR')).toBe('short 12.50');
    expect(overShortInWords(100, 'EUR')).toBe('over 1.00');
    expect(overShortInWords(0, 'EUR')).toBe('exact');
  });
});
