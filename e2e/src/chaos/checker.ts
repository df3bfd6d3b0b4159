import type { JournalEvent } from '@tillwright/protocol';
import { type ChainBreak, findChainBreak } from '@tillwright/protocol/chain';

/** Everything observed about one terminal during and after a run. */
export interface TerminalHistory {
  name: string;
  terminalId: string;
  /** The terminal's journal, read from its SQLite file after the run. */
  journal: readonly JournalEvent[];
  /** Sale ids the host answered "committed" to the cashier. */
  acknowledged: readonly string[];
  /** Sale ids whose answer never came (the host was killed during the call): either outcome is allowed. */
  indeterminate: readonly string[];
  /** What the server stored for this terminal, one entry per stored row (duplicates included). */
  server: readonly JournalEvent[];
  /** Event ids as the HQ stream delivered them, one entry per delivery, across reconnects. */
  stream: readonly string[];
}

/** Jepsen-style accounting for one terminal; the run is correct only when every list is empty and no chain breaks. */
export interface TerminalAccount {
  name: string;
  terminalId: string;
  counts: { journal: number; acknowledged: number; indeterminate: number; server: number; stream: number };
  /** Acknowledged to the cashier but missing from the journal. */
  lostAcknowledged: string[];
  /** In the journal, not at the server. */
  lostAtServer: string[];
  /** In the journal, never delivered on the HQ stream. */
  lostOnStream: string[];
  /** Stored more than once. */
  duplicatedAtServer: string[];
  /** Delivered more than once on the stream. */
  duplicatedOnStream: string[];
  /** At the server or on the stream, but not in this terminal's journal. */
  unexpected: string[];
  /** Indeterminate calls that did commit (informational: both outcomes are correct). */
  recovered: number;
  journalChain: ChainBreak | null;
  /** The server's rows in (epoch, seq) order, checked as a chain and against the journal's hashes. */
  serverChain: ChainBreak | { seq: number; eventId: string; reason: 'differs_from_journal' } | null;
}

export interface ChaosVerdict {
  ok: boolean;
  terminals: TerminalAccount[];
}

export function checkHistories(histories: readonly TerminalHistory[]): ChaosVerdict {
  const terminals = histories.map(account);
  return { ok: terminals.every(isClean), terminals };
}

export function isClean(account: TerminalAccount): boolean {
  return (
    account.lostAcknowledged.length === 0 &&
    account.lostAtServer.length === 0 &&
    account.lostOnStream.length === 0 &&
    account.duplicatedAtServer.length === 0 &&
    account.duplicatedOnStream.length === 0 &&
    account.unexpected.length === 0 &&
    account.journalChain === null &&
    account.serverChain === null
  );
}

function account(history: TerminalHistory): TerminalAccount {
  const journalIds = new Set(history.journal.map((event) => event.eventId));
  const serverCounts = countIds(history.server.map((event) => event.eventId));
  const streamCounts = countIds(history.stream);
  const unexpected = new Set<string>();
  for (const id of [...serverCounts.keys(), ...streamCounts.keys()])
    if (!journalIds.has(id)) unexpected.add(id);
  return {
    name: history.name,
    terminalId: history.terminalId,
    counts: {
      journal: history.journal.length,
      acknowledged: history.acknowledged.length,
      indeterminate: history.indeterminate.length,
      server: history.server.length,
      stream: history.stream.length,
    },
    lostAcknowledged: history.acknowledged.filter((id) => !journalIds.has(id)),
    lostAtServer: [...journalIds].filter((id) => !serverCounts.has(id)),
    lostOnStream: [...journalIds].filter((id) => !streamCounts.has(id)),
    duplicatedAtServer: repeated(serverCounts),
    duplicatedOnStream: repeated(streamCounts),
    unexpected: [...unexpected],
    recovered: history.indeterminate.filter((id) => journalIds.has(id)).length,
    journalChain: chainOf(history.journal),
    serverChain: serverChainOf(history.server, history.journal),
  };
}

function countIds(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

function repeated(counts: Map<string, number>): string[] {
  return [...counts].filter(([, count]) => count > 1).map(([id]) => id);
}

function byPosition(a: JournalEvent, b: JournalEvent): number {
  return a.epoch - b.epoch || a.seq - b.seq;
}

/** Each epoch is its own chain from seq 1. */
function chainOf(events: readonly JournalEvent[]): ChainBreak | null {
  const epochs = new Map<number, JournalEvent[]>();
  for (const event of [...events].sort(byPosition)) {
    const list = epochs.get(event.epoch) ?? [];
    list.push(event);
    epochs.set(event.epoch, list);
  }
  for (const list of epochs.values()) {
    const broken = findChainBreak(list);
    if (broken) return broken;
  }
  return null;
}

function serverChainOf(
  server: readonly JournalEvent[],
  journal: readonly JournalEvent[],
): TerminalAccount['serverChain'] {
  const broken = chainOf(server);
  if (broken) return broken;
  const local = new Map(journal.map((event) => [`${event.epoch}:${event.seq}`, event]));
  for (const event of server) {
    const mine = local.get(`${event.epoch}:${event.seq}`);
    if (mine && (mine.hash !== event.hash || mine.eventId !== event.eventId)) {
      return { seq: event.seq, eventId: event.eventId, reason: 'differs_from_journal' };
    }
  }
  return null;
}

/** The accounting as a table a person can read at the end of a run. */
export function formatVerdict(verdict: ChaosVerdict): string {
  const lines = [
    'terminal  journal  acked  unknown  server  stream  lost(ack/server/stream)  dup(server/stream)  unexpected  chains',
  ];
  for (const t of verdict.terminals) {
    const chains =
      t.journalChain || t.serverChain ? `BROKEN ${JSON.stringify(t.journalChain ?? t.serverChain)}` : 'ok';
    lines.push(
      [
        t.name.padEnd(8),
        String(t.counts.journal).padStart(7),
        String(t.counts.acknowledged).padStart(6),
        `${t.counts.indeterminate}${t.recovered ? `(${t.recovered} in)` : ''}`.padStart(8),
        String(t.counts.server).padStart(7),
        String(t.counts.stream).padStart(7),
        `${t.lostAcknowledged.length}/${t.lostAtServer.length}/${t.lostOnStream.length}`.padStart(24),
        `${t.duplicatedAtServer.length}/${t.duplicatedOnStream.length}`.padStart(19),
        String(t.unexpected.length).padStart(11),
        ` ${chains}`,
      ].join(' '),
    );
  }
  lines.push(verdict.ok ? 'verdict: OK, every event exactly once' : 'verdict: FAILED');
  return lines.join('\n');
}
