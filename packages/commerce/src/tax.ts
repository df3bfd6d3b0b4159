import { allocate, divideRounded, type RoundingMode, toSafeNumber } from './rounding.js';

export const RATE_SCALE = 1_000_000;

/** One tax, such as GST 5 %: `rate` is in millionths (5 % = 50_000; 8.875 % = 88_750). */
export interface TaxRate {
  code: string;
  name: string;
  rate: number;
}

/**
 * A jurisdiction's tax configuration, as data: whether shelf prices include tax, whether tax is rounded per line or
 * once per rate on the invoice, the rounding mode, its rates, and which rates each product tax category carries
 * (an empty list means exempt).
 */
export interface TaxJurisdiction {
  id: string;
  version: number;
  pricesIncludeTax: boolean;
  rounding: 'line' | 'invoice';
  roundingMode: RoundingMode;
  rates: readonly TaxRate[];
  categories: Readonly<Record<string, readonly string[]>>;
}

/** A customer exempt from some rates (a reseller certificate) or all (a diplomat). */
export type CustomerExemption = { rateCodes: readonly string[] } | 'all' | null;

export interface TaxableLine {
  lineId: string;
  /** The line's amount after discounts: gross when prices include tax, net otherwise. */
  amount: number;
  taxCategory: string;
}

export interface LineTax {
  lineId: string;
  net: number;
  gross: number;
  taxes: { code: string; amount: number }[];
}

export interface TaxBreakdown {
  code: string;
  name: string;
  rate: number;
  taxable: number;
  tax: number;
}

export interface TaxResult {
  lines: LineTax[];
  breakdown: TaxBreakdown[];
  totalNet: number;
  totalTax: number;
  totalGross: number;
}

export class TaxConfigError extends Error {
  override readonly name = 'TaxConfigError';
  readonly code = 'tax_configuration';
}

interface Prepared {
  line: TaxableLine;
  /** Every rate the category carries: what is embedded in an inclusive price. */
  embedded: TaxRate[];
  /** The rates this customer pays. */
  charged: TaxRate[];
  embeddedSum: number;
}

/**
 * Computes tax for priced lines. Inclusive prices embed every rate of the category; a customer exempt from a
 * rate pays the price without that rate's share. Each rate's tax is rounded per line or once per invoice, as the
 * jurisdiction says; invoice-rounded tax is then allocated back to lines (largest remainder) so per-line refunds
 * add up to it exactly.
 */
export function computeTax(
  lines: readonly TaxableLine[],
  jurisdiction: TaxJurisdiction,
  exemption: CustomerExemption = null,
): TaxResult {
  const rates = new Map(jurisdiction.rates.map((rate) => [rate.code, rate]));
  const prepared: Prepared[] = lines.map((line) => {
    const codes = jurisdiction.categories[line.taxCategory];
    if (!codes)
      throw new TaxConfigError(`tax category ${line.taxCategory} is not configured in ${jurisdiction.id}`);
    const embedded = codes.map((code) => {
      const rate = rates.get(code);
      if (!rate) throw new TaxConfigError(`tax rate ${code} is not configured in ${jurisdiction.id}`);
      return rate;
    });
    const charged = embedded.filter(
      (rate) => exemption !== 'all' && !exemption?.rateCodes.includes(rate.code),
    );
    return { line, embedded, charged, embeddedSum: embedded.reduce((sum, rate) => sum + rate.rate, 0) };
  });

  // Exact tax of rate r on a line, as numerator / denominator.
  const exact = (p: Prepared, rate: TaxRate): [bigint, bigint] =>
    jurisdiction.pricesIncludeTax
      ? [BigInt(p.line.amount) * BigInt(rate.rate), BigInt(RATE_SCALE + p.embeddedSum)]
      : [BigInt(p.line.amount) * BigInt(rate.rate), BigInt(RATE_SCALE)];
  const round = ([n, d]: [bigint, bigint]) => toSafeNumber(divideRounded(n, d, jurisdiction.roundingMode));

  // tax[lineIndex][rateCode] for every embedded rate (inclusive) or charged rate (exclusive).
  const perLine: Map<string, number>[] = prepared.map(() => new Map());
  const taxedRates = (p: Prepared) => (jurisdiction.pricesIncludeTax ? p.embedded : p.charged);
  if (jurisdiction.rounding === 'line') {
    prepared.forEach((p, i) => {
      for (const rate of taxedRates(p)) perLine[i]!.set(rate.code, round(exact(p, rate)));
    });
  } else {
    for (const rate of jurisdiction.rates) {
      const members = prepared.flatMap((p, i) => (taxedRates(p).includes(rate) ? [i] : []));
      if (members.length === 0) continue;
      // Sum exactly: numerators per distinct denominator first (there are few), then across them.
      const byDenominator = new Map<bigint, bigint>();
      for (const i of members) {
        const [n, d] = exact(prepared[i]!, rate);
        byDenominator.set(d, (byDenominator.get(d) ?? 0n) + n);
      }
      let numerator = 0n;
      let denominator = 1n;
      for (const [d, n] of byDenominator) {
        numerator = numerator * d + n * denominator;
        denominator *= d;
      }
      const total = toSafeNumber(divideRounded(numerator, denominator, jurisdiction.roundingMode));
      const weights = members.map((i) => {
        const [n, d] = exact(prepared[i]!, rate);
        return toSafeNumber(divideRounded(n * 1000n, d, 'half-even'));
      });
      allocate(total, weights).forEach((amount, k) => {
        perLine[members[k]!]!.set(rate.code, amount);
      });
    }
  }

  const lineResults: LineTax[] = prepared.map((p, i) => {
    const taxes = perLine[i]!;
    const chargedTaxes = p.charged.map((rate) => ({ code: rate.code, amount: taxes.get(rate.code) ?? 0 }));
    const chargedSum = chargedTaxes.reduce((sum, tax) => sum + tax.amount, 0);
    if (!jurisdiction.pricesIncludeTax) {
      return {
        lineId: p.line.lineId,
        net: p.line.amount,
        gross: p.line.amount + chargedSum,
        taxes: chargedTaxes,
      };
    }
    const embeddedSum = p.embedded.reduce((sum, rate) => sum + (taxes.get(rate.code) ?? 0), 0);
    const net = p.line.amount - embeddedSum;
    return { lineId: p.line.lineId, net, gross: net + chargedSum, taxes: chargedTaxes };
  });

  const breakdown: TaxBreakdown[] = [];
  for (const rate of jurisdiction.rates) {
    let taxable = 0;
    let tax = 0;
    let used = false;
    lineResults.forEach((line, i) => {
      const entry = line.taxes.find((t) => t.code === rate.code);
      if (!entry || !prepared[i]!.charged.includes(rate)) return;
      used = true;
      taxable += line.net;
      tax += entry.amount;
    });
    if (used) breakdown.push({ code: rate.code, name: rate.name, rate: rate.rate, taxable, tax });
  }
  const totalNet = lineResults.reduce((sum, line) => sum + line.net, 0);
  const totalGross = lineResults.reduce((sum, line) => sum + line.gross, 0);
  return { lines: lineResults, breakdown, totalNet, totalTax: totalGross - totalNet, totalGross };
}
