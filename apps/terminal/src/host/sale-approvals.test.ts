import { KNOWN_EVENT_VERSIONS, type SaleEvent } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type MethodParams, SaleApproveParams, type SaleLineRequest } from '../contract/methods.js';
import { defaultPricingConfig } from './pricing-config.js';
import { SaleApprovals } from './sale-approvals.js';
import { SaleService } from './sale-service.js';
import {
  cleanUpTills,
  journalEvents,
  openShiftIn,
  STAFF,
  type StaffMember,
  staffedTill,
} from './test-support.js';
import { saleMode } from './training.js';

afterEach(cleanUpTills);

/** A staffed till (cashier 0 %, supervisor 20 % discounts and 10 % overrides, manager all) selling in its shift. */
async function till(signedIn: StaffMember = STAFF.cashier) {
  const t = await staffedTill(signedIn);
  openShiftIn(t.ledger);
  const saleApprovals = new SaleApprovals({ ledger: t.ledger, session: t.session, approvals: t.approvals });
  const sales = new SaleService({
    ledger: t.ledger,
    pricing: () => defaultPricingConfig('DE', 'EUR'),
    isOffline: () => false,
    devices: null,
    header: { storeName: 'Test Store' },
    now: t.clock.now,
    onCommitted: () => {},
    log: () => {},
    signedInEmployee: () => t.session.requireSignedIn().employee.employeeId,
    saleMode: () => saleMode(t.training, t.shifts),
    approvalRules: saleApprovals,
  });
  return { ...t, sales, saleApprovals };
}

const by = (member: StaffMember) => ({ number: member.number, pin: member.pin });
const pen = (changes: Partial<SaleLineRequest> = {}): SaleLineRequest => ({
  lineId: 'l1',
  productId: 'pen',
  barcode: null,
  quantity: 2,
  ...changes,
});
const book = (changes: Partial<SaleLineRequest> = {}): SaleLineRequest => ({
  lineId: 'l2',
  productId: 'book',
  barcode: null,
  quantity: 1,
  ...changes,
});
const percentOff = (percent: number, reason = 'loyal customer', approvalId?: string) => ({
  discount: { kind: 'percent' as const, rate: percent * 10_000 },
  reason,
  ...(approvalId ? { approvalId } : {}),
});
const cash = [{ kind: 'cash' as const, tendered: 10_000 }];

type Till = Awaited<ReturnType<typeof till>>;
const pay = (
  t: Till,
  saleId: string,
  lines: SaleLineRequest[],
  extra: Partial<MethodParams<'sale.complete'>> = {},
) => t.sales.complete({ saleId, currency: 'EUR', lines, tenders: cash, ...extra });
const approve = (t: Till, params: Omit<MethodParams<'sale.approve'>, 'reason'> & { reason?: string }) =>
  t.saleApprovals.approve({ reason: 'loyal customer', ...params });

