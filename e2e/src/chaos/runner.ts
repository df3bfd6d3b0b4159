import type { Fault } from '../fault-proxy.js';
import { allServerEvents, journalEvents, openShiftAtTill, signInAtTill } from '../observe.js';
import { type ChaosVerdict, checkHistories, formatVerdict, type TerminalHistory } from './checker.js';
import { ChaosCluster, type ChaosTerminal } from './cluster.js';
import { callHostOutcome } from './host-call.js';
import { recordHqStream } from './stream-recorder.js';

export interface ChaosOptions {
  workDir: string;
  terminals: number;
  /** Each round, every terminal that is up rings one sale, all at once. */
  rounds: number;
  seed: number;
  /** Weights of the proxy faults drawn for every journal push while selling (`pass` defaults to 1). */
  networkFaults: Partial<Record<Fault, number>>;
  /** The sync server killed with SIGKILL while a batch is in flight, then restarted; this many times. */
  serverKills: number;
  /** A terminal host killed with SIGKILL while its push is in flight, then restarted; this many times. */
  terminalKills: number;
  /** One terminal cut off from the server for at least this long while it keeps selling (0: no partition). */
  partitionMs: number;
  /** How long a killed process stays down before it is started again. */
  downMs: number;
  drainTimeoutMs: number;
  /** Runs a different server entry point (the negative control's server without a duplicate check). */
  serverScript?: string;
  log: (line: string) => void;
}

export interface ChaosReport {
  verdict: ChaosVerdict;
  sales: { attempted: number; acknowledged: number; indeterminate: number; notSent: number; refused: number };
  faults: {
    proxy: Record<string, number>;
    serverKills: number;
    terminalKills: number;
    partitionMs: number;
    streamReconnects: number;
  };
  drained: boolean;
  durations: { sellingMs: number; drainMs: number };
  text: string;
}

interface Recorder {
  acknowledged: string[];
  indeterminate: string[];
  notSent: number;
  refused: number;
  counter: number;
}

type Kill = { kind: 'server' } | { kind: 'terminal'; terminal: ChaosTerminal };

