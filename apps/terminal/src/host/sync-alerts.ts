import type { EventType } from '@tillwright/protocol';
import type { SyncAlertView } from '../contract/methods.js';
import { HostError } from './rpc-dispatcher.js';

/** Server refusals that stop sync with an alert (selling goes on): no retry can mend them, a person must. */
export const STOPPING_CODES: ReadonlySet<string> = new Set([
  'fork',
  'chain_broken',
  'identity_mismatch',
  'stale_epoch',
]);

/** The alert a manager sees for a stopping refusal: what happened, and what to do about it. */
export function syncAlert(code: string, detail: string): SyncAlertView {
  const action =
    code === 'stale_epoch'
      ? 'HQ moved this till to a newer epoch than its database knows (a clone, or a restore from an older backup). Call IT: once every sale here has reached HQ or been exported, re-enrol the till with a new epoch.'
      : 'This till and HQ disagree about the journal (a restore from a backup after selling, or tampering). Sales go on and are kept here; call IT to reconcile before re-enrolling the till.';
  return { code, message: detail, action };
}

/**
 * Why a new epoch is refused while events are unsent, in words a manager can act on: the old epoch's unsent events
 * could never be sent once the till moved on.
 */
export function unsentEventsRefusal(pending: number): HostError {
  const events = pending === 1 ? '1 sale or other event has' : `${pending} sales and other events have`;
  return new HostError(
    'unsynced_events',
    `${events} not reached HQ yet, and a new epoch now would leave ${pending === 1 ? 'it' : 'them'} on this till ` +
      'for good. Bring the till online (check its network and that the sync server runs), wait until the sync ' +
      'status shows nothing pending, then start the new epoch. If HQ can never take them, call IT.',
    true,
  );
}

/**
 * What a manager's new epoch may leave unsent on this till: who signed in and out, lockouts, unlocks, approvals and
 * training mode turned on or off, none of which moves money or goods. On a fenced till (HQ refuses its epoch) these
 * are written by the very sign-in and approval the move needs, and could never be sent: refusing for them would leave
 * no way out. A training sale is not among them: it records a sale rung up, by whom, and must reach HQ.
 */
export const LEFT_BY_A_NEW_EPOCH: readonly EventType[] = [
  'employee-signed-in',
  'employee-signed-out',
  'employee-locked-out',
  'employee-unlocked',
  'manager-approval',
  'training-mode',
];
