import { formatMinorUnits, parseMinorUnits, weighedAmount } from '@tillwright/commerce';
import type { ProductView, SaleLineRequest } from '../contract/methods.js';
import type { CartLine, StoredCart } from './cart-db.js';
import type { TillGet, TillSet } from './cart-store.js';
import { money } from './words.js';

/** What a line asks the cashier before it is added: the age check first, then its weight or its price. */
export type EntryStep = 'age' | 'weight' | 'price';

export interface LineEntry {
  product: ProductView;
  step: EntryStep;
  ageCheck: NonNullable<SaleLineRequest['ageCheck']> | null;
  /** Why the last typed weight or price was not taken, in words; null when nothing was refused. */
  error: string | null;
}

export interface LineEntryState {
  /** A product being added that needs the cashier first (age check, weight, price); null otherwise. */
  lineEntry: LineEntry | null;
  /** Adds the product, asking what it needs first; false when it needs nothing (the caller adds it as usual). */
  beginLineEntry(product: ProductView): boolean;
  confirmAge(method: 'id-checked' | 'visibly-over-age'): void;
  /** The customer may not buy it: nothing is added. */
  refuseAge(): void;
  /** The weight typed, in kilograms (pounds) with up to 3 decimals; false when refused (with words). */
  enterWeight(text: string): boolean;
  enterPrice(text: string): boolean;
  cancelLineEntry(): void;
  /** The cashier is typing again: the last refusal no longer applies. */
  clearLineEntryError(): void;
}

export interface LineEntryDeps {
  saveCart(cart: StoredCart): void;
  /** Milliseconds (the age check's time). */
  now(): number;
}

/** The most a line may weigh (the contract's limit): 1,000 kg or lb, in thousandths. */
const MAX_WEIGHT = 1_000_000;

export const weighedUnit = (product: Pick<ProductView, 'measure'>) =>
  product.measure === 'lb' ? 'lb' : 'kg';

/** The steps a product needs before it is added, in order; empty for one added as it is. */
export function entrySteps(product: ProductView): EntryStep[] {
  const steps: EntryStep[] = [];
  if (product.minimumAge !== null) steps.push('age');
  if (product.measure !== 'unit' && product.embedded?.kind !== 'weight') steps.push('weight');
  if (product.measure === 'unit' && product.openPrice !== null) steps.push('price');
  return steps;
}

/** "0.512" kg → 512 (g): the weight in thousandths, parsed without floats; null when it is not one. */
export function parseWeight(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d{0,4}(\.\d{0,3})?$/.test(trimmed) || !/\d/.test(trimmed)) return null;
  const [whole = '', fraction = ''] = trimmed.split('.');
  const value = Number(whole || '0') * 1000 + Number(fraction.padEnd(3, '0'));
  return value > 0 && value <= MAX_WEIGHT ? value : null;
}

/** "0.512 kg × 3.99 /kg": how a weighed line reads on the cart and the receipt. */
export function weightWords(line: Pick<CartLine, 'measure' | 'pricePerUnit'>, currency: string): string {
  if (!line.measure || line.pricePerUnit === undefined) return '';
  const { pricePerUnit } = line;
  const per = line.measure.unit === 'mlb' ? 'lb' : 'kg';
  const value = line.measure.value;
  const weight = `${Math.floor(value / 1000)}.${String(value % 1000).padStart(3, '0')}`;
  return `${weight} ${per} × ${formatMinorUnits(pricePerUnit, currency)} /${per}`;
}

