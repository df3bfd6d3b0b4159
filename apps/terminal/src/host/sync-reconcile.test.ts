import { GENESIS_HASH } from '@tillwright/protocol';
import { describe, expect, it } from 'vitest';
import { type LocalSyncPosition, reconcile } from './sync-reconcile.js';

const hash = (seq: number) => `${seq}`.padStart(64, 'a');
const local = (changes: Partial<LocalSyncPosition> = {}): LocalSyncPosition => ({
  epoch: 1,
  lastSeq: 5,
  ackedSeq: 3,
  hashAt: (seq) => (seq >= 1 && seq <= 5 ? hash(seq) : null),
  ...changes,
});
const server = (epoch: number, ackedSeq: number, ackedHash = ackedSeq ? hash(ackedSeq) : GENESIS_HASH) => ({
  terminalId: 'T-1',
  epoch,
  ackedSeq,
  ackedHash,
});

describe('reconciling a terminal with the server', () => {
  it('is in step when the server holds a prefix of this journal at or past the local cursor', () => {
    expect(reconcile(server(1, 3), local())).toEqual({ kind: 'in-step' });
    expect(reconcile(server(1, 5), local())).toEqual({ kind: 'in-step' });
    expect(reconcile(server(1, 0), local({ lastSeq: 0, ackedSeq: 0 }))).toEqual({ kind: 'in-step' });
  });

  it('resends from the server when it lost events it had acknowledged', () => {
    expect(reconcile(server(1, 1), local())).toEqual({ kind: 'server-behind', resendAfter: 1 });
  });

  it('sees a restored terminal when the server holds more of this epoch than the journal', () => {
    expect(reconcile(server(1, 8, hash(8)), local())).toEqual({ kind: 'restored', serverSeq: 8 });
  });

  it('sees a divergence when the server holds other content at a seq this journal has', () => {
    expect(reconcile(server(1, 4, 'f'.repeat(64)), local())).toEqual({ kind: 'diverged', seq: 4 });
  });

  it('is fenced by a later server epoch, and tells a server that is an epoch behind', () => {
    expect(reconcile(server(3, 0), local({ epoch: 2 }))).toEqual({ kind: 'fenced', serverEpoch: 3 });
    expect(reconcile(server(1, 9), local({ epoch: 2 }))).toEqual({
      kind: 'server-epoch-behind',
      serverEpoch: 1,
    });
  });
});
