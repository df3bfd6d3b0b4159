import { businessDay, cashDenominations, formatMinorUnits } from '@tillwright/commerce';
import type { Ledger } from '@tillwright/ledger';
import type { MethodParams, ShiftStatusView, ShiftView } from '../contract/methods.js';
import type { Approvals } from './approvals.js';
import type { JournalWriter } from './journal-writer.js';
import type { PricingConfig } from './pricing-config.js';
import { HostError } from './rpc-dispatcher.js';
import type { SessionService } from './session-service.js';
import { cashCountTotal, employeeName, type OpenShift, openShift, storeTime } from './shift-journal.js';

export interface ShiftServiceDeps {
  ledger: Ledger;
  writer: JournalWriter;
  session: SessionService;
  approvals: Approvals;
  /** The store's currency: the shift's, and what its float is counted in. */
  currency: string;
  /** The store's clock (time zone, day-start hour), read at each use: a pulled change applies at once. */
  store: () => Pick<PricingConfig, 'timeZone' | 'dayStartHour'>;
  now: () => Date;
  training: () => boolean;
  /** What the screen shows of the shift changed: push `shift.status`. */
  onStatus: (view: ShiftStatusView) => void;
  log: (message: string) => void;
}

/** The tenders other than cash a close asks to count: the card terminal's batch total. */
const OTHER_TENDERS: ShiftStatusView['otherTenders'] = ['card'];

/**
 * One job: the till's shift (decision 0015): which is open, opening one with a counted float, and the gate of
 * everything that needs one (`requireOpen`). The open shift is read from the journal at each use, so after a power
 * loss the till simply resumes it. Closing is shift-close.ts; the X and Z reports shift-reports.ts.
 */
export class ShiftService {
  private lastPushed = '';

  constructor(private readonly deps: ShiftServiceDeps) {}

  /** The open shift, or null. */
  current(): OpenShift | null {
    return openShift(this.deps.ledger);
  }

  /** The gate of selling and of the drawer: the open shift, or `no_open_shift`, and nothing is done. */
  requireOpen(): OpenShift {
    const shift = this.current();
    if (shift) return shift;
    throw new HostError(
      'no_open_shift',
      'No shift is open on this till: a manager opens the shift (F12) with the float count.',
      false,
    );
  }

  status(): ShiftStatusView {
    const { currency } = this.deps;
    const shift = this.current();
    return {
      shift: shift && this.view(shift),
      training: this.deps.training(),
      denominations: cashDenominations(currency).map(({ value, kind }) => ({
        value,
        kind,
        label: formatMinorUnits(value, currency),
      })),
      otherTenders: OTHER_TENDERS,
    };
  }

  /** Pushes `shift.status` when what the screen would show has changed; answers the view. */
  publish(): ShiftStatusView {
    const view = this.status();
    const key = JSON.stringify(view);
    if (key !== this.lastPushed) {
      this.lastPushed = key;
      this.deps.onStatus(view);
    }
    return view;
  }

  /**
   * Opens the till's shift with the float counted by denomination (`shiftOpen`, or a manager's approval). Refused
   * `shift_already_open`, naming the open one, while one is: that one is closed first.
   */
  async open({ floatCount, approval }: MethodParams<'shift.open'>): Promise<ShiftStatusView> {
    const actor = this.deps.session.requireSignedIn();
    const { currency } = this.deps;
    const openingFloat = cashCountTotal(currency, floatCount, 'The float count');
    this.refuseWhileOpen();
    const grant = await this.deps.approvals.check(
      {
        request: { permission: 'shiftOpen' },
        action: 'shift-open',
        subject: `shift with a float of ${formatMinorUnits(openingFloat, currency)} ${currency}`,
        reason: null,
      },
      approval,
    );
    // The PIN check waited its turn: another open may have been first.
    this.refuseWhileOpen();
    const approvalId = grant ? this.deps.approvals.record(grant) : null;
    const shiftId = this.deps.writer.id();
    this.deps.writer.write(
      'shift-open',
      {
        shiftId,
        employeeId: actor.employee.employeeId,
        currency,
        openingFloat,
        floatCount: [...floatCount].sort((a, b) => b.value - a.value),
        approvalId,
      },
      { eventId: shiftId },
    );
    this.deps.log(`shift ${shiftId} opened with a float of ${openingFloat} (${currency} minor units)`);
    return this.publish();
  }

  private refuseWhileOpen(): void {
    const open = this.current();
    if (!open) return;
    const opened = storeTime(open.openedAt, this.deps.store().timeZone);
    throw new HostError(
      'shift_already_open',
      `A shift is already open on this till: opened by ${employeeName(this.deps.ledger, open.openedBy)} on ` +
        `${opened} (shift ${open.shiftId}). Close that shift with its cash count first, then open the new one.`,
      false,
    );
  }

  private view(shift: OpenShift): ShiftView {
    const store = this.deps.store();
    const day = (at: Date | string) => businessDay(at, store.timeZone, { dayStartHour: store.dayStartHour });
    return {
      shiftId: shift.shiftId,
      openedAt: shift.openedAt,
      openedBy: { employeeId: shift.openedBy, displayName: employeeName(this.deps.ledger, shift.openedBy) },
      currency: shift.currency,
      openingFloat: shift.openingFloat,
      fromEarlierDay: day(shift.openedAt) < day(this.deps.now()),
    };
  }
}
