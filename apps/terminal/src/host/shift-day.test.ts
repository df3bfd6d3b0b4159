import { type PrinterEmulator, startPrinterEmulator } from '@tillwright/devices/sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, ShiftStatusView } from '../contract/methods.js';
import { type HostFixture, hostFixture } from './host-fixture.js';
import { STAFF, type StaffMember } from './test-support.js';

let printer: PrinterEmulator;
let till: HostFixture;

beforeEach(async () => {
  printer = await startPrinterEmulator({ port: 0 });
  till = await hostFixture({ printer });
});
afterEach(async () => {
  await till.cleanup();
  await printer.close();
});

const by = (member: StaffMember) => ({ number: member.number, pin: member.pin });
const pen = { lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 };
const books = { lineId: 'l2', productId: 'book', barcode: null, quantity: 2 };
const cashSale = (saleId: string, tendered: number, lines: object[] = [pen]) => ({
  saleId,
  currency: 'EUR',
  lines,
  tenders: [{ kind: 'cash', tendered }],
});
/** 50.00 × 2: a float of 100.00. */
const FLOAT = [{ value: 5000, count: 2 }];

describe('a till with no shift open', () => {
  it('refuses a sale (no_open_shift) in words a cashier can act on, and writes, prints and opens nothing', async () => {
    await till.signIn(STAFF.cashier);
    const before = till.journalCount();
    expect(await till.call('sale.complete', cashSale(till.nextSaleId(), 500))).toMatchObject({
      ok: false,
      error: {
        code: 'no_open_shift',
        retryable: false,
        message: 'No shift is open on this till: a manager opens the shift (F12) with the float count.',
      },
    });
    for (const [method, params] of [
      ['drawer.noSale', { reason: 'change', approval: by(STAFF.manager) }],
      ['cash.movement', { type: 'paid-in', amount: 1000, reason: 'change', approval: by(STAFF.manager) }],
      ['shift.close', { cashCount: FLOAT, otherTenders: [], approval: by(STAFF.manager) }],
      ['shift.report', {}],
      ['sale.voidable', {}],
    ] as const) {
      expect({ method, answer: await till.call(method, params) }).toMatchObject({
        method,
        answer: { ok: false, error: { code: 'no_open_shift' } },
      });
    }
    expect(till.journalCount()).toBe(before);
    expect(printer.receipts).toHaveLength(0);
    expect(printer.drawerKicks).toBe(0);
  });
});

