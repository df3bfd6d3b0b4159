/**
 * Kill -9 crash harness for the ledger (design.md §8). Each round spawns the writer (crash-writer.ts, a real
 * Node process) on one ledger file shared by every round, reads the sales it acknowledges, sends SIGKILL at a
 * moment drawn from a seeded PRNG (testkit's mulberry32), waits for the process to be reaped, then checks the
 * file exactly as the kill left it (read-only handles) against every promise: every sale ever acknowledged is
 * there exactly once (at the seq it was acknowledged with), the hash chain verifies, seq runs 1..N without a
 * gap, and `PRAGMA integrity_check` is ok. Each next writer is a restart (writable open, WAL recovery); after
 * the last round the harness restarts the ledger itself and checks once more.
 *
 * Used by crash.test.ts; also usable from a script: `await runCrashTest({ rounds: 100, seed: 1 })`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '@tillwright/testkit';
import type { Journal } from '../journal.js';
import { inspectLedger, restart } from './crash-inspection.js';
import { planKill, sleepMicroseconds, syscallOf } from './crash-timing.js';

/** What the writer prints on stdout, one JSON object per line. */
export type WriterLine =
  | { kind: 'ready'; pid: number; lastSeq: number }
  | { kind: 'begin'; eventId: string }
  | { kind: 'ack'; eventId: string; seq: number | null };

export type ChainBreak = NonNullable<ReturnType<Journal['verify']>>;

export interface CrashHarnessOptions {
  /** Rounds to run; each ends in one SIGKILL. */
  rounds: number;
  /** Seed of the PRNG that draws every kill moment, so a failing schedule can be replayed. */
  seed: number;
  /** Keep adding rounds (up to 4 × `rounds`) until at least this many sales were acknowledged. Default 0. */
  minAcknowledged?: number;
  /** Run the broken writer that acknowledges before it commits (the negative control). */
  ackBeforeCommit?: boolean;
  /** The writer's pause after each acknowledgement (in the broken mode: between acknowledgement and commit). */
  delayMs?: number;
  /** Share of rounds killed on a timer from spawn (boot, open, WAL recovery, first sales). Default 0.2. */
  earlyShare?: number;
  /** Upper bound of that timer. Default 250 ms (a writer is open and selling ~150 ms after spawn). */
  earlyMaxMs?: number;
  /** Other rounds are killed once this round has 1..maxAcksBeforeKill acknowledgements. Default 150. */
  maxAcksBeforeKill?: number;
  /** ...plus a sleep of 0..maxJitterUs microseconds (a quarter of those rounds get none). Default 1500. */
  maxJitterUs?: number;
  /** A round whose writer neither acknowledges enough nor dies is killed and reported. Default 20 s. */
  roundTimeoutMs?: number;
  /** The compiled writer. Default: dist/crash/crash-writer.js of this package. */
  writerPath?: string;
}

export type KillPlan =
  | { trigger: 'timer'; afterMs: number }
  | { trigger: 'acks'; afterAcks: number; jitterUs: number };

/** Where the writer was when the kill landed, from the last line it wrote. */
export type KillPhase =
  /** Nothing written yet: Node booting, the ledger opening, migrating or recovering its WAL. */
  | 'startup'
  /** Open and enrolled, no sale started. */
  | 'ready'
  /** Inside `record()`: validation, the transaction, its fsync, or the moments between the commit and the ack. */
  | 'in-record'
  /** After an acknowledgement, before the next `record()` (in the broken mode: before the commit). */
  | 'after-ack';

export interface RoundReport {
  round: number;
  plan: KillPlan;
  phase: KillPhase;
  syscallAtKill: string;
  acknowledged: number;
  /** The sale `record()` was working on when the kill landed, and whether it turned out committed. */
  inFlight: { eventId: string; committed: boolean } | null;
  journalRows: number;
  durationMs: number;
}

