import { samplePayloads } from '@tillwright/protocol/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { VoidableSaleView } from '../contract/methods.js';
import { PostVoids } from './post-void.js';
import {
  cleanUpTills,
  FLOAT_COUNT,
  journalEvents,
  recordingDevices,
  STAFF,
  type StaffMember,
  saleServiceFor,
  staffedTill,
} from './test-support.js';

afterEach(cleanUpTills);

const by = (member: StaffMember) => ({ number: member.number, pin: member.pin });
const penAndBooks = (saleId: string, tenders: unknown[]) => ({
  saleId,
  currency: 'EUR',
  lines: [
    { lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 },
    { lineId: 'l2', productId: 'book', barcode: null, quantity: 2 },
  ],
  tenders: tenders as never,
});
const card = { kind: 'card', amount: 1248, token: 'tok_visa_8f2a1c', authorizationCode: 'A1B2C3' };

/** A till whose manager opened the shift; `signedIn` sells a cash sale (12.48 paid with 20.00) and a card sale. */
async function till(signedIn: StaffMember = STAFF.cashier) {
  const t = await staffedTill(STAFF.manager);
  await t.shifts.open({ floatCount: FLOAT_COUNT });
  await t.session.signIn(by(signedIn));
  const atKick: string[] = [];
  const { devices, kicks, printed } = recordingDevices(() =>
    atKick.push(journalEvents(t.ledger).at(-1)!.type),
  );
  const sales = saleServiceFor(t);
  const cash = await sales.complete(penAndBooks(t.nextSaleId(), [{ kind: 'cash', tendered: 2000 }]));
  const cardSale = await sales.complete(penAndBooks(t.nextSaleId(), [card]));
  const voids = new PostVoids({
    ...t,
    devices,
    header: { storeName: 'Test Store' },
    timeZone: () => 'UTC',
    log: () => {},
  });
  return { ...t, sales, cash, cardSale, voids, kicks, printed, atKick };
}

describe('the post-void list', () => {
  it("lists the open shift's sales latest first, a card sale not voidable and why", async () => {
    const t = await till();
    const { sales } = t.voids.voidable();
    for (const sale of sales) expect(VoidableSaleView.parse(sale)).toEqual(sale);
    expect(sales).toEqual([
      expect.objectContaining({
        saleId: t.cardSale.saleId,
        tenders: ['card'],
        cashier: 'Alex Cashier',
        voidable: false,
        why: 'Card sales are voided on the payment terminal (coming with card payments)',
      }),
      expect.objectContaining({
        saleId: t.cash.saleId,
        receiptNumber: t.cash.receiptNumber,
        total: 1248,
        tenders: ['cash'],
        voidable: true,
        why: null,
      }),
    ]);
  });
});