describe('a day at the till', () => {
  it('opens with a float, sells, drops, pays out, voids, prints the X report, and closes on a blind count with a shortage', async () => {
    await till.signIn(STAFF.manager);
    const opened = await till.ok<ShiftStatusView>('shift.open', { floatCount: FLOAT });
    const shiftId = opened.shift!.shiftId;

    await till.signIn(STAFF.cashier);
    const first = await till.ok<MethodResult<'sale.complete'>>(
      'sale.complete',
      cashSale(till.nextSaleId(), 500),
    );
    expect(first).toMatchObject({ change: 250, drawer: 'confirmed', training: false });
    await till.ok('sale.complete', cashSale(till.nextSaleId(), 1000, [books]));
    const toVoid = await till.ok<MethodResult<'sale.complete'>>(
      'sale.complete',
      cashSale(till.nextSaleId(), 250),
    );

    // A cashier may move no cash alone: a supervisor approves the drop, a manager the paid out.
    expect(
      await till.call('cash.movement', { type: 'cash-drop', amount: 5000, reason: 'to the safe' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'approval_required', approval: { request: { permission: 'cashMovement' } } },
    });
    const drop = await till.ok<MethodResult<'cash.movement'>>('cash.movement', {
      type: 'cash-drop',
      amount: 5000,
      reason: 'to the safe',
      approval: by(STAFF.supervisor),
    });
    expect(drop).toMatchObject({ drawer: 'confirmed', slip: 'confirmed', approvalId: expect.any(String) });
    expect(printer.receipts.at(-1)!.text).toMatch(
      /CASH DROP[\s\S]*EUR 50\.00[\s\S]*to the safe[\s\S]*Sam Supervisor/,
    );
    await till.ok('cash.movement', {
      type: 'paid-out',
      amount: 500,
      reason: 'window cleaner',
      approval: by(STAFF.manager),
    });
    await till.ok('drawer.noSale', { reason: 'change for the bakery', approval: by(STAFF.supervisor) });

    const { sales } = await till.ok<MethodResult<'sale.voidable'>>('sale.voidable');
    expect(sales.map((sale) => [sale.receiptNumber, sale.total, sale.voidable])).toEqual([
      [toVoid.receiptNumber, 250, true],
      [expect.any(String), 998, true],
      [first.receiptNumber, 250, true],
    ]);
    const voided = await till.ok<MethodResult<'sale.postVoid'>>('sale.postVoid', {
      saleId: toVoid.saleId,
      reason: 'rung up twice',
      approval: by(STAFF.manager),
    });
    expect(voided).toMatchObject({ currency: 'EUR', refunded: 250, slip: 'confirmed', drawer: 'confirmed' });
    expect(printer.receipts.at(-1)!.text).toMatch(new RegExp(`VOID[\\s\\S]*${toVoid.receiptNumber}`));

    // The X report shows the cash expected: a cashier sees it only with a manager's approval, which is journaled.
    const before = till.journalCount();
    for (const method of ['shift.report', 'shift.printReport'] as const) {
      expect({ method, answer: await till.call(method) }).toMatchObject({
        method,
        answer: {
          ok: false,
          error: { code: 'approval_required', approval: { request: { permission: 'shiftClose' } } },
        },
      });
    }
    expect(till.journalCount()).toBe(before);
    expect(printer.receipts.at(-1)!.text).not.toContain('X REPORT');
    // Float 100.00 + cash sales 12.48 (14.98 less the 2.50 voided) − paid out 5.00 − drop 50.00 = 57.48.
    const x = await till.ok<MethodResult<'shift.report'>>('shift.report', { approval: by(STAFF.manager) });
    expect(till.journal().at(-1)).toMatchObject({
      type: 'manager-approval',
      payload: {
        action: 'shift-close',
        permission: 'shiftClose',
        subject: 'the X report',
        employeeId: 'emp-alex',
        approverId: 'emp-morgan',
      },
    });
    expect(x.report.cash).toMatchObject({
      openingFloat: 10_000,
      sales: 1248,
      paidOut: 500,
      drops: 5000,
      expected: 5748,
    });
    // The voided 2.50 left the sales (two remain, 12.48) and shows under voids.
    expect(x.report).toMatchObject({ sales: { count: 2, total: 1248 }, voids: { count: 1, total: 250 } });
    expect(x).toMatchObject({ openedByName: 'Morgan Manager', closedByName: null });
    expect(await till.ok('shift.printReport', { approval: by(STAFF.manager) })).toEqual({
      receipt: 'confirmed',
    });
    expect(printer.receipts.at(-1)!.text).toContain('X REPORT');

    // The blind count: 57.00 in the drawer, 0.48 short; no card taken.
    await till.signIn(STAFF.manager);
    const count = [
      { value: 5000, count: 1 },
      { value: 500, count: 1 },
      { value: 200, count: 1 },
    ];
    const closed = await till.ok<MethodResult<'shift.close'>>('shift.close', {
      cashCount: count,
      otherTenders: [{ kind: 'card', amount: 0 }],
    });
    expect(closed.receipt).toBe('confirmed');
    expect(closed.report.report.close).toMatchObject({
      expected: [
        { kind: 'cash', amount: 5748 },
        { kind: 'card', amount: 0 },
      ],
      counted: [
        { kind: 'cash', amount: 5700 },
        { kind: 'card', amount: 0 },
      ],
      overShort: [
        { kind: 'cash', amount: -48 },
        { kind: 'card', amount: 0 },
      ],
    });
    expect(till.journal().at(-1)).toMatchObject({
      type: 'shift-close',
      payload: { shiftId, employeeId: 'emp-morgan', blind: true, cashCount: count, approvalId: null },
    });
    const z = printer.receipts.at(-1)!.text;
    expect(z).toContain('Z REPORT');
    expect(z).toMatch(/Expected in drawer\s+57\.48/);
    expect(z).toMatch(/-0\.48/);
    // Who opened and closed it, and who moved cash with whose approval, by name.
    expect(z).toContain('Morgan Manager');
    expect(z).toMatch(/to the safe[\s\S]*Alex Cashier[\s\S]*Sam Supervisor/);

    // A closed shift takes no more sales, and the screen was told the shift opened and closed.
    await till.signIn(STAFF.cashier);
    expect(await till.call('sale.complete', cashSale(till.nextSaleId(), 500))).toMatchObject({
      ok: false,
      error: { code: 'no_open_shift' },
    });
    // (The host may have pushed the state it started in, no shift, before.)
    const shown = till.pushes('shift.status').map((status) => status.shift?.shiftId ?? null);
    expect(shown.slice(shown.indexOf(shiftId))).toEqual([shiftId, null]);
    // Three sales, the drop, the paid out, the no-sale and the void: one kick each, never more.
    expect(printer.drawerKicks).toBe(7);
  });

  it('records the shift on every sale, void and no-sale of it (sale v6, void v3, no-sale v3)', async () => {
    await till.signIn(STAFF.manager);
    const { shift } = await till.ok<ShiftStatusView>('shift.open', { floatCount: FLOAT });
    const sold = await till.ok<MethodResult<'sale.complete'>>(
      'sale.complete',
      cashSale(till.nextSaleId(), 500),
    );
    await till.ok('sale.postVoid', { saleId: sold.saleId, reason: 'customer changed their mind' });
    await till.ok('drawer.noSale', { reason: 'check the float' });
    const events = till.journal();
    for (const type of ['sale', 'void', 'no-sale'] as const) {
      expect(events.find((event) => event.type === type)).toMatchObject({
        schema: { sale: 6, void: 3, 'no-sale': 3 }[type],
        payload: { shiftId: shift!.shiftId },
      });
    }
  });
});

