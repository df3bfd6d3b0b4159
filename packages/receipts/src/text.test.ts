import { describe, expect, it } from 'vitest';
import { wrapText } from './text.js';

// Moved with wrapText from packages/devices/src/printer/escpos-encoder.test.ts ("layoutColumns and wrapText").
describe('wrapText', () => {
  it('wrapText breaks words longer than a line and keeps blank paragraphs', () => {
    expect(wrapText('abcdefgh ij', 3)).toEqual(['abc', 'def', 'gh', 'ij']);
    expect(wrapText('a\n\nb', 10)).toEqual(['a', '', 'b']);
    expect(wrapText('', 10)).toEqual(['']);
    expect(wrapText('a   b', 10)).toEqual(['a b']);
  });
});
