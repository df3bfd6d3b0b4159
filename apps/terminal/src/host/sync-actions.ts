import type { MethodParams, SyncStatusView } from '../contract/methods.js';
import type { ApprovalAsk, Approvals } from './approvals.js';
import type { SessionService } from './session-service.js';
import type { SyncClient } from './sync-client.js';

export interface SyncActionsDeps {
  session: SessionService;
  approvals: Approvals;
  sync: SyncClient;
  terminalId: () => string;
}

const ask = (action: 'sync-retry' | 'sync-new-epoch', subject: string): ApprovalAsk => ({
  request: { permission: 'syncActions' },
  action,
  subject,
  reason: null,
});

/** The manager's sync actions, behind permission `syncActions` (or a manager's approval). */
export class SyncActions {
  constructor(private readonly deps: SyncActionsDeps) {}

  /** Try again after the cause of an alert was dealt with; an approval is journaled first. */
  async retry({ approval }: MethodParams<'sync.retry'>): Promise<SyncStatusView> {
    this.deps.session.requireSignedIn();
    await this.deps.approvals.authorise(ask('sync-retry', this.deps.terminalId()), approval);
    return this.deps.sync.retry();
  }

  /**
   * Re-enrol with a new epoch. Refused first while events are unsent (an approval would be asked for in vain); the
   * approval is checked before the move and journaled as the new epoch's first event, since one journaled before it
   * would itself be an unsent event of the old epoch, which the move refuses.
   */
  async startNewEpoch({ approval }: MethodParams<'sync.startNewEpoch'>): Promise<SyncStatusView> {
    this.deps.session.requireSignedIn();
    this.deps.sync.refuseWhilePending();
    const grant = await this.deps.approvals.check(ask('sync-new-epoch', this.deps.terminalId()), approval);
    await this.deps.sync.startNewEpoch();
    if (grant) this.deps.approvals.record(grant);
    return this.deps.sync.status();
  }
}
