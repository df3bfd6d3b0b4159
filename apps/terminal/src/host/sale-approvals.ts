import {
  type Approval,
  type ApprovalNeed,
  formatMinorUnits,
  type ManagerLimits,
  type PricedSale,
} from '@tillwright/commerce';
import type { Ledger } from '@tillwright/ledger';
import type { PercentPermission, Permissions } from '@tillwright/protocol';
import type { AdjustmentKind, MethodParams, MethodResult } from '../contract/methods.js';
import type { Approvals } from './approvals.js';
import { HostError } from './rpc-dispatcher.js';
import type { SessionService } from './session-service.js';

/** Rates are millionths: 100 % is 1_000_000. */
const RATE_PER_PERCENT = 10_000;

/** The permission of the roles configuration each kind of adjustment is judged by. */
const PERMISSION_OF: Readonly<Record<AdjustmentKind, PercentPermission>> = {
  'price-override': 'priceOverridePercent',
  'line-discount': 'discountPercent',
  'basket-discount': 'discountPercent',
};

/** An employee's limits as commerce prices with them: their role's percentages, in millionths. */
export function limitsOf(permissions: Permissions): ManagerLimits {
  const discount = Math.round(permissions.discountPercent * RATE_PER_PERCENT);
  return {
    maxLineDiscountRate: discount,
    maxBasketDiscountRate: discount,
    maxPriceDecreaseRate: Math.round(permissions.priceOverridePercent * RATE_PER_PERCENT),
  };
}

/** What a manager approval for an adjustment names: the sale, and the line (or the basket). */
export function approvalSubject(saleId: string, lineId: string | null): string {
  return lineId === null ? `sale ${saleId} basket` : `sale ${saleId} line ${lineId}`;
}

/** Links an adjustment's `approvalId` to the approval commerce prices with; undefined when none was sent. */
export type LinkApproval = (
  kind: AdjustmentKind,
  lineId: string | null,
  approvalId: string | undefined,
) => Approval | undefined;

/** The approvals of one pricing of a cart: linked while lines resolve, then checked against the rates priced. */
export interface ApprovalLinker {
  link: LinkApproval;
  /** Every approval linked covers the rate its adjustment was priced at; else `approval_invalid`. */
  checkCovered(priced: PricedSale): void;
}

/** What the sale service prices manual adjustments with: the signed-in employee's limits and the linked approvals. */
export interface SaleApprovalRules {
  limits(): ManagerLimits;
  linker(saleId: string | undefined): ApprovalLinker;
}

export interface SaleApprovalsDeps {
  ledger: Ledger;
  session: SessionService;
  approvals: Approvals;
}

/**
 * Discounts and overrides beyond the signed-in employee's limits. `approve` checks a manager's number and PIN (the
 * shared approval rules: another employee, holding the permission at that rate) and journals a `manager-approval`
 * naming the sale and line; the cart then sends its id on the line (or basket discount). At quote and Pay an
 * `approvalId` counts only when it is such an approval in this till's journal, for this sale, line and kind of
 * adjustment, for at least the rate priced, and not given by whoever is signed in now: else `approval_invalid`
 * (when the adjustment needs one at all).
 */
export class SaleApprovals implements SaleApprovalRules {
  constructor(private readonly deps: SaleApprovalsDeps) {}

  limits(): ManagerLimits {
    return limitsOf(this.deps.session.requireSignedIn().permissions);
  }

  async approve(params: MethodParams<'sale.approve'>): Promise<MethodResult<'sale.approve'>> {
    if (this.deps.ledger.journal.read(params.saleId)) {
      throw new HostError(
        'sale_already_recorded',
        'This sale is already paid, so nothing can be approved for it any more',
        false,
      );
    }
    const ask = {
      request: { permission: PERMISSION_OF[params.kind], percent: params.rate / RATE_PER_PERCENT },
      action: params.kind,
      subject: approvalSubject(params.saleId, params.lineId),
      reason: params.reason,
    };
    const grant = await this.deps.approvals.check(ask, params.approval);
    return { approvalId: grant ? this.deps.approvals.record(grant) : null };
  }

