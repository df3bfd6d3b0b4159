import { createUuidV7Generator, GENESIS_HASH, type JournalEvent } from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import { describe, expect, it } from 'vitest';
import { checkHistories, formatVerdict, type TerminalHistory } from './checker.js';

function chain(count: number, epoch = 1): JournalEvent[] {
  let tick = 1_764_064_800_000 + epoch * 1_000;
  const nextId = createUuidV7Generator(() => tick++);
  const events: JournalEvent[] = [];
  let previous = { seq: 0, hash: GENESIS_HASH };
  for (let i = 0; i < count; i++) {
    const event = sealEvent({
      schema: 1 as const,
      eventId: nextId(),
      type: 'sale' as const,
      terminalId: 'T-1',
      storeId: 'S-1',
      epoch,
      seq: previous.seq + 1,
      occurredAt: '2026-11-25T10:00:00.000Z',
      payload: sampleSalePayload(250 + i),
      prevHash: previous.hash,
    });
    events.push(event);
    previous = { seq: event.seq, hash: event.hash };
  }
  return events;
}

function history(journal: JournalEvent[], changes: Partial<TerminalHistory> = {}): TerminalHistory {
  const ids = journal.map((event) => event.eventId);
  return {
    name: 'T1',
    terminalId: 'T-1',
    journal,
    acknowledged: ids,
    indeterminate: [],
    server: journal,
    stream: ids,
    ...changes,
  };
}

describe('the exactly-once checker', () => {
  it('passes when journal, server and stream hold the same events once each, chains intact', () => {
    const verdict = checkHistories([history(chain(5))]);
    expect(verdict.ok).toBe(true);
    expect(formatVerdict(verdict)).toContain('verdict: OK');
  });

  it('reports an acknowledged sale missing from the journal as lost', () => {
    const journal = chain(3);
    const verdict = checkHistories([
      history(journal, { acknowledged: [...journal.map((e) => e.eventId), 'gone'] }),
    ]);
    expect(verdict.ok).toBe(false);
    expect(verdict.terminals[0]!.lostAcknowledged).toEqual(['gone']);
  });

  it('reports events the server or the stream never received as lost', () => {
    const journal = chain(4);
    const verdict = checkHistories([
      history(journal, { server: journal.slice(0, 3), stream: journal.slice(0, 2).map((e) => e.eventId) }),
    ]);
    const account = verdict.terminals[0]!;
    expect(verdict.ok).toBe(false);
    expect(account.lostAtServer).toEqual([journal[3]!.eventId]);
    expect(account.lostOnStream).toEqual([journal[2]!.eventId, journal[3]!.eventId]);
  });

  it('reports an event stored or streamed twice as duplicated', () => {
    const journal = chain(3);
    const ids = journal.map((e) => e.eventId);
    const verdict = checkHistories([
      history(journal, { server: [...journal, journal[1]!], stream: [...ids, ids[2]!] }),
    ]);
    const account = verdict.terminals[0]!;
    expect(verdict.ok).toBe(false);
    expect(account.duplicatedAtServer).toEqual([ids[1]]);
    expect(account.duplicatedOnStream).toEqual([ids[2]]);
    expect(formatVerdict(verdict)).toContain('verdict: FAILED');
  });

  it('reports events the terminal never recorded as unexpected', () => {
    const journal = chain(3);
    const other = chain(1, 2);
    const verdict = checkHistories([history(journal, { server: [...journal, ...other] })]);
    expect(verdict.ok).toBe(false);
    expect(verdict.terminals[0]!.unexpected).toEqual([other[0]!.eventId]);
  });

  it('names a broken journal chain and a server row that differs from the journal', () => {
    const journal = chain(3);
    const tampered = [journal[0]!, { ...journal[1]!, hash: 'f'.repeat(64) }, journal[2]!];
    const verdict = checkHistories([history(tampered, { server: journal })]);
    expect(verdict.terminals[0]!.journalChain).toMatchObject({ seq: 2, reason: 'hash_mismatch' });
    expect(verdict.terminals[0]!.serverChain).toMatchObject({ seq: 2, reason: 'differs_from_journal' });
    expect(verdict.ok).toBe(false);
  });

  it('accepts either outcome for a call whose answer was lost, and counts the ones that committed', () => {
    const journal = chain(2);
    const verdict = checkHistories([
      history(journal, {
        acknowledged: [journal[0]!.eventId],
        indeterminate: [journal[1]!.eventId, 'never-committed'],
      }),
    ]);
    expect(verdict.ok).toBe(true);
    expect(verdict.terminals[0]!.recovered).toBe(1);
  });
});
