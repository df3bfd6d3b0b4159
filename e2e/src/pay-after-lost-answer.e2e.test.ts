import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { receiptNumber, type SaleEvent } from '@tillwright/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASHIER, signIn } from './employees.js';
import { journalEvents, openShiftAtTill } from './observe.js';
import { eventually, repoRoot } from './processes.js';
import { startTillSystem, type TillSystem } from './till-system.js';

const ENROLMENT_CODE = 'E2E-ENROL-0001';
const PEN = { barcode: '4006381333931', name: 'Ballpoint pen, blue' };
const NOTEBOOK = { barcode: '5901234123457', name: 'Notebook A5, ruled' };
const artifacts = join(repoRoot, 'test-artifacts', 'e2e');

let till: TillSystem;
let page: Page;

/** What the page's stand-in WebSocket exposes to the test. */
interface LossyNetwork {
  /** Set by the test: the answer to the next `sale.complete` is thrown away and the connection dropped. */
  loseNextPayAnswer: boolean;
  /** Pay answers the host sent that never reached the renderer. */
  lostPayAnswers: number;
  /** Connections to the host that opened, reconnections included. */
  opened: number;
}

/**
 * Runs in the page before its own scripts: the renderer's WebSocket to the host, with one fault the test can arm.
 * The request goes out and the host commits and answers as ever; the answer is dropped on arrival and the socket
 * closed, which is what a cashier's till sees when the connection fails just after the commit.
 */
function installLossyWebSocket() {
  const network: LossyNetwork = { loseNextPayAnswer: false, lostPayAnswers: 0, opened: 0 };
  (window as unknown as { __network: LossyNetwork }).__network = network;
  const Native = window.WebSocket;
  class LossyWebSocket extends Native {
    private readonly doomed = new Set<number>();
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      super.addEventListener('open', () => {
        network.opened += 1;
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      const message = typeof data === 'string' ? (JSON.parse(data) as { id: number; method: string }) : null;
      if (message?.method === 'sale.complete' && network.loseNextPayAnswer) {
        network.loseNextPayAnswer = false;
        this.doomed.add(message.id);
      }
      super.send(data);
    }
    override addEventListener(
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: unknown,
    ): void {
      if (type !== 'message' || typeof listener !== 'function') {
        super.addEventListener(type, listener, options as AddEventListenerOptions);
        return;
      }
      super.addEventListener(
        'message',
        (event: MessageEvent) => {
          const message = JSON.parse(String(event.data)) as { kind: string; id?: number };
          if (message.kind === 'response' && message.id !== undefined && this.doomed.has(message.id)) {
            network.lostPayAnswers += 1;
            this.close();
            return;
          }
          listener.call(this, event);
        },
        options as AddEventListenerOptions,
      );
    }
  }
  window.WebSocket = LossyWebSocket;
}

/** The till's events before the first sale: the shift's opening and the cashier's sign-in. */
let eventsBeforeSale = 0;

const network = () => page.evaluate(() => (window as unknown as { __network: LossyNetwork }).__network);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  till = await startTillSystem({
    name: 'lost-pay',
    enrolmentCode: ENROLMENT_CODE,
    viewport: { width: 1280, height: 800 },
  });
  page = till.page;
  // The manager opens the till's shift and signs out again before the cashier works at it.
  await openShiftAtTill(till.terminalUrl);
  await page.addInitScript(installLossyWebSocket);
  await page.goto(till.terminalUrl);
  await page
    .getByTestId('terminal-id')
    .filter({ hasText: /store-001-T\d+/ })
    .waitFor();
  await signIn(page, CASHIER.number, CASHIER.pin);
  await page.getByTestId('sim-barcode').waitFor();
  eventsBeforeSale = journalEvents(till.ledgerPath).length;
});

afterAll(() => till?.stop());

async function scan(barcode: string) {
  await page.getByTestId('sim-barcode').fill(barcode);
  await page.getByTestId('sim-scan').click();
}

const sales = () =>
  journalEvents(till.ledgerPath).filter((event): event is SaleEvent => event.type === 'sale');
