import { WEDGE_DEFAULTS } from '@tillwright/devices/wedge';
import type { SaleEvent } from '@tillwright/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, signIn } from './employees.js';
import { journalEvents, openShiftAtTill } from './observe.js';
import { scannerBurst } from './scanner-burst.js';
import { saveScreen } from './screens.js';
import { startTillSystem, type TillSystem } from './till-system.js';

/** A person's typing: slower than any scanner, so the wedge input lets every key into the search box. */
const HUMAN_GAP_MS = WEDGE_DEFAULTS.maxInterKeyMs * 5;

let till: TillSystem;
let page: Page;

beforeAll(async () => {
  till = await startTillSystem({ name: 'name-search', enrolmentCode: 'E2E-ENROL-SEARCH' });
  page = till.page;
  await openShiftAtTill(till.terminalUrl);
});

afterAll(() => till?.stop());

describe('name search at the till', () => {
  it('a cashier finds an item by typing part of its name, adds it with the keyboard, and sells it', async () => {
    await page.goto(till.terminalUrl);
    await signIn(page, CASHIER.number, CASHIER.pin);

    // F2 puts the cursor in the search box; one letter already lists what starts with it.
    await page.keyboard.press('F2');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('search-box');
    await page.keyboard.type('c', { delay: HUMAN_GAP_MS });
    await expect
      .poll(() => page.getByTestId('search-result').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('Coffee beans 250 g')]));
    // The arrows move the highlight (shown by a bar and bold type, not by colour alone).
    await page.keyboard.press('ArrowDown');
    await page.locator('[data-testid="search-result"][aria-current="true"]').nth(0).waitFor();
    expect(await page.getByTestId('search-result').nth(1).getAttribute('aria-current')).toBe('true');
    await saveScreen(page, 'search');

    // More letters narrow it: every word typed must start a word of the name or the SKU.
    await page.keyboard.type('offee be', { delay: HUMAN_GAP_MS });
    await expect
      .poll(() => page.getByTestId('search-result').allTextContents())
      .toEqual([expect.stringMatching(/Coffee beans 250 g\s*COF-250\s*EUR 8\.99/)]);

    // Enter adds the highlighted item; the box empties, ready for the next one.
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('cart-line').allTextContents())
      .toEqual([expect.stringMatching(/Coffee beans 250 g\s*1/)]);
    expect(await page.getByTestId('search-box').inputValue()).toBe('');
    expect(await page.getByTestId('search-result').count()).toBe(0);

    // Esc clears the box and the list, and the cart stays as it was.
    await page.keyboard.type('mug', { delay: HUMAN_GAP_MS });
    await page.getByTestId('search-result').filter({ hasText: 'Mug, white' }).waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('search-box').inputValue()).toBe('');
    expect(await page.getByTestId('cart-line').count()).toBe(1);

    // A scanner read while the cursor is in the box adds its product; not one digit lands in the box.
    await scannerBurst(page, '4006381333931', WEDGE_DEFAULTS.maxInterKeyMs / 8);
    await expect.poll(() => page.getByTestId('cart-line').count()).toBe(2);
    expect(await page.getByTestId('search-box').inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-box');
    await page.getByRole('button', { name: 'Remove Ballpoint pen, blue' }).click();
    await page.keyboard.press('F2');

    // An unknown barcode typed into the box says so and leaves the cart alone.
    await page.keyboard.type('2000000000015', { delay: HUMAN_GAP_MS });
    await page.getByTestId('search-none').waitFor();
    await page.keyboard.press('Enter');
    await page
      .getByTestId('notice')
      .filter({ hasText: 'No product with barcode 2000000000015 — search by name (F2)' })
      .waitFor();
    expect(await page.getByTestId('cart-line').count()).toBe(1);

    // Sold: cash, change, and the line in the journal carries the product found by name (no barcode scanned).
    await page.getByTestId('cash-tendered').fill('10.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 1.01');
    const sales = journalEvents(till.ledgerPath).filter((event): event is SaleEvent => event.type === 'sale');
    expect(sales).toHaveLength(1);
    expect(sales[0]!.payload.lines).toMatchObject([{ productId: 'coffee', barcode: null, quantity: 1 }]);
  });
});