export interface CrashReport {
  seed: number;
  rounds: number;
  kills: number;
  /** Sales acknowledged to the cashier across all rounds. */
  acknowledged: number;
  /** Of those, present exactly once at the last check. */
  present: number;
  /** Acknowledged sales absent at a check (each listed once, with the first round it was missed). */
  missing: { eventId: string; round: number }[];
  /** Acknowledged sales found more than once. */
  duplicated: string[];
  /** Acknowledged sales stored at a different seq than the one acknowledged. */
  seqMismatches: { eventId: string; acknowledged: number; stored: number }[];
  chainBreak: { round: number; at: ChainBreak } | null;
  gaps: { round: number; expected: number; found: number }[];
  /** 'ok', or the first failing integrity_check / open error with its round. */
  integrity: string;
  /** Writers that ended other than by our SIGKILL (an error, or a round timeout). */
  unexpectedExits: { round: number; code: number | null; signal: string | null; stderr: string }[];
  killPhases: Record<KillPhase, number>;
  /** Kills that landed inside `record()`: committed (kill after COMMIT, before the ack) or rolled back. */
  inFlightAtKill: { committed: number; rolledBack: number };
  /**
   * What the writer was doing just before each SIGKILL, from /proc/<pid>/syscall (Linux x64/arm64; else
   * 'unknown'): 'fdatasync'/'fsync' means the kill landed while a commit was being made durable.
   */
  syscallsAtKill: Record<string, number>;
  /** Rows in the journal after the last round; rows beyond `present` were committed but never acknowledged. */
  journalRows: number;
  durationMs: number;
  roundReports: RoundReport[];
}

export function defaultWriterPath(): string {
  const here = fileURLToPath(import.meta.url);
  // Under vitest this module runs from src/crash/*.ts; the writer always runs compiled, from dist.
  return here.endsWith('.ts')
    ? join(dirname(here), '..', '..', 'dist', 'crash', 'crash-writer.js')
    : join(dirname(here), 'crash-writer.js');
}

/** Runs the rounds, holds every child it spawned, and cleans up on `dispose()`, also after a failure. */
export class CrashHarness {
  readonly dir: string;
  readonly ledgerPath: string;
  private readonly writerPath: string;
  private readonly children = new Map<ChildProcess, Promise<void>>();
  private disposed = false;

  constructor(private readonly options: CrashHarnessOptions) {
    this.writerPath = options.writerPath ?? defaultWriterPath();
    if (!existsSync(this.writerPath)) {
      throw new Error(
        `crash writer not built at ${this.writerPath}; run \`npx tsc -b\` in packages/ledger first`,
      );
    }
    this.dir = mkdtempSync(join(tmpdir(), 'tillwright-crash-'));
    this.ledgerPath = join(this.dir, 'ledger.sqlite');
  }

  async run(): Promise<CrashReport> {
    const started = performance.now();
    const random = mulberry32(this.options.seed);
    const acked = new Map<string, number | null>();
    const report: CrashReport = {
      seed: this.options.seed,
      rounds: 0,
      kills: 0,
      acknowledged: 0,
      present: 0,
      missing: [],
      duplicated: [],
      seqMismatches: [],
      chainBreak: null,
      gaps: [],
      integrity: 'ok',
      unexpectedExits: [],
      killPhases: { startup: 0, ready: 0, 'in-record': 0, 'after-ack': 0 },
      inFlightAtKill: { committed: 0, rolledBack: 0 },
      syscallsAtKill: {},
      journalRows: 0,
      durationMs: 0,
      roundReports: [],
    };
    const missingSeen = new Set<string>();
    const duplicatedSeen = new Set<string>();
    const absorb = (round: number, check: LedgerCheck) => {
      for (const eventId of check.missing) {
        if (!missingSeen.has(eventId)) report.missing.push({ eventId, round });
        missingSeen.add(eventId);
      }
      for (const eventId of check.duplicated) {
        if (!duplicatedSeen.has(eventId)) report.duplicated.push(eventId);
        duplicatedSeen.add(eventId);
      }
      for (const mismatch of check.seqMismatches) {
        if (!report.seqMismatches.some((m) => m.eventId === mismatch.eventId)) {
          report.seqMismatches.push(mismatch);
        }
      }
      if (check.chainBreak && !report.chainBreak) report.chainBreak = { round, at: check.chainBreak };
      for (const gap of check.gaps) report.gaps.push({ round, ...gap });
      if (check.integrity !== 'ok' && report.integrity === 'ok') {
        report.integrity = `round ${round}: ${check.integrity}`;
      }
      report.present = check.present;
      report.journalRows = check.rows;
    };
    const maxRounds = this.options.rounds * 4;
    for (let round = 1; round <= maxRounds; round++) {
      if (round > this.options.rounds && acked.size >= (this.options.minAcknowledged ?? 0)) break;
      const plan = planKill(random, this.options);
      const roundStarted = performance.now();
      const outcome = await this.runWriter(round, plan);
      if (this.disposed) throw new Error('crash harness disposed while running');
      report.rounds = round;
      if (outcome.killed) {
        report.kills++;
        report.syscallsAtKill[outcome.syscallAtKill] =
          (report.syscallsAtKill[outcome.syscallAtKill] ?? 0) + 1;
      } else report.unexpectedExits.push({ round, ...outcome.exit });
      for (const [eventId, seq] of outcome.acks) acked.set(eventId, seq);

      const check = inspectLedger(this.ledgerPath, acked, outcome.inFlight);
      absorb(round, check);

      const phase = outcome.phase;
      report.killPhases[phase]++;
      const inFlight = outcome.inFlight
        ? { eventId: outcome.inFlight, committed: check.inFlightCommitted }
        : null;
      if (inFlight && outcome.killed) {
        if (inFlight.committed) report.inFlightAtKill.committed++;
        else report.inFlightAtKill.rolledBack++;
      }
      report.roundReports.push({
        round,
        plan,
        phase,
        syscallAtKill: outcome.syscallAtKill,
        acknowledged: outcome.acks.length,
        inFlight,
        journalRows: check.rows,
        durationMs: Math.round(performance.now() - roundStarted),
      });
    }
    // Last, the restart a host does after the final kill: a writable open (WAL recovery), then the same checks.
    const restarted = restart(this.ledgerPath);
    if (restarted !== 'ok' && report.integrity === 'ok') report.integrity = `final restart: ${restarted}`;
    absorb(report.rounds, inspectLedger(this.ledgerPath, acked, null));
    report.acknowledged = acked.size;
    report.durationMs = Math.round(performance.now() - started);
    return report;
  }