const sold = (sale: SaleEvent) =>
  sale.payload.lines.map(({ productId, quantity }) => ({ productId, quantity }));

describe('Pay after a Pay whose answer was lost', () => {
  it('keeps the items added after it: the recorded sale is shown, and they are sold as a second sale', async () => {
    await scan(PEN.barcode);
    await expect.poll(() => page.getByTestId('cart-line').count()).toBe(1);
    await page.getByTestId('cash-tendered').fill('10.00');

    // The host commits the pen and answers; the answer never reaches the till, whose connection drops.
    await page.evaluate(() => {
      (window as unknown as { __network: LossyNetwork }).__network.loseNextPayAnswer = true;
    });
    await page.getByTestId('pay').click();
    await expect
      .poll(() => page.getByTestId('notice').textContent())
      .toBe('lost contact with the terminal host');
    expect((await network()).lostPayAnswers).toBe(1);
    const [first] = await eventually(() => (sales().length === 1 ? sales() : undefined), 'the first sale');
    expect(sold(first!)).toEqual([{ productId: 'pen', quantity: 1 }]);
    await expect.poll(() => page.getByTestId('cart-line').count()).toBe(1);

    // Back in contact, the cashier adds a second pen and a notebook to the cart still on screen, and presses Pay.
    await expect.poll(async () => (await network()).opened).toBe(2);
    await scan(PEN.barcode);
    await scan(NOTEBOOK.barcode);
    await expect
      .poll(() => page.getByTestId('cart-line').allTextContents())
      .toEqual([
        expect.stringMatching(/Ballpoint pen, blue\s*2/),
        expect.stringMatching(/Notebook A5, ruled\s*1/),
      ]);
    await page.getByTestId('pay').click();

    // The host refused to answer that Pay with the pen sale; the till shows the pen sale as completed and keeps
    // what was added after it as a new sale.
    // It sits in the journal after the shift's opening and the cashier's sign-in; its receipt is the till's first
    // sale of epoch 1 (decision 0017).
    const terminalId = await page.getByTestId('terminal-id').textContent();
    const seq = eventsBeforeSale + 1;
    expect(first).toMatchObject({ terminalId, epoch: 1, seq });
    await expect
      .poll(() => page.getByTestId('notice').textContent())
      .toBe(
        `Pay had already gone through for this cart: receipt ${receiptNumber(terminalId!, 1, 1)}, Ballpoint pen, blue × 1, ` +
          'total EUR 2.50, change EUR 7.50.\n' +
          'Added after that Pay, now a new sale: Ballpoint pen, blue × 1, Notebook A5, ruled × 1. Take payment for it.',
      );
    expect(await page.getByTestId('change-due').textContent()).toBe('EUR 7.50');
    await expect
      .poll(() => page.getByTestId('cart-line').allTextContents())
      .toEqual([
        expect.stringMatching(/Ballpoint pen, blue\s*1/),
        expect.stringMatching(/Notebook A5, ruled\s*1/),
      ]);
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe('EUR 7.49');
    await page.screenshot({ path: join(artifacts, 'pay-after-lost-answer.png') });
    expect(sales()).toHaveLength(1);
    expect(till.printer.receipts).toHaveLength(1);

    // The new sale is paid like any other: the journal has two sales, the second holding exactly what was added.
    await page.getByTestId('cash-tendered').fill('10.00');
    await page.getByTestId('pay').click();
    await expect.poll(() => page.getByTestId('change-due').textContent()).toBe('EUR 2.51');
    await expect.poll(() => page.getByTestId('cart-line').count()).toBe(0);
    const [recorded, second] = sales();
    expect(sales()).toHaveLength(2);
    expect(recorded!.eventId).toBe(first!.eventId);
    expect(sold(recorded!)).toEqual([{ productId: 'pen', quantity: 1 }]);
    expect(second!.eventId).not.toBe(first!.eventId);
    expect(sold(second!)).toEqual([
      { productId: 'pen', quantity: 1 },
      { productId: 'notebook', quantity: 1 },
    ]);
    expect(second!.payload.total).toBe(749);
    await eventually(() => (till.printer.receipts.length === 2 ? true : undefined), 'the second receipt');
  });
});