/**
 * One chaos run: N terminals sell through their fault proxies while the server and the terminal hosts are killed
 * mid-batch and one terminal is partitioned; then the network heals, everything drains, and the checker compares,
 * per terminal, the journal, the server and the HQ stream.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const cluster = await ChaosCluster.start({
    workDir: options.workDir,
    terminals: options.terminals,
    ...(options.serverScript ? { serverScript: options.serverScript } : {}),
  });
  const token = await cluster.hqToken();
  const stream = recordHqStream(cluster.serverUrl, token);
  const recorders = new Map<ChaosTerminal, Recorder>(
    cluster.terminals.map((t) => [
      t,
      { acknowledged: [], indeterminate: [], notSent: 0, refused: 0, counter: 0 },
    ]),
  );
  try {
    await waitForCatalog(cluster.terminals);
    // Nothing is sold with nobody signed in nor outside an open shift: a cashier signs in at each till (again after
    // each restart) and the manager opens its shift, once (it stays open across a kill, as across a power loss).
    for (const terminal of cluster.terminals) {
      await signInAtTill(terminal.url);
      await openShiftAtTill(terminal.url);
    }
    const kills = killSchedule(options, cluster.terminals);
    const done = { server: 0, terminal: 0 };
    const restarts: Promise<void>[] = [];
    let armed: Kill | null = null;
    const partitioned = cluster.terminals[0]!;
    const partitionFrom = Math.floor(options.rounds / 4);
    let partitionStarted = 0;
    let partitionMs = 0;

    for (const [index, terminal] of cluster.terminals.entries()) {
      terminal.proxy.setPlan({ weights: options.networkFaults, delayMs: 100, seed: options.seed + index });
    }
    const sellingStarted = Date.now();
    // Selling goes on past `rounds` until every scheduled kill has happened (a kill waits for a push to be in flight).
    const unfinished = () => kills.length > 0 || armed !== null || partitionStarted > 0;
    for (let round = 0; round < options.rounds || (unfinished() && round < options.rounds * 50); round++) {
      if (options.partitionMs > 0 && round === partitionFrom) {
        partitioned.proxy.setPartitioned(true);
        partitionStarted = Date.now();
        options.log(`round ${round}: ${partitioned.name} partitioned from the server`);
      }
      if (partitionStarted && Date.now() - partitionStarted >= options.partitionMs) {
        partitioned.proxy.setPartitioned(false);
        partitionMs = Date.now() - partitionStarted;
        partitionStarted = 0;
        options.log(`round ${round}: ${partitioned.name} reconnected after ${partitionMs} ms`);
      }
      const due = kills[0];
      if (!armed && due && round >= due.round && cluster.serverUp() && cluster.terminals.every((t) => t.up)) {
        kills.shift();
        armed = due.kill;
        const kill = due.kill;
        const fire = () => {
          if (armed !== kill) return;
          armed = null;
          if (kill.kind === 'server') {
            cluster.killServer();
            done.server += 1;
            options.log(`round ${round}+: sync server SIGKILLed with a batch in flight`);
            restarts.push(delay(options.downMs).then(() => cluster.restartServer()));
          } else {
            cluster.killTerminal(kill.terminal);
            done.terminal += 1;
            options.log(`round ${round}+: ${kill.terminal.name} host SIGKILLed with its push in flight`);
            restarts.push(delay(options.downMs).then(() => cluster.restartTerminal(kill.terminal)));
          }
        };
        const targets =
          kill.kind === 'server' ? cluster.terminals.filter((t) => t !== partitioned) : [kill.terminal];
        for (const target of targets) target.proxy.onNextForward(fire);
      }
      await Promise.all(
        cluster.terminals
          .filter((t) => t.up)
          .map((t) => sell(t, recorders.get(t)!, cluster.terminals.indexOf(t))),
      );
      await delay(20);
    }
    if (partitionStarted) {
      partitioned.proxy.setPartitioned(false);
      partitionMs = Date.now() - partitionStarted;
    }
    const sellingMs = Date.now() - sellingStarted;

    // Heal: no more faults, every process back, one more sale per till (a cashier carrying on) wakes each client.
    armed = null;
    for (const terminal of cluster.terminals) terminal.proxy.setPlan({ weights: {}, seed: 1 });
    await Promise.all(restarts);
    const drainStarted = Date.now();
    await Promise.all(cluster.terminals.map((t) => sell(t, recorders.get(t)!, cluster.terminals.indexOf(t))));
    const drained = await waitForDrain(cluster.terminals, stream.items, options.drainTimeoutMs);
    const drainMs = Date.now() - drainStarted;
    // Every outbox is empty, so what the server stored is final. The stream is in offset order: once it has delivered
    // the last stored offset it has delivered everything stored, an event stored twice included.
    const stored = await allServerEvents(cluster.serverUrl, token);
    await waitForStreamTo(
      stream.items,
      stored.reduce((last, item) => Math.max(last, item.offset), 0),
      options.drainTimeoutMs,
    );
    await stream.stop();

    const histories: TerminalHistory[] = cluster.terminals.map((terminal) => {
      const recorder = recorders.get(terminal)!;
      return {
        name: terminal.name,
        terminalId: terminal.terminalId,
        journal: journalEvents(terminal.ledgerPath),
        acknowledged: recorder.acknowledged,
        indeterminate: recorder.indeterminate,
        server: stored.filter((item) => item.terminalId === terminal.terminalId).map((item) => item.event),
        stream: stream.items
          .filter((item) => item.terminalId === terminal.terminalId)
          .map((item) => item.event.eventId),
      };
    });
    const verdict = checkHistories(histories);
    const all = [...recorders.values()];
    const proxy: Record<string, number> = {};
    for (const terminal of cluster.terminals) {
      for (const [fault, count] of Object.entries(terminal.proxy.counts))
        proxy[fault] = (proxy[fault] ?? 0) + count;
    }
    const report: Omit<ChaosReport, 'text'> = {
      verdict,
      sales: {
        attempted: all.reduce((sum, r) => sum + r.counter, 0),
        acknowledged: all.reduce((sum, r) => sum + r.acknowledged.length, 0),
        indeterminate: all.reduce((sum, r) => sum + r.indeterminate.length, 0),
        notSent: all.reduce((sum, r) => sum + r.notSent, 0),
        refused: all.reduce((sum, r) => sum + r.refused, 0),
      },
      faults: {
        proxy,
        serverKills: done.server,
        terminalKills: done.terminal,
        partitionMs,
        streamReconnects: stream.reconnects(),
      },
      drained,
      durations: { sellingMs, drainMs },
    };
    return { ...report, text: describe(report) };
  } finally {
    await stream.stop();
    await cluster.stop();
  }
}

/** Kills spread over the middle of the run, server and terminal kills alternating, never the partitioned till. */
function killSchedule(options: ChaosOptions, terminals: ChaosTerminal[]): { round: number; kill: Kill }[] {
  const kills: Kill[] = [];
  const victims = terminals.length > 1 ? terminals.slice(1) : terminals;
  for (let i = 0; i < Math.max(options.serverKills, options.terminalKills); i++) {
    if (i < options.serverKills) kills.push({ kind: 'server' });
    if (i < options.terminalKills) kills.push({ kind: 'terminal', terminal: victims[i % victims.length]! });
  }
  const first = Math.floor(options.rounds / 10);
  const span = Math.floor((options.rounds * 7) / 10);
  return kills.map((kill, i) => ({ round: first + Math.floor((span * i) / kills.length), kill }));
}

