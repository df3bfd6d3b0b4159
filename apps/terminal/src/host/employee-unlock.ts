import type { Ledger } from '@tillwright/ledger';
import type { MethodParams, MethodResult } from '../contract/methods.js';
import type { Approvals, Grant } from './approvals.js';
import type { PinChecks } from './pin-checks.js';
import { HostError } from './rpc-dispatcher.js';
import type { SessionService } from './session-service.js';

export interface EmployeeUnlockDeps {
  ledger: Ledger;
  session: SessionService;
  approvals: Approvals;
  pins: PinChecks;
}

/** The employees locked out of this till now, for a manager to unlock. */
export function lockedEmployees(pins: PinChecks): MethodResult<'employees.locked'> {
  return {
    employees: pins.locked().map(({ employeeId, number, displayName, lockedUntil }) => ({
      employeeId,
      number,
      displayName,
      lockedUntil,
    })),
  };
}

/**
 * Ends an employee's lockout before its time (permission `unlockEmployees`, or a manager's approval). Every unlock
 * is journaled as a `manager-approval` and then `employee-unlocked` naming it: when the signed-in employee holds the
 * permission, they are the approver of the locked employee's request to be let back in. Nobody unlocks themselves.
 */
export async function unlockEmployee(
  deps: EmployeeUnlockDeps,
  { employeeId, approval }: MethodParams<'employees.unlock'>,
): Promise<MethodResult<'employees.unlock'>> {
  const actor = deps.session.requireSignedIn();
  const target = deps.ledger.feed.employee(employeeId);
  if (!target?.active || !deps.pins.lockOf(target.number, target)) {
    throw new HostError(
      'not_locked',
      'That employee is not locked out of this till: nothing to unlock',
      false,
    );
  }
  const ask = {
    request: { permission: 'unlockEmployees' },
    action: 'unlock-employee',
    subject: target.employeeId,
    reason: null,
  } as const;
  const grant: Grant = (await deps.approvals.check(ask, approval)) ?? {
    ask,
    employeeId: target.employeeId,
    approverId: actor.employee.employeeId,
  };
  if (grant.approverId === target.employeeId) {
    throw new HostError('approval_refused', 'Nobody can unlock themselves: ask a manager', false);
  }
  deps.pins.unlock(target, grant.approverId, deps.approvals.record(grant));
  return { unlocked: true };
}
