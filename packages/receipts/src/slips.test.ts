import { describe, expect, it } from 'vitest';
import type { ReceiptBlock } from './document.js';
import { sampleCashMovementSlip, sampleVoidSlip } from './samples.js';
import { cashMovementSlipLayout, voidSlipLayout } from './slips.js';

function lines(blocks: readonly ReceiptBlock[]): string[] {
  return blocks.flatMap((block) => {
    if (block.kind === 'text') return [block.text];
    if (block.kind === 'columns') return [`${block.left.trim()} ${block.right}`.trim()];
    return [];
  });
}

describe('the void slip', () => {
  it('names the original receipt, what is voided, what is handed back, why, who and who approved it', () => {
    const doc = voidSlipLayout(sampleVoidSlip());
    expect(lines(doc.blocks)).toEqual(
      expect.arrayContaining([
        'POST-VOID',
        'Original receipt T01-3-000042',
        'Crème brûlée -4.50 B',
        'VOID EUR -4.50',
        'Handed back Cash 4.50',
        'Reason: Rang up on the wrong till',
        'By: Zoë',
        'Approved by: Max Manager',
        'Signature:',
      ]),
    );
    expect(doc.blocks).toContainEqual({ kind: 'qr', data: '01959a41-0000-7000-8000-000000000043' });
    expect(doc.blocks.at(-1)).toEqual({ kind: 'cut' });
  });

  it('leaves out the approver when none was needed, and says COPY on a reprint', () => {
    const own = lines(voidSlipLayout(sampleVoidSlip({ approvedBy: undefined })).blocks);
    expect(own.some((line) => line.startsWith('Approved by'))).toBe(false);
    const copy = lines(voidSlipLayout(sampleVoidSlip({ copy: true })).blocks);
    expect(copy.filter((line) => line === '*** COPY ***')).toHaveLength(2);
  });
});

describe('the cash movement slip', () => {
  it('says what moved, how much and which way, why, who and who approved it, with a signature line', () => {
    const printed = lines(cashMovementSlipLayout(sampleCashMovementSlip()).blocks);
    expect(printed).toEqual(
      expect.arrayContaining([
        'PAID OUT',
        'EUR 12.00',
        'out of the drawer',
        'Reason: Window cleaner',
        'By: Zoë',
        'Approved by: Max Manager',
        'Signature:',
      ]),
    );
  });

  it('titles a drop and a paid in, money going out and in', () => {
    const drop = lines(
      cashMovementSlipLayout(sampleCashMovementSlip({ type: 'cash-drop', amount: 20000 })).blocks,
    );
    expect(drop).toEqual(expect.arrayContaining(['CASH DROP', 'EUR 200.00', 'out of the drawer']));
    const paidIn = lines(
      cashMovementSlipLayout(sampleCashMovementSlip({ type: 'paid-in', approvedBy: undefined })).blocks,
    );
    expect(paidIn).toEqual(expect.arrayContaining(['PAID IN', 'into the drawer']));
    expect(paidIn.some((line) => line.startsWith('Approved by'))).toBe(false);
  });

  it('formats the amount in the currency exponent, and refuses a currency it cannot format', () => {
    const kwd = lines(
      cashMovementSlipLayout(sampleCashMovementSlip({ currency: 'KWD', amount: 1250 })).blocks,
    );
    expect(kwd).toContain('KWD 1.250');
    expect(() => cashMovementSlipLayout(sampleCashMovementSlip({ currency: 'XTS' }))).toThrow(
      expect.objectContaining({ code: 'unknown_currency' }),
    );
  });
});
