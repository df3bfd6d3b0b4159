import type { PrinterEmulator } from '@tillwright/devices/sim';
import { KNOWN_EVENT_VERSIONS } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordCashMovement } from './cash-movements.js';
import type { PrinterDevices } from './devices.js';
import { PostVoids } from './post-void.js';
import {
  cleanUpTills,
  connectedPrinter,
  FLOAT_COUNT,
  STAFF,
  saleServiceFor,
  staffedTill,
} from './test-support.js';

let printer: PrinterEmulator;
let devices: PrinterDevices;

beforeEach(async () => {
  ({ printer, devices } = await connectedPrinter());
});
afterEach(async () => {
  await devices.stop();
  await printer.close();
  cleanUpTills();
});

/** The number each paper printed, from its `No. …` line. */
const printedNumbers = () => printer.receipts.map((paper) => /No\. (\S+)/.exec(paper.text)?.[1]);

describe('slip numbers', () => {
  it('never equal a sale receipt number: a void slip and a cash slip say what they are in their number', async () => {
    const t = await staffedTill(STAFF.manager);
    // A server that takes sale v5: sales count 1, 2, 3… while slips sit at their place in the journal.
    t.ledger.serverContact.recordVersions({ events: KNOWN_EVENT_VERSIONS, feed: {}, config: [1, 2, 3] });
    await t.shifts.open({ floatCount: FLOAT_COUNT });
    const header = { storeName: 'Test Store' };
    const slipDeps = { ...t, devices, header, timeZone: () => 'UTC', log: () => {} };
    const sales = saleServiceFor(t, devices);
    const sell = () =>
      sales.complete({
        saleId: t.nextSaleId(),
        currency: 'EUR',
        lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
        tenders: [{ kind: 'cash', tendered: 500 }],
      });
    const first = await sell();
    await recordCashMovement(slipDeps, { type: 'cash-drop', amount: 5000, reason: 'to the safe' });
    await new PostVoids(slipDeps).postVoid({ saleId: first.saleId, reason: 'rung up twice' });
    for (let i = 0; i < 6; i += 1) await sell();

    const numbers = printedNumbers();
    expect(numbers).toHaveLength(9);
    // Every paper its own number: before, the drop slip at seq 5 printed …-000005, as the fifth sale did.
    expect(new Set(numbers).size).toBe(numbers.length);
    const terminal = t.ledger.journal.identity()!.terminalId;
    expect(numbers[1]).toMatch(new RegExp(`^CASH-${terminal}-1-\\d{6}$`));
    expect(numbers[2]).toMatch(new RegExp(`^VOID-${terminal}-1-\\d{6}$`));
    for (const sale of [numbers[0], ...numbers.slice(3)])
      expect(sale).toMatch(new RegExp(`^${terminal}-1-\\d{6}$`));
  });
});
