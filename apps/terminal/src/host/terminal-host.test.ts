import { LedgerReader } from '@tillwright/ledger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodName, SessionView } from '../contract/methods.js';
import type { RpcResponse } from '../contract/wire.js';
import { TerminalHost } from './terminal-host.js';
import { enrolledLedger, FLOAT_COUNT, openShiftIn, STAFF, staffTheTill, TestClock } from './test-support.js';

let fixture: ReturnType<typeof enrolledLedger>;
let clock: TestClock;
let host: TerminalHost;
let pushed: SessionView[];
let nextId = 1;

beforeEach(async () => {
  fixture = enrolledLedger();
  await staffTheTill(fixture.ledger);
  openShiftIn(fixture.ledger);
  fixture.ledger.close();
  clock = new TestClock();
  host = new TerminalHost({
    dataDir: fixture.dir,
    serverUrl: 'http://127.0.0.1:9',
    enrolmentCode: null,
    terminalName: 'Till',
    printer: null,
    simulators: false,
    currency: 'EUR',
    storeName: 'Test',
    taxJurisdiction: 'DE',
    now: clock.now,
    setTimer: clock.setTimer,
    log: () => {},
  });
  pushed = [];
  host.subscribe((message) => {
    if (message.event === 'session.status') pushed.push(message.payload as SessionView);
  });
});
afterEach(async () => {
  await host.stop();
  fixture.cleanup();
});

const call = (method: MethodName, params: unknown = {}): Promise<RpcResponse> =>
  host.call(nextId++, method, params);

function journalCount(): number {
  const reader = LedgerReader.open(`${fixture.dir}/ledger.sqlite`);
  try {
    return reader.journal.count();
  } finally {
    reader.close();
  }
}

const penSale = () => ({
  currency: 'EUR',
  lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
});
const manager = { number: STAFF.manager.number, pin: STAFF.manager.pin };
const SALE_ID = '019ab8a0-0000-7000-8000-00000000057a';

/** Every method that sells, opens the drawer or acts for someone, with params it would otherwise take. */
const GATED: [MethodName, unknown][] = [
  ['catalog.search', { text: 'pen' }],
  ['sale.quote', penSale()],
  ['sale.complete', { ...penSale(), saleId: SALE_ID, tenders: [{ kind: 'cash', tendered: 500 }] }],
  ['sale.recorded', { saleId: SALE_ID }],
  ['sale.list', {}],
  ['drawer.noSale', { reason: 'change for the float', approval: manager }],
  ['employees.unlock', { employeeId: 'emp-alex', approval: manager }],
  ['sync.retry', { approval: manager }],
  ['sync.startNewEpoch', { approval: manager }],
  ['shift.open', { floatCount: FLOAT_COUNT, approval: manager }],
  ['shift.report', {}],
  ['shift.printReport', {}],
  ['shift.close', { cashCount: FLOAT_COUNT, otherTenders: [], approval: manager }],
  ['cash.movement', { type: 'paid-in', amount: 100, reason: 'change', approval: manager }],
  ['sale.voidable', {}],
  ['sale.postVoid', { saleId: SALE_ID, reason: 'rung up twice', approval: manager }],
  ['training.set', { on: true, approval: manager }],
];

/** Calls every gated method, expecting each refused with `code`, and nothing written. */
async function expectAllGatedRefused(code: string) {
  const before = journalCount();
  for (const [method, params] of GATED) {
    const answer = await call(method, params);
    expect({ method, answer }).toMatchObject({ method, answer: { ok: false, error: { code } } });
  }
  expect(journalCount()).toBe(before);
}

describe('the till with nobody signed in, or locked', () => {
  it('refuses every method that sells, opens the drawer or acts for someone (not_signed_in), writing nothing', async () => {
    await expectAllGatedRefused('not_signed_in');
  });

  it('refuses them all while the screen is locked (session_locked), writing nothing, and sells again after the PIN', async () => {
    expect(await call('session.signIn', { number: '1001', pin: STAFF.cashier.pin })).toMatchObject({
      ok: true,
    });
    expect(await call('session.lock')).toMatchObject({ ok: true, result: { state: 'locked' } });
    await expectAllGatedRefused('session_locked');
    await call('session.signIn', { number: '1001', pin: STAFF.cashier.pin });
    expect(await call('sale.quote', penSale())).toMatchObject({ ok: true, result: { total: 250 } });
  });

  it('answers who is signed in, and what may be picked, to anyone at the till', async () => {
    expect(await call('session.status')).toMatchObject({ ok: true, result: { state: 'signed-out' } });
    expect(await call('session.employees')).toMatchObject({ ok: true, result: { employees: { length: 3 } } });
    expect(await call('employees.locked')).toEqual({
      id: expect.any(Number),
      ok: true,
      result: { employees: [] },
    });
    expect(await call('catalog.lookup', { barcode: '4006381333931' })).toMatchObject({ ok: true });
    expect(await call('shift.status')).toMatchObject({
      ok: true,
      result: { shift: { openingFloat: 10_000 } },
    });
  });
});