describe("discounts and overrides within the signed-in employee's limits", () => {
  it("a supervisor's 10 % line discount needs no approval: priced, recorded with its reason, nothing approved", async () => {
    const t = await till(STAFF.supervisor);
    const saleId = t.writer.id();
    const lines = [pen({ discount: percentOff(10) })];
    const quote = t.sales.quote({ saleId, currency: 'EUR', lines });
    expect(quote.approvals).toEqual([]);
    expect(quote.lines[0]).toMatchObject({
      extended: 500,
      amount: 450,
      adjustments: [{ source: 'manual-line', label: 'loyal customer', amount: 50 }],
    });
    await pay(t, saleId, lines);
    const sale = t.ledger.journal.read(saleId) as SaleEvent;
    expect(sale.payload.lines[0]?.adjustments).toEqual([
      { source: 'manual-line', ref: 'loyal customer', amount: 50 },
    ]);
    expect(sale.payload.approvals).toEqual([]);
    expect(journalEvents(t.ledger).filter((event) => event.type === 'manager-approval')).toEqual([]);
  });

  it('judges an amount discount by the rate it makes of what it reduces, and a price override by its cut', async () => {
    const t = await till(STAFF.supervisor);
    // 1.00 off a basket of 9.99 is 10.01 %: above the supervisor's 20 %? no; 2.50 off is 25.03 %: yes.
    const lines = [pen(), book()];
    const within = t.sales.quote({
      currency: 'EUR',
      lines,
      basketDiscount: { discount: { kind: 'amount', amount: 100 }, reason: 'goodwill' },
    });
    expect(within.approvals).toEqual([]);
    const beyond = t.sales.quote({
      currency: 'EUR',
      lines,
      basketDiscount: { discount: { kind: 'amount', amount: 250 }, reason: 'goodwill' },
    });
    expect(beyond.approvals).toEqual([
      { kind: 'basket-discount', lineId: null, rate: 250_251, limit: 200_000, approved: false },
    ]);
    // 4.99 → 3.99 is 20.04 % off: above the supervisor's 10 % for overrides.
    const override = t.sales.quote({
      currency: 'EUR',
      lines: [book({ priceOverride: { unitPrice: 399, reason: 'damaged box' } })],
    });
    expect(override.lines[0]).toMatchObject({ unitPrice: 399, amount: 399 });
    expect(override.approvals).toEqual([
      { kind: 'price-override', lineId: 'l2', rate: 200_401, limit: 100_000, approved: false },
    ]);
  });

  it('an overridden line is refused at Pay (server_too_old) by a server that takes no sale v6, which records its reason', async () => {
    const t = await till(STAFF.supervisor);
    t.ledger.serverContact.recordVersions({
      events: { ...KNOWN_EVENT_VERSIONS, sale: [1, 2, 3, 4, 5] },
      feed: {},
      config: [1, 2, 3],
    });
    const before = journalEvents(t.ledger).length;
    // 4.99 → 4.79 is 4 % off: within the supervisor's limit, so only the version stands in the way.
    await expect(
      pay(t, t.writer.id(), [book({ priceOverride: { unitPrice: 479, reason: 'damaged box' } })]),
    ).rejects.toMatchObject({
      code: 'server_too_old',
      retryable: false,
      message: expect.stringContaining('a price override'),
    });
    expect(journalEvents(t.ledger)).toHaveLength(before);
  });
});

