import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGER, signIn } from './employees.js';
import { shiftedClockEnv } from './fake-clock.js';
import { journalEvents } from './observe.js';
import type { RunningProcess } from './processes.js';
import { SCREEN_VIEWPORT } from './screens.js';
import { typeCounts } from './shift-screens.js';
import { startTerminalHost } from './system.js';
import { startTillSystem, type TillSystem } from './till-system.js';

/**
 * A shift never closed: the till loses power with its shift open and comes back the next day. The screen says the
 * shift is from an earlier day, and Open shift leads the manager through closing it (a blind count, its Z report)
 * and then opening the new one, in Chromium against browser mode and a real server.
 */

const CODE = 'E2E-SHIFT-POWER-0001';

let till: TillSystem;
let page: Page;
/** The host started again after the power loss, its clock a day on. */
let nextDay: RunningProcess | null = null;

beforeAll(async () => {
  till = await startTillSystem({ name: 'shift-power-loss', enrolmentCode: CODE, viewport: SCREEN_VIEWPORT });
  page = till.page;
  await page.goto(till.terminalUrl);
  await page
    .getByTestId('terminal-id')
    .filter({ hasText: /store-001-T\d+/ })
    .waitFor();
});

afterAll(async () => {
  await nextDay?.stop();
  await till?.stop();
});

const journal = (type: string) => journalEvents(till.ledgerPath).filter((event) => event.type === type);
const shiftIdOf = (event: { payload: unknown } | undefined) =>
  (event?.payload as { shiftId?: string } | undefined)?.shiftId;

const countTwenties = (count: number) => typeCounts(page, { '20.00': count });

describe('a shift left open by a power loss', () => {
  it('is closed first, with a blind count, when the manager opens the next day’s shift', async () => {
    await signIn(page, MANAGER.number, MANAGER.pin);
    await page.keyboard.press('F12');
    await page.keyboard.press('1');
    await countTwenties(2);
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-state').filter({ hasText: 'Shift open' }).waitFor();
    const [first] = journal('shift-open');

    // The power goes; the till comes back the next day.
    till.terminal.child.kill('SIGKILL');
    await till.terminal.stop();
    nextDay = (
      await startTerminalHost({
        dataDir: till.dataDir,
        serverUrl: till.serverUrl,
        enrolmentCode: CODE,
        printerPort: till.printer.port,
        port: Number(new URL(till.terminalUrl).port),
        env: shiftedClockEnv('+1d'),
        waitForEnrolment: false,
      })
    ).process;
    await page.reload();
    await signIn(page, MANAGER.number, MANAGER.pin);
    expect(await page.getByTestId('stale-shift').textContent()).toMatch(
      /^This shift was opened on an earlier day \(opened by Morgan Manager on .+\) and never closed/,
    );

    await page.keyboard.press('F12');
    await page.keyboard.press('1');
    const closeFirst = page.getByTestId('shift-close-first');
    expect(await closeFirst.textContent()).toMatch(
      /A shift is still open on this till, opened by Morgan Manager on .+ \(an earlier day: it was never closed\)/,
    );
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-close-count').waitFor();
    await countTwenties(2);
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-close-confirm').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-close-result').waitFor();
    expect(await page.getByTestId('over-short-cash-words').textContent()).toBe('exact');
    expect(await page.getByTestId('shift-close-then').textContent()).toContain('Now open the new shift');
    await page.keyboard.press('Enter');

    await page.getByTestId('shift-open-count').waitFor();
    await countTwenties(3);
    await page.keyboard.press('Enter');
    await page.getByTestId('manager-menu').waitFor({ state: 'detached' });
    await page.getByTestId('stale-shift').waitFor({ state: 'detached' });
    await page.getByTestId('shift-state').filter({ hasText: 'Shift open' }).waitFor();

    const [closed] = journal('shift-close');
    const opened = journal('shift-open');
    expect(shiftIdOf(first)).toEqual(expect.any(String));
    expect(shiftIdOf(closed)).toBe(shiftIdOf(first));
    expect(opened).toHaveLength(2);
    expect(opened[1]!.payload).toMatchObject({ openingFloat: 6000 });
    expect(shiftIdOf(opened[1])).not.toBe(shiftIdOf(first));
  });
});
