import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './processes.js';

/** Where the till's README finds its screenshots. */
export const TERMINAL_SCREENS = join(repoRoot, 'apps', 'terminal', 'docs', 'screens');

/** The size the README's screenshots are taken at (ui.md: designed at 1280 × 800). */
export const SCREEN_VIEWPORT = { width: 1280, height: 800 };

/**
 * Saves what the till shows as `name`.png for its README, at the fixed viewport. The time of the last sync is the
 * one thing on these screens that changes from run to run, so it is left out of the picture (its place kept). The
 * page's content security policy refuses injected style sheets, so it is hidden through the element's style.
 */
export async function saveScreen(page: Page, name: string): Promise<void> {
  mkdirSync(TERMINAL_SCREENS, { recursive: true });
  await page.setViewportSize(SCREEN_VIEWPORT);
  const lastSync = page.getByTestId('last-sync');
  const hide = (visibility: string) =>
    lastSync.evaluateAll((elements, value) => {
      for (const element of elements as HTMLElement[]) element.style.visibility = value;
    }, visibility);
  await hide('hidden');
  try {
    await page.screenshot({
      path: join(TERMINAL_SCREENS, `${name}.png`),
      animations: 'disabled',
      caret: 'hide',
    });
  } finally {
    await hide('');
  }
}
