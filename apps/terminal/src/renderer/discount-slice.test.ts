import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { MethodName } from '../contract/methods.js';
import { RpcCallError } from '../contract/wire.js';
import { CartDatabase } from './cart-db.js';
import { cartTotal } from './cart-store.js';
import { basketDiscountWords, lineAdjustments, parsePercent } from './discount-words.js';
import { pen, quoteAtPenPrice, setup } from './test-host.js';

const MORGAN = { number: '3001', pin: '3579' };
const APPROVAL_ID = '0190a000-0000-7000-8000-0000000000a1';
const refusal = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new RpcCallError({ code, message, retryable: false, ...extra });

type QuotedLine = {
  lineId: string;
  quantity: number;
  discount?: {
    discount: { kind: string; rate?: number; amount?: number };
    reason: string;
    approvalId?: string;
  };
};

/**
 * A host that prices like the host's rules for one cashier with a 10 % limit: each line at the pen's price, a percent
 * discount taken off, anything above 10 % listed as needing approval until it carries one; more than the line: refused.
 */
function discountingQuote(params: { lines: QuotedLine[]; basketDiscount?: unknown }) {
  const base = quoteAtPenPrice(params);
  const approvals: unknown[] = [];
  const lines = base.lines.map((line, i) => {
    const asked = params.lines[i]!.discount;
    if (!asked) return line;
    const off =
      asked.discount.kind === 'percent'
        ? Math.round((line.extended * asked.discount.rate!) / 1_000_000)
        : asked.discount.amount!;
    if (off > line.extended) throw refusal('invalid_discount', 'a discount of more than the line');
    const rate = asked.discount.rate ?? Math.ceil((off * 1_000_000) / line.extended);
    if (rate > 100_000)
      approvals.push({
        kind: 'line-discount',
        lineId: line.lineId,
        rate,
        limit: 100_000,
        approved: !!asked.approvalId,
      });
    return {
      ...line,
      amount: line.extended - off,
      discounts: [asked.reason],
      adjustments: [{ source: 'manual-line', label: asked.reason, amount: off }],
    };
  });
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  return { ...base, lines, total, cashDue: total, approvals };
}

/** `sale.approve` as the host answers it: what needs approving without credentials, Morgan's approval with them. */
function approvingHost(method: MethodName, params: Record<string, unknown>) {
  if (method === 'sale.approve') {
    const approval = params.approval as typeof MORGAN | undefined;
    if (!approval)
      throw refusal('approval_required', 'A 30 % discount needs approval', {
        approval: {
          request: { permission: 'discountPercent', percent: 30 },
          what: 'a 30 % discount',
          requestedBy: 'Ada',
        },
      });
    if (approval.pin !== MORGAN.pin) throw refusal('approval_refused', "Approver's number or PIN is wrong");
    return { approvalId: APPROVAL_ID };
  }
  if (method === 'sale.complete') {
    return {
      saleId: params.saleId,
      receiptNumber: 'T1-1-000001',
      currency: 'EUR',
      total: 175,
      taxTotal: 0,
      paid: 175,
      cashRounding: 0,
      change: 0,
      alreadyRecorded: false,
      training: false,
      receipt: 'confirmed',
      drawer: 'confirmed',
    };
  }
  return undefined;
}

async function tillWithPen(dbName?: string) {
  const till = await setup(approvingHost, {
    quote: discountingQuote as never,
    ...(dbName ? { dbName } : {}),
  });
  till.store.getState().addProduct(pen);
  await vi.waitFor(() => expect(till.store.getState().quote).not.toBeNull());
  return till;
}
const percentOff = (percent: number, reason = 'Loyal customer') => ({
  kind: 'line-discount' as const,
  discount: { kind: 'percent' as const, rate: percent * 10_000 },
  reason,
});
const callsOf = (
  host: { calls: { method: MethodName; params: Record<string, unknown> }[] },
  method: MethodName,
) => host.calls.filter((call) => call.method === method).map((call) => call.params);

