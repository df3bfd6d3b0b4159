import { describe, expect, it } from 'vitest';
import { saleReceiptLayout, TRAINING_BANNER } from './sale.js';
import { sampleSale } from './samples.js';

const banners = (training: boolean | undefined) =>
  saleReceiptLayout(sampleSale({ training })).blocks.flatMap((block, index) =>
    block.kind === 'text' && block.text === TRAINING_BANNER ? [{ index, block }] : [],
  );

describe('a training sale receipt', () => {
  it('says TRAINING - NOT A SALE in large bold type first on the paper and last before the cut', () => {
    const { blocks } = saleReceiptLayout(sampleSale({ training: true }));
    const found = banners(true);
    expect(found).toHaveLength(2);
    for (const { block } of found)
      expect(block).toMatchObject({ bold: true, size: 'double', align: 'center' });
    const firstText = blocks.findIndex((block) => block.kind === 'text');
    expect(found[0]!.index).toBe(firstText);
    const lastText = blocks.findLastIndex((block) => block.kind === 'text');
    expect(found[1]!.index).toBe(lastText);
    expect(blocks.at(-1)).toEqual({ kind: 'cut' });
  });

  it('is not printed on a real sale', () => {
    expect(banners(false)).toEqual([]);
    expect(banners(undefined)).toEqual([]);
  });
});
