import { ShiftReport } from '@tillwright/protocol';
import { describe, expect, it } from 'vitest';
import type { ReceiptBlock } from './document.js';
import { sampleShiftReport } from './samples.js';
import { xReportLayout, zReportLayout } from './shift-report.js';

/** Each block as the words a reader sees (columns joined by a space), without printing. */
function lines(blocks: readonly ReceiptBlock[]): string[] {
  return blocks.flatMap((block) => {
    if (block.kind === 'text') return [block.text];
    if (block.kind === 'columns') return [`${block.left.trim()} ${block.right}`.trim()];
    return [];
  });
}

describe('X and Z reports from the protocol ShiftReport', () => {
  it('takes the ledger report as it is: the sample is a valid ShiftReport', () => {
    const { report } = sampleShiftReport();
    expect(ShiftReport.parse(report)).toEqual(report);
  });

  it('prints the shift times in the store time zone, and as given without one', () => {
    expect(lines(zReportLayout(sampleShiftReport()).blocks)).toEqual(
      expect.arrayContaining(['Opened 2025-03-14 08:00:00', 'Closed 2025-03-14 18:00:00']),
    );
    const utc = lines(zReportLayout(sampleShiftReport({ timeZone: undefined })).blocks);
    expect(utc).toEqual(expect.arrayContaining(['Opened 2025-03-14 07:00:00', 'Closed 2025-03-14 17:00:00']));
    expect(() => xReportLayout(sampleShiftReport({ timeZone: 'Mars/Olympus' }))).toThrow(
      expect.objectContaining({ code: 'invalid_report', retryable: false }),
    );
  });

  it('prints the sales net of voided ones, and the voided sales apart, not taken off them again', () => {
    const printed = lines(zReportLayout(sampleShiftReport()).blocks);
    expect(printed).toEqual(
      expect.arrayContaining(['Count 57', 'Total 1213.00', 'Voided, not in sales (1) 4.50']),
    );
    expect(printed.some((line) => line.startsWith('Voids'))).toBe(false);
  });

  it('names taxes and tenders from the presentation fields, tender kinds by default', () => {
    const data = sampleShiftReport({
      taxLabels: { A: 'TVA 21%' },
      tenderLabels: { card: 'Bancontact' },
      report: {
        tenders: [
          { kind: 'cash', taken: 100, refunded: 0, net: 100 },
          { kind: 'card', taken: 200, refunded: 0, net: 200 },
          { kind: 'gift-card', taken: 300, refunded: 0, net: 300 },
        ],
      },
    });
    const printed = lines(xReportLayout(data).blocks);
    expect(printed).toEqual(
      expect.arrayContaining(['TVA 21% 65.43', 'B 33.33', 'Cash 1.00', 'Bancontact 2.00', 'Gift card 3.00']),
    );
  });

  it('pairs the close per tender even when a tender is missing from one of its lists', () => {
    const data = sampleShiftReport({
      report: {
        close: {
          expected: [{ kind: 'cash', amount: 1000 }],
          counted: [
            { kind: 'cash', amount: 1020 },
            { kind: 'store-credit', amount: 5 },
          ],
          overShort: [{ kind: 'cash', amount: 20 }],
          cashCount: null,
          blind: false,
        },
      },
    });
    expect(lines(zReportLayout(data).blocks)).toEqual(
      expect.arrayContaining(['Cash +0.20', '10.20 / 10.00', 'Store credit 0.00', '0.05 / 0.00']),
    );
  });

  it('formats a currency outside commerce table with the exponent given', () => {
    const data = sampleShiftReport({ currencyExponent: 3, report: { currency: 'XTS' } });
    expect(lines(xReportLayout(data).blocks)).toEqual(
      expect.arrayContaining(['Sales (XTS)', 'Total 121.300']),
    );
    expect(() => xReportLayout(sampleShiftReport({ report: { currency: 'XTS' } }))).toThrow(
      expect.objectContaining({ code: 'unknown_currency' }),
    );
  });

  it('names who opened and closed the shift from the names given, and by id without one', () => {
    expect(lines(zReportLayout(sampleShiftReport()).blocks)).toEqual(
      expect.arrayContaining(['Opened by Zoë', 'Closed by Max Manager']),
    );
    const unnamed = lines(zReportLayout(sampleShiftReport({ names: undefined })).blocks);
    expect(unnamed).toEqual(expect.arrayContaining(['Opened by zoe', 'Closed by max']));
    const open = lines(
      xReportLayout(sampleShiftReport({ report: { closedBy: null, closedAt: null } })).blocks,
    );
    expect(open.some((line) => line.startsWith('Closed by'))).toBe(false);
  });

  it('prints the opening float by denomination with its total, and nothing for a shift opened without a count', () => {
    const printed = lines(xReportLayout(sampleShiftReport()).blocks);
    expect(printed).toEqual(
      expect.arrayContaining([
        'Opening float count',
        '20.00 x 5 100.00',
        '0.50 x 10 5.00',
        'Total counted 150.00',
      ]),
    );
    const uncounted = lines(xReportLayout(sampleShiftReport({ report: { floatCount: null } })).blocks);
    expect(uncounted).not.toContain('Opening float count');
  });

  it('prints each cash movement in order: what, when, how much, why, who and who approved it', () => {
    const printed = lines(xReportLayout(sampleShiftReport()).blocks);
    const from = printed.indexOf('Cash movements');
    expect(from).toBeGreaterThan(0);
    expect(printed.slice(from, from + 7)).toEqual([
      'Cash movements',
      'Drop 13:00 -200.00',
      'midday drop to the safe',
      'by Zoë',
      'Paid out 15:30 -12.00',
      'window cleaner',
      'by Zoë, approved by Max Manager',
    ]);
    const anonymous = lines(xReportLayout(sampleShiftReport({ approvers: undefined })).blocks);
    expect(anonymous).toContain('by Zoë, approved');
    const none = lines(xReportLayout(sampleShiftReport({ report: { movements: [] } })).blocks);
    expect(none).not.toContain('Cash movements');
  });

  it('prints the cash counted by denomination on the Z report, saying whether the count was blind', () => {
    const z = lines(zReportLayout(sampleShiftReport()).blocks);
    expect(z).toEqual(
      expect.arrayContaining([
        'Cash counted (blind)',
        '20.00 x 10 200.00',
        '0.10 x 10 1.00',
        'Total counted 378.50',
      ]),
    );
    expect(z).toEqual(expect.arrayContaining(['Cash -0.50', '378.50 / 379.00']));
    const report = sampleShiftReport().report;
    const seen = lines(
      zReportLayout(sampleShiftReport({ report: { close: { ...report.close!, blind: false } } })).blocks,
    );
    expect(seen).toContain('Cash counted');
    expect(seen).not.toContain('Cash counted (blind)');
    expect(lines(xReportLayout(sampleShiftReport()).blocks)).not.toContain('Cash counted (blind)');
  });
});