describe('a post-void', () => {
  it('journals void v3 in the shift, then prints the void slip and kicks the drawer once for the cash handed back', async () => {
    const t = await till(STAFF.manager);
    const shiftId = t.shifts.requireOpen().shiftId;
    const answer = await t.voids.postVoid({ saleId: t.cash.saleId, reason: 'rung up twice' });
    const voided = journalEvents(t.ledger).at(-1)!;
    expect(voided).toMatchObject({
      eventId: answer.voidId,
      type: 'void',
      schema: 3,
      payload: {
        voidedEventId: t.cash.saleId,
        reason: 'rung up twice',
        employeeId: 'emp-morgan',
        approvalId: null,
        shiftId,
      },
    });
    // The customer handed over 20.00 and got 7.52 back: 12.48 goes back to them.
    expect(answer).toEqual({
      voidId: voided.eventId,
      approvalId: null,
      currency: 'EUR',
      refunded: 1248,
      slip: 'sent-unconfirmed',
      drawer: 'sent-unconfirmed',
    });
    expect(t.atKick).toEqual(['void']);
    expect(t.kicks).toEqual([`drawer-${voided.eventId}`]);
    expect(t.printed[0]!.text).toMatch(
      new RegExp(
        `POST-VOID[\\s\\S]*Original receipt ${t.cash.receiptNumber}[\\s\\S]*` +
          'Handed back Cash 12\\.48[\\s\\S]*Reason: rung up twice[\\s\\S]*By: Morgan Manager',
      ),
    );
    expect(t.voids.voidable().sales.find((sale) => sale.saleId === t.cash.saleId)).toMatchObject({
      voidable: false,
      why: 'Already voided',
    });
    // The X report reverses it.
    expect(t.ledger.projections.shiftReport(shiftId)?.voids).toEqual({
      count: 1,
      total: 1248,
    });
  });

  it('asks a cashier for a postVoid approval, and links it once given', async () => {
    const t = await till(STAFF.cashier);
    const before = t.ledger.journal.count();
    await expect(t.voids.postVoid({ saleId: t.cash.saleId, reason: 'wrong item' })).rejects.toMatchObject({
      code: 'approval_required',
      approval: { request: { permission: 'postVoid' } },
    });
    expect(t.ledger.journal.count()).toBe(before);
    const answer = await t.voids.postVoid({
      saleId: t.cash.saleId,
      reason: 'wrong item',
      approval: by(STAFF.manager),
    });
    const [approval, voided] = journalEvents(t.ledger).slice(-2);
    expect(approval).toMatchObject({
      type: 'manager-approval',
      payload: { action: 'void', subject: `receipt ${t.cash.receiptNumber}` },
    });
    expect(voided).toMatchObject({
      type: 'void',
      payload: { approvalId: approval!.eventId, employeeId: 'emp-alex' },
    });
    expect(answer.approvalId).toBe(approval!.eventId);
  });

  it('refuses the same void twice (already_voided), a card sale (post_void_card) and a sale not of this shift, writing nothing', async () => {
    const t = await till(STAFF.manager);
    await t.voids.postVoid({ saleId: t.cash.saleId, reason: 'rung up twice' });
    const before = t.ledger.journal.count();
    await expect(t.voids.postVoid({ saleId: t.cash.saleId, reason: 'again' })).rejects.toMatchObject({
      code: 'already_voided',
      message: `Receipt ${t.cash.receiptNumber} (EUR 12.48) was already voided at 2026-11-25 12:00: nothing more was done`,
    });
    await expect(t.voids.postVoid({ saleId: t.cardSale.saleId, reason: 'card' })).rejects.toMatchObject({
      code: 'post_void_card',
    });
    await expect(t.voids.postVoid({ saleId: t.nextSaleId(), reason: 'unknown' })).rejects.toMatchObject({
      code: 'sale_not_in_shift',
    });
    expect(t.ledger.journal.count()).toBe(before);
    expect(t.kicks).toHaveLength(1);
  });

  it('refuses a sale that already had a return (post_void_returned), writing, printing and kicking nothing', async () => {
    const t = await till(STAFF.manager);
    // Part of the cash sale came back and 10.00 was refunded in cash: what is left of it may only be returned.
    t.writer.write('return', {
      ...samplePayloads().return,
      originalSaleId: t.cash.saleId,
      originalStoreId: 'S1',
      originalTerminalId: 'S1-T01',
      refunds: [{ tenderIndex: 0, kind: 'cash', ref: null, amount: 1000, paidOut: 1000 }],
      employeeId: STAFF.manager.employeeId,
    });
    expect(t.ledger.projections.priorReturns(t.cash.saleId).cashPaidOut).toBe(1000);
    const before = t.ledger.journal.count();
    await expect(t.voids.postVoid({ saleId: t.cash.saleId, reason: 'rung up twice' })).rejects.toMatchObject({
      code: 'post_void_returned',
      retryable: false,
      message: expect.stringMatching(new RegExp(`Receipt ${t.cash.receiptNumber} .*return`)),
    });
    expect(t.ledger.journal.count()).toBe(before);
    expect(t.kicks).toEqual([]);
    expect(t.printed).toEqual([]);
    expect(t.voids.voidable().sales.find((sale) => sale.saleId === t.cash.saleId)).toMatchObject({
      voidable: false,
      why: expect.stringMatching(/return/i),
    });
  });

  it('voids once when two post-voids of one sale race through their approvals', async () => {
    const t = await till(STAFF.cashier);
    const results = await Promise.allSettled([
      t.voids.postVoid({ saleId: t.cash.saleId, reason: 'twice', approval: by(STAFF.manager) }),
      t.voids.postVoid({ saleId: t.cash.saleId, reason: 'twice', approval: by(STAFF.manager) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { code: 'already_voided' },
    });
    expect(journalEvents(t.ledger).filter((e) => e.type === 'void')).toHaveLength(1);
    expect(journalEvents(t.ledger).filter((e) => e.type === 'manager-approval')).toHaveLength(1);
  });
});
