import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalJson,
  GENESIS_HASH,
  isUuidV7,
  type JournalEvent,
  type SaleEvent,
} from '@tillwright/protocol';
import { DEMO_EMPLOYEES } from '@tillwright/sync-server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, signIn } from './employees.js';
import { followHqStream } from './hq-follower.js';
import { callHost, journalEvents, type OpenShift, openShiftAtTill, serverEvents } from './observe.js';
import { eventually, repoRoot } from './processes.js';
import { startTillSystem, type TillSystem } from './till-system.js';

const ENROLMENT_CODE = 'E2E-ENROL-0001';
const PEN = { barcode: '4006381333931', name: 'Ballpoint pen, blue' };
const NOTEBOOK = { barcode: '5901234123457', name: 'Notebook A5, ruled' };
const artifacts = join(repoRoot, 'test-artifacts', 'e2e');

let till: TillSystem;
let page: Page;
let shift: OpenShift;
/** What the manager's opening of the shift journaled (sign-in, shift-open, sign-out), before anyone sells. */
let opening: JournalEvent[];
/** Receipts printed and drawer kicks before the first sale. */
let printedBefore = 0;
let kicksBefore = 0;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  till = await startTillSystem({ name: 'sale-path', enrolmentCode: ENROLMENT_CODE });
  page = till.page;
  shift = await openShiftAtTill(till.terminalUrl);
  opening = journalEvents(till.ledgerPath);
  printedBefore = till.printer.receipts.length;
  kicksBefore = till.printer.drawerKicks;
});

afterAll(() => till?.stop());

/** The chain rule restated independently of the code under test: SHA-256(canonical(event without hash) || prevHash). */
function expectedHash(event: JournalEvent): string {
  const { hash: _hash, ...unsigned } = event;
  return createHash('sha256').update(canonicalJson(unsigned)).update(event.prevHash).digest('hex');
}

async function scan(barcode: string) {
  await page.getByTestId('sim-barcode').fill(barcode);
  await page.getByTestId('sim-scan').click();
}

const journal = () => journalEvents(till.ledgerPath);
const journalSales = () => journal().filter((event): event is SaleEvent => event.type === 'sale');
const storedOnServer = () => serverEvents(till.serverUrl, till.hqToken);
const callTerminal = (method: string, params: unknown) => callHost(till.terminalUrl, method, params);

