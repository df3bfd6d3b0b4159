import type { Page } from 'playwright-core';

/**
 * A keyboard-wedge scanner reading `barcode` (digits only): its digits then Enter, each key stamped `gapMs` after the
 * one before (the timestamp Chromium gives the KeyboardEvent, which the wedge classifier reads), all sent at once as
 * a scanner's burst sits in the input queue. `leadMs` puts the first stamp that far ahead of now.
 */
export async function scannerBurst(
  page: Page,
  barcode: string,
  gapMs: number,
  leadMs = 1_000,
): Promise<void> {
  if (!/^\d+$/.test(barcode)) throw new Error(`scannerBurst() types digits only, not ${barcode}`);
  const keys = [
    ...[...barcode].map((digit) => ({
      key: digit,
      code: `Digit${digit}`,
      keyCode: digit.charCodeAt(0),
      text: digit,
    })),
    { key: 'Enter', code: 'Enter', keyCode: 13, text: '\r' },
  ];
  const cdp = await page.context().newCDPSession(page);
  try {
    const start = (Date.now() + leadMs) / 1000;
    await Promise.all(
      keys.flatMap(({ key, code, keyCode, text }, i) => {
        const timestamp = start + (i * gapMs) / 1000;
        const common = { key, code, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode };
        return [
          cdp.send('Input.dispatchKeyEvent', {
            type: 'keyDown',
            ...common,
            text,
            unmodifiedText: text,
            timestamp,
          }),
          cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common, timestamp: timestamp + 0.001 }),
        ];
      }),
    );
  } finally {
    await cdp.detach();
  }
}
