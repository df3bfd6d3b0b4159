import { describe, expect, it } from 'vitest';
import type { CartLine } from './cart-db.js';
import { afterRecordedSale } from './recorded-sale.js';

const pen: CartLine = {
  lineId: 'L1',
  productId: 'p-pen',
  barcode: '4006381333931',
  name: 'Ballpoint pen, blue',
  unitPrice: 150,
  quantity: 2,
};
const giftWrap: CartLine = {
  lineId: 'L2',
  productId: 'custom',
  barcode: null,
  name: 'Gift wrap',
  unitPrice: 500,
  quantity: 1,
  custom: { description: 'Gift wrap', amount: 500 },
};
const engraving: CartLine = {
  lineId: 'L3',
  productId: 'custom',
  barcode: null,
  name: 'Engraving',
  unitPrice: 2000,
  quantity: 1,
  custom: { description: 'Engraving', amount: 2000 },
};

describe('what is left of a cart after its sale turned out to be recorded', () => {
  it('takes what the recorded sale sold, per product', () => {
    const after = afterRecordedSale([{ ...pen, quantity: 3 }], {
      lines: [{ productId: 'p-pen', name: pen.name, quantity: 2 }],
    });
    expect(after.newLines).toEqual([{ ...pen, quantity: 1 }]);
    expect(after.notInCart).toEqual([]);
  });

  it('keeps a custom line the recorded sale did not sell: another description or amount is another item', () => {
    // The gift wrap was removed and an engraving added after the Pay whose answer was lost.
    const after = afterRecordedSale([pen, engraving], {
      lines: [
        { productId: 'p-pen', name: pen.name, quantity: 2 },
        {
          productId: 'custom',
          name: 'Gift wrap',
          quantity: 1,
          custom: { description: 'Gift wrap', amount: 500 },
        },
      ],
    });
    expect(after.newLines).toEqual([engraving]);
    expect(after.notInCart).toEqual([{ name: 'Gift wrap', quantity: 1 }]);
  });

  it('takes a custom line the recorded sale sold, the same description and amount', () => {
    const after = afterRecordedSale([giftWrap, engraving], {
      lines: [
        {
          productId: 'custom',
          name: 'Gift wrap',
          quantity: 1,
          custom: { description: 'Gift wrap', amount: 500 },
        },
      ],
    });
    expect(after.newLines).toEqual([engraving]);
    expect(after.notInCart).toEqual([]);
  });

  it('a custom line of the same description at another amount is not the recorded one', () => {
    const after = afterRecordedSale(
      [{ ...giftWrap, unitPrice: 700, custom: { description: 'Gift wrap', amount: 700 } }],
      {
        lines: [
          {
            productId: 'custom',
            name: 'Gift wrap',
            quantity: 1,
            custom: { description: 'Gift wrap', amount: 500 },
          },
        ],
      },
    );
    expect(after.newLines).toHaveLength(1);
    expect(after.notInCart).toEqual([{ name: 'Gift wrap', quantity: 1 }]);
  });
});
