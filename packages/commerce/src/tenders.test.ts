import { describe, expect, it } from 'vitest';
import { luhnValid } from './card-numbers.js';
import { CASH_ROUNDING, cashRoundingFor, NO_CASH_ROUNDING, roundCash } from './cash-rounding.js';
import {
  cardToken,
  DEFAULT_TENDER_RULES,
  type SettleOptions,
  settleTenders,
  TenderError,
  type TenderInput,
} from './tenders.js';

const card = (amount: number, token = 'tok_visa_8f3k2m'): TenderInput => ({
  kind: 'card',
  amount,
  token,
  authorizationCode: 'A1B2C3',
});
const cash = (tendered: number): TenderInput => ({ kind: 'cash', tendered });

function refusal(fn: () => unknown): TenderError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TenderError) return error;
    throw error;
  }
  throw new Error('expected a TenderError');
}

describe('cash', () => {
  it('gives change from what was handed over and opens the drawer', () => {
    expect(settleTenders(1783, [cash(2000)])).toEqual({
      tenders: [{ kind: 'cash', ref: null, amount: 1783, tendered: 2000, change: 217 }],
      cashRounding: 0,
      paid: 1783,
      change: 217,
      opensDrawer: true,
    });
  });

  it('refuses too little cash, naming what is due', () => {
    const error = refusal(() => settleTenders(1783, [cash(1700)]));
    expect(error.code).toBe('insufficient_payment');
    expect(error.details).toEqual({ due: 1783, tendered: 1700 });
  });

  it('keeps change within the store’s cash limit', () => {
    const rules = { ...DEFAULT_TENDER_RULES, cash: { ...DEFAULT_TENDER_RULES.cash, maxChange: 5000 } };
    expect(settleTenders(1000, [cash(6000)], { rules }).change).toBe(5000);
    expect(refusal(() => settleTenders(1000, [cash(6001)], { rules })).code).toBe('change_not_allowed');
  });

  it('refuses amounts that are not positive whole minor units', () => {
    expect(refusal(() => settleTenders(1000, [cash(0)])).code).toBe('invalid_amount');
    expect(refusal(() => settleTenders(1000, [cash(10.5)])).code).toBe('invalid_amount');
    expect(refusal(() => settleTenders(1000, [card(-5)])).code).toBe('invalid_amount');
  });
});

describe('card', () => {
  it('keeps only the processor’s token, pays exactly, and leaves the drawer shut', () => {
    const settlement = settleTenders(4599, [card(4599)]);
    expect(settlement).toEqual({
      tenders: [{ kind: 'card', ref: 'tok_visa_8f3k2m', amount: 4599, tendered: 4599, change: 0 }],
      cashRounding: 0,
      paid: 4599,
      change: 0,
      opensDrawer: false,
    });
  });

  it('refuses a card number given as a token, in any spacing', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    for (const token of [
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '4111111111111111',
      'pan:5555555555554444',
    ]) {
      const error = refusal(() => cardToken(token));
      expect(error.code).toBe('card_data_refused');
      expect(error.message).not.toContain('4111');
    }
    expect(refusal(() => settleTenders(1000, [card(1000, '4111 1111 1111 1111')])).code).toBe(
      'card_data_refused',
    );
  });

  it('refuses a card number written with dots or underscores, or inside a longer run of digits', () => {
    for (const token of ['4111.1111.1111.1111', '4111_1111_1111_1111', '04111111111111111111']) {
      expect(refusal(() => cardToken(token)).code).toBe('card_data_refused');
    }
  });

  it('tells the cashier what to do, and never repeats the number', () => {
    const error = refusal(() => cardToken('4111 1111 1111 1111'));
    expect(error.message).toMatch(/card numbers are never kept/);
    expect(error.message).toMatch(/remove it/);
    expect(error.message).not.toMatch(/\d{4}/);
  });

  it('accepts tokens with digits that are not a card number, and refuses implausible lengths', () => {
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(cardToken('tok_4111111111111112')).toBe('tok_4111111111111112');
    expect(cardToken('ch_3PqRsT0123')).toBe('ch_3PqRsT0123');
    expect(refusal(() => cardToken('short')).code).toBe('card_data_refused');
    expect(refusal(() => cardToken('x'.repeat(129))).code).toBe('card_data_refused');
  });

  it('may not pay more than is left: a card never gives change', () => {
    const error = refusal(() => settleTenders(1000, [card(1001)]));
    expect(error.code).toBe('overpaid');
    expect(error.details).toEqual({ balance: 1000, amount: 1001 });
  });

  it('is refused offline by default', () => {
    const error = refusal(() => settleTenders(1000, [card(1000)], { offline: true }));
    expect(error.code).toBe('tender_offline');
    expect(error.details).toEqual({ kind: 'card' });
  });
});