describe('one sale from scan to HQ', () => {
  it('rings up two scanned items, takes cash, and records, prints, syncs and streams the sale exactly once', async () => {
    const stream = followHqStream(till.serverUrl, till.hqToken);
    await page.goto(till.terminalUrl);
    await expect.poll(() => page.getByTestId('terminal-id').textContent()).toMatch(/store-001-T\d+/);
    await signIn(page, CASHIER.number, CASHIER.pin);

    // Scan → product found in the terminal's SQLite catalog → line in the React/zustand cart.
    await scan(PEN.barcode);
    await scan(NOTEBOOK.barcode);
    await expect
      .poll(() => page.getByTestId('cart-line').allTextContents())
      .toEqual([expect.stringContaining(PEN.name), expect.stringContaining(NOTEBOOK.name)]);
    expect(await page.getByTestId('cart-total').textContent()).toBe('EUR 7.49');

    // The cart in progress survives a reload (dexie), and the cashier stays signed in (the session is the till's).
    await page.reload();
    await expect.poll(() => page.getByTestId('cart-line').count()).toBe(2);
    await page.getByTestId('signed-in-employee').filter({ hasText: CASHIER.displayName }).waitFor();

    // Cash tender with change; Pay pressed twice before the first answer arrives.
    await page.getByTestId('cash-tendered').fill('10.00');
    await page.getByTestId('pay').evaluate((button: HTMLButtonElement) => {
      button.click();
      button.click();
    });
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 2.51');
    await expect.poll(() => page.getByTestId('cart-line').count()).toBe(0);
    await page.screenshot({ path: join(artifacts, 'sale-complete.png') });

    // Committed once to the terminal journal after the shift's opening and the sign-in: pre-minted UUIDv7 id,
    // chained hash, the cashier, the shift, the right amounts.
    const [openedBy, shiftOpen] = opening;
    expect(openedBy).toMatchObject({ type: 'employee-signed-in', seq: 1, prevHash: GENESIS_HASH });
    expect(shiftOpen).toMatchObject({ type: 'shift-open', eventId: shift.shiftId, seq: 2 });
    for (const [i, event] of opening.entries()) {
      expect(event.hash).toBe(expectedHash(event));
      if (i > 0) expect(event.prevHash).toBe(opening[i - 1]!.hash);
    }
    const [signedIn, sale, ...more] = journal().slice(opening.length);
    expect(more).toEqual([]);
    expect(signedIn).toMatchObject({
      type: 'employee-signed-in',
      seq: opening.length + 1,
      prevHash: opening.at(-1)!.hash,
    });
    expect(signedIn!.hash).toBe(expectedHash(signedIn!));
    expect(sale!.type).toBe('sale');
    if (sale?.type !== 'sale') throw new Error('not a sale');
    expect(isUuidV7(sale.eventId)).toBe(true);
    expect(sale.seq).toBe(opening.length + 2);
    expect(sale.prevHash).toBe(signedIn!.hash);
    expect(sale.hash).toBe(expectedHash(sale));
    expect(sale.schema).toBe(6);
    // The till's first sale: receipt 1 of epoch 1, however many events came before it (decision 0017).
    expect(sale.schema === 6 && sale.payload).toMatchObject({
      employeeId: DEMO_EMPLOYEES[0].employeeId,
      shiftId: shift.shiftId,
      receiptNumber: `${sale.terminalId}-1-000001`,
    });
    expect(sale.payload.total).toBe(749);
    expect(sale.payload.tenders).toEqual([
      { kind: 'cash', ref: null, tendered: 1000, amount: 749, change: 251 },
    ]);
    // German VAT, 19 % inclusive, rounded per line: 2.50 × 19/119 = 0.399 → 0.40; 4.99 × 19/119 = 0.797 → 0.80.
    expect(sale.payload.taxes).toEqual([
      { code: 'VAT19', name: 'MwSt 19 %', rate: 190_000, taxable: 629, tax: 120 },
    ]);

    // The receipt reached the printer emulator once with the right total, and the drawer kicked once.
    const printed = () => till.printer.receipts.slice(printedBefore);
    const kicks = () => till.printer.drawerKicks - kicksBefore;
    await eventually(() => (printed().length >= 1 && kicks() >= 1 ? true : undefined), 'receipt and kick');
    expect(printed()).toHaveLength(1);
    expect(printed()[0]!.text).toMatch(/TOTAL EUR\s+7\.49/);
    expect(printed()[0]!.text).toMatch(/Change\s+2\.51/);
    expect(printed()[0]!.text).toMatch(/MwSt 19 % incl\. on 6\.29\s+1\.20/);
    expect(kicks()).toBe(1);

    // Pushed by the sync client and stored once by the server, after the shift's opening and the sign-in.
    const all = [...opening, signedIn!, sale];
    const stored = await eventually(async () => {
      const items = await storedOnServer();
      return items.length >= all.length ? items : undefined;
    }, 'the sale on the server');
    expect(stored.map((item) => [item.event.eventId, item.event.hash])).toEqual(
      all.map((event) => [event.eventId, event.hash]),
    );

    // Delivered once on the HQ stream.
    await eventually(
      () => (stream.items.length >= all.length ? true : undefined),
      'the sale on the HQ stream',
    );
    expect(stream.items.map((item) => item.event.eventId)).toEqual(all.map((event) => event.eventId));

    // A further Pay of the same sale id (a retry after a lost answer) is answered with the original sale.
    const retry = await callTerminal('sale.complete', {
      saleId: sale.eventId,
      currency: 'EUR',
      lines: sale.payload.lines.map(({ lineId, productId, barcode, quantity }) => ({
        lineId,
        productId,
        barcode,
        quantity,
      })),
      tenders: [{ kind: 'cash', tendered: 1000 }],
    });
    expect(retry).toMatchObject({
      ok: true,
      result: { saleId: sale.eventId, alreadyRecorded: true, change: 251 },
    });
    await expect.poll(() => page.getByTestId('sync-state').textContent()).toBe('online');
    expect(journal()).toHaveLength(all.length);
    expect(await storedOnServer()).toHaveLength(all.length);
    expect(stream.items).toHaveLength(all.length);
    expect(printed()).toHaveLength(1);
    expect(kicks()).toBe(1);

    // The next sale links to the first: the next seq, its prevHash is the first sale's hash.
    await scan(PEN.barcode);
    await expect.poll(() => page.getByTestId('cart-line').count()).toBe(1);
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 0.00');
    const [first, second] = journalSales();
    expect(second).toMatchObject({ seq: first!.seq + 1, prevHash: first!.hash });
    expect(journal()).toHaveLength(all.length + 1);
    expect(second!.hash).toBe(expectedHash(second!));
    await eventually(
      async () => ((await storedOnServer()).length === all.length + 1 ? true : undefined),
      'the second sale on the server',
    );
    await eventually(
      () => (stream.items.length === all.length + 1 ? true : undefined),
      'the second sale on the HQ stream',
    );
    expect(stream.items.map((item) => item.event.hash)).toEqual([
      ...opening.map((event) => event.hash),
      signedIn!.hash,
      first!.hash,
      second!.hash,
    ]);
    expect(printed()).toHaveLength(2);
    expect(kicks()).toBe(2);

    // Printer status reaches the cashier: paper running low shows in the header, and clears when replaced.
    expect(await callTerminal('devices.status', {})).toMatchObject({
      ok: true,
      result: { printer: 'online', paper: 'ok', drawer: 'open' },
    });
    till.printer.setPaperNearEnd(true);
    await expect.poll(() => page.getByTestId('device-alert').textContent()).toBe('Receipt paper running low');
    till.printer.setPaperNearEnd(false);
    await expect.poll(() => page.getByTestId('device-alert').count()).toBe(0);
    stream.stop();
    await stream.done;
  });
});