export function lineEntrySlice(set: TillSet, get: TillGet, deps: LineEntryDeps): LineEntryState {
  /** The line, new and never merged with another: each weighing, keyed price and check is its own line. */
  const add = (entry: LineEntry, extra: Partial<CartLine>) => {
    const { cart } = get();
    const { product } = entry;
    const lineId = `l${cart.nextLine}`;
    const line: CartLine = {
      lineId,
      productId: product.productId,
      barcode: product.barcode,
      name: product.name,
      unitPrice: product.unitPrice,
      quantity: 1,
      ...(entry.ageCheck ? { ageCheck: entry.ageCheck } : {}),
      ...extra,
    };
    deps.saveCart({ ...cart, lines: [...cart.lines, line], nextLine: cart.nextLine + 1 });
    set({ lineEntry: null, notice: null, lastSale: null, selectedLineId: lineId });
  };
  /** The next step after `step`, or the line added when none is left. */
  const next = (entry: LineEntry) => {
    const steps = entrySteps(entry.product);
    const after = steps[steps.indexOf(entry.step) + 1];
    if (after) return set({ lineEntry: { ...entry, step: after, error: null } });
    const { product } = entry;
    if (product.embedded?.kind === 'weight') {
      const { unit, value } = product.embedded;
      return add(entry, {
        measure: { unit, value, source: 'barcode' },
        pricePerUnit: product.unitPrice,
        unitPrice: weighedAmount(value, product.unitPrice),
      });
    }
    if (product.embedded?.kind === 'price') {
      return add(entry, { enteredPrice: product.embedded.amount, unitPrice: product.embedded.amount });
    }
    add(entry, {});
  };
  const refuse = (error: string) => {
    const entry = get().lineEntry;
    if (entry) set({ lineEntry: { ...entry, error } });
    return false;
  };
  return {
    lineEntry: null,
    beginLineEntry(product) {
      const open = get().lineEntry;
      if (open) {
        set({ notice: { kind: 'error', text: `Finish adding ${open.product.name} first` } });
        return true;
      }
      const steps = entrySteps(product);
      if (steps.length === 0 && product.embedded === null) return false;
      const entry: LineEntry = { product, step: steps[0] ?? 'age', ageCheck: null, error: null };
      if (steps.length === 0) next({ ...entry, step: 'age' });
      else set({ lineEntry: entry, notice: null });
      return true;
    },
    confirmAge(method) {
      const entry = get().lineEntry;
      const employee = get().session?.employee;
      if (entry?.step !== 'age' || entry.product.minimumAge === null || !employee) return;
      next({
        ...entry,
        ageCheck: {
          minimumAge: entry.product.minimumAge,
          method,
          checkedBy: employee.employeeId,
          checkedAt: new Date(deps.now()).toISOString(),
        },
      });
    },
    refuseAge() {
      const entry = get().lineEntry;
      if (!entry) return;
      set({
        lineEntry: null,
        notice: { kind: 'info', text: `${entry.product.name} was not sold: nothing added` },
      });
    },
    enterWeight(text) {
      const entry = get().lineEntry;
      if (entry?.step !== 'weight') return false;
      const per = weighedUnit(entry.product);
      const value = parseWeight(text);
      if (value === null) {
        return refuse(`"${text}" is not a weight: type it in ${per} with up to 3 decimals, e.g. 0.512`);
      }
      add(entry, {
        measure: { unit: per === 'lb' ? 'mlb' : 'g', value, source: 'manual' },
        pricePerUnit: entry.product.unitPrice,
        unitPrice: weighedAmount(value, entry.product.unitPrice),
      });
      return true;
    },
    enterPrice(text) {
      const entry = get().lineEntry;
      const limits = entry?.product.openPrice;
      if (entry?.step !== 'price' || !limits) return false;
      const { currency } = entry.product;
      let price: number;
      try {
        price = parseMinorUnits(text.trim(), currency);
      } catch {
        return refuse(`"${text}" is not a price: type it like 12.50`);
      }
      if (price < limits.min || price > limits.max) {
        return refuse(`Key a price from ${money(limits.min, currency)} to ${money(limits.max, currency)}`);
      }
      add(entry, { enteredPrice: price, unitPrice: price });
      return true;
    },
    cancelLineEntry() {
      set({ lineEntry: null });
    },
    clearLineEntryError() {
      const entry = get().lineEntry;
      if (entry?.error) set({ lineEntry: { ...entry, error: null } });
    },
  };
}

/** What a cart line adds to the sale line the host prices. */
export function lineExtras(line: CartLine): Pick<SaleLineRequest, 'measure' | 'enteredPrice' | 'ageCheck'> {
  return {
    ...(line.measure ? { measure: line.measure } : {}),
    ...(line.enteredPrice !== undefined ? { enteredPrice: line.enteredPrice } : {}),
    ...(line.ageCheck ? { ageCheck: line.ageCheck } : {}),
  };
}