describe('beyond the limit: refused at Pay, then approved by a manager on the same screen', () => {
  it("a cashier's 30 % discount is listed, refused at Pay writing nothing, approved, then paid with the approval linked", async () => {
    const t = await till(STAFF.cashier);
    const saleId = t.writer.id();
    const lines = [pen({ discount: percentOff(30) })];
    expect(t.sales.quote({ saleId, currency: 'EUR', lines }).approvals).toEqual([
      { kind: 'line-discount', lineId: 'l1', rate: 300_000, limit: 0, approved: false },
    ]);
    const before = journalEvents(t.ledger).length;
    await expect(pay(t, saleId, lines)).rejects.toMatchObject({
      code: 'approval_required',
      message: expect.stringContaining('the 30 % discount on Ballpoint pen, above your limit of 0 %'),
    });
    expect(journalEvents(t.ledger)).toHaveLength(before);

    // Without credentials the host says what to approve, for the approval dialog.
    await expect(
      approve(t, { saleId, kind: 'line-discount', lineId: 'l1', rate: 300_000 }),
    ).rejects.toMatchObject({
      code: 'approval_required',
      approval: { what: 'a 30 % discount', requestedBy: 'Alex Cashier' },
    });
    const { approvalId } = await approve(t, {
      saleId,
      kind: 'line-discount',
      lineId: 'l1',
      rate: 300_000,
      approval: by(STAFF.manager),
    });
    expect(approvalId).not.toBeNull();
    expect(t.ledger.journal.read(approvalId!)).toMatchObject({
      type: 'manager-approval',
      payload: {
        approverId: STAFF.manager.employeeId,
        employeeId: STAFF.cashier.employeeId,
        permission: 'discountPercent',
        action: 'line-discount',
        subject: `sale ${saleId} line l1`,
        reason: 'loyal customer',
        requested: { percent: 30 },
      },
    });

    const approved = [pen({ discount: percentOff(30, 'loyal customer', approvalId!) })];
    expect(t.sales.quote({ saleId, currency: 'EUR', lines: approved }).approvals).toEqual([
      { kind: 'line-discount', lineId: 'l1', rate: 300_000, limit: 0, approved: true },
    ]);
    await pay(t, saleId, approved);
    const sale = t.ledger.journal.read(saleId) as SaleEvent;
    expect(sale.payload.approvals).toEqual([
      {
        kind: 'line-discount',
        lineId: 'l1',
        rate: 300_000,
        limit: 0,
        approvedBy: STAFF.manager.employeeId,
        approvalId,
      },
    ]);
    expect(sale.payload.lines[0]).toMatchObject({
      amount: 350,
      adjustments: [{ source: 'manual-line', ref: 'loyal customer', amount: 150 }],
    });
  });

  it('a price override records its reason; a basket discount is approved with no line', async () => {
    const t = await till(STAFF.cashier);
    const saleId = t.writer.id();
    const override = await approve(t, {
      saleId,
      kind: 'price-override',
      lineId: 'l2',
      rate: 200_401,
      reason: 'damaged box',
      approval: by(STAFF.manager),
    });
    const basket = await approve(t, {
      saleId,
      kind: 'basket-discount',
      lineId: null,
      rate: 100_000,
      approval: by(STAFF.manager),
    });
    const lines = [
      pen(),
      book({ priceOverride: { unitPrice: 399, reason: 'damaged box', approvalId: override.approvalId! } }),
    ];
    await pay(t, saleId, lines, {
      basketDiscount: { ...percentOff(10, 'staff party'), approvalId: basket.approvalId! },
    });
    const sale = t.ledger.journal.read(saleId) as SaleEvent;
    expect(sale.payload.lines[1]).toMatchObject({
      unitPrice: 399,
      catalogUnitPrice: 499,
      overrideReason: 'damaged box',
    });
    expect(sale.payload.approvals).toEqual([
      expect.objectContaining({ kind: 'price-override', approvalId: override.approvalId }),
      expect.objectContaining({ kind: 'basket-discount', approvalId: basket.approvalId }),
    ]);
  });
});

