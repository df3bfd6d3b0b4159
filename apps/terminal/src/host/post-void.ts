import { formatMinorUnits } from '@tillwright/commerce';
import type { Ledger } from '@tillwright/ledger';
import { type LatestEvent, saleReceiptNumber } from '@tillwright/protocol';
import { TENDER_LABELS, voidSlipLayout } from '@tillwright/receipts';
import type { MethodParams, MethodResult, VoidableSaleView } from '../contract/methods.js';
import type { Approvals } from './approvals.js';
import { kickOnce, printOnce } from './device-actions.js';
import type { SaleDevices } from './devices.js';
import type { JournalWriter } from './journal-writer.js';
import { eventHeader, receiptItems, type StoreHeader } from './receipt-layout.js';
import { HostError } from './rpc-dispatcher.js';
import type { SessionService } from './session-service.js';
import { employeeName, type OpenShift, storeTime } from './shift-journal.js';
import type { ShiftService } from './shift-service.js';
import type { TrainingMode } from './training.js';

export interface PostVoidDeps {
  ledger: Ledger;
  session: SessionService;
  approvals: Approvals;
  writer: JournalWriter;
  shifts: ShiftService;
  training: TrainingMode;
  devices: SaleDevices | null;
  header: StoreHeader;
  timeZone: () => string;
  log: (message: string) => void;
}

/** How many of the open shift's sales the post-void list shows, latest first. */
export const VOIDABLE_LIST_LIMIT = 50;

const CARD_SALE = 'Card sales are voided on the payment terminal (coming with card payments)';
const RETURNED = 'Part of it was returned: what is left is returned, not voided';

type SaleEvent = LatestEvent<'sale'>;

/**
 * Post-void (decision 0015): cancelling a completed cash sale of the open shift, money handed back. Needs `postVoid`
 * (or a manager's approval) and a reason; `void` is journaled first, then a void slip printed and the drawer kicked
 * once for the cash handed back. A sale is voided once (`already_voided`), never after a return against it
 * (`post_void_returned`: the void would hand the returned part back twice); a card sale waits for the payment
 * terminal (`post_void_card`).
 */
export class PostVoids {
  constructor(private readonly deps: PostVoidDeps) {}

  /** The open shift's sales, latest first (at most VOIDABLE_LIST_LIMIT), each voidable or why not. */
  voidable(): MethodResult<'sale.voidable'> {
    const shift = this.deps.shifts.requireOpen();
    return {
      sales: this.deps.ledger.projections
        .shiftSales(shift.shiftId, VOIDABLE_LIST_LIMIT)
        .map(({ sale, voidedBy }) => this.view(sale, voidedBy !== null)),
    };
  }

  async postVoid({
    saleId,
    reason,
    approval,
  }: MethodParams<'sale.postVoid'>): Promise<MethodResult<'sale.postVoid'>> {
    const actor = this.deps.session.requireSignedIn();
    const { shift, sale } = this.voidableNow(saleId);
    const refunded = cashPaid(sale);
    const grant = await this.deps.approvals.check(
      {
        request: { permission: 'postVoid' },
        action: 'void',
        // The receipt number, not the sale id: a subject is free text, and a UUID's digits can pass for a card number.
        subject: `receipt ${saleReceiptNumber(sale)}`,
        reason,
      },
      approval,
    );
    // The PIN check waited its turn: the sale may have been voided, or the shift closed, meanwhile.
    if (this.voidableNow(saleId).shift.shiftId !== shift.shiftId) {
      throw new HostError('shift_changed', 'The shift changed on this till meanwhile: ask again', false);
    }
    const approvalId = grant ? this.deps.approvals.record(grant) : null;
    const voidId = this.deps.writer.id();
    const written = this.deps.writer.write(
      'void',
      {
        voidedEventId: saleId,
        reason,
        employeeId: actor.employee.employeeId,
        approvalId,
        shiftId: shift.shiftId,
      },
      { eventId: voidId },
    );
    const { devices, ledger, log } = this.deps;
    const slip = await printOnce(
      devices,
      `void-${voidId}`,
      () =>
        voidSlipLayout(
          {
            header: eventHeader('void', written!.event, this.deps.header, this.deps.timeZone()),
            currency: sale.payload.currency,
            eventId: voidId,
            reason,
            employee: actor.employee.displayName,
            ...(grant ? { approvedBy: employeeName(ledger, grant.approverId) } : {}),
            originalReceiptNumber: saleReceiptNumber(sale),
            items: receiptItems(sale),
            total: sale.payload.total,
            handedBack: [{ label: TENDER_LABELS.cash, amount: refunded }],
          },
          { columns: devices!.columns },
        ),
      log,
    );
    const drawer = await kickOnce(devices, voidId, 'void', log);
    return { voidId, approvalId, currency: sale.payload.currency, refunded, slip, drawer };
  }

