import type { MethodParams, MethodResult } from '../contract/methods.js';
import type { Approvals } from './approvals.js';
import { kickOnce } from './device-actions.js';
import type { SaleDevices } from './devices.js';
import type { JournalWriter } from './journal-writer.js';
import { HostError } from './rpc-dispatcher.js';
import type { SessionService } from './session-service.js';
import type { ShiftService } from './shift-service.js';
import type { TrainingMode } from './training.js';

export interface NoSaleDeps {
  session: SessionService;
  approvals: Approvals;
  writer: JournalWriter;
  shifts: ShiftService;
  training: TrainingMode;
  /** The printer whose kick-out connector opens the drawer; null when the till has none ('skipped'). */
  devices: SaleDevices | null;
  log: (message: string) => void;
}

/**
 * The no-sale: open the drawer without a sale (permission `noSale`, or a manager's approval), in the open shift
 * (`no_open_shift` otherwise) and never in training mode. Journals `no-sale` {reason, employeeId, approvalId,
 * shiftId} first, then kicks the drawer once through the till's devices, never again whatever became of the kick
 * (one that is unknown may have opened it).
 */
export async function openDrawerWithoutSale(
  deps: NoSaleDeps,
  { reason, approval }: MethodParams<'drawer.noSale'>,
): Promise<MethodResult<'drawer.noSale'>> {
  const actor = deps.session.requireSignedIn();
  const shift = drawerShift(deps);
  const grant = await deps.approvals.check(
    { request: { permission: 'noSale' }, action: 'no-sale', subject: 'cash drawer', reason },
    approval,
  );
  // The PIN check waited its turn: the shift may have been closed (or training turned on) meanwhile.
  if (drawerShift(deps) !== shift) throw shiftChanged();
  const approvalId = grant ? deps.approvals.record(grant) : null;
  const eventId = deps.writer.id();
  deps.writer.write(
    'no-sale',
    { reason, employeeId: actor.employee.employeeId, approvalId, shiftId: shift },
    { eventId },
  );
  return { drawer: await kickOnce(deps.devices, eventId, 'no-sale', deps.log), approvalId };
}

function drawerShift(deps: NoSaleDeps): string {
  deps.training.refuseWhileOn('a no-sale');
  return deps.shifts.requireOpen().shiftId;
}

const shiftChanged = () =>
  new HostError('shift_changed', 'The shift changed on this till meanwhile: ask again', false);
