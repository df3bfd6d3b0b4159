import { randomUUID } from 'node:crypto';
import { formatLocalIso } from '@tillwright/commerce';
import type { Ledger } from '@tillwright/ledger';
import type { ShiftReport } from '@tillwright/protocol';
import { xReportLayout, zReportLayout } from '@tillwright/receipts';
import type { ApprovalCredentials, ShiftReportView } from '../contract/methods.js';
import type { Approvals } from './approvals.js';
import { type PrintOutcome, printOnce } from './device-actions.js';
import type { SaleDevices } from './devices.js';
import type { PricingConfig } from './pricing-config.js';
import type { StoreHeader } from './receipt-layout.js';
import { employeeName } from './shift-journal.js';
import type { ShiftService } from './shift-service.js';

export interface ShiftReportsDeps {
  ledger: Ledger;
  shifts: ShiftService;
  approvals: Approvals;
  devices: SaleDevices | null;
  header: StoreHeader;
  store: () => Pick<PricingConfig, 'timeZone'>;
  now: () => Date;
  log: (message: string) => void;
}

/**
 * One job: the X report (the open shift, at any time, read only) and the Z report (a closed shift), on screen and on
 * paper. Every figure comes from the journal alone (the ledger's `shiftReport`), so they work offline. The X report
 * shows the cash expected in the drawer, which the close's count is blind to: asking for it needs `shiftClose` (whoever
 * may close may see it) or a manager's approval, journaled as one for the shift close.
 */
export class ShiftReports {
  constructor(private readonly deps: ShiftReportsDeps) {}

  /** The X report of the open shift; `no_open_shift` when none is, `approval_required` without `shiftClose`. */
  async current(approval?: ApprovalCredentials): Promise<ShiftReportView> {
    const { shiftId } = this.deps.shifts.requireOpen();
    await this.authorise('the X report', approval);
    return this.view(shiftId);
  }

  /** A shift's report with the names of who opened and closed it. */
  view(shiftId: string): ShiftReportView {
    const report = this.deps.ledger.projections.shiftReport(shiftId);
    if (!report) throw new Error(`shift ${shiftId} is not in the journal`);
    const name = (employeeId: string) => employeeName(this.deps.ledger, employeeId);
    return {
      report,
      openedByName: name(report.openedBy),
      closedByName: report.closedBy === null ? null : name(report.closedBy),
    };
  }

  /**
   * Prints the X report of the open shift, as `current` allows. With none open, a copy of the last closed shift's Z
   * report (a lost one must be reprintable), marked COPY, under the same permission; `no_open_shift` when this till
   * never closed one either.
   */
  async printCurrent(approval?: ApprovalCredentials): Promise<PrintOutcome> {
    const last = this.deps.ledger.projections.shifts().findLast((shift) => shift.close !== null);
    if (this.deps.shifts.current() || !last) return this.print(await this.current(approval));
    await this.authorise('a copy of the Z report', approval);
    return this.print(this.view(last.shiftId), { copy: true });
  }

  private async authorise(subject: string, approval: ApprovalCredentials | undefined): Promise<void> {
    await this.deps.approvals.authorise(
      { request: { permission: 'shiftClose' }, action: 'shift-close', subject, reason: null },
      approval,
    );
  }

  /**
   * Prints a shift's report: the X report while it is open, the Z report once it is closed; `copy` marks a reprint,
   * a print job of its own each time (the printer takes a repeated job id for the same job).
   */
  print({ report }: ShiftReportView, { copy = false }: { copy?: boolean } = {}): Promise<PrintOutcome> {
    const { devices, ledger } = this.deps;
    const closed = report.close !== null;
    const printedAt = this.deps.now();
    const jobId = closed
      ? copy
        ? `z-report-${report.shiftId}-copy-${randomUUID()}`
        : `z-report-${report.shiftId}`
      : `x-report-${randomUUID()}`;
    return printOnce(
      devices,
      jobId,
      () => {
        const timeZone = this.deps.store().timeZone;
        const data = {
          header: {
            storeName: this.deps.header.storeName,
            terminalId: ledger.journal.identity()?.terminalId ?? '',
            receiptNumber: `${closed ? 'Z' : 'X'}-${report.shiftId.slice(-12)}`,
            time: formatLocalIso(printedAt, timeZone),
          },
          report,
          reportId: report.shiftId,
          ...(copy ? { copy: true } : {}),
          timeZone,
          ...this.people(report),
        };
        return closed
          ? zReportLayout(data, { columns: devices!.columns })
          : xReportLayout(data, { columns: devices!.columns });
      },
      this.deps.log,
    );
  }

  /** The names a report prints: who opened and closed the shift, who moved cash, and who approved each movement. */
  private people(report: ShiftReport): { names: Record<string, string>; approvers: Record<string, string> } {
    const { ledger } = this.deps;
    const names: Record<string, string> = {};
    const approvers: Record<string, string> = {};
    const ids = [report.openedBy, report.closedBy, ...report.movements.map((m) => m.employeeId)];
    for (const id of ids) if (id !== null) names[id] = employeeName(ledger, id);
    for (const { approvalId } of report.movements) {
      const approval = approvalId === null ? null : ledger.journal.read(approvalId);
      if (approval?.type === 'manager-approval')
        approvers[approval.eventId] = employeeName(ledger, approval.payload.approverId);
    }
    return { names, approvers };
  }
}