describe('gift card and store credit', () => {
  it('refuse a gift-card reference that is a card number, like any other card data', () => {
    expect(() =>
      settleTenders(1000, [{ kind: 'gift-card', amount: 1000, cardToken: '6011 0009 9013 9424' }]),
    ).toThrow(expect.objectContaining({ code: 'card_data_refused' }));
  });

  it('refuse a store-credit account id that is a card number', () => {
    expect(() =>
      settleTenders(1000, [{ kind: 'store-credit', amount: 1000, accountId: '5555-5555-5555-4444' }]),
    ).toThrow(expect.objectContaining({ code: 'card_data_refused' }));
  });

  it('pay part of the sale by their references', () => {
    const settlement = settleTenders(5000, [
      { kind: 'gift-card', amount: 2000, cardToken: 'gc_77aa' },
      { kind: 'store-credit', amount: 3000, accountId: 'cust-42' },
    ]);
    expect(settlement.tenders.map(({ kind, ref, amount }) => ({ kind, ref, amount }))).toEqual([
      { kind: 'gift-card', ref: 'gc_77aa', amount: 2000 },
      { kind: 'store-credit', ref: 'cust-42', amount: 3000 },
    ]);
    expect(settlement.opensDrawer).toBe(false);
  });

  it('follow the offline rules: store credit works offline, a gift card (checked online) does not', () => {
    expect(
      settleTenders(1000, [{ kind: 'store-credit', amount: 1000, accountId: 'c' }], { offline: true }).paid,
    ).toBe(1000);
    const error = refusal(() =>
      settleTenders(1000, [{ kind: 'gift-card', amount: 1000, cardToken: 'gc_1' }], { offline: true }),
    );
    expect(error.code).toBe('tender_offline');
  });

  it('follow the store’s rules when it changes them', () => {
    const rules = { ...DEFAULT_TENDER_RULES, card: { ...DEFAULT_TENDER_RULES.card, allowedOffline: true } };
    expect(settleTenders(1000, [card(1000)], { offline: true, rules }).paid).toBe(1000);
  });
});

describe('split tenders', () => {
  it('settle in the order given, cash last giving the change', () => {
    const settlement = settleTenders(10_000, [
      { kind: 'gift-card', amount: 2500, cardToken: 'gc_1' },
      card(5000),
      cash(5000),
    ]);
    expect(settlement.tenders.map((t) => [t.kind, t.amount, t.change])).toEqual([
      ['gift-card', 2500, 0],
      ['card', 5000, 0],
      ['cash', 2500, 2500],
    ]);
    expect(settlement).toMatchObject({ paid: 10_000, change: 2500, opensDrawer: true });
  });

  it('take cash first as part-payment and a card for the rest', () => {
    const settlement = settleTenders(10_000, [cash(4000), card(6000)]);
    expect(settlement.tenders.map((t) => [t.kind, t.amount, t.change])).toEqual([
      ['cash', 4000, 0],
      ['card', 6000, 0],
    ]);
  });

  it('refuse a tender after the sale is paid, and a balance left unpaid', () => {
    expect(refusal(() => settleTenders(1000, [cash(1000), card(100)])).code).toBe('overpaid');
    expect(refusal(() => settleTenders(1000, [card(600), card(500)])).code).toBe('overpaid');
    const error = refusal(() => settleTenders(1000, [card(600)]));
    expect(error.code).toBe('insufficient_payment');
    expect(error.details).toEqual({ balance: 400 });
  });
});

describe('cash rounding', () => {
  const chf: SettleOptions = { cashRounding: cashRoundingFor('CHF') };

  it('rounds what cash pays in CHF to 0.05, half up', () => {
    expect(roundCash(1783, CASH_ROUNDING.CHF!)).toBe(1785);
    expect(roundCash(1782, CASH_ROUNDING.CHF!)).toBe(1780);
    expect(settleTenders(1783, [cash(2000)], chf)).toMatchObject({
      tenders: [{ kind: 'cash', amount: 1785, tendered: 2000, change: 215 }],
      cashRounding: 2,
      paid: 1785,
      change: 215,
    });
    expect(settleTenders(1782, [cash(2000)], chf)).toMatchObject({
      tenders: [{ kind: 'cash', amount: 1780, change: 220 }],
      cashRounding: -2,
      paid: 1780,
    });
  });

  it('accepts exactly the rounded amount as full payment', () => {
    expect(settleTenders(1782, [cash(1780)], chf)).toMatchObject({ change: 0, paid: 1780 });
    expect(refusal(() => settleTenders(1783, [cash(1780)], chf)).details).toEqual({
      due: 1785,
      tendered: 1780,
    });
  });

  it('rounds SEK cash to whole kronor and CAD cash to 0.05 (no pennies)', () => {
    const sek = { cashRounding: cashRoundingFor('SEK') };
    expect(settleTenders(12_949, [cash(20_000)], sek)).toMatchObject({
      paid: 12_900,
      cashRounding: -49,
      change: 7100,
    });
    expect(settleTenders(12_950, [cash(20_000)], sek)).toMatchObject({ paid: 13_000, cashRounding: 50 });
    const cad = { cashRounding: cashRoundingFor('CAD') };
    expect(settleTenders(1001, [cash(2000)], cad)).toMatchObject({ paid: 1000, cashRounding: -1 });
    expect(settleTenders(1003, [cash(2000)], cad)).toMatchObject({ paid: 1005, cashRounding: 2 });
    expect(cashRoundingFor('EUR')).toBe(NO_CASH_ROUNDING);
  });

  it('never rounds a sale paid only by card', () => {
    for (const total of [1781, 1782, 1783, 1784]) {
      expect(settleTenders(total, [card(total)], chf)).toMatchObject({ paid: total, cashRounding: 0 });
    }
  });

  it('rounds only the cash portion: the card part of a split is paid to the cent', () => {
    // 17.83: card 10.00, cash settles 7.83 → 7.85
    const settlement = settleTenders(1783, [card(1000), cash(1000)], chf);
    expect(settlement.tenders.map((t) => [t.kind, t.amount, t.change])).toEqual([
      ['card', 1000, 0],
      ['cash', 785, 215],
    ]);
    expect(settlement).toMatchObject({ cashRounding: 2, paid: 1785 });
    // cash first in part, card settles the exact rest: nothing is rounded
    const cardLast = settleTenders(1783, [cash(1000), card(783)], chf);
    expect(cardLast).toMatchObject({ cashRounding: 0, paid: 1783 });
    expect(cardLast.tenders[1]!.amount).toBe(783);
  });
});
