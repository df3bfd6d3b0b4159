import type { MethodParams, MethodResult } from '../contract/methods.js';
import type { Approvals } from './approvals.js';
import type { SaleDevices } from './devices.js';
import type { JournalWriter } from './journal-writer.js';
import type { SessionService } from './session-service.js';

export interface NoSaleDeps {
  session: SessionService;
  approvals: Approvals;
  writer: JournalWriter;
  /** The printer whose kick-out connector opens the drawer; null when the till has none ('skipped'). */
  devices: SaleDevices | null;
  log: (message: string) => void;
}

/**
 * The no-sale: open the drawer without a sale (permission `noSale`, or a manager's approval). Journals `no-sale`
 * {reason, employeeId, approvalId} first, then kicks the drawer once through the till's devices, never again
 * whatever became of the kick (one that is unknown may have opened it). Not tied to a shift: there are none yet.
 */
export async function openDrawerWithoutSale(
  deps: NoSaleDeps,
  { reason, approval }: MethodParams<'drawer.noSale'>,
): Promise<MethodResult<'drawer.noSale'>> {
  const actor = deps.session.requireSignedIn();
  const approvalId = await deps.approvals.authorise(
    { request: { permission: 'noSale' }, action: 'no-sale', subject: 'cash drawer', reason },
    approval,
  );
  const eventId = deps.writer.id();
  // No shift yet: the shift work of issue #16 links the open one (no-sale v3).
  deps.writer.write(
    'no-sale',
    { reason, employeeId: actor.employee.employeeId, approvalId, shiftId: null },
    { eventId },
  );
  if (!deps.devices) return { drawer: 'skipped', approvalId };
  const kick = await deps.devices.openDrawer(`drawer-${eventId}`, `no-sale ${eventId}`);
  if (kick.error) deps.log(`drawer for no-sale ${eventId}: ${kick.outcome}: ${kick.error}`);
  return { drawer: kick.outcome, approvalId };
}
