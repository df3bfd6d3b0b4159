import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { tapPin } from './employees.js';

/**
 * The till's screens as a person works them in the shift tests: the simulated scanner, sign-out, the manager menu by
 * the key printed on an item, the approval dialog, the count grid, and the notices.
 */

/** How long a person leaves between keys: far above the scanner guard's 40 ms, so typing is never a scan. */
export const KEY_GAP_MS = 200;

export async function scan(page: Page, barcode: string): Promise<void> {
  await page.getByTestId('sim-barcode').fill(barcode);
  await page.getByTestId('sim-scan').click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('sign-in').waitFor();
}

/** F12, then the item's key, checked to be the one printed on it. */
export async function menuItem(page: Page, key: string, testId: string): Promise<void> {
  await page.keyboard.press('F12');
  await page.getByTestId('manager-menu').waitFor();
  expect(await page.getByTestId(testId).textContent()).toContain(key);
  await page.keyboard.press(key);
}

/**
 * The approval dialog over the screen names what is asked and who asked; the approver types their number and taps
 * the PIN; the dialog goes.
 */
export async function approve(
  page: Page,
  what: RegExp,
  askedBy: string,
  approver: { number: string; pin: string },
): Promise<void> {
  const dialog = page.getByTestId('approval-dialog');
  await dialog.waitFor();
  expect(await dialog.getByTestId('approval-what').textContent()).toMatch(what);
  expect(await dialog.getByTestId('approval-requested-by').textContent()).toContain(askedBy);
  await dialog.getByTestId('approval-number').fill(approver.number);
  await dialog.getByTestId('approval-pin').click();
  await tapPin(page, approver.pin, dialog);
  await dialog.getByTestId('approve').click();
  await dialog.waitFor({ state: 'detached' });
}

/** Types counts into the count grid as a person does: click the row of the note or coin, type the digits. */
export async function typeCounts(page: Page, rows: Record<string, number>): Promise<void> {
  for (const [label, count] of Object.entries(rows)) {
    await page.getByTestId(`count-${label}`).click();
    await page.keyboard.type(String(count), { delay: KEY_GAP_MS });
  }
}

/** Waits for the notice beside Pay to say `text`. */
export async function notice(page: Page, text: string): Promise<void> {
  await page.getByTestId('notice').filter({ hasText: text }).waitFor();
}
