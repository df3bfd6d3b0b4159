import type { JournalEvent } from '@tillwright/protocol';
import { DEMO_EMPLOYEES } from '@tillwright/sync-server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, hqRequest, MANAGER, signIn } from './employees.js';
import { allServerEvents, callHost, hqSession, journalEvents } from './observe.js';
import { eventually, type RunningProcess } from './processes.js';
import { SCREEN_VIEWPORT, saveScreen } from './screens.js';
import {
  approve,
  KEY_GAP_MS,
  menuItem as menuItemOf,
  notice as noticeOf,
  scan as scanWith,
  signOut,
  typeCounts as typeCountsOf,
} from './shift-screens.js';
import { startSyncServer } from './system.js';
import { startTillSystem, type TillSystem } from './till-system.js';

/**
 * A day at the till from the screen, in Chromium against browser mode, a real server and the printer emulator: no
 * shift, no sale; a manager opens the shift with a counted float; a cashier sells; a cash drop, a paid out and a
 * no-sale, each approved by a manager on the cashier's screen; training mode; then the server goes away and the rest
 * of the day (a sale, its post-void, the X report, the blind count and the close) happens offline; the Z report the
 * emulator decoded has the day's figures; and once the server is back, HQ has every event of the day exactly once.
 */

const CODE = 'E2E-SHIFT-DAY-0001';
const ADMIN_PASSWORD = 'e2e-admin-password';
const PEN = { barcode: '4006381333931', name: 'Ballpoint pen, blue' };

// The day's money, in cents. The float: 5 × 20.00 + 4 × 10.00 + 5 × 2.00 (typed, typed, keypad).
const FLOAT = 15_000;
const DROP = 10_000;
const PAID_OUT = 1250;
/** Sale A: two pens, paid with 10.00. Sale B: one pen, exact, post-voided offline. */
const SALE_A = 500;
const SALE_B = 250;
const EXPECTED_CASH = FLOAT + SALE_A - DROP - PAID_OUT; // 4250: sale B is voided
/** The blind count: 1 × 20.00 + 1 × 10.00, 12.50 short. */
const COUNTED_CASH = 3000;

let till: TillSystem;
let page: Page;
/** The server started again after it was killed (the one startTillSystem started is gone by then). */
let restarted: RunningProcess | null = null;
let shiftId = '';

const idOf = (employee: { number: string }) =>
  DEMO_EMPLOYEES.find((demo) => demo.number === employee.number)!.employeeId;
const journal = (type?: string) =>
  journalEvents(till.ledgerPath).filter((event) => type === undefined || event.type === type);
const kicksReach = (count: number) =>
  eventually(() => (till.printer.drawerKicks === count ? true : undefined), `${count} drawer kicks`);

beforeAll(async () => {
  till = await startTillSystem({ name: 'shift-day', enrolmentCode: CODE, viewport: SCREEN_VIEWPORT });
  page = till.page;
  await page.goto(till.terminalUrl);
  await page
    .getByTestId('terminal-id')
    .filter({ hasText: /store-001-T\d+/ })
    .waitFor();
});

afterAll(async () => {
  await restarted?.stop();
  await till?.stop();
});

const scan = (barcode: string) => scanWith(page, barcode);
const menuItem = (key: string, testId: string) => menuItemOf(page, key, testId);
const managerApproves = (what: RegExp) => approve(page, what, CASHIER.displayName, MANAGER);
const typeCounts = (rows: Record<string, number>) => typeCountsOf(page, rows);
const notice = (text: string) => noticeOf(page, text);

