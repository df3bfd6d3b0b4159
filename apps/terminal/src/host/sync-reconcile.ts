import type { TerminalSyncState } from '@tillwright/protocol';

/** What the terminal knows of itself, to compare with what the server holds. */
export interface LocalSyncPosition {
  epoch: number;
  lastSeq: number;
  ackedSeq: number;
  /** The hash of this terminal's event at `seq` in its current epoch, or null when it has none there. */
  hashAt: (seq: number) => string | null;
}

/**
 * Where terminal and server stand, from the terminal's side, and so what the sync client must do:
 * - `in-step`: nothing special;
 * - `server-behind`: the server lost events it had acknowledged (restored from a backup): resend from its seq;
 * - `server-epoch-behind`: the server does not know this terminal's current epoch yet: tell it;
 * - `restored`: the server holds more of this epoch than the terminal's journal: the terminal's database was restored
 *   from a backup, so it must move to a new epoch (once nothing it holds is unsent) and never reuse those seqs;
 * - `fenced`: the server moved this terminal to a later epoch than its journal knows: stop, a person must look;
 * - `diverged`: the server holds other content at a seq this journal also has: stop, a person must look.
 */
export type Reconciliation =
  | { kind: 'in-step' }
  | { kind: 'server-behind'; resendAfter: number }
  | { kind: 'server-epoch-behind'; serverEpoch: number }
  | { kind: 'restored'; serverSeq: number }
  | { kind: 'fenced'; serverEpoch: number }
  | { kind: 'diverged'; seq: number };

export function reconcile(server: TerminalSyncState, local: LocalSyncPosition): Reconciliation {
  if (server.epoch > local.epoch) return { kind: 'fenced', serverEpoch: server.epoch };
  if (server.epoch < local.epoch) return { kind: 'server-epoch-behind', serverEpoch: server.epoch };
  if (server.ackedSeq > local.lastSeq) return { kind: 'restored', serverSeq: server.ackedSeq };
  if (server.ackedSeq > 0 && local.hashAt(server.ackedSeq) !== server.ackedHash) {
    return { kind: 'diverged', seq: server.ackedSeq };
  }
  if (server.ackedSeq < local.ackedSeq) return { kind: 'server-behind', resendAfter: server.ackedSeq };
  return { kind: 'in-step' };
}
