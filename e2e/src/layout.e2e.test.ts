import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, signIn } from './employees.js';
import { openShiftAtTill } from './observe.js';
import { TERMINAL_SCREENS } from './screens.js';
import { scan } from './shift-screens.js';
import { startTillSystem, type TillSystem } from './till-system.js';

/**
 * Issue 17, point 9: the till loads with nothing wrong in Chromium's console (no CSP refusal, no missing favicon, no
 * failed request), and its one screen fits every size from 600 px wide to full HD with no horizontal scroll.
 */

const CODE = 'E2E-LAYOUT-0001';
const SIZES = [
  { width: 600, height: 800 },
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

let till: TillSystem;
let page: Page;
/** Everything the page complained about: console errors and warnings, uncaught errors, failed or refused requests. */
const problems: string[] = [];

function watch(watched: Page) {
  watched.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console ${message.type()}: ${message.text()} at ${JSON.stringify(message.location())}`);
  });
  watched.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  watched.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  watched.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
}

beforeAll(async () => {
  till = await startTillSystem({ name: 'layout', enrolmentCode: CODE, viewport: SIZES[2]! });
  page = till.page;
  watch(page);
  // The manager opens the shift and signs out again (nobody was signed in before).
  await openShiftAtTill(till.terminalUrl);
  await page.goto(till.terminalUrl);
  await signIn(page, CASHIER.number, CASHIER.pin);
  await scan(page, '4006381333931');
  await scan(page, '4006381333931');
  await page.getByTestId('cart-total').filter({ hasText: 'EUR 5.00' }).waitFor();
  await page.getByTestId('shift-state').filter({ hasText: /open/i }).waitFor();
});

afterAll(async () => {
  await till?.stop();
});

describe('the till in a browser (issue 17, point 9)', () => {
  it('loads and works with no console error, no failed request and a favicon from the host', async () => {
    await page.reload();
    await page.getByTestId('cart-total').filter({ hasText: 'EUR 5.00' }).waitFor();
    const favicon = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
      const response = link ? await fetch(link.href) : null;
      return {
        href: link?.getAttribute('href'),
        status: response?.status,
        type: response?.headers.get('content-type'),
      };
    });
    expect(problems).toEqual([]);
    expect(favicon).toEqual({ href: 'favicon.svg', status: 200, type: 'image/svg+xml' });
  });

  it.each(SIZES)('fits $width × $height with no horizontal scroll, every cart key in view', async (size) => {
    await page.setViewportSize(size);
    // A tap on the item's name picks the line (and leaves its quantity alone).
    await page.getByTestId('cart-line').first().locator('td').first().click();
    await page.getByTestId('quantity-plus').waitFor();
    const fit = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      offRight: Array.from(document.querySelectorAll('button, input, td, th'))
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((element) => element.outerHTML.slice(0, 80)),
    }));
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
    expect(fit.offRight).toEqual([]);
    for (const id of ['quantity-plus', 'quantity-minus', 'cart-void', 'pay']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box && box.width >= 48 && box.height >= 48, `${id} is a 48 px target`).toBe(true);
    }
    if (size.width === 600 || size.width === 1920) {
      mkdirSync(TERMINAL_SCREENS, { recursive: true });
      await page.screenshot({ path: join(TERMINAL_SCREENS, `cart-${size.width}.png`), fullPage: true });
    }
    expect(await page.getByTestId('cart-total').textContent()).toBe('EUR 5.00');
    expect(problems).toEqual([]);
  });
});