describe('an approval is good for what it was given for, and nothing else', () => {
  async function approvedThirtyOnPen() {
    const t = await till(STAFF.cashier);
    const saleId = t.writer.id();
    const { approvalId } = await approve(t, {
      saleId,
      kind: 'line-discount',
      lineId: 'l1',
      rate: 300_000,
      approval: by(STAFF.manager),
    });
    return { t, saleId, approvalId: approvalId! };
  }

  it('is refused on another line, in another sale, for a higher rate, or as a basket discount', async () => {
    const { t, saleId, approvalId } = await approvedThirtyOnPen();
    const quote = (lines: SaleLineRequest[], id = saleId, extra = {}) =>
      t.sales.quote({ saleId: id, currency: 'EUR', lines, ...extra });
    expect(() => quote([pen(), book({ discount: percentOff(30, 'r', approvalId) })])).toThrow(
      expect.objectContaining({ code: 'approval_invalid', message: expect.stringContaining('another line') }),
    );
    expect(() => quote([pen({ discount: percentOff(30, 'r', approvalId) })], t.writer.id())).toThrow(
      expect.objectContaining({ code: 'approval_invalid' }),
    );
    expect(() => quote([pen({ discount: percentOff(40, 'r', approvalId) })])).toThrow(
      expect.objectContaining({
        code: 'approval_invalid',
        message: expect.stringContaining('for 30 %, less than the 40 % asked now'),
      }),
    );
    expect(() => quote([pen()], saleId, { basketDiscount: percentOff(30, 'r', approvalId) })).toThrow(
      expect.objectContaining({ code: 'approval_invalid' }),
    );
    // A quote that names no sale cannot link any approval; an id that is no approval links nothing either.
    expect(() =>
      t.sales.quote({ currency: 'EUR', lines: [pen({ discount: percentOff(30, 'r', approvalId) })] }),
    ).toThrow(expect.objectContaining({ code: 'approval_invalid' }));
    const before = journalEvents(t.ledger).length;
    await expect(pay(t, saleId, [pen({ discount: percentOff(30, 'r', saleId) })])).rejects.toMatchObject({
      code: 'approval_invalid',
    });
    expect(journalEvents(t.ledger)).toHaveLength(before);
    // A lower rate is covered.
    expect(quote([pen({ discount: percentOff(20, 'r', approvalId) })]).approvals[0]?.approved).toBe(true);
  });

  it('nobody approves their own request with their own PIN, nor beyond their own permission', async () => {
    const t = await till(STAFF.cashier);
    const saleId = t.writer.id();
    await expect(
      approve(t, { saleId, kind: 'line-discount', lineId: 'l1', rate: 300_000, approval: by(STAFF.cashier) }),
    ).rejects.toMatchObject({ code: 'approval_refused' });
    // A supervisor may give 20 %, not 30 %.
    await expect(
      approve(t, {
        saleId,
        kind: 'line-discount',
        lineId: 'l1',
        rate: 300_000,
        approval: by(STAFF.supervisor),
      }),
    ).rejects.toMatchObject({
      code: 'approval_refused',
      message: expect.stringContaining('may not approve'),
    });
  });

  it('the approver signing in on the cart sells it within their own limits: their approval is not needed, not refused', async () => {
    const t = await till(STAFF.cashier);
    const saleId = t.writer.id();
    const { approvalId } = await approve(t, {
      saleId,
      kind: 'line-discount',
      lineId: 'l1',
      rate: 300_000,
      approval: by(STAFF.manager),
    });
    await t.session.signIn(by(STAFF.manager));
    const lines = [pen({ discount: percentOff(30, 'r', approvalId!) })];
    expect(t.sales.quote({ saleId, currency: 'EUR', lines }).approvals).toEqual([]);
    await pay(t, saleId, lines);
    expect((t.ledger.journal.read(saleId) as SaleEvent).payload.approvals).toEqual([]);
  });

  it('the signed-in employee within their limit needs nobody: nothing is journaled', async () => {
    const t = await till(STAFF.supervisor);
    const before = journalEvents(t.ledger).length;
    const saleId = t.writer.id();
    expect(await approve(t, { saleId, kind: 'line-discount', lineId: 'l1', rate: 150_000 })).toEqual({
      approvalId: null,
    });
    expect(journalEvents(t.ledger)).toHaveLength(before);
  });

  it('bad input is refused before anything is written: a basket with a line, a line discount without one, no rate', async () => {
    const t = await till(STAFF.cashier);
    const saleId = t.writer.id();
    const base = { saleId, reason: 'r', approval: by(STAFF.manager) };
    expect(
      SaleApproveParams.safeParse({ ...base, kind: 'basket-discount', lineId: 'l1', rate: 1 }).success,
    ).toBe(false);
    expect(
      SaleApproveParams.safeParse({ ...base, kind: 'line-discount', lineId: null, rate: 1 }).success,
    ).toBe(false);
    expect(
      SaleApproveParams.safeParse({ ...base, kind: 'line-discount', lineId: 'l1', rate: 0 }).success,
    ).toBe(false);
    expect(
      SaleApproveParams.safeParse({ ...base, kind: 'line-discount', lineId: 'l1', rate: 1, reason: ' ' })
        .success,
    ).toBe(false);
    // A sale already paid takes no more approvals.
    await pay(t, saleId, [pen()]);
    const before = journalEvents(t.ledger).length;
    await expect(
      approve(t, { saleId, kind: 'line-discount', lineId: 'l1', rate: 300_000, approval: by(STAFF.manager) }),
    ).rejects.toMatchObject({ code: 'sale_already_recorded' });
    expect(journalEvents(t.ledger)).toHaveLength(before);
  });
});
