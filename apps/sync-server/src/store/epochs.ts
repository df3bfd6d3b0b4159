import { GENESIS_HASH, type NewEpochRequest, type TerminalSyncState } from '@tillwright/protocol';
import { ApiError } from '../errors.js';
import type { IngestTx } from './ingest.js';
import type { TerminalPrincipal } from './types.js';

/** What the server holds for a terminal, read under the same lock ingest takes. */
export async function readSyncState(tx: IngestTx, principal: TerminalPrincipal): Promise<TerminalSyncState> {
  const state = await tx.lockTerminal(principal.terminalId);
  return {
    terminalId: principal.terminalId,
    epoch: state.epoch,
    ackedSeq: state.ackedSeq,
    ackedHash: state.ackedHash,
  };
}

/**
 * A terminal moves to a new epoch (its database was restored from a backup, or IT re-enrolled it): the old epoch is
 * fenced, what the server stored of it stays, and HQ gets an alert. Asking again for the epoch already reached
 * answers the same, so a lost answer is harmless; asking from an epoch the server does not hold is refused.
 */
export async function startEpoch(
  tx: IngestTx,
  principal: TerminalPrincipal,
  request: NewEpochRequest,
  now: string,
): Promise<TerminalSyncState> {
  const state = await tx.lockTerminal(principal.terminalId);
  if (state.epoch === request.toEpoch) return readSyncState(tx, principal);
  if (state.epoch !== request.fromEpoch || request.toEpoch <= request.fromEpoch) {
    throw new ApiError(
      409,
      'stale_epoch',
      `the server holds epoch ${state.epoch} for this terminal, not ${request.fromEpoch}`,
      false,
      { currentEpoch: state.epoch },
    );
  }
  await tx.setEpoch(principal.terminalId, request.toEpoch, now);
  const why =
    request.reason === 'restored'
      ? 'its database was restored from a backup'
      : 'a manager or IT started a new epoch';
  await tx.insertAlert({
    principal,
    kind: 'new_epoch',
    detail:
      `terminal moved from epoch ${request.fromEpoch} to ${request.toEpoch} because ${why}; the server held seq ` +
      `${state.ackedSeq} of epoch ${request.fromEpoch}, the terminal's journal ended at seq ${request.localLastSeq}`,
    createdAt: now,
  });
  return { terminalId: principal.terminalId, epoch: request.toEpoch, ackedSeq: 0, ackedHash: GENESIS_HASH };
}