  /** SIGKILLs every writer still alive, waits until each is reaped, and removes the temp folder. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const child of this.children.keys()) child.kill('SIGKILL');
    await Promise.all(this.children.values());
    rmSync(this.dir, { recursive: true, force: true });
  }

  private runWriter(round: number, plan: KillPlan): Promise<WriterOutcome> {
    const args = [this.writerPath, this.ledgerPath];
    if (this.options.ackBeforeCommit) args.push('--ack-before-commit');
    if (this.options.delayMs) args.push('--delay-ms', String(this.options.delayMs));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });

    const acks: [string, number | null][] = [];
    let phase: KillPhase = 'startup';
    let inFlight: string | null = null;
    let killed = false;
    let pending = '';
    let stderr = '';
    let syscallAtKill = 'unknown';
    const kill = () => {
      if (killed || child.exitCode !== null || child.signalCode !== null) return;
      if (child.pid !== undefined) syscallAtKill = syscallOf(child.pid);
      killed = child.kill('SIGKILL');
    };
    const onLine = (text: string) => {
      const line = JSON.parse(text) as WriterLine;
      if (line.kind === 'ready') {
        phase = 'ready';
      } else if (line.kind === 'begin') {
        phase = 'in-record';
        inFlight = line.eventId;
      } else {
        phase = 'after-ack';
        acks.push([line.eventId, line.seq]);
        if (plan.trigger === 'acks' && acks.length === plan.afterAcks) {
          sleepMicroseconds(plan.jitterUs);
          kill();
        }
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        onLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });

    const timer = plan.trigger === 'timer' ? setTimeout(kill, plan.afterMs) : undefined;
    const timeout = setTimeout(() => {
      stderr += `\n[harness] round ${round} timed out; killed`;
      child.kill('SIGKILL');
    }, this.options.roundTimeoutMs ?? 20_000);

    const closed = new Promise<WriterOutcome>((resolve) => {
      // 'close' fires after the exit AND the end of stdout: every line written before the kill has been read.
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        clearTimeout(timeout);
        this.children.delete(child);
        if (pending.length > 0) stderr += `\n[harness] partial last line: ${pending}`;
        resolve({
          acks,
          phase,
          inFlight: phase === 'in-record' ? inFlight : null,
          syscallAtKill,
          killed: killed && signal === 'SIGKILL',
          exit: { code, signal, stderr },
        });
      });
    });
    this.children.set(
      child,
      closed.then(() => undefined),
    );
    return closed;
  }
}

interface WriterOutcome {
  acks: [string, number | null][];
  phase: KillPhase;
  inFlight: string | null;
  syscallAtKill: string;
  killed: boolean;
  exit: { code: number | null; signal: string | null; stderr: string };
}

export interface LedgerCheck {
  present: number;
  missing: string[];
  duplicated: string[];
  seqMismatches: { eventId: string; acknowledged: number; stored: number }[];
  chainBreak: ChainBreak | null;
  gaps: { expected: number; found: number }[];
  integrity: string;
  rows: number;
  inFlightCommitted: boolean;
}

/** Creates a harness, runs it, and always cleans up. */
export async function runCrashTest(options: CrashHarnessOptions): Promise<CrashReport> {
  const harness = new CrashHarness(options);
  try {
    return await harness.run();
  } finally {
    await harness.dispose();
  }
}

export { planKill } from './crash-timing.js';