describe('discounts on the cart (issue 17, point 4)', () => {
  it('F4 within the limit: the discount goes on the selected line, priced by the host, shown with its reason', async () => {
    const { store, host } = await tillWithPen();
    store.getState().openDiscount('line-discount');
    expect(store.getState().discountDialog).toEqual({ kind: 'line-discount', lineId: 'l1' });
    expect(await store.getState().applyAdjustment(percentOff(10))).toBe(true);
    expect(store.getState().discountDialog).toBeNull();
    expect(store.getState().cart.lines[0]?.discount).toEqual({
      discount: { kind: 'percent', rate: 100_000 },
      reason: 'Loyal customer',
    });
    await vi.waitFor(() => expect(store.getState().quote?.total).toBe(225));
    const { cart, quote } = store.getState();
    expect(lineAdjustments(cart.lines[0]!, quote!.lines[0], 'EUR')).toEqual([
      { kind: 'discount', text: 'Discount 10 %: Loyal customer', amount: '−EUR 0.25' },
    ]);
    expect(callsOf(host, 'sale.approve')).toEqual([]);
    // Every quote names the sale, so the host can check approvals against it.
    expect(callsOf(host, 'sale.quote').at(-1)).toMatchObject({ saleId: cart.saleId });
  });

  it('beyond the limit: the approval dialog asks a manager, and the approval goes on the line and with Pay', async () => {
    const { store, host } = await tillWithPen();
    store.getState().openDiscount('line-discount');
    const applied = store.getState().applyAdjustment(percentOff(30));
    await vi.waitFor(() => expect(store.getState().approval?.needed.what).toBe('a 30 % discount on Pen'));
    // Not yet on the cart: only an approved discount goes on.
    expect(store.getState().cart.lines[0]?.discount).toBeUndefined();
    expect(await store.getState().approve({ number: '3001', pin: '9999' })).toBe(false);
    expect(store.getState().approval?.error).toBe("Approver's number or PIN is wrong");
    expect(await store.getState().approve(MORGAN)).toBe(true);
    expect(await applied).toBe(true);
    const { cart } = store.getState();
    expect(cart.lines[0]?.discount).toMatchObject({ reason: 'Loyal customer', approvalId: APPROVAL_ID });
    expect(callsOf(host, 'sale.approve').at(-1)).toEqual({
      saleId: cart.saleId,
      kind: 'line-discount',
      lineId: 'l1',
      rate: 300_000,
      reason: 'Loyal customer',
      approval: MORGAN,
    });
    await vi.waitFor(() =>
      expect(store.getState().quote?.approvals).toEqual([expect.objectContaining({ approved: true })]),
    );
    expect(cartTotal(store.getState().cart, store.getState().quote)).toBe(175);
    await store.getState().pay();
    expect(callsOf(host, 'sale.complete')[0]).toMatchObject({
      saleId: cart.saleId,
      lines: [{ lineId: 'l1', discount: { reason: 'Loyal customer', approvalId: APPROVAL_ID } }],
    });
  });

  it('a cancelled approval leaves the cart as it was, saying why', async () => {
    const { store } = await tillWithPen();
    store.getState().openDiscount('line-discount');
    const applied = store.getState().applyAdjustment(percentOff(30));
    await vi.waitFor(() => expect(store.getState().approval).not.toBeNull());
    store.getState().cancelApproval();
    expect(await applied).toBe(false);
    expect(store.getState().cart.lines[0]?.discount).toBeUndefined();
    expect(store.getState().notice?.text).toContain('needs a manager’s approval');
  });

  it("the host's refusal shows in the dialog and changes nothing", async () => {
    const { store } = await tillWithPen();
    store.getState().openDiscount('line-discount');
    const amount = {
      kind: 'line-discount' as const,
      discount: { kind: 'amount' as const, amount: 999 },
      reason: 'x',
    };
    expect(await store.getState().applyAdjustment(amount)).toBe(false);
    expect(store.getState().discountError).toBe('a discount of more than the line');
    expect(store.getState().discountDialog).not.toBeNull();
    expect(store.getState().cart.lines[0]?.discount).toBeUndefined();
  });

  it('the discount and its approval survive a reload of the screen, and can be taken off again', async () => {
    const dbName = `discount-reload-${Date.now()}`;
    const first = await tillWithPen(dbName);
    first.store.getState().openDiscount('line-discount');
    const applied = first.store.getState().applyAdjustment(percentOff(30));
    await vi.waitFor(() => expect(first.store.getState().approval).not.toBeNull());
    await first.store.getState().approve(MORGAN);
    await applied;
    first.store.getState().openDiscount('basket-discount');
    await first.store.getState().applyAdjustment({
      kind: 'basket-discount',
      discount: { kind: 'percent', rate: 50_000 },
      reason: 'Staff',
    });
    await vi.waitFor(async () =>
      expect((await new CartDatabase(dbName).load())?.basketDiscount).toBeDefined(),
    );

    const second = await setup(approvingHost, { quote: discountingQuote as never, dbName });
    const { cart } = second.store.getState();
    expect(cart.lines[0]?.discount).toMatchObject({ approvalId: APPROVAL_ID });
    expect(cart.basketDiscount).toEqual({ discount: { kind: 'percent', rate: 50_000 }, reason: 'Staff' });
    expect(basketDiscountWords(cart.basketDiscount, null, 'EUR')).toEqual({
      text: 'Basket discount 5 %: Staff',
      amount: null,
    });
    second.store.getState().removeAdjustment('line-discount', 'l1');
    second.store.getState().removeAdjustment('basket-discount', null);
    expect(second.store.getState().cart.lines[0]?.discount).toBeUndefined();
    expect(second.store.getState().cart.basketDiscount).toBeUndefined();
  });

  it('a basket discount re-prices the cart at once: the total shown is never the one before it', async () => {
    const { store, host } = await tillWithPen();
    store.getState().openDiscount('basket-discount');
    const basket = {
      kind: 'basket-discount' as const,
      discount: { kind: 'percent' as const, rate: 50_000 },
      reason: 'Staff',
    };
    expect(await store.getState().applyAdjustment(basket)).toBe(true);
    // The quote on screen is for the cart with its basket discount, asked after it went on.
    await vi.waitFor(() =>
      expect(callsOf(host, 'sale.quote').at(-1)).toMatchObject({ basketDiscount: { reason: 'Staff' } }),
    );
    expect(callsOf(host, 'sale.quote').filter((params) => params.basketDiscount)).toHaveLength(2);
  });

  it('reads a typed percentage, refusing what is none', () => {
    expect(parsePercent('30')).toBe(300_000);
    expect(parsePercent(' 12.5 % ')).toBe(125_000);
    expect(parsePercent('7,5')).toBe(75_000);
    expect(parsePercent('100')).toBe(1_000_000);
    for (const bad of ['0', '', 'ten', '101', '-5', '1.00001', '1e2']) expect(parsePercent(bad)).toBeNull();
  });
});