  /** The open shift and the sale, if it may be voided now; else why not, in words. */
  private voidableNow(saleId: string): { shift: OpenShift; sale: SaleEvent } {
    this.deps.training.refuseWhileOn('a post-void');
    const shift = this.deps.shifts.requireOpen();
    const sale = this.deps.ledger.projections
      .shiftSales(shift.shiftId, Number.MAX_SAFE_INTEGER)
      .find((entry) => entry.sale.eventId === saleId)?.sale;
    if (!sale) {
      throw new HostError(
        'sale_not_in_shift',
        'That sale is not one of the open shift’s sales: only a sale of this shift can be voided (older ones are returned)',
        false,
      );
    }
    const voided = this.deps.ledger.projections.voidOf(saleId);
    if (voided) throw alreadyVoided(sale, voided.occurredAt, this.deps.timeZone());
    // A void hands back the whole sale: after a return, that would pay the returned part out twice.
    if (this.hasReturns(saleId)) {
      throw new HostError(
        'post_void_returned',
        `Receipt ${saleReceiptNumber(sale)} already had a return: a sale partly ` +
          'returned cannot be voided; return what is left of it instead',
        false,
      );
    }
    if (!isCashOnly(sale)) throw new HostError('post_void_card', CARD_SALE, false);
    return { shift, sale };
  }

  private hasReturns(saleId: string): boolean {
    const prior = this.deps.ledger.projections.priorReturns(saleId);
    return Object.keys(prior.quantities).length > 0 || prior.tenderRefunds.length > 0;
  }

  private view(sale: SaleEvent, voided: boolean): VoidableSaleView {
    const tenders = [...new Set(sale.payload.tenders.map((tender) => tender.kind))];
    const why = voided
      ? 'Already voided'
      : this.hasReturns(sale.eventId)
        ? RETURNED
        : isCashOnly(sale)
          ? null
          : CARD_SALE;
    const cashier = sale.payload.employeeId;
    return {
      saleId: sale.eventId,
      receiptNumber: saleReceiptNumber(sale),
      occurredAt: sale.occurredAt,
      currency: sale.payload.currency,
      total: sale.payload.total,
      cashier: cashier === null ? null : employeeName(this.deps.ledger, cashier),
      tenders,
      voidable: why === null,
      why,
    };
  }
}

const isCashOnly = (sale: SaleEvent) => sale.payload.tenders.every((tender) => tender.kind === 'cash');

/** What the customer paid in cash, net of change: what a void hands back. */
const cashPaid = (sale: SaleEvent) =>
  sale.payload.tenders.reduce((sum, tender) => sum + (tender.kind === 'cash' ? tender.amount : 0), 0);

function alreadyVoided(sale: SaleEvent, at: string, timeZone: string): HostError {
  const number = saleReceiptNumber(sale);
  const total = `${sale.payload.currency} ${formatMinorUnits(sale.payload.total, sale.payload.currency)}`;
  return new HostError(
    'already_voided',
    `Receipt ${number} (${total}) was already voided at ${storeTime(at, timeZone)}: nothing more was done`,
    false,
  );
}
