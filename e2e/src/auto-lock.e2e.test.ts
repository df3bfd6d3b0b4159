import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, MANAGER, putTerminalConfig, signIn } from './employees.js';
import { openShiftAtTill } from './observe.js';
import { eventually } from './processes.js';
import { SCREEN_VIEWPORT, saveScreen } from './screens.js';
import { payloadsAtHq, startTillSystem, type TillSystem } from './till-system.js';

/** Seconds without a key or a touch before the till locks, as HQ configures it here. */
const AUTO_LOCK_SECONDS = 8;
const PEN = '4006381333931';

let till: TillSystem;
let page: Page;

beforeAll(async () => {
  till = await startTillSystem({
    name: 'auto-lock',
    enrolmentCode: 'E2E-AUTOLOCK-01',
    viewport: SCREEN_VIEWPORT,
    beforeTill: (serverUrl, hqToken) =>
      putTerminalConfig(serverUrl, hqToken, { autoLockSeconds: AUTO_LOCK_SECONDS }),
  });
  page = till.page;
  // The manager opens the till's shift (and signs out again) before anyone works at it.
  await openShiftAtTill(till.terminalUrl);
  await page.goto(till.terminalUrl);
});

afterAll(() => till?.stop());

/** Payloads of the events of `type` HQ holds. */
const atHq = (type: string) => payloadsAtHq(till, type);

describe('the till locks itself', () => {
  it('after the configured idle time, keeps the sale in progress, and another employee takes it over', async () => {
    await signIn(page, CASHIER.number, CASHIER.pin);
    for (let i = 0; i < 2; i++) {
      await page.getByTestId('sim-barcode').fill(PEN);
      await page.getByTestId('sim-scan').click();
    }
    await expect
      .poll(() => page.getByTestId('cart-line').allTextContents())
      .toEqual([expect.stringMatching(/Ballpoint pen, blue\s*2/)]);

    // Nobody touches the till: the host locks it and the screen asks the cashier's PIN, saying the sale is kept.
    const lockedAt = Date.now();
    await page.getByTestId('locked-employee').waitFor({ timeout: (AUTO_LOCK_SECONDS + 30) * 1000 });
    expect(Date.now() - lockedAt).toBeGreaterThanOrEqual((AUTO_LOCK_SECONDS - 1) * 1000);
    expect(await page.getByTestId('locked-employee').textContent()).toContain(CASHIER.displayName);
    expect(await page.getByTestId('cart-kept').textContent()).toBe(
      'The sale in progress is kept: 2 items, EUR 5.00.',
    );
    await saveScreen(page, 'locked');

    // Someone else signs in (a switch): the cart is theirs to finish.
    await page.getByTestId('switch-employee').click();
    await signIn(page, MANAGER.number, MANAGER.pin);
    expect(await page.getByTestId('signed-in-employee').textContent()).toBe(`${MANAGER.displayName} Manager`);
    expect(await page.getByTestId('cart-line').allTextContents()).toEqual([
      expect.stringMatching(/Ballpoint pen, blue\s*2/),
    ]);
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 0.00');

    const sales = await eventually(async () => {
      const found = await atHq('sale');
      return found.length > 0 ? found : undefined;
    }, 'the sale at HQ');
    const manager = MANAGER.employeeId;
    expect(sales).toEqual([expect.objectContaining({ employeeId: manager, total: 500 })]);
    // The manager's sign-in and sign-out around opening the shift came first.
    expect(await atHq('employee-signed-out')).toEqual([
      { employeeId: manager, reason: 'sign-out' },
      { employeeId: CASHIER.employeeId, reason: 'switch' },
    ]);
    expect((await atHq('employee-signed-in')).map((event) => event.employeeId)).toEqual([
      manager,
      CASHIER.employeeId,
      manager,
    ]);
  });
});
