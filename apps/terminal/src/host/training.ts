import type { Ledger } from '@tillwright/ledger';
import type { MethodParams } from '../contract/methods.js';
import type { Approvals } from './approvals.js';
import type { JournalWriter } from './journal-writer.js';
import { HostError } from './rpc-dispatcher.js';
import type { SaleMode } from './sale-service.js';
import type { SessionService } from './session-service.js';
import type { ShiftService } from './shift-service.js';

export interface TrainingDeps {
  ledger: Ledger;
  writer: JournalWriter;
  session: SessionService;
  approvals: Approvals;
  /** Training went on or off: push `shift.status`. */
  onChange: () => void;
}

/**
 * One job: whether this till is in training mode (decision 0015). Turned on and off with `trainingMode` (or a
 * manager's approval), each change journaled as `training-mode`, so the mode survives a restart: it is read back from
 * the journal when the host starts. While on, sales are journaled as `training-sale` and everything that moves real
 * cash is refused (`refuseWhileOn`).
 */
export class TrainingMode {
  private on: boolean;

  constructor(private readonly deps: TrainingDeps) {
    this.on = deps.ledger.projections.trainingMode();
  }

  /**
   * Training is effectively off while the server takes no training events, whatever the journal last said: nothing
   * of it could be journaled (a server downgraded since training went on), and a till that cannot sell at all is
   * worse than one that sells for real. Once the server takes them again, the journal's last word holds again.
   */
  isOn(): boolean {
    return this.on && this.supported();
  }

  /** The gate of cash movements, no-sale, post-void and the shift close: `training_mode` while training is on. */
  refuseWhileOn(what: string): void {
    if (!this.isOn()) return;
    throw new HostError(
      'training_mode',
      `The till is in training mode: no real cash moves, so ${what} is not possible. A manager turns training off first.`,
      false,
    );
  }

  /** Turns training on or off; asking for the mode already in force changes and writes nothing. */
  async set({ on, approval }: MethodParams<'training.set'>): Promise<void> {
    const actor = this.deps.session.requireSignedIn();
    // Off is never refused: a till whose server stopped taking training is already effectively off.
    if (on === this.isOn()) return;
    this.assertSupported();
    const grant = await this.deps.approvals.check(
      {
        request: { permission: 'trainingMode' },
        action: 'training-mode',
        subject: on ? 'training mode on' : 'training mode off',
        reason: null,
      },
      approval,
    );
    // The PIN check waited its turn: another call (or the server) may have changed the mode meanwhile.
    if (on === this.isOn()) return;
    this.assertSupported();
    const approvalId = grant ? this.deps.approvals.record(grant) : null;
    this.deps.writer.write('training-mode', { on, employeeId: actor.employee.employeeId, approvalId });
    this.on = on;
    this.deps.onChange();
  }

  /** Training is journaled as its own types, which only a server that announced them takes. */
  private supported(): boolean {
    return (
      this.deps.writer.version('training-sale') !== null && this.deps.writer.version('training-mode') !== null
    );
  }

  private assertSupported(): void {
    if (this.supported()) return;
    throw new HostError(
      'training_not_supported',
      "This till's sync server does not take training sales yet, so training mode cannot be used: update the sync server first",
      false,
    );
  }
}

/**
 * How the till sells now: in training mode a training sale, no shift needed (the open one's id recorded if there is
 * one); otherwise a sale of the open shift, or `no_open_shift`.
 */
export function saleMode(training: TrainingMode, shifts: ShiftService): SaleMode {
  return training.isOn()
    ? { training: true, shiftId: shifts.current()?.shiftId ?? null }
    : { training: false, shiftId: shifts.requireOpen().shiftId };
}
