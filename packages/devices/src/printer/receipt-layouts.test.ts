import {
  cashMovementSlipLayout,
  type ReceiptDocument,
  returnReceiptLayout,
  saleReceiptLayout,
  voidSlipLayout,
  xReportLayout,
  zReportLayout,
} from '@tillwright/receipts';
import {
  sampleCashMovementSlip,
  sampleReturn,
  sampleSale,
  sampleShiftReport,
  sampleVoidSlip,
} from '@tillwright/receipts/samples';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from './escpos-decoder.js';
import { encodeReceipt } from './escpos-encoder.js';
import { decoderCodePages, PROFILE_58MM, PROFILE_80MM, type PrinterProfile } from './profiles.js';

/**
 * The receipts package's layouts, printed: each encoded for the 80 mm and 58 mm profiles and read back by our own
 * decoder (moved here from the layouts' own test when they left this package; their money test went with them).
 */

const PROFILES: readonly PrinterProfile[] = [PROFILE_80MM, PROFILE_58MM];

function printed(doc: ReceiptDocument, profile: PrinterProfile) {
  const result = decodeEscPos(encodeReceipt(doc, profile), { codePages: decoderCodePages(profile) });
  expect(result.errors).toEqual([]);
  expect(result.receipts).toHaveLength(1);
  const receipt = result.receipts[0]!;
  for (const line of receipt.lines) {
    expect(Array.from(line.text).length * line.widthScale).toBeLessThanOrEqual(profile.columns);
  }
  return receipt;
}

/** The decoded lines with runs of spaces collapsed: what a reader sees, independent of the column padding. */
function words(text: string): string[] {
  return text.split('\n').map((line) => line.trim().replace(/ +/g, ' '));
}

