import { formatMinorUnits } from '@tillwright/commerce';
import type { Ledger } from '@tillwright/ledger';
import type { PermissionRequest } from '@tillwright/protocol';
import { cashMovementSlipLayout } from '@tillwright/receipts';
import type { CashMovementType, MethodParams, MethodResult } from '../contract/methods.js';
import type { Approvals } from './approvals.js';
import { kickOnce, printOnce } from './device-actions.js';
import type { SaleDevices } from './devices.js';
import type { JournalWriter } from './journal-writer.js';
import { eventHeader, type StoreHeader } from './receipt-layout.js';
import { HostError } from './rpc-dispatcher.js';
import type { SessionService } from './session-service.js';
import { employeeName, type OpenShift } from './shift-journal.js';
import type { ShiftService } from './shift-service.js';
import type { TrainingMode } from './training.js';

export interface CashMovementDeps {
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

const NAMES: Record<CashMovementType, string> = {
  'cash-drop': 'a cash drop',
  'paid-in': 'a paid in',
  'paid-out': 'a paid out',
};

/**
 * A cash drop (to the safe), paid in or paid out of the open shift's drawer (decision 0015): a drop or a paid in
 * needs `cashMovement`, a paid out `paidOutLimit` at least its amount, else a manager's approval. A paid out cannot
 * be more than the journal expects in the drawer (`not_enough_cash`); a drop can, since a drawer may genuinely be
 * over (the over shows at the close). The permission is checked before the cash: a refusal that said whether the
 * drawer holds an amount would let a cashier find the expected cash of a blind count by asking. Journaled first
 * (`cash-drop`, `paid-in`, `paid-out` with the shift, the employee, the reason and the approval), then the drawer
 * kicked exactly once, never retried, and a slip printed.
 */
export async function recordCashMovement(
  deps: CashMovementDeps,
  { type, amount, reason, approval }: MethodParams<'cash.movement'>,
): Promise<MethodResult<'cash.movement'>> {
  const actor = deps.session.requireSignedIn();
  const shift = openShiftFor(deps, type);
  const request: PermissionRequest =
    type === 'paid-out' ? { permission: 'paidOutLimit', amount } : { permission: 'cashMovement' };
  const grant = await deps.approvals.check(
    {
      request,
      action: 'cash-movement',
      subject: `${type} of ${formatMinorUnits(amount, shift.currency)} ${shift.currency}`,
      reason,
    },
    approval,
  );
  // The PIN check waited its turn: the shift, training or the drawer's cash may have changed meanwhile.
  if (openShiftFor(deps, type).shiftId !== shift.shiftId) {
    throw new HostError('shift_changed', 'The shift changed on this till meanwhile: ask again', false);
  }
  if (type === 'paid-out') refuseMoreThanInDrawer(deps, shift, amount);
  const approvalId = grant ? deps.approvals.record(grant) : null;
  const eventId = deps.writer.id();
  const written = deps.writer.write(
    type,
    {
      shiftId: shift.shiftId,
      currency: shift.currency,
      amount,
      reason,
      employeeId: actor.employee.employeeId,
      approvalId,
    },
    { eventId },
  );
  const drawer = await kickOnce(deps.devices, eventId, type, deps.log);
  const slip = await printOnce(
    deps.devices,
    `slip-${eventId}`,
    () =>
      cashMovementSlipLayout(
        {
          header: eventHeader('cash', written!.event, deps.header, deps.timeZone()),
          currency: shift.currency,
          eventId,
          reason,
          employee: actor.employee.displayName,
          ...(grant ? { approvedBy: employeeName(deps.ledger, grant.approverId) } : {}),
          type,
          amount,
        },
        { columns: deps.devices!.columns },
      ),
    deps.log,
  );
  return { eventId, approvalId, drawer, slip };
}

/** The open shift, if this movement may be made now: not in training. */
function openShiftFor(deps: CashMovementDeps, type: CashMovementType): OpenShift {
  deps.training.refuseWhileOn(NAMES[type]);
  return deps.shifts.requireOpen();
}

/** A paid out takes no more cash than the journal expects in the drawer: `not_enough_cash`. */
function refuseMoreThanInDrawer(deps: CashMovementDeps, shift: OpenShift, amount: number): void {
  const inDrawer = deps.ledger.projections.shiftReport(shift.shiftId)?.cash.expected ?? 0;
  if (amount <= inDrawer) return;
  const money = `${shift.currency} ${formatMinorUnits(amount, shift.currency)}`;
  throw new HostError(
    'not_enough_cash',
    `A paid out of ${money} is more cash than the drawer holds by this shift's journal: ` +
      'check the amount (the X report shows the cash expected in the drawer)',
    false,
  );
}
