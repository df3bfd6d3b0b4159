import type { EmployeeView } from '@tillwright/protocol';
import { DEMO_EMPLOYEES } from '@tillwright/sync-server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASHIER,
  createEmployees,
  DEMO_STAFF,
  type DemoEmployee,
  enterCredentials,
  MANAGER,
  putTerminalConfig,
  signIn,
  tapPin,
  tillHasEmployees,
  updateEmployee,
} from './employees.js';
import { callHost, journalEvents, type OpenShift, openShiftAtTill } from './observe.js';
import { eventually } from './processes.js';
import { SCREEN_VIEWPORT, saveScreen } from './screens.js';
import { payloadsAtHq, startTillSystem, type TillSystem } from './till-system.js';

const CODE = 'E2E-EMPLOYEES-0001';
const PEN = { barcode: '4006381333931', name: 'Ballpoint pen, blue' };
/** Wrong PINs in a row before an employee is locked out on the till, as HQ configures it here. */
const ATTEMPTS = 3;
/** A cashier HQ adds for these tests, beside the demo store's staff (CASHIER, SUPERVISOR, MANAGER). */
const NEW_CASHIER: DemoEmployee = { number: '1043', pin: '3691', displayName: 'Bo Baker', roleId: 'cashier' };
/** A PIN none of them has. */
const WRONG_PIN = '8642';
/** The names the sign-in screen offers, in its order (by name). */
const offered = (employees: DemoEmployee[]) =>
  employees
    .map((employee) => employee.displayName)
    .sort()
    .map((name) => expect.stringContaining(name));

let till: TillSystem;
let page: Page;
let staff: Record<string, EmployeeView>;
let shift: OpenShift;

beforeAll(async () => {
  till = await startTillSystem({
    name: 'employees',
    enrolmentCode: CODE,
    viewport: SCREEN_VIEWPORT,
    // HQ sets the lockout (until a manager unlocks: no time limit) and one more cashier before the till first pulls.
    beforeTill: async (serverUrl, hqToken) => {
      await putTerminalConfig(serverUrl, hqToken, { pinLockout: { attempts: ATTEMPTS, lockMinutes: 0 } });
      staff = await createEmployees(serverUrl, hqToken, [NEW_CASHIER]);
    },
  });
  page = till.page;
  await tillHasEmployees(till.terminalUrl, [...DEMO_STAFF, NEW_CASHIER]);
  // The manager opens the till's shift and signs out again before anyone works at it.
  shift = await openShiftAtTill(till.terminalUrl);
  await page.goto(till.terminalUrl);
  await page
    .getByTestId('terminal-id')
    .filter({ hasText: /store-001-T\d+/ })
    .waitFor();
});

afterAll(() => till?.stop());

const idOf = (employee: { number: string }) =>
  staff[employee.number]?.employeeId ??
  DEMO_EMPLOYEES.find((demo) => demo.number === employee.number)!.employeeId;
const journal = (type: string) => journalEvents(till.ledgerPath).filter((event) => event.type === type);
/** Events of `type` at HQ (its paged REST read of everything stored), as their payloads. */
const atHq = (type: string) => payloadsAtHq(till, type);
/** Waits until HQ holds `count` events of `type`, and answers their payloads. */
const eventuallyAtHq = (type: string, count: number) =>
  eventually(async () => {
    const found = await atHq(type);
    return found.length >= count ? found : undefined;
  }, `${count} ${type} at HQ`);

async function scan(barcode: string) {
  await page.getByTestId('sim-barcode').fill(barcode);
  await page.getByTestId('sim-scan').click();
}

async function signOut() {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('sign-in').waitFor();
}

/** Opens the manager menu with F12, as the cashier does. */
async function managerMenu() {
  await page.keyboard.press('F12');
  await page.getByTestId('manager-menu').waitFor();
}

/** The approval dialog: what it asks, then the approver's number typed and PIN tapped, and Approve. */
async function approveAs(approver: { number: string; pin: string }) {
  const dialog = page.getByTestId('approval-dialog');
  await dialog.getByTestId('approval-number').fill(approver.number);
  await dialog.getByTestId('approval-pin').click();
  await tapPin(page, approver.pin, dialog);
  await dialog.getByTestId('approve').click();
}

