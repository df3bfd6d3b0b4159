import { type PrinterEmulator, startPrinterEmulator } from '@tillwright/devices/sim';
import { KNOWN_EVENT_VERSIONS } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodResult, ShiftStatusView } from '../contract/methods.js';
import { type HostFixture, hostFixture } from './host-fixture.js';
import {
  cleanUpTills,
  FLOAT_COUNT,
  journalEvents,
  openShiftIn,
  STAFF,
  type StaffMember,
  saleServiceFor,
  staffedTill,
} from './test-support.js';

let printer: PrinterEmulator | null = null;
let till: HostFixture | undefined;

afterEach(async () => {
  cleanUpTills();
  await till?.cleanup();
  till = undefined;
  await printer?.close();
  printer = null;
});

const by = (member: StaffMember) => ({ number: member.number, pin: member.pin });
const penSale = (saleId: string) => ({
  saleId,
  currency: 'EUR',
  lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
  tenders: [{ kind: 'cash' as const, tendered: 500 }],
});

describe('turning training mode on and off', () => {
  it('needs trainingMode or an approval, journals training-mode, and pushes shift.status', async () => {
    till = await hostFixture();
    await till.signIn(STAFF.cashier);
    const before = till.journalCount();
    expect(await till.call('training.set', { on: true })).toMatchObject({
      ok: false,
      error: { code: 'approval_required', approval: { request: { permission: 'trainingMode' } } },
    });
    expect(till.journalCount()).toBe(before);
    const on = await till.ok<ShiftStatusView>('training.set', { on: true, approval: by(STAFF.manager) });
    expect(on).toMatchObject({ training: true, shift: null });
    const [approval, training] = till.journal().slice(-2);
    expect(approval).toMatchObject({ type: 'manager-approval', payload: { action: 'training-mode' } });
    expect(training).toMatchObject({
      type: 'training-mode',
      payload: { on: true, employeeId: 'emp-alex', approvalId: approval!.eventId },
    });
    // Asking for the mode in force changes and writes nothing.
    const count = till.journalCount();
    expect(await till.ok('training.set', { on: true })).toMatchObject({ training: true });
    expect(till.journalCount()).toBe(count);
    await till.signIn(STAFF.manager);
    expect(await till.ok('training.set', { on: false })).toMatchObject({ training: false });
    expect(till.pushes('shift.status').map((status) => status.training)).toEqual([true, false]);
  });

  it('is refused (training_not_supported) by a till whose server never announced training sales, writing nothing', async () => {
    const { 'training-sale': _, 'training-mode': __, ...older } = KNOWN_EVENT_VERSIONS;
    till = await hostFixture({
      prepare: (ledger) =>
        ledger.serverContact.recordVersions({ events: older, feed: {}, config: [1, 2, 3] }),
    });
    await till.signIn(STAFF.manager);
    const before = till.journalCount();
    expect(await till.call('training.set', { on: true })).toMatchObject({
      ok: false,
      error: { code: 'training_not_supported', message: expect.stringMatching(/update the sync server/) },
    });
    expect(till.journalCount()).toBe(before);
  });

  it('is off once the server stops announcing training: turning it off is never refused, and the till sells for real', async () => {
    const t = await staffedTill(STAFF.manager);
    await t.training.set({ on: true });
    const shiftId = openShiftIn(t.ledger);
    const { 'training-sale': _, 'training-mode': __, ...older } = KNOWN_EVENT_VERSIONS;
    t.ledger.serverContact.recordVersions({ events: older, feed: {}, config: [1, 2, 3] });
    const before = journalEvents(t.ledger).length;
    await expect(t.training.set({ on: false })).resolves.toBeUndefined();
    // Nothing can be journaled as training any more: the mode reads off, as it would after a restart.
    expect(t.training.isOn()).toBe(false);
    expect(journalEvents(t.ledger)).toHaveLength(before);
    const saleId = t.nextSaleId();
    await saleServiceFor(t).complete(penSale(saleId));
    expect(journalEvents(t.ledger).at(-1)).toMatchObject({
      eventId: saleId,
      type: 'sale',
      payload: { total: 250, shiftId },
    });
  });

  it('survives a restart: read back from the journal', async () => {
    till = await hostFixture();
    await till.signIn(STAFF.manager);
    await till.ok('training.set', { on: true });
    await till.restart();
    expect(await till.ok('shift.status')).toMatchObject({ training: true });
  });
});

describe('selling in training mode', () => {
  it('journals a training sale with no shift needed, prints TRAINING, opens no drawer, and answers a retry with it', async () => {
    printer = await startPrinterEmulator({ port: 0 });
    till = await hostFixture({ printer });
    await till.signIn(STAFF.manager);
    await till.ok('training.set', { on: true });
    const saleId = till.nextSaleId();
    const sold = await till.ok<MethodResult<'sale.complete'>>('sale.complete', penSale(saleId));
    expect(sold).toMatchObject({
      saleId,
      training: true,
      change: 250,
      receipt: 'confirmed',
      drawer: 'skipped',
    });
    expect(till.journal().at(-1)).toMatchObject({
      eventId: saleId,
      type: 'training-sale',
      payload: { total: 250, shiftId: null },
    });
    const text = printer.receipts.at(-1)!.text;
    expect(text.match(/TRAINING - NOT A SALE/g)).toHaveLength(2);
    expect(printer.drawerKicks).toBe(0);
    const count = till.journalCount();
    expect(await till.ok('sale.complete', penSale(saleId))).toMatchObject({
      saleId,
      training: true,
      alreadyRecorded: true,
    });
    expect(await till.ok('sale.recorded', { saleId })).toMatchObject({ sale: { training: true } });
    expect(till.journalCount()).toBe(count);
    expect(printer.receipts).toHaveLength(1);
  });

  it('never counts a training sale in the shift, and refuses whatever moves real cash (training_mode), writing nothing', async () => {
    till = await hostFixture({ prepare: (ledger) => void openShiftIn(ledger) });
    await till.signIn(STAFF.manager);
    await till.ok('sale.complete', penSale(till.nextSaleId()));
    await till.ok('training.set', { on: true });
    const training = await till.ok<MethodResult<'sale.complete'>>(
      'sale.complete',
      penSale(till.nextSaleId()),
    );
    const before = till.journalCount();
    for (const [method, params] of [
      ['cash.movement', { type: 'cash-drop', amount: 100, reason: 'to the safe' }],
      ['cash.movement', { type: 'paid-in', amount: 100, reason: 'change' }],
      ['drawer.noSale', { reason: 'change' }],
      ['sale.postVoid', { saleId: training.saleId, reason: 'practice' }],
      ['shift.close', { cashCount: FLOAT_COUNT, otherTenders: [] }],
    ] as const) {
      expect({ method, answer: await till.call(method, params) }).toMatchObject({
        method,
        answer: {
          ok: false,
          error: { code: 'training_mode', message: expect.stringMatching(/training mode/) },
        },
      });
    }
    expect(till.journalCount()).toBe(before);
    const x = await till.ok<MethodResult<'shift.report'>>('shift.report');
    expect(x.report.sales).toMatchObject({ count: 1, total: 250 });
    const { sales } = await till.ok<MethodResult<'sale.voidable'>>('sale.voidable');
    expect(sales).toHaveLength(1);
  });
});