describe.each(PROFILES)('layouts on $id', (profile) => {
  const options = { columns: profile.columns };

  it('gives a long terminal id and receipt number a line each instead of cutting the terminal id', () => {
    const sale = sampleSale();
    const long = {
      ...sale,
      header: { ...sale.header, terminalId: 'store-001-T01', receiptNumber: 'store-001-T01-1-000001' },
    };
    const lines = words(printed(saleReceiptLayout(long, options), profile).text);
    expect(lines).toContain('Terminal store-001-T01');
    expect(lines).toContain('No. store-001-T01-1-000001');
  });

  it('sale: header, lines, discounts, taxes, tenders, change, QR and logo', () => {
    const receipt = printed(saleReceiptLayout(sampleSale(), options), profile);
    const lines = words(receipt.text);
    expect(lines).toContain('Tillwright Café');
    expect(lines).toContain('12 Market Street');
    expect(lines).toContain('Tax ID BE0123456789');
    expect(lines).toContain('Terminal T01 No. T01-3-000042');
    expect(lines).toContain('2025-03-14 09:26:53 Cashier Zoë');
    expect(lines).toContain('Espresso 5.00 B');
    expect(lines).toContain('2 x 2.50');
    expect(lines).toContain('Crème brûlée 4.50 B');
    expect(lines).toContain('0.375 kg x 24.00');
    expect(lines).toContain('Coffee club -10% -3.29');
    expect(lines).toContain('Loyalty voucher -2.00');
    expect(lines).toContain('You saved 5.29');
    expect(lines).toContain('TOTAL EUR 46.11');
    expect(lines).toContain('VAT A 21% incl. on 29.61 5.14');
    expect(lines).toContain('VAT B 6% incl. on 16.50 0.93');
    expect(lines).toContain('Card 20.00');
    expect(lines).toContain('Visa **** 4242');
    expect(lines).toContain('Cash 30.00');
    expect(lines).toContain('Change 3.89');
    expect(lines).toContain('Merci · Dank u · Danke');
    expect(receipt.qrCodes).toEqual(['tw:01959a3c-7b2e-7c41-9a1d-3f5e2b8c4d6a']);
    expect(receipt.images).toHaveLength(1);
    expect(receipt.images[0]).toMatchObject({ width: 160, height: 48 });
    expect(receipt.cut).toBe(true);
    const total = receipt.lines.find((line) => line.text.includes('TOTAL'));
    expect(total).toMatchObject({ bold: true, widthScale: 2, heightScale: 2 });
  });

  it('sale: a long product name wraps within the columns and keeps every word and the amount', () => {
    const receipt = printed(saleReceiptLayout(sampleSale(), options), profile);
    const start = receipt.lines.findIndex((line) => line.text.startsWith('Organic'));
    expect(start).toBeGreaterThan(0);
    expect(receipt.lines[start]!.text.endsWith('32.90 A')).toBe(true);
    const nameLines = [receipt.lines[start]!.text.replace(/ +32\.90 A$/, '')];
    for (
      let i = start + 1;
      receipt.lines[i]!.text.startsWith('  ') && !/\d$/.test(receipt.lines[i]!.text);
      i++
    ) {
      nameLines.push(receipt.lines[i]!.text.trim());
    }
    expect(nameLines.length).toBeGreaterThan(1);
    expect(nameLines.join(' ').replace(/ +/g, ' ')).toBe(
      'Organic single-origin Ethiopian Yirgacheffe whole bean coffee, 1 kg bag',
    );
  });

  it('sale: COPY only on a reprint', () => {
    const original = printed(saleReceiptLayout(sampleSale(), options), profile);
    const reprint = printed(saleReceiptLayout(sampleSale({ copy: true }), options), profile);
    expect(original.text).not.toContain('COPY');
    expect(words(reprint.text).filter((line) => line === '*** COPY ***')).toHaveLength(2);
    expect(reprint.qrCodes).toEqual(original.qrCodes);
  });

  it('sale: non-ASCII names survive the code pages (Latin and Cyrillic)', () => {
    const data = sampleSale({
      items: [
        { name: 'Пирожок с капустой', quantity: 1, unitPrice: 180, amount: 180 },
        { name: 'Żurek łódzki', quantity: 1, unitPrice: 990, amount: 990 },
        { name: 'Smørrebrød €', quantity: 1, unitPrice: 1200, amount: 1200 },
      ],
    });
    const lines = words(printed(saleReceiptLayout(data, options), profile).text);
    expect(lines).toContain('Пирожок с капустой 1.80');
    expect(lines).toContain('Smørrebrød € 12.00');
    // cp852 is a candidate on the 80 mm profile only; the 58 mm one falls back to the base letter (Ż → Z) or '?' (ł has none).
    expect(lines).toContain(profile === PROFILE_80MM ? 'Żurek łódzki 9.90' : 'Zurek ?ódzki 9.90');
  });

  it('sale: no logo block when there is no logo; zero-exponent currencies print whole units', () => {
    const data = sampleSale({
      logo: undefined,
      currency: 'JPY',
      items: [{ name: 'Onigiri', quantity: 3, unitPrice: 150, amount: 450 }],
      discounts: [],
      total: 450,
      taxes: [{ code: 'T', label: 'Tax 8%', taxable: 417, tax: 33 }],
      tenders: [{ label: 'Cash', amount: 500 }],
      change: 50,
    });
    const receipt = printed(saleReceiptLayout(data, options), profile);
    expect(receipt.images).toEqual([]);
    const lines = words(receipt.text);
    expect(lines).toContain('Onigiri 450');
    expect(lines).toContain('3 x 150');
    expect(lines).toContain('TOTAL JPY 450');
    expect(lines).toContain('Change 50');
  });

  it('return: title, original receipt, reason, refunded lines and tenders as negatives', () => {
    const receipt = printed(returnReceiptLayout(sampleReturn(), options), profile);
    const lines = words(receipt.text);
    expect(lines).toContain('RETURN');
    expect(lines).toContain('Original receipt T01-3-000042');
    expect(lines).toContain('Reason: Damaged packaging');
    expect(lines).toContain('Crème brûlée -4.50 B');
    expect(lines).toContain('REFUND EUR 4.50');
    expect(lines).toContain('VAT B 6% incl. on 4.50 0.25');
    expect(lines).toContain('Refund Cash -4.50');
    expect(receipt.qrCodes).toEqual(['tw:01959a4f-1d0e-7aa2-8b3c-5e6f7a8b9c0d']);
    expect(receipt.text).not.toContain('COPY');
    expect(printed(returnReceiptLayout(sampleReturn({ copy: true }), options), profile).text).toContain(
      '*** COPY ***',
    );
  });

  it('X report: totals, tax per rate, tenders, expected drawer; read only', () => {
    const receipt = printed(
      xReportLayout(sampleShiftReport({ report: { close: null, closedAt: null } }), options),
      profile,
    );
    const lines = words(receipt.text);
    expect(lines).toContain('X REPORT');
    expect(lines).toContain('Closed open');
    expect(lines).toContain('Count 57');
    expect(lines).toContain('Total 1213.00');
    expect(lines).toContain('Returns (2) -9.00');
    expect(lines).toContain('Voided, not in sales (1) 4.50');
    expect(lines).toContain('No sales 3');
    expect(lines).toContain('VAT A 21% 65.43');
    expect(lines).toContain('Cash 441.00');
    expect(lines).toContain('450.00 / -9.00');
    expect(lines).toContain('Expected in drawer 379.00');
    expect(lines).toContain('Read only: totals not reset.');
    expect(receipt.qrCodes).toEqual(['tw-report:01959c00-0000-7000-8000-000000000007']);
    expect(receipt.text).not.toContain('COPY');
  });

  it('Z report: counted against expected per tender; refuses an open shift', () => {
    const receipt = printed(zReportLayout(sampleShiftReport(), options), profile);
    const lines = words(receipt.text);
    expect(lines).toContain('Z REPORT');
    expect(lines).toContain('Cash -0.50');
    expect(lines).toContain('378.50 / 379.00');
    expect(lines).toContain('Card 0.00');
    expect(lines).toContain('Shift closed. Totals reset.');
    const copy = printed(zReportLayout(sampleShiftReport({ copy: true }), options), profile);
    expect(copy.text).toContain('*** COPY ***');
    expect(() => zReportLayout(sampleShiftReport({ report: { close: null } }), options)).toThrow(
      expect.objectContaining({ code: 'invalid_report', retryable: false }),
    );
  });

  it('Z report of a shift: who opened and closed it, float and blind count by denomination, cash movements', () => {
    const lines = words(printed(zReportLayout(sampleShiftReport(), options), profile).text);
    expect(lines).toContain('Opened by Zoë');
    expect(lines).toContain('Closed by Max Manager');
    expect(lines).toContain('20.00 x 5 100.00');
    expect(lines).toContain('Drop 13:00 -200.00');
    expect(lines.join(' ')).toContain('by Zoë, approved by Max Manager');
    expect(lines).toContain('Cash counted (blind)');
    expect(lines).toContain('Total counted 378.50');
  });

  it('training sale: TRAINING - NOT A SALE at the top and the bottom', () => {
    const receipt = printed(saleReceiptLayout(sampleSale({ training: true }), options), profile);
    // Double width: on the 58 mm paper the banner wraps onto two lines.
    const all = words(receipt.text).join(' ');
    expect(all.split('TRAINING - NOT A SALE')).toHaveLength(3);
    const banner = receipt.lines.filter((line) => /TRAINING|^\s*SALE\s*$/.test(line.text));
    expect(banner.every((line) => line.bold && line.widthScale === 2)).toBe(true);
    const texts = receipt.lines
      .map((line) => line.text.trim())
      .filter((text) => text !== '' && !/^-+$/.test(text));
    expect(texts[0]).toMatch(/^TRAINING/);
    expect(texts.at(-1)).toMatch(/SALE$/);
    expect(printed(saleReceiptLayout(sampleSale(), options), profile).text).not.toContain('TRAINING');
  });

  it('void and cash movement slips: what, how much, why, who, approver, signature line', () => {
    const slip = printed(voidSlipLayout(sampleVoidSlip(), options), profile);
    expect(words(slip.text)).toEqual(
      expect.arrayContaining([
        'POST-VOID',
        'Original receipt T01-3-000042',
        'Handed back Cash 4.50',
        'Signature:',
      ]),
    );
    expect(slip.cut).toBe(true);
    const movement = words(printed(cashMovementSlipLayout(sampleCashMovementSlip(), options), profile).text);
    expect(movement).toEqual(
      expect.arrayContaining([
        'PAID OUT',
        'Reason: Window cleaner',
        'Approved by: Max Manager',
        'Signature:',
      ]),
    );
  });
});
