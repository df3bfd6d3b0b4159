import { describe, expect, it } from 'vitest';
import { methods, SaleLineRequest } from './methods.js';

/**
 * What a cashier types that the till prints or shows again (a custom line's description, a parked sale's note) is
 * printable text: no control or format characters, so "Gift wrap" cannot be made to read backwards (U+202E) or two
 * notes that look alike differ by an invisible character (U+200B).
 */

const custom = (description: string) =>
  SaleLineRequest.safeParse({
    lineId: 'l1',
    productId: 'custom',
    barcode: null,
    quantity: 1,
    custom: { description, amount: 500 },
  });
const parkNote = (label: string) =>
  methods['sale.park'].params.safeParse({
    saleId: '019ab8a0-0000-7000-8000-000000000001',
    currency: 'EUR',
    lines: [{ lineId: 'l1', productId: 'pen', barcode: null, quantity: 1, name: 'Pen', unitPrice: 250 }],
    label,
  });

const INVISIBLE = [
  ['a right-to-left override (U+202E)', 'Gift \u202Ewrap'],
  ['a zero-width space (U+200B)', 'Gift\u200Bwrap'],
  ['a zero-width joiner (U+200D)', 'Gift\u200Dwrap'],
  ['a byte-order mark inside (U+FEFF)', 'Gift\uFEFFwrap'],
  ['a line separator (U+2028)', 'Gift\u2028wrap'],
  ['a bell (U+0007)', 'Gift wrap\u0007'],
] as const;

describe('a custom line description', () => {
  it.each(INVISIBLE)('refuses %s', (_what, text) => {
    expect(custom(text).success).toBe(false);
  });

  it('takes printable text, trimmed, accents and symbols included', () => {
    expect(custom('  Gravure « Zoë » № 5 ').data?.custom?.description).toBe('Gravure « Zoë » № 5');
    expect(custom('   ').success).toBe(false);
  });
});

describe("a parked sale's note", () => {
  it.each(INVISIBLE)('refuses %s', (_what, text) => {
    expect(parkNote(text).success).toBe(false);
  });

  it('takes printable text, trimmed; blank is no note', () => {
    expect(parkNote('  Mrs Jones, blue coat ').data?.label).toBe('Mrs Jones, blue coat');
    expect(parkNote('  ').data?.label).toBe('');
    expect(parkNote('x'.repeat(41)).success).toBe(false);
  });
});
