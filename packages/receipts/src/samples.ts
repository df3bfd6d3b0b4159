/**
 * Sample layout inputs: the fixtures of the layout tests and the data of the sample receipt PNG in the README.
 * Deterministic (fixed ids and times), with a long product name, non-ASCII names and a generated logo.
 */
import type { ShiftReport } from '@tillwright/protocol';
import { sampleClosedShiftReport } from '@tillwright/protocol/testing';
import type { ReceiptImage } from './document.js';
import type {
  CashMovementSlipData,
  ReceiptHeaderData,
  ReturnReceiptData,
  SaleReceiptData,
  ShiftReportData,
  VoidSlipData,
} from './types.js';

/** A 160 × 48 RGBA logo: a frame around a filled disc and three bars, drawn from arithmetic (no file). */
export function sampleLogo(width = 160, height = 48): ReceiptImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const frame = x < 3 || y < 3 || x >= width - 3 || y >= height - 3;
      const dx = x - 24;
      const dy = y - height / 2;
      const disc = dx * dx + dy * dy <= 14 * 14;
      const bar = x >= 48 && x < width - 10 && [10, 21, 32].some((top) => y >= top && y < top + 6);
      const shortBar = y >= 21 && y < 27 && x >= width - 60;
      const black = frame || disc || (bar && !shortBar);
      const value = black ? 0 : 255;
      const i = (y * width + x) * 4;
      data[i] = value;
      data[i + 1] = value;
      data[i + 2] = value;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

export const SAMPLE_HEADER: ReceiptHeaderData = Object.freeze({
  storeName: 'Tillwright Café',
  address: Object.freeze(['12 Market Street', '1000 Brüssel']),
  taxId: 'BE0123456789',
  terminalId: 'T01',
  receiptNumber: 'T01-3-000042',
  time: '2025-03-14T09:26:53+01:00',
  cashier: 'Zoë',
});

export function sampleSale(overrides: Partial<SaleReceiptData> = {}): SaleReceiptData {
  return {
    header: SAMPLE_HEADER,
    currency: 'EUR',
    receiptId: 'tw:01959a3c-7b2e-7c41-9a1d-3f5e2b8c4d6a',
    items: [
      { name: 'Espresso', quantity: 2, unitPrice: 250, amount: 500, taxCode: 'B' },
      { name: 'Crème brûlée', quantity: 1, unitPrice: 450, amount: 450, taxCode: 'B' },
      {
        name: 'Organic single-origin Ethiopian Yirgacheffe whole bean coffee, 1 kg bag',
        quantity: 1,
        unitPrice: 3290,
        amount: 3290,
        taxCode: 'A',
        discounts: [{ label: 'Coffee club -10%', amount: 329 }],
      },
      { name: 'Cheese (Gruyère)', quantity: 0.375, unit: 'kg', unitPrice: 2400, amount: 900, taxCode: 'B' },
    ],
    discounts: [{ label: 'Loyalty voucher', amount: 200 }],
    total: 4611,
    pricesIncludeTax: true,
    taxes: [
      { code: 'A', label: 'VAT A 21%', taxable: 2961, tax: 514 },
      { code: 'B', label: 'VAT B 6%', taxable: 1650, tax: 93 },
    ],
    tenders: [
      { label: 'Card', amount: 2000, detail: 'Visa **** 4242' },
      { label: 'Cash', amount: 3000 },
    ],
    change: 389,
    logo: sampleLogo(),
    footer: ['Thank you for your visit', 'Merci · Dank u · Danke'],
    ...overrides,
  };
}

export function sampleReturn(overrides: Partial<ReturnReceiptData> = {}): ReturnReceiptData {
  return {
    header: { ...SAMPLE_HEADER, receiptNumber: 'T01-3-000057' },
    currency: 'EUR',
    receiptId: 'tw:01959a4f-1d0e-7aa2-8b3c-5e6f7a8b9c0d',
    originalReceiptNumber: 'T01-3-000042',
    reason: 'Damaged packaging',
    items: [{ name: 'Crème brûlée', quantity: 1, unitPrice: 450, amount: 450, taxCode: 'B' }],
    total: 450,
    pricesIncludeTax: true,
    taxes: [{ code: 'B', label: 'VAT B 6%', taxable: 450, tax: 25 }],
    refunds: [{ label: 'Cash', amount: 450 }],
    ...overrides,
  };
}

/**
 * The sample shift's Z report as printed in Brussels: the protocol's `sampleClosedShiftReport()` (57 sales, a drop
 * and a paid out approved by Max, cash 50 cents short on a blind count) with tax labels and the employees' names;
 * `report` overrides fields of that report.
 */
export function sampleShiftReport(
  overrides: Partial<Omit<ShiftReportData, 'report'>> & { report?: Partial<ShiftReport> } = {},
): ShiftReportData {
  const { report, ...rest } = overrides;
  return {
    header: { ...SAMPLE_HEADER, receiptNumber: 'Z-0007', time: '2025-03-14T18:02:11+01:00' },
    reportId: 'tw-report:01959c00-0000-7000-8000-000000000007',
    timeZone: 'Europe/Brussels',
    taxLabels: { A: 'VAT A 21%', B: 'VAT B 6%' },
    names: { zoe: 'Zoë', max: 'Max Manager' },
    approvers: { '01959a00-0000-7000-8000-000000000009': 'Max Manager' },
    ...rest,
    report: { ...sampleClosedShiftReport(), ...report },
  };
}

/** The post-void of the sample sale's crème brûlée sale, handed back in cash, approved by the manager. */
export function sampleVoidSlip(overrides: Partial<VoidSlipData> = {}): VoidSlipData {
  return {
    header: { ...SAMPLE_HEADER, receiptNumber: 'T01-3-000043', time: '2025-03-14T09:31:05+01:00' },
    currency: 'EUR',
    eventId: '01959a41-0000-7000-8000-000000000043',
    originalReceiptNumber: 'T01-3-000042',
    items: [{ name: 'Crème brûlée', quantity: 1, unitPrice: 450, amount: 450, taxCode: 'B' }],
    total: 450,
    handedBack: [{ label: 'Cash', amount: 450 }],
    reason: 'Rang up on the wrong till',
    employee: 'Zoë',
    approvedBy: 'Max Manager',
    ...overrides,
  };
}

/** A paid out of 12.00 for the window cleaner, by Zoë, approved by the manager. */
export function sampleCashMovementSlip(overrides: Partial<CashMovementSlipData> = {}): CashMovementSlipData {
  return {
    header: { ...SAMPLE_HEADER, receiptNumber: 'T01-3-000051', time: '2025-03-14T15:30:00+01:00' },
    currency: 'EUR',
    eventId: '01959a00-0000-7000-8000-00000000000a',
    type: 'paid-out',
    amount: 1200,
    reason: 'Window cleaner',
    employee: 'Zoë',
    approvedBy: 'Max Manager',
    ...overrides,
  };
}