describe('after the close', () => {
  it('reprints the last Z report, marked COPY, as often as asked, with shiftClose or an approval', async () => {
    await till.signIn(STAFF.manager);
    const { shift } = await till.ok<ShiftStatusView>('shift.open', { floatCount: FLOAT });
    await till.ok('shift.close', { cashCount: FLOAT, otherTenders: [{ kind: 'card', amount: 0 }] });
    const original = printer.receipts.at(-1)!.text;
    expect(original).toContain('Z REPORT');
    expect(original).not.toContain('COPY');

    await till.signIn(STAFF.cashier);
    const before = till.journalCount();
    expect(await till.call('shift.printReport')).toMatchObject({
      ok: false,
      error: { code: 'approval_required', approval: { request: { permission: 'shiftClose' } } },
    });
    expect(till.journalCount()).toBe(before);
    expect(printer.receipts).toHaveLength(1);
    expect(await till.ok('shift.printReport', { approval: by(STAFF.manager) })).toEqual({
      receipt: 'confirmed',
    });
    await till.signIn(STAFF.manager);
    expect(await till.ok('shift.printReport')).toEqual({ receipt: 'confirmed' });
    // Each copy is a print job of its own: never taken for the first one again.
    expect(printer.receipts).toHaveLength(3);
    for (const copy of printer.receipts.slice(1).map((receipt) => receipt.text)) {
      expect(copy).toContain('*** COPY ***');
      expect(copy).toContain('Z REPORT');
      expect(copy).toContain(`Z-${shift!.shiftId.slice(-12)}`);
    }
    // The X report of a shift no longer open is not there to show.
    expect(await till.call('shift.report')).toMatchObject({ ok: false, error: { code: 'no_open_shift' } });
  });
});

describe('after a power loss', () => {
  it('resumes the open shift when the till starts again, and sells into it', async () => {
    await till.signIn(STAFF.manager);
    const { shift } = await till.ok<ShiftStatusView>('shift.open', { floatCount: FLOAT });
    await till.ok('sale.complete', cashSale(till.nextSaleId(), 500));
    await till.restart();
    expect(await till.ok<ShiftStatusView>('shift.status')).toMatchObject({ shift });
    await till.signIn(STAFF.cashier);
    await till.ok('sale.complete', cashSale(till.nextSaleId(), 500));
    const sales = till.journal().filter((event) => event.type === 'sale');
    expect(sales.map((sale) => sale.type === 'sale' && sale.payload.shiftId)).toEqual([
      shift!.shiftId,
      shift!.shiftId,
    ]);
  });
});
