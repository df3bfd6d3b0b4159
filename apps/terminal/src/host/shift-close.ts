import { TENDER_KINDS } from '@tillwright/ledger';
import type { TenderKind } from '@tillwright/protocol';
import type { MethodParams, MethodResult } from '../contract/methods.js';
import type { Approvals } from './approvals.js';
import type { JournalWriter } from './journal-writer.js';
import { HostError } from './rpc-dispatcher.js';
import type { SessionService } from './session-service.js';
import { cashCountTotal, type OpenShift } from './shift-journal.js';
import type { ShiftReports } from './shift-reports.js';
import type { ShiftService } from './shift-service.js';
import type { TrainingMode } from './training.js';

export interface ShiftCloseDeps {
  writer: JournalWriter;
  session: SessionService;
  approvals: Approvals;
  shifts: ShiftService;
  reports: ShiftReports;
  training: TrainingMode;
  /** What each tender should hold for the shift, from the journal (the ledger's `expectedByTender`). */
  expectedByTender: (shiftId: string) => { kind: TenderKind; amount: number }[];
  log: (message: string) => void;
}

/**
 * Closes the open shift with a blind count (decision 0015): the counted amounts come in first (cash by denomination,
 * the other tenders as amounts, a tender left out counted as 0), and only then is what the journal expects computed,
 * with over/short per tender (counted − expected). `shift-close` is journaled with `blind: true`, then the Z report
 * printed. From then on the till sells nothing until a shift is opened again.
 */
export async function closeShift(
  deps: ShiftCloseDeps,
  { cashCount, otherTenders, approval }: MethodParams<'shift.close'>,
): Promise<MethodResult<'shift.close'>> {
  const actor = deps.session.requireSignedIn();
  const shift = closable(deps);
  const cash = cashCountTotal(shift.currency, cashCount, 'The cash count');
  const kinds = otherTenders.map((tender) => tender.kind);
  const twice = kinds.find((kind, i) => kinds.indexOf(kind) !== i);
  if (twice !== undefined) {
    throw new HostError(
      'duplicate_tender',
      `The ${twice} total is given twice: enter each tender's counted amount once`,
      false,
    );
  }
  const grant = await deps.approvals.check(
    {
      request: { permission: 'shiftClose' },
      action: 'shift-close',
      // Not the shift id: a subject is free text, and a UUID's digits can pass for a card number.
      subject: 'the open shift',
      reason: null,
    },
    approval,
  );
  // The PIN check waited its turn: the shift may have been closed (or training turned on) meanwhile.
  if (closable(deps).shiftId !== shift.shiftId) throw closedMeanwhile();

  const counted: { kind: TenderKind; amount: number }[] = [{ kind: 'cash', amount: cash }, ...otherTenders];
  const expectedAll = deps.expectedByTender(shift.shiftId);
  const amountIn = (list: { kind: TenderKind; amount: number }[], kind: TenderKind) =>
    list.find((entry) => entry.kind === kind)?.amount ?? 0;
  // Cash and every tender counted, and any other tender the journal expects something of.
  const tenders = TENDER_KINDS.filter(
    (kind) => kind === 'cash' || kinds.includes(kind) || amountIn(expectedAll, kind) !== 0,
  );
  const row = (list: { kind: TenderKind; amount: number }[]) =>
    tenders.map((kind) => ({ kind, amount: amountIn(list, kind) }));
  const expected = row(expectedAll);
  const countedRows = row(counted);
  const overShort = tenders.map((kind) => ({
    kind,
    amount: amountIn(counted, kind) - amountIn(expectedAll, kind),
  }));

  const approvalId = grant ? deps.approvals.record(grant) : null;
  deps.writer.write('shift-close', {
    shiftId: shift.shiftId,
    employeeId: actor.employee.employeeId,
    expected,
    counted: countedRows,
    overShort,
    cashCount: [...cashCount].sort((a, b) => b.value - a.value),
    blind: true,
    approvalId,
  });
  deps.log(`shift ${shift.shiftId} closed: cash over/short ${amountIn(overShort, 'cash')}`);
  deps.shifts.publish();
  const report = deps.reports.view(shift.shiftId);
  const receipt = await deps.reports.print(report);
  return { report, receipt };
}

/** The open shift, if it may be closed now: not in training mode, and one is open. */
function closable(deps: ShiftCloseDeps): OpenShift {
  deps.training.refuseWhileOn('closing the shift');
  return deps.shifts.requireOpen();
}

const closedMeanwhile = () =>
  new HostError(
    'shift_changed',
    'The shift was closed on this till meanwhile: look at the shift status before counting again',
    false,
  );