describe('catalog.search', () => {
  it('finds products by the start of their name from the first letter, as the screen shows them', async () => {
    await call('session.signIn', { number: '1001', pin: STAFF.cashier.pin });
    const found = await call('catalog.search', { text: 'p' });
    expect(found).toMatchObject({
      ok: true,
      result: { products: [{ productId: 'pen', barcode: null, currency: 'EUR', unitPrice: 250 }] },
    });
    expect(await call('catalog.search', { text: 'zzz', limit: 5 })).toMatchObject({
      ok: true,
      result: { products: [] },
    });
    expect(await call('catalog.search', { text: 'NEAR("pen" *) -:' })).toMatchObject({ ok: true });
    // At most 60 characters, counted as a person counts them: 60 emoji are 120 UTF-16 units.
    expect(await call('catalog.search', { text: '😀'.repeat(60) })).toMatchObject({ ok: true });
  });

  it('refuses empty, overlong or control-character text and a limit over 50 (invalid_params)', async () => {
    await call('session.signIn', { number: '1001', pin: STAFF.cashier.pin });
    for (const params of [
      { text: '' },
      { text: 'p'.repeat(61) },
      { text: '😀'.repeat(61) },
      { text: `${'p'.repeat(59)}\ud83d` }, // an emoji cut in half
      { text: 'pen\u0000' },
      { text: 'pen\n' },
      { text: 'pen', limit: 51 },
      { text: 'pen', limit: 0 },
    ]) {
      expect(await call('catalog.search', params)).toMatchObject({
        ok: false,
        error: { code: 'invalid_params' },
      });
    }
  });
});

describe('a sale rung up by the employee signed in', () => {
  it('records who rang it up, and pushes session.status on sign-in, auto-lock and sign-out', async () => {
    await call('session.signIn', { number: '1001', pin: STAFF.cashier.pin, method: 'list' });
    const saleId = fixture.nextSaleId();
    const sold = await call('sale.complete', {
      ...penSale(),
      saleId,
      tenders: [{ kind: 'cash', tendered: 500 }],
    });
    expect(sold).toMatchObject({ ok: true, result: { saleId, change: 250 } });
    expect(await call('sale.recorded', { saleId })).toMatchObject({
      ok: true,
      result: { employeeId: 'emp-alex' },
    });
    clock.advance(300_000);
    await call('session.signOut');
    expect(pushed.map((view) => [view.state, view.employee?.displayName ?? null])).toEqual([
      ['signed-in', 'Alex Cashier'],
      ['locked', 'Alex Cashier'],
      ['signed-out', null],
    ]);
  });

  it('says what approval a no-sale needs, with the approval in the error', async () => {
    await call('session.signIn', { number: '1001', pin: STAFF.cashier.pin });
    expect(await call('drawer.noSale', { reason: 'change for the float' })).toMatchObject({
      ok: false,
      error: {
        code: 'approval_required',
        approval: { request: { permission: 'noSale' }, what: 'a no-sale', requestedBy: 'Alex Cashier' },
      },
    });
    expect(await call('drawer.noSale', { reason: 'change for the float', approval: manager })).toMatchObject({
      ok: true,
      result: { drawer: 'skipped', approvalId: expect.any(String) },
    });
  });
});

describe('sale.list', () => {
  it('lists the till’s sales newest first, a page at a time, and finds one by its receipt number', async () => {
    await call('session.signIn', { number: '1001', pin: STAFF.cashier.pin });
    const sold: { saleId: string; receiptNumber: string }[] = [];
    for (const tendered of [500, 1000]) {
      const answer = await call('sale.complete', {
        ...penSale(),
        saleId: fixture.nextSaleId(),
        tenders: [{ kind: 'cash', tendered }],
      });
      sold.push((answer as { result: { saleId: string; receiptNumber: string } }).result);
    }
    const first = await call('sale.list', { limit: 1 });
    expect(first).toMatchObject({
      ok: true,
      result: {
        sales: [
          { saleId: sold[1]!.saleId, receiptNumber: sold[1]!.receiptNumber, total: 250, currency: 'EUR' },
        ],
        next: expect.any(Number),
      },
    });
    const next = (first as { result: { next: number } }).result.next;
    expect(await call('sale.list', { limit: 1, before: next })).toMatchObject({
      ok: true,
      result: { sales: [{ saleId: sold[0]!.saleId, training: false }], next: null },
    });
    expect(await call('sale.list', { receiptNumber: sold[0]!.receiptNumber.toLowerCase() })).toMatchObject({
      ok: true,
      result: { sales: [{ saleId: sold[0]!.saleId }], next: null },
    });
    for (const params of [{ limit: 51 }, { limit: 0 }, { receiptNumber: "1' OR 1=1" }, { before: -1 }]) {
      expect(await call('sale.list', params)).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    }
  });
});