async function sell(terminal: ChaosTerminal, recorder: Recorder, index: number): Promise<void> {
  recorder.counter += 1;
  const n = recorder.counter;
  const saleId = `019ab8a0-${index.toString(16).padStart(4, '0')}-7000-8000-${n.toString(16).padStart(12, '0')}`;
  const outcome = await callHostOutcome(terminal.url, 'sale.complete', {
    saleId,
    currency: 'EUR',
    lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 + (n % 3) }],
    tenders: [{ kind: 'cash', tendered: 1_000 }],
  });
  if (outcome.kind === 'answered' && outcome.answer.ok) recorder.acknowledged.push(saleId);
  else if (outcome.kind === 'answered') recorder.refused += 1;
  else if (outcome.kind === 'unknown') recorder.indeterminate.push(saleId);
  else recorder.notSent += 1;
}

async function waitForCatalog(terminals: ChaosTerminal[]): Promise<void> {
  for (const terminal of terminals) {
    for (let i = 0; ; i++) {
      const outcome = await callHostOutcome(terminal.url, 'catalog.lookup', { barcode: '4006381333931' });
      if (outcome.kind === 'answered' && outcome.answer.result) break;
      if (i > 200) throw new Error(`${terminal.name} never received the catalog`);
      await delay(50);
    }
  }
}

async function waitForDrain(
  terminals: ChaosTerminal[],
  streamed: readonly { terminalId: string }[],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let pending = 0;
    for (const terminal of terminals) {
      const outcome = await callHostOutcome(terminal.url, 'sync.status', {});
      pending += outcome.kind === 'answered' ? Number(outcome.answer.result?.pending ?? 1) : 1;
    }
    if (pending === 0) {
      const journals = terminals.map((t) => journalEvents(t.ledgerPath).length);
      const onStream = terminals.map(
        (t) => streamed.filter((item) => item.terminalId === t.terminalId).length,
      );
      if (onStream.every((count, i) => count >= journals[i]!)) return true;
    }
    await delay(100);
  }
  return false;
}

/** Until the stream has delivered `offset` (or `timeoutMs` passed: the checker then reports what is missing). */
async function waitForStreamTo(
  streamed: readonly { offset: number }[],
  offset: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !streamed.some((item) => item.offset >= offset)) await delay(50);
}

function describe(report: Omit<ChaosReport, 'text'>): string {
  const { sales, faults, durations } = report;
  const proxy = Object.entries(faults.proxy)
    .filter(([, count]) => count > 0)
    .map(([fault, count]) => `${fault} ${count}`)
    .join(', ');
  return [
    `sales: ${sales.attempted} rung, ${sales.acknowledged} acknowledged, ${sales.indeterminate} answer lost (host killed), ${sales.notSent} not sent (till down), ${sales.refused} refused`,
    `faults: pushes ${proxy}; server SIGKILL mid-batch ${faults.serverKills}; terminal SIGKILL mid-sync ${faults.terminalKills}; partition ${faults.partitionMs} ms; HQ stream reconnects ${faults.streamReconnects}`,
    `time: selling ${durations.sellingMs} ms, heal to drained ${durations.drainMs} ms${report.drained ? '' : ' (NOT drained before the timeout)'}`,
    formatVerdict(report.verdict),
  ].join('\n');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
