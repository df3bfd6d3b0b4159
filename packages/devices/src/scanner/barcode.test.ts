import { describe, expect, it } from 'vitest';
import { classifySymbology, gtinCheckDigit, gtinCheckDigitValid } from './barcode.js';

describe('gtinCheckDigitValid', () => {
  it.each([
    ['4006381333931', 'EAN-13'],
    ['5012345678900', 'EAN-13'],
    ['96385074', 'EAN-8'],
    ['036000291452', 'UPC-A'],
    ['10614141000415', 'GTIN-14'],
  ])('%s is a valid %s', (code) => {
    expect(gtinCheckDigitValid(code)).toBe(true);
  });

  it.each([
    ['4006381333932', 'wrong check digit'],
    ['96385075', 'wrong check digit'],
    ['036000291453', 'wrong check digit'],
    ['400638133393', 'EAN-13 with a digit missing is a wrong UPC-A'],
    ['4006381333931 ', 'trailing space'],
    ['40063813339a1', 'a letter'],
    ['1234567', 'seven digits'],
    ['', 'empty'],
  ])('%s is invalid (%s)', (code) => {
    expect(gtinCheckDigitValid(code)).toBe(false);
  });

  it('computes the check digit with weights 3,1,3,… from the right', () => {
    expect(gtinCheckDigit('400638133393')).toBe(1);
    expect(gtinCheckDigit('9638507')).toBe(4);
    expect(gtinCheckDigit('03600029145')).toBe(2);
    expect(gtinCheckDigit('12a')).toBeUndefined();
  });
});

describe('classifySymbology', () => {
  it('names EAN-13, EAN-8 and UPC-A by length when the check digit is valid', () => {
    expect(classifySymbology('4006381333931')).toBe('EAN-13');
    expect(classifySymbology('96385074')).toBe('EAN-8');
    expect(classifySymbology('036000291452')).toBe('UPC-A');
  });

  it('is unknown for bad check digits, GTIN-14, and anything else', () => {
    expect(classifySymbology('4006381333932')).toBe('unknown');
    expect(classifySymbology('10614141000415')).toBe('unknown');
    expect(classifySymbology('https://tillwright.example')).toBe('unknown');
    expect(classifySymbology('')).toBe('unknown');
  });
});