describe('employees at the till, in Chromium against browser mode and a real server', () => {
  it('signs in with number and PIN, sells, and signs out; HQ has the sale with the cashier who rang it up', async () => {
    // Nobody is signed in: the sign-in screen is over the till, with the store's employees to pick from.
    await page.getByTestId('sign-in').waitFor();
    await expect
      .poll(() => page.getByTestId('employee-choice').allTextContents())
      .toEqual(offered([...DEMO_STAFF, NEW_CASHIER]));
    await saveScreen(page, 'sign-in');

    await signIn(page, CASHIER.number, CASHIER.pin);
    expect(await page.getByTestId('signed-in-employee').textContent()).toBe(`${CASHIER.displayName} Cashier`);
    await scan(PEN.barcode);
    await scan(PEN.barcode);
    await expect
      .poll(() => page.getByTestId('cart-line').allTextContents())
      .toEqual([expect.stringMatching(/Ballpoint pen, blue\s*2/)]);
    await saveScreen(page, 'main-signed-in');
    await page.getByTestId('cash-tendered').fill('10.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 5.00');

    const [sale] = await eventuallyAtHq('sale', 1);
    expect(sale).toMatchObject({ employeeId: idOf(CASHIER), total: 500 });
    await signOut();
    // After the manager's sign-in and sign-out around opening the shift.
    const signedIn = await eventuallyAtHq('employee-signed-in', 2);
    expect(signedIn).toEqual([
      { employeeId: idOf(MANAGER), method: 'number' },
      { employeeId: idOf(CASHIER), method: 'number' },
    ]);
    expect(await eventuallyAtHq('employee-signed-out', 2)).toEqual([
      { employeeId: idOf(MANAGER), reason: 'sign-out' },
      { employeeId: idOf(CASHIER), reason: 'sign-out' },
    ]);
  });

  it('a wrong PIN is refused with the tries left, and with nobody signed in nothing is sold', async () => {
    const salesBefore = journal('sale').length;
    await enterCredentials(page, CASHIER.number, WRONG_PIN);
    await expect
      .poll(() => page.getByTestId('sign-in-error').textContent())
      .toMatch(new RegExp(`Employee number or PIN is wrong \\(${ATTEMPTS - 1} tries left\\)`));
    expect(await page.getByTestId('signed-in-employee').count()).toBe(0);
    // What a page with nobody signed in would send is refused by the host, and the journal takes no sale.
    const refused = await callHost(till.terminalUrl, 'sale.complete', {
      saleId: '019ab8a0-0000-7000-8000-00000000f00d',
      currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: PEN.barcode, quantity: 1 }],
      tenders: [{ kind: 'cash', tendered: 500 }],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(journal('sale')).toHaveLength(salesBefore);
  });

  it(`locks an employee out after ${ATTEMPTS} wrong PINs, and a manager's approval unlocks them from the manager menu`, async () => {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      await enterCredentials(page, NEW_CASHIER.number, WRONG_PIN);
      const error = page.getByTestId('sign-in-error');
      if (attempt < ATTEMPTS) {
        await error
          .filter({ hasText: `(${ATTEMPTS - attempt} ${ATTEMPTS - attempt === 1 ? 'try' : 'tries'} left)` })
          .waitFor();
      }
    }
    await page
      .getByTestId('sign-in-error')
      .filter({ hasText: /locked/i })
      .waitFor();
    // Now even the right PIN is refused.
    await enterCredentials(page, NEW_CASHIER.number, NEW_CASHIER.pin);
    await page
      .getByTestId('sign-in-error')
      .filter({ hasText: /locked/i })
      .waitFor();
    expect(await page.getByTestId('signed-in-employee').count()).toBe(0);
    await eventuallyAtHq('employee-locked-out', 1);

    // A cashier asks to unlock (their role may not): a manager approves on the same screen.
    await signIn(page, CASHIER.number, CASHIER.pin);
    await managerMenu();
    await page.getByTestId('unlock-employee').click();
    await page.getByTestId(`unlock-${NEW_CASHIER.number}`).click();
    await page.getByTestId('approval-dialog').waitFor();
    expect(await page.getByTestId('approval-what').textContent()).toBe(
      'Unlocking an employee needs approval',
    );
    await approveAs(MANAGER);
    await page.getByTestId('approval-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('manager-message').filter({ hasText: 'Bo Baker can sign in again' }).waitFor();
    await page.getByTestId('no-one-locked').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByTestId('manager-menu').waitFor({ state: 'detached' });

    // The one locked out signs in again, as a switch: nobody signs out first.
    await page.getByTestId('lock').click();
    await page.getByTestId('switch-employee').click();
    await signIn(page, NEW_CASHIER.number, NEW_CASHIER.pin);
    expect(await page.getByTestId('signed-in-employee').textContent()).toBe(
      `${NEW_CASHIER.displayName} Cashier`,
    );

    const [locked] = await atHq('employee-locked-out');
    expect(locked).toMatchObject({
      employeeId: idOf(NEW_CASHIER),
      failedAttempts: ATTEMPTS,
      lockedUntil: null,
    });
    const [unlocked] = await eventuallyAtHq('employee-unlocked', 1);
    const approvals = await eventuallyAtHq('manager-approval', 1);
    expect(approvals).toEqual([
      expect.objectContaining({
        approvalId: unlocked!.approvalId,
        employeeId: idOf(CASHIER),
        approverId: idOf(MANAGER),
        permission: 'unlockEmployees',
      }),
    ]);
    expect(unlocked).toMatchObject({ employeeId: idOf(NEW_CASHIER), unlockedBy: idOf(MANAGER) });
    await signOut();
  });

  it("a cashier's no-sale asks for approval, a manager approves, and HQ has the approval and the no-sale once each, with both employees", async () => {
    await signIn(page, CASHIER.number, CASHIER.pin);
    const kicksBefore = till.printer.drawerKicks;
    await managerMenu();
    await saveScreen(page, 'manager-menu');
    await page.getByTestId('no-sale').click();
    await page.getByTestId('no-sale-reason').filter({ hasText: 'Float check' }).click();

    const dialog = page.getByTestId('approval-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('approval-what').textContent()).toBe('A no-sale needs approval');
    expect(await dialog.getByTestId('approval-requested-by').textContent()).toContain(
      `Asked by ${CASHIER.displayName}`,
    );
    // Refused in the dialog, which stays: the cashier approving their own request, a colleague whose role may not,
    // a wrong PIN.
    const refusedAs = async (approver: { number: string; pin: string }, words: string) => {
      await approveAs(approver);
      await dialog.getByTestId('approval-error').filter({ hasText: words }).waitFor();
    };
    await refusedAs(CASHIER, 'You cannot approve your own request');
    await refusedAs(NEW_CASHIER, 'Bo Baker may not approve a no-sale');
    await refusedAs({ number: MANAGER.number, pin: WRONG_PIN }, "Approver's number or PIN is wrong");
    expect(till.printer.drawerKicks).toBe(kicksBefore);
    expect(journal('no-sale')).toHaveLength(0);
    await dialog.getByTestId('approval-number').fill(MANAGER.number);
    await dialog.getByTestId('approval-pin').click();
    await tapPin(page, MANAGER.pin, dialog);
    // Typing again clears the last refusal.
    expect(await dialog.getByTestId('approval-error').count()).toBe(0);
    await saveScreen(page, 'approval');
    await dialog.getByTestId('approve').click();

    // Back where the cashier was: the dialog and the menu gone, the till says what happened.
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('manager-menu').waitFor({ state: 'detached' });
    await page.getByTestId('notice').filter({ hasText: 'Drawer opened: no sale (Float check)' }).waitFor();
    await eventually(
      () => (till.printer.drawerKicks === kicksBefore + 1 ? true : undefined),
      'the drawer kick',
    );

    const noSales = await eventuallyAtHq('no-sale', 1);
    const approvals = (await eventuallyAtHq('manager-approval', 2)).filter((a) => a.permission === 'noSale');
    expect(noSales).toEqual([
      {
        reason: 'Float check',
        employeeId: idOf(CASHIER),
        approvalId: expect.any(String),
        shiftId: shift.shiftId,
      },
    ]);
    expect(approvals).toEqual([
      expect.objectContaining({
        approvalId: noSales[0]!.approvalId,
        employeeId: idOf(CASHIER),
        approverId: idOf(MANAGER),
        permission: 'noSale',
      }),
    ]);
    expect(journal('no-sale')).toHaveLength(1);
    expect(till.printer.drawerKicks).toBe(kicksBefore + 1);
    await signOut();
  });

  it('an employee deactivated at HQ can no longer sign in once the till has pulled the change', async () => {
    await updateEmployee(till.serverUrl, till.hqToken, idOf(NEW_CASHIER), { active: false });
    // The till's next feed pull takes them off its list (it pulls about once a minute).
    await tillHasEmployees(till.terminalUrl, DEMO_STAFF);
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByTestId('employee-choice').allTextContents();
      })
      .toEqual(offered(DEMO_STAFF));
    await enterCredentials(page, NEW_CASHIER.number, NEW_CASHIER.pin);
    await page.getByTestId('sign-in-error').waitFor();
    expect(await page.getByTestId('signed-in-employee').count()).toBe(0);
    expect(await callHost(till.terminalUrl, 'session.status', {})).toMatchObject({
      ok: true,
      result: { state: 'signed-out', employee: null },
    });
  });
});