  /**
   * Only an approval that is needed is judged: one on an adjustment within the signed-in employee's own limits (the
   * approver signed in on the cart, say) is not needed, so it is neither linked nor refused.
   */
  linker(saleId: string | undefined): ApprovalLinker {
    const approved = new Map<string, number>();
    const problems = new Map<string, HostError>();
    return {
      link: (kind, lineId, approvalId) => {
        if (approvalId === undefined) return undefined;
        try {
          const { approverId, rate } = this.read(saleId, kind, lineId, approvalId);
          approved.set(approvalId, rate);
          return { approvedBy: approverId, approvalId };
        } catch (error) {
          if (!(error instanceof HostError)) throw error;
          problems.set(approvalId, error);
          return { approvedBy: '', approvalId };
        }
      },
      checkCovered: (priced) => {
        for (const need of priced.approvals) {
          if (need.approvalId === undefined) continue;
          const problem = problems.get(need.approvalId);
          if (problem) throw problem;
          const rate = approved.get(need.approvalId) ?? 0;
          if (need.rate > rate) {
            throw invalid(
              `The approval was for ${percent(rate)}, less than the ${percent(need.rate)} asked now: ask a ` +
                'manager to approve it again',
            );
          }
        }
      },
    };
  }

  /** The manager approval `approvalId` names, if it is one for this adjustment; else `approval_invalid`. */
  private read(
    saleId: string | undefined,
    kind: AdjustmentKind,
    lineId: string | null,
    approvalId: string,
  ): { approverId: string; rate: number } {
    const event = this.deps.ledger.journal.read(approvalId);
    if (event?.type !== 'manager-approval') {
      throw invalid("That approval is not in this till's journal: ask a manager to approve it again");
    }
    const approval = event.payload;
    if (saleId === undefined || approval.subject !== approvalSubject(saleId, lineId)) {
      throw invalid(
        `That approval was given for another ${lineId === null ? 'sale' : 'line or sale'}: ask a manager to approve this one`,
      );
    }
    if (approval.action !== kind) {
      throw invalid(`That approval was given for ${words(approval.action)}, not ${words(kind)}`);
    }
    if (approval.approverId === this.deps.session.requireSignedIn().employee.employeeId) {
      throw invalid('Nobody approves their own discount: ask another employee who may');
    }
    return {
      approverId: approval.approverId,
      rate: Math.round((approval.requested?.percent ?? 0) * RATE_PER_PERCENT),
    };
  }
}

/** Without an approval service (a till under test): the configured limits, and no approval links anything. */
export function fixedApprovalRules(limits: () => ManagerLimits): SaleApprovalRules {
  return {
    limits,
    linker: () => ({
      link: (_kind, _lineId, approvalId) => {
        if (approvalId === undefined) return undefined;
        throw invalid('This till checks no approvals: remove the approval and stay within your limits');
      },
      checkCovered: () => {},
    }),
  };
}

/** Pay with an adjustment beyond the limits and no approval: refused, naming each, and nothing is written. */
export function requireApproved(priced: PricedSale): void {
  const missing = priced.approvals.filter((need) => need.approvedBy === null);
  if (missing.length === 0) return;
  const what = missing.map((need) => describeNeed(need, priced)).join('; ');
  throw new HostError(
    'approval_required',
    `A manager must approve ${what} before Pay: ask one to approve it on the line, or take it off. Nothing was recorded`,
    false,
  );
}

function describeNeed(need: ApprovalNeed, priced: PricedSale): string {
  const line = priced.lines.find((candidate) => candidate.lineId === need.lineId);
  const where = line ? ` on ${line.name}` : ' on the basket';
  const size =
    need.kind === 'price-override'
      ? `the price override${where} (${percent(need.rate)} off, ${formatMinorUnits(line?.unitPrice ?? 0, priced.currency)} instead of ${formatMinorUnits(line?.catalogUnitPrice ?? 0, priced.currency)})`
      : `the ${percent(need.rate)} discount${where}`;
  return `${size}, above your limit of ${percent(need.limit)}`;
}

const percent = (rate: number) => `${Number((rate / RATE_PER_PERCENT).toFixed(2))} %`;
const words = (kind: string) => kind.replace('-', ' ');
const invalid = (message: string) => new HostError('approval_invalid', message, false);