describe('a day at the till: shift, cash and the close, from the screen, offline for the end of it', () => {
  it('with no shift open, the screen says what to do, Pay is off, and the host refuses a sale and writes nothing', async () => {
    await signIn(page, CASHIER.number, CASHIER.pin);
    await page.getByTestId('shift-state').filter({ hasText: 'No shift open' }).waitFor();
    expect(await page.getByTestId('no-shift').textContent()).toBe(
      'No shift open: a manager opens the shift — F12',
    );
    await scan(PEN.barcode);
    await page.getByTestId('cart-line').waitFor();
    expect(await page.getByTestId('pay').isDisabled()).toBe(true);
    // What a page that thought otherwise would send: refused with its reason, and the journal takes no sale.
    const refused = await callHost(till.terminalUrl, 'sale.complete', {
      saleId: '019ab8a0-0000-7000-8000-00000000f00d',
      currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: PEN.barcode, quantity: 1 }],
      tenders: [{ kind: 'cash', tendered: 250 }],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'no_open_shift' } });
    expect(journal('sale')).toEqual([]);
    await page.getByRole('button', { name: `Remove ${PEN.name}` }).click();
    await signOut(page);
  });

  it('a manager opens the shift with the float counted by note and coin', async () => {
    await signIn(page, MANAGER.number, MANAGER.pin);
    await menuItem('1', 'menu-open-shift');
    await page.getByTestId('shift-open-count').waitFor();
    await typeCounts({ '20.00': 5, '10.00': 4 });
    // The 2.00 coins on the on-screen keypad.
    await page.getByTestId('count-2.00').click();
    await page.getByTestId('pad-5').click();
    await expect.poll(() => page.getByTestId('count-total').textContent()).toBe('Cash counted EUR 150.00');
    await saveScreen(page, 'shift-open');
    await page.keyboard.press('Enter');

    await page.getByTestId('manager-menu').waitFor({ state: 'detached' });
    await notice('Shift open: float EUR 150.00 counted');
    await page
      .getByTestId('shift-state')
      .filter({ hasText: /^Shift open · since .+ · Morgan Manager$/ })
      .waitFor();
    expect(await page.getByTestId('pay').isDisabled()).toBe(false);
    const [open] = journal('shift-open');
    expect(open?.payload).toMatchObject({
      employeeId: idOf(MANAGER),
      openingFloat: FLOAT,
      floatCount: expect.arrayContaining([
        { value: 2000, count: 5 },
        { value: 1000, count: 4 },
        { value: 200, count: 5 },
      ]),
    });
    shiftId = (open!.payload as { shiftId: string }).shiftId;
    await signOut(page);
  });

  it('a cashier signs in and sells', async () => {
    await signIn(page, CASHIER.number, CASHIER.pin);
    await scan(PEN.barcode);
    await scan(PEN.barcode);
    await expect
      .poll(() => page.getByTestId('cart-line').allTextContents())
      .toEqual([expect.stringMatching(/Ballpoint pen, blue\s*2/)]);
    await page.getByTestId('cash-tendered').fill('10.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 5.00');
    expect(journal('sale').map((sale) => sale.payload)).toEqual([
      expect.objectContaining({ employeeId: idOf(CASHIER), shiftId, total: SALE_A }),
    ]);
    await kicksReach(1);
  });

  it('a cash drop and a paid out the cashier asks for go through a manager’s approval on the same screen', async () => {
    await menuItem('3', 'menu-cash-drop');
    await page.getByTestId('cash-amount').click();
    await page.keyboard.type('100', { delay: KEY_GAP_MS });
    await page.getByTestId('reason-choice').filter({ hasText: 'Scheduled drop' }).click();
    expect(await page.getByTestId('cash-movement-confirm').textContent()).toContain(
      'Cash drop EUR 100.00: Scheduled drop',
    );
    await saveScreen(page, 'cash-movement');
    await page.getByTestId('cash-movement-confirm').click();
    await managerApproves(/^A cash drop or paid-in needs approval$/);
    await notice('Drawer opened: cash drop EUR 100.00 (Scheduled drop). Slip printed.');
    await kicksReach(2);

    await menuItem('5', 'menu-paid-out');
    // On the keypad this time, and a reason typed.
    await page.getByTestId('cash-amount').click();
    for (const key of ['1', '2', '.', '5']) await page.getByTestId(`pad-${key}`).click();
    await page.getByTestId('reason-other').fill('Window cleaner');
    await page.keyboard.press('Enter');
    await managerApproves(/^A paid-out of 12\.50 needs approval$/);
    await notice('Drawer opened: paid out EUR 12.50 (Window cleaner). Slip printed.');
    await kicksReach(3);

    expect(journal('cash-drop').map((event) => event.payload)).toEqual([
      expect.objectContaining({
        shiftId,
        amount: DROP,
        reason: 'Scheduled drop',
        employeeId: idOf(CASHIER),
        approvalId: expect.any(String),
      }),
    ]);
    expect(journal('paid-out').map((event) => event.payload)).toEqual([
      expect.objectContaining({
        shiftId,
        amount: PAID_OUT,
        reason: 'Window cleaner',
        employeeId: idOf(CASHIER),
      }),
    ]);
  });

  it('a no-sale asks its reason, and a manager approves it', async () => {
    await menuItem('6', 'no-sale');
    await page.getByTestId('no-sale-reason').filter({ hasText: 'Change for a customer' }).click();
    await managerApproves(/^A no-sale needs approval$/);
    await notice('Drawer opened: no sale (Change for a customer)');
    await kicksReach(4);
    expect(journal('no-sale').map((event) => event.payload)).toEqual([
      expect.objectContaining({ reason: 'Change for a customer', employeeId: idOf(CASHIER), shiftId }),
    ]);
  });

  it('in training mode a sale is practice: the banner, TRAINING on screen and receipt, no drawer, not a sale', async () => {
    await menuItem('9', 'menu-training');
    await managerApproves(/^Training mode needs approval$/);
    await page.getByTestId('training-banner').waitFor();
    expect(await page.getByTestId('training-badge').textContent()).toBe('TRAINING');
    const receiptsBefore = till.printer.receipts.length;
    await scan(PEN.barcode);
    await page.getByTestId('cart-line').waitFor();
    await page.getByTestId('pay').click();
    await page.getByTestId('last-sale-training').waitFor();
    await saveScreen(page, 'training');
    await eventually(
      () => (till.printer.receipts.length > receiptsBefore ? true : undefined),
      'the training receipt',
    );
    expect(till.printer.receipts.at(-1)!.text).toContain('TRAINING');
    expect(journal('training-sale')).toHaveLength(1);
    expect(journal('sale')).toHaveLength(1);
    expect(till.printer.drawerKicks).toBe(4);

    await menuItem('9', 'menu-training');
    await managerApproves(/^Training mode needs approval$/);
    await page.getByTestId('training-banner').waitFor({ state: 'detached' });
  });

  it('with the server gone, a sale and its post-void go on offline', async () => {
    till.server.child.kill('SIGKILL');
    await till.server.stop();

    await scan(PEN.barcode);
    await page.getByTestId('cart-line').waitFor();
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 0.00');
    await kicksReach(5);
    await page
      .getByTestId('sync-state')
      .filter({ hasText: /^offline/ })
      .waitFor();

    await menuItem('7', 'menu-post-void');
    const sales = page.getByTestId('voidable-sale');
    await expect.poll(() => sales.count()).toBe(2);
    // Latest first: sale B, then sale A.
    expect(await sales.first().textContent()).toContain('EUR 2.50');
    expect(await sales.nth(1).textContent()).toContain('EUR 5.00');
    await sales.first().click();
    await page.getByTestId('reason-choice').filter({ hasText: 'Rung up in error' }).click();
    await page.getByTestId('post-void-next').click();
    await page.getByTestId('post-void-confirm').waitFor();
    expect(await page.getByTestId('post-void-refund').textContent()).toBe('EUR 2.50');
    await saveScreen(page, 'post-void');
    await page.keyboard.press('Enter');
    await managerApproves(/^Voiding a completed sale needs approval$/);
    await notice('voided: hand back EUR 2.50 cash. Void slip printed; drawer opened.');
    await kicksReach(6);
    const [saleB] = journal('sale').slice(-1);
    expect(journal('void').map((event) => event.payload)).toEqual([
      expect.objectContaining({
        voidedEventId: saleB!.eventId,
        reason: 'Rung up in error',
        employeeId: idOf(CASHIER),
        shiftId,
      }),
    ]);
    await signOut(page);
  });

  it('offline, the manager reads the X report and closes the shift with a blind count: 12.50 short', async () => {
    await signIn(page, MANAGER.number, MANAGER.pin);
    await menuItem('2', 'menu-x-report');
    await page.getByTestId('x-report').waitFor();
    const figure = (name: string) => page.getByTestId(`report-${name}`).textContent();
    expect(await figure('float')).toBe('EUR 150.00');
    expect(await figure('cash-sales')).toBe('EUR 5.00');
    expect(await figure('drops')).toBe('EUR 100.00');
    expect(await figure('paid-out')).toBe('EUR 12.50');
    expect(await figure('expected')).toBe('EUR 42.50');
    expect(await figure('voids')).toBe('1 · EUR 2.50');
    expect(await figure('no-sales')).toBe('1');
    await saveScreen(page, 'x-report');
    const receiptsBefore = till.printer.receipts.length;
    await page.keyboard.press('p');
    await page.getByTestId('manager-message').filter({ hasText: 'X report printed' }).waitFor();
    expect(till.printer.receipts.length).toBe(receiptsBefore + 1);
    expect(till.printer.receipts.at(-1)!.text).toContain('X REPORT');
    await page.keyboard.press('Escape');

    await page.keyboard.press('8');
    await page.getByTestId('shift-close-count').waitFor();
    await typeCounts({ '20.00': 1, '10.00': 1 });
    // Blind: nothing the till expects is on the screen while counting.
    const counting = await page.getByTestId('manager-menu').textContent();
    expect(counting).not.toContain('42.50');
    expect(counting).not.toMatch(/expected/i);
    await saveScreen(page, 'shift-close-count');
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-close-confirm').waitFor();
    expect(await page.getByTestId('shift-close-counted').textContent()).toContain('Cash counted: EUR 30.00');
    await page.keyboard.press('Enter');

    await page.getByTestId('shift-close-result').waitFor();
    expect(await page.getByTestId('over-short-cash-words').textContent()).toBe('short 12.50');
    expect(await page.getByTestId('over-short-cash').textContent()).toMatch(/EUR 42\.50.*EUR 30\.00/);
    expect(await page.getByTestId('z-report-printed').textContent()).toBe('Z report printed.');
    await saveScreen(page, 'shift-close-result');
    await page.keyboard.press('Enter');
    await page.getByTestId('manager-menu').waitFor({ state: 'detached' });
    await page.getByTestId('shift-state').filter({ hasText: 'No shift open' }).waitFor();
    expect(await page.getByTestId('pay').isDisabled()).toBe(true);

    const [close] = journal('shift-close');
    expect(close?.payload).toMatchObject({
      shiftId,
      employeeId: idOf(MANAGER),
      blind: true,
      cashCount: expect.arrayContaining([
        { value: 2000, count: 1 },
        { value: 1000, count: 1 },
      ]),
      expected: expect.arrayContaining([{ kind: 'cash', amount: EXPECTED_CASH }]),
      counted: expect.arrayContaining([{ kind: 'cash', amount: COUNTED_CASH }]),
      overShort: expect.arrayContaining([{ kind: 'cash', amount: COUNTED_CASH - EXPECTED_CASH }]),
    });
    // Still offline all along.
    expect(await page.getByTestId('sync-state').textContent()).toMatch(/^offline/);
  });

  it('the Z report the printer emulator decoded has the day’s figures', async () => {
    const z = await eventually(
      () => till.printer.receipts.find((receipt) => receipt.text.includes('Z REPORT')),
      'the Z report',
    );
    expect(z.text).toMatch(/Opening float\s+150\.00/);
    expect(z.text).toMatch(/Cash sales\s+5\.00/);
    expect(z.text).toMatch(/Paid out\s+-12\.50/);
    expect(z.text).toMatch(/Drops\s+-100\.00/);
    expect(z.text).toMatch(/Expected in drawer\s+42\.50/);
    expect(z.text).toMatch(/Voided, not in sales \(1\)\s+2\.50/);
    expect(z.text).toMatch(/Opened by\s+Morgan Manager/);
    expect(z.text).toMatch(/Scheduled drop\s+by Alex Cashier, approved by Morgan Manager/);
    expect(z.text).toMatch(
      /Cash counted \(blind\)\s+20\.00 x 1\s+20\.00\s+10\.00 x 1\s+10\.00\s+Total counted\s+30\.00/,
    );
    // Counted / expected, and the shortage.
    expect(z.text).toMatch(/Cash\s+-12\.50/);
    expect(z.text).toMatch(/30\.00 \/ 42\.50/);
    expect(z.text).not.toContain('TRAINING');
  });

  it('back online, HQ has every event of the day exactly once, each with its employee and the shift', async () => {
    restarted = (
      await startSyncServer({
        dataDir: till.dataDir,
        adminPassword: ADMIN_PASSWORD,
        enrolmentCode: CODE,
        port: Number(new URL(till.serverUrl).port),
      })
    ).process;
    await eventually(
      async () => {
        const status = await callHost(till.terminalUrl, 'sync.status', {});
        return status.result?.pending === 0 ? true : undefined;
      },
      'every event at HQ',
      60_000,
    );
    const token = await hqSession(till.serverUrl, ADMIN_PASSWORD);
    const atHq = (await allServerEvents(till.serverUrl, token)).map((item) => item.event as JournalEvent);
    const day = journal();
    const times = new Map<string, number>();
    for (const event of atHq) times.set(event.eventId, (times.get(event.eventId) ?? 0) + 1);
    expect(day.map((event) => [event.type, times.get(event.eventId)])).toEqual(
      day.map((event) => [event.type, 1]),
    );
    expect(atHq).toHaveLength(day.length);

    const payloads = (type: string) =>
      atHq.filter((event) => event.type === type).map((event) => event.payload as Record<string, unknown>);
    const ofShift = (employee: { number: string }) => ({ employeeId: idOf(employee), shiftId });
    expect(payloads('shift-open')).toEqual([expect.objectContaining(ofShift(MANAGER))]);
    expect(payloads('sale')).toEqual([
      expect.objectContaining({ ...ofShift(CASHIER), total: SALE_A }),
      expect.objectContaining({ ...ofShift(CASHIER), total: SALE_B }),
    ]);
    expect(payloads('cash-drop')).toEqual([expect.objectContaining({ ...ofShift(CASHIER), amount: DROP })]);
    expect(payloads('paid-out')).toEqual([
      expect.objectContaining({ ...ofShift(CASHIER), amount: PAID_OUT }),
    ]);
    expect(payloads('no-sale')).toEqual([expect.objectContaining(ofShift(CASHIER))]);
    expect(payloads('void')).toEqual([expect.objectContaining(ofShift(CASHIER))]);
    expect(payloads('shift-close')).toEqual([expect.objectContaining(ofShift(MANAGER))]);
    expect(payloads('training-sale')).toHaveLength(1);
    expect(payloads('training-mode')).toEqual([
      expect.objectContaining({ on: true, employeeId: idOf(CASHIER) }),
      expect.objectContaining({ on: false, employeeId: idOf(CASHIER) }),
    ]);
    // Every approval the cashier asked for, by the manager: drop, paid out, no-sale, training twice, post-void.
    expect(payloads('manager-approval')).toHaveLength(6);
    for (const approval of payloads('manager-approval')) {
      expect(approval).toMatchObject({ employeeId: idOf(CASHIER), approverId: idOf(MANAGER) });
    }
  });

  it('HQ shows the shift closed 12.50 short with who opened and closed it, and raised over_short beyond 5.00', async () => {
    const token = await hqSession(till.serverUrl, ADMIN_PASSWORD);
    const shift = await hqRequest(till.serverUrl, token, 'GET', `/v1/hq/shifts/${shiftId}`);
    expect(shift.status).toBe(200);
    expect(shift.body).toMatchObject({
      shiftId,
      state: 'closed',
      openedBy: idOf(MANAGER),
      closedBy: idOf(MANAGER),
      openingFloat: FLOAT,
      blind: true,
      sales: { count: 1, total: SALE_A },
      voids: { count: 1, total: SALE_B },
      trainingSales: { count: 1 },
      noSales: 1,
      movements: [
        expect.objectContaining({ type: 'cash-drop', amount: DROP, employeeId: idOf(CASHIER) }),
        expect.objectContaining({ type: 'paid-out', amount: PAID_OUT, employeeId: idOf(CASHIER) }),
      ],
    });
    expect((shift.body as { overShort: unknown[] }).overShort).toContainEqual({
      kind: 'cash',
      amount: COUNTED_CASH - EXPECTED_CASH,
    });
    // The store's overShortAlert is the default, 500 minor units: 12.50 short is beyond it.
    const exceptions = await hqRequest(till.serverUrl, token, 'GET', '/v1/hq/exceptions');
    const overShort = (
      exceptions.body as { exceptions: { kind: string; data?: unknown }[] }
    ).exceptions.filter((exception) => exception.kind === 'over_short');
    expect(overShort).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ shiftId, overShort: COUNTED_CASH - EXPECTED_CASH, threshold: 500 }),
      }),
    ]);
  });
});
