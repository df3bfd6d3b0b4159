import { containsCardNumber } from '@tillwright/commerce';
import { LedgerError } from './errors.js';

/**
 * The free text of a parked sale, as paths into its record (`*` for each item of a list): what a cashier typed or
 * the screen named. Ids, barcodes, amounts and times are not read: long digit runs belong there.
 */
export const PARKED_FREE_TEXT: readonly string[] = [
  'label',
  'lines.*.name',
  'lines.*.custom.description',
  'lines.*.discount.reason',
  'lines.*.priceOverride.reason',
  'basketDiscount.reason',
];

/**
 * No card data at rest, parked sales included: a card number in a parked sale's free text is refused before anything
 * is written, in the journal's words (docs/security.md).
 */
export function refuseParkedCardNumbers(sale: unknown): void {
  const fields = PARKED_FREE_TEXT.flatMap((field) => textsAt(sale, field.split('.'), ''))
    .filter((found) => containsCardNumber(found.text))
    .map((found) => found.path);
  if (fields.length === 0) return;
  throw new LedgerError(
    'card_data_refused',
    `the parked sale was not kept: ${fields.join(', ')} ` +
      `${fields.length === 1 ? 'looks like it holds' : 'look like they hold'} a card number, and card numbers are ` +
      'never kept; remove it and try again',
    false,
    { fields },
  );
}

/** The strings at a path, each with where it sits (`lines.0.name`); what is missing or not text is skipped. */
function textsAt(value: unknown, rest: readonly string[], path: string): { path: string; text: string }[] {
  if (rest.length === 0) return typeof value === 'string' ? [{ path, text: value }] : [];
  const [step, ...after] = rest as [string, ...string[]];
  const join = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  if (step === '*') {
    return Array.isArray(value) ? value.flatMap((item, index) => textsAt(item, after, join(index))) : [];
  }
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) return [];
  return textsAt((value as Record<string, unknown>)[step], after, join(step));
}
