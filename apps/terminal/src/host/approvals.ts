import { formatMinorUnits } from '@tillwright/commerce';
import type { FeedEmployee, Ledger } from '@tillwright/ledger';
import {
  type ApprovalAction,
  DowncastError,
  describePermission,
  type PermissionRequest,
  permits,
} from '@tillwright/protocol';
import type { ApprovalCredentials } from '../contract/methods.js';
import type { JournalWriter } from './journal-writer.js';
import type { PinChecks } from './pin-checks.js';
import { HostError } from './rpc-dispatcher.js';
import { type Actor, permissionsOf, type SessionService } from './session-service.js';

/** What the signed-in employee asks to do, as the manager approval will record it. */
export interface ApprovalAsk {
  request: PermissionRequest;
  action: ApprovalAction;
  /** What is approved: a sale id, an employee id, the cash drawer… */
  subject: string;
  reason: string | null;
}

/** An approval checked and not yet journaled: who asked (`employeeId`) and who approved by PIN (`approverId`). */
export interface Grant {
  ask: ApprovalAsk;
  employeeId: string;
  approverId: string;
}

export interface ApprovalsDeps {
  ledger: Ledger;
  session: SessionService;
  pins: PinChecks;
  writer: JournalWriter;
  /** The store's currency, for amounts in the prompt ("a refund of 12.50"). */
  currency: string;
}

/**
 * One job: may the signed-in employee do this, and if not, who approved it. `authorise` answers null when their
 * own permissions allow it; otherwise, without `approval`, it refuses with `approval_required` carrying what would
 * allow it (the same call again with another employee's number and PIN, on the same screen); with `approval`, it
 * checks the approver (a right PIN, active here, not locked out, not the one asking, holding the permission: else
 * `approval_refused`, and a wrong PIN counts toward the approver's lockout) and journals `manager-approval` v2
 * before the action, answering its `approvalId` for the action's event to link.
 */
export class Approvals {
  constructor(private readonly deps: ApprovalsDeps) {}

  async authorise(ask: ApprovalAsk, approval?: ApprovalCredentials): Promise<string | null> {
    const grant = await this.check(ask, approval);
    return grant ? this.record(grant) : null;
  }

  /** `authorise` without the journaling: null when no approval is needed, else the approval checked. */
  async check(ask: ApprovalAsk, approval?: ApprovalCredentials): Promise<Grant | null> {
    const actor = this.deps.session.requireSignedIn();
    if (permits(actor.permissions, ask.request)) return null;
    const what = describePermission(ask.request, (amount) => formatMinorUnits(amount, this.deps.currency));
    if (!approval) {
      throw new HostError(
        'approval_required',
        `${capitalised(what)} needs the approval of someone allowed to give it: their number and PIN`,
        false,
        { request: ask.request, what, requestedBy: actor.employee.displayName },
      );
    }
    const approver = await this.approver(approval, actor, ask.request, what);
    // The PIN check waited its turn: whoever asked must still be the one signed in.
    if (this.deps.session.requireSignedIn().employee.employeeId !== actor.employee.employeeId) {
      throw new HostError('approval_refused', 'Another employee signed in meanwhile: ask again', false);
    }
    return { ask, employeeId: actor.employee.employeeId, approverId: approver.employeeId };
  }

  /** Journals the manager approval of a grant; answers its id (the event's id too). */
  record(grant: Grant): string {
    const { ask, employeeId, approverId } = grant;
    const approvalId = this.deps.writer.id();
    const requested =
      'percent' in ask.request
        ? { requested: { percent: ask.request.percent } }
        : 'amount' in ask.request
          ? { requested: { amount: ask.request.amount } }
          : {};
    try {
      this.deps.writer.write(
        'manager-approval',
        {
          approvalId,
          employeeId,
          approverId,
          permission: ask.request.permission,
          action: ask.action,
          subject: ask.subject,
          reason: ask.reason,
          ...requested,
        },
        { eventId: approvalId },
      );
    } catch (error) {
      if (!(error instanceof DowncastError)) throw error;
      throw new HostError(
        'approval_not_recorded',
        "This till's sync server is too old to record this approval, so nothing was done: update the sync server",
        false,
      );
    }
    return approvalId;
  }

  private async approver(
    credentials: ApprovalCredentials,
    actor: Actor,
    request: PermissionRequest,
    what: string,
  ): Promise<FeedEmployee> {
    const check = await this.deps.pins.check(credentials.number, credentials.pin);
    switch (check.outcome) {
      case 'wrong':
      case 'inactive':
        throw refused("Approver's number or PIN is wrong");
      case 'locked':
        throw refused(
          `That approver is locked after ${check.failedAttempts} wrong PINs ${this.deps.pins.until(check)}`,
        );
      case 'accepted': {
        const approver = check.employee;
        if (approver.employeeId === actor.employee.employeeId)
          throw refused('You cannot approve your own request: ask someone else who may');
        if (!permits(permissionsOf(this.deps.ledger.feed.config(), approver.roleId), request))
          throw refused(`${approver.displayName} may not approve ${what}`);
        return approver;
      }
    }
  }
}

const refused = (message: string) => new HostError('approval_refused', message, false);
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
