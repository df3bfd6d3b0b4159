import { type BackoffPolicy, fullJitterBackoff } from '@tillwright/devices';
import { type Ledger, LedgerError } from '@tillwright/ledger';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS } from '@tillwright/protocol';
import { generateTerminalKeyPair, signRequest } from '@tillwright/protocol/signing';
import type { SyncAlertView, SyncStatusView } from '../contract/methods.js';
import type { CredentialFile, TerminalCredential } from './credentials.js';
import { HostError } from './rpc-dispatcher.js';
import { type RequestSigner, type ServerClient, ServerFailure } from './server-client.js';
import { clockView } from './server-clock.js';
import { LEFT_BY_A_NEW_EPOCH, STOPPING_CODES, syncAlert, unsentEventsRefusal } from './sync-alerts.js';
import { pullCatalogAndFeed } from './sync-pulls.js';
import { reconcile } from './sync-reconcile.js';
import { WakeableSleep, waitProbingWhileOffline } from './wakeable-sleep.js';

export interface SyncClientDeps {
  ledger: Ledger;
  server: ServerClient;
  credentials: CredentialFile;
  enrolment: { code: string | null; terminalName: string };
  now: () => Date;
  random: () => number;
  idleIntervalMs?: number;
  catalogIntervalMs?: number;
  /** While offline, how often to check whether the server answers again (jittered ±20 %). */
  probeIntervalMs?: number;
  onStatus: (status: SyncStatusView) => void;
  log: (message: string) => void;
}

/**
 * Moves the journal to the server and the catalog to the terminal. One batch in flight; transient failures are
 * retried forever with full-jitter backoff; selling never waits for any of it. Before its first push it reconciles
 * with the server (a restored terminal moves to a new epoch; a server that lost events gets them again); on a
 * conflict it stops and raises an alert until a manager acts.
 */
export class SyncClient {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly sleeper = new WakeableSleep();
  private attempt = 0;
  /** Full jitter from 500 ms, capped at 5 minutes: an outage of hours costs the server a few probes a till. */
  private readonly backoff: BackoffPolicy;
  private lastCatalogPull = 0;
  private state: SyncStatusView['state'] = 'not-enrolled';
  /** The till's time of the last answer to a signed request, kept in the ledger across restarts. */
  private lastSyncAt: string | null;
  private recordedAnswer: number | null = null;
  private lastError: string | null = null;
  private alert: SyncAlertView | null = null;
  private reconciled = false;
  private clockRetried = false;

  constructor(private readonly deps: SyncClientDeps) {
    this.backoff = fullJitterBackoff({ baseMs: 500, capMs: 5 * 60_000, random: deps.random });
    this.lastSyncAt = deps.ledger.serverContact.get().lastAnswerAt;
    const credential = deps.credentials.read();
    if (credential && !deps.ledger.journal.identity()) deps.ledger.journal.setIdentity(credential);
    if (credential) this.state = 'offline';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks for a sync now, for example right after a sale was committed. */
  kick(): void {
    this.sleeper.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sleeper.wake();
    await this.loop;
  }

  status(): SyncStatusView {
    const outbox = this.deps.ledger.outbox.state();
    const oldestPendingAt = outbox?.oldestPendingAt ?? null;
    const alertAfterMs = this.deps.ledger.feed.config().syncAlertAfterMinutes * 60_000;
    return {
      state: this.alert ? 'stopped' : this.state,
      pending: outbox?.pending ?? 0,
      oldestPendingAt,
      overdue:
        oldestPendingAt !== null && this.deps.now().getTime() - Date.parse(oldestPendingAt) > alertAfterMs,
      lastSyncAt: this.lastSyncAt,
      lastError: this.lastError,
      alert: this.alert,
      clock: clockView(this.deps.server.clock.offsetMs),
      feed: (({ skipped, lastSkipped }) => ({ skipped, lastSkipped }))(this.deps.ledger.feed.skips()),
    };
  }

  /** Manager: the cause of the alert was dealt with; reconcile with the server again and carry on. */
  retry(): SyncStatusView {
    return this.resumeAfterManager();
  }

  /** Refuses (`unsynced_events`, in words a manager can act on) while a new epoch would strand events. */
  refuseWhilePending(): void {
    const pending = this.deps.ledger.journal.unsent(LEFT_BY_A_NEW_EPOCH);
    if (pending > 0) throw unsentEventsRefusal(pending);
  }

  /**
   * Manager or IT: move this till to a new epoch (the caller refuses it first while events would be stranded:
   * `refuseWhilePending`); the switch
   * happens in the ledger at once (new sales go to the new epoch) and the server is told now or at the next sync.
   */
  async startNewEpoch(): Promise<SyncStatusView> {
    const credential = this.deps.credentials.read();
    if (!credential) throw new HostError('not_enrolled', 'this terminal is not enrolled', false);
    const signer = this.signerFor(credential);
    let serverEpoch = this.deps.ledger.journal.identity()?.epoch ?? credential.epoch;
    try {
      serverEpoch = (await this.deps.server.syncState(signer)).epoch;
    } catch {
      // Offline: start from the epoch this journal knows; the server is told at the next sync.
    }
    await this.moveToNewEpoch(signer, 'manual', serverEpoch);
    return this.resumeAfterManager();
  }

  /** A manager acted on the alert: clear it, reconcile with the server again, and sync now. */
  private resumeAfterManager(): SyncStatusView {
    this.alert = null;
    this.reconciled = false;
    this.kick();
    this.publish();
    return this.status();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delay = this.deps.idleIntervalMs ?? 5_000;
      const answeredBefore = this.deps.server.lastSignedAnswerAt;
      try {
        const signer = this.alert ? null : await this.ensureEnrolled();
        if (signer && !this.reconciled) await this.reconcileWithServer(signer);
        if (signer && !this.alert) {
          // Sales first: nothing the terminal pulls may hold up what it owes HQ.
          await this.pushAll(signer);
          if (!this.reconciled) await this.reconcileWithServer(signer);
          await this.pullIfDue(signer);
          this.attempt = 0;
          this.clockRetried = false;
          // Idle, nothing was asked of the server this round: whether it is still there is checked, not assumed, so
          // the till says offline within seconds of the server going away even with nothing to send.
          const asked = this.deps.server.lastSignedAnswerAt !== answeredBefore;
          if (asked || (await this.deps.server.reachable())) {
            this.state = 'online';
            this.lastError = null;
          } else {
            this.state = 'offline';
            this.lastError = 'the sync server does not answer; sales are kept on this till';
          }
          // Sales made meanwhile (or the new epoch's first ones) go out now rather than after the idle wait.
          if (this.status().pending > 0) delay = 0;
        }
      } catch (error) {
        delay = this.onFailure(error);
      }
      this.publish();
      if (this.running) {
        await waitProbingWhileOffline(this.sleeper, delay, {
          offline: this.state === 'offline' && !this.alert,
          running: () => this.running,
          probeIntervalMs: this.deps.probeIntervalMs ?? 5_000,
          random: this.deps.random,
          reachable: () => this.deps.server.reachable(),
          log: this.deps.log,
        });
      }
    }
  }

  private onFailure(error: unknown): number {
    if (error instanceof ServerFailure && error.code === 'clock_skew' && !this.clockRetried) {
      // The refusal told the server's time, so the next request is signed right: send it again at once, once.
      this.clockRetried = true;
      this.deps.log(
        `the till clock is off the server's by ${this.deps.server.clock.offsetMs} ms; signing with the server's time`,
      );
      return 0;
    }
    if (
      error instanceof ServerFailure &&
      error.code === 'seq_gap' &&
      typeof error.details.expectedSeq === 'number'
    ) {
      const cursor = this.deps.ledger.outbox.state();
      const behind = error.details.expectedSeq - 1;
      if (cursor && behind < cursor.ackedSeq) {
        // The server has less than it acknowledged before (it was restored from a backup): send it again.
        try {
          this.deps.ledger.outbox.rewind(cursor.epoch, behind);
          this.deps.log(`server expects seq ${error.details.expectedSeq}; resending from there`);
          this.lastError = null;
          return 0;
        } catch (rewindError) {
          this.deps.log(`cannot resend from seq ${error.details.expectedSeq}: ${String(rewindError)}`);
        }
      }
    }
    if (error instanceof ServerFailure && error.code === 'stale_epoch') {
      const local = this.deps.ledger.journal.identity()?.epoch ?? 0;
      const current = Number(error.details.currentEpoch);
      if (Number.isInteger(current) && current < local) {
        // The server has not heard of this terminal's new epoch (the answer was lost, or it was restored): tell it.
        this.reconciled = false;
        return 0;
      }
    }
    if (error instanceof ServerFailure && STOPPING_CODES.has(error.code)) {
      this.raise(error.code, error.message);
      return this.deps.idleIntervalMs ?? 5_000;
    }
    if (error instanceof LedgerError && error.code === 'unknown_ack') {
      this.raise(
        'ack_mismatch',
        `the server acknowledged an event this journal does not hold: ${error.message}`,
      );
      return this.deps.idleIntervalMs ?? 5_000;
    }
    const failure =
      error instanceof ServerFailure
        ? error
        : new ServerFailure(
            'permanent',
            'client_error',
            error instanceof Error ? error.message : String(error),
          );
    this.lastError = failure.message;
    this.deps.log(`sync ${failure.kind} failure (${failure.code}): ${failure.message}`);
    if (failure.kind === 'transient') {
      this.state = failure.code === 'unreachable' ? 'offline' : 'degraded';
      // A server that says when to come back (429 Retry-After) is busy, not broken: wait as told, with a little
      // jitter so a herd does not return in lockstep, and do not grow the backoff for it.
      if (failure.retryAfterMs !== null) return failure.retryAfterMs * (1 + 0.2 * this.deps.random());
      return this.backoff(this.attempt++);
    }
    // Other permanent refusals (revoked, too old a client): keep selling, retry slowly, show the reason.
    this.state = 'degraded';
    return 60_000;
  }

  private raise(code: string, detail: string): void {
    this.alert = syncAlert(code, detail);
    this.lastError = `sync stopped (${code}): ${detail}`;
    this.deps.log(`sync stopped and raised an alert (${code}): ${detail}`);
  }

  private async reconcileWithServer(signer: RequestSigner): Promise<void> {
    const { ledger } = this.deps;
    const identity = ledger.journal.identity();
    const cursor = ledger.outbox.state();
    if (!identity || !cursor) return;
    const server = await this.deps.server.syncState(signer);
    // Which versions to write from now on (sale-service.ts reads them): kept in the ledger across restarts.
    ledger.serverContact.recordVersions(await this.deps.server.versions(signer));
    const found = reconcile(server, {
      epoch: identity.epoch,
      lastSeq: cursor.lastSeq,
      ackedSeq: cursor.epoch === identity.epoch ? cursor.ackedSeq : 0,
      hashAt: (seq) => ledger.journal.bySeq(identity.epoch, seq)?.hash ?? null,
    });
    switch (found.kind) {
      case 'in-step':
        break;
      case 'server-behind':
        ledger.outbox.rewind(identity.epoch, found.resendAfter);
        this.deps.log(`the server holds seq ${found.resendAfter}; resending from there`);
        break;
      case 'server-epoch-behind':
        await this.deps.server.startEpoch(signer, {
          fromEpoch: found.serverEpoch,
          toEpoch: identity.epoch,
          reason: 'restored',
          localLastSeq: cursor.lastSeq,
        });
        this.deps.log(`told the server this terminal is in epoch ${identity.epoch}`);
        break;
      case 'restored':
        // The journal lacks events the server holds: a restore. Send what is unsent first (the server skips what it
        // has, or refuses a divergence); only with nothing unsent can the till move on without stranding a sale.
        if (cursor.pending > 0) return;
        await this.moveToNewEpoch(signer, 'restored', server.epoch);
        break;
      case 'fenced':
        this.raise(
          'stale_epoch',
          `HQ holds epoch ${found.serverEpoch} for this till; its journal is at ${identity.epoch}`,
        );
        return;
      case 'diverged':
        this.raise('fork', `HQ holds different content at seq ${found.seq} of epoch ${identity.epoch}`);
        return;
      default: {
        const unreachable: never = found;
        throw new Error(`unknown reconciliation ${JSON.stringify(unreachable)}`);
      }
    }
    this.reconciled = true;
  }

  private async moveToNewEpoch(signer: RequestSigner, reason: 'restored' | 'manual', serverEpoch: number) {
    const { ledger } = this.deps;
    const identity = ledger.journal.identity();
    if (!identity) throw new HostError('not_enrolled', 'this terminal is not enrolled', false);
    const lastSeq = ledger.journal.lastSeq(identity.epoch);
    const toEpoch = Math.max(identity.epoch, serverEpoch) + 1;
    try {
      ledger.journal.startEpoch(toEpoch, reason === 'manual' ? { mayLeave: LEFT_BY_A_NEW_EPOCH } : {});
    } catch (error) {
      if (error instanceof LedgerError && error.code === 'unsynced_events') {
        throw unsentEventsRefusal(Number(error.details.pending));
      }
      throw error;
    }
    this.deps.log(`moved to epoch ${toEpoch} (${reason}); the server held epoch ${serverEpoch}`);
    // The ledger has switched; if this call fails the next push is fenced and reconciliation tells the server.
    await this.deps.server
      .startEpoch(signer, { fromEpoch: serverEpoch, toEpoch, reason, localLastSeq: lastSeq })
      .catch((error: unknown) =>
        this.deps.log(`the server will hear of epoch ${toEpoch} later: ${String(error)}`),
      );
  }

  private async ensureEnrolled(): Promise<RequestSigner | null> {
    const existing = this.deps.credentials.read();
    if (existing) return this.signerFor(existing);
    const { code, terminalName } = this.deps.enrolment;
    if (!code) {
      this.state = 'not-enrolled';
      this.lastError = 'this terminal is not enrolled: start it with an enrolment code from a manager';
      return null;
    }
    const keys = generateTerminalKeyPair();
    const identity = await this.deps.server.enrol(code, terminalName, keys.publicKey);
    const credential = { ...identity, privateKeyPem: keys.privateKeyPem };
    this.deps.credentials.write(credential);
    this.deps.ledger.journal.setIdentity(identity);
    this.deps.log(`enrolled as ${identity.terminalId} of store ${identity.storeId}`);
    return this.signerFor(credential);
  }

  /** Signs with the server's time as the till knows it, so a till whose clock is off is not refused. */
  private signerFor(credential: TerminalCredential): RequestSigner {
    const clock = this.deps.server.clock;
    return (parts) => signRequest(parts, credential.terminalId, credential.privateKeyPem, clock.now());
  }

  /** Pulls what HQ sends down, once a catalog interval (see sync-pulls.ts). */
  private async pullIfDue(signer: RequestSigner): Promise<void> {
    const now = this.deps.now().getTime();
    if (now - this.lastCatalogPull < (this.deps.catalogIntervalMs ?? 60_000)) return;
    await pullCatalogAndFeed(this.deps.server, this.deps.ledger, signer, this.deps.log);
    this.lastCatalogPull = now;
  }

  private async pushAll(signer: RequestSigner): Promise<void> {
    for (;;) {
      const batch = this.deps.ledger.outbox.nextBatch({
        maxEvents: MAX_BATCH_EVENTS,
        maxBytes: MAX_BATCH_BYTES,
      });
      if (batch.length === 0) return;
      const epoch = batch[0]!.epoch;
      const answer = await this.deps.server.pushBatch(signer, epoch, batch);
      this.deps.ledger.outbox.acknowledge(epoch, answer.ackedSeq, answer.ackedHash);
      // Progress: a failure after this batch starts its backoff from the beginning again.
      this.attempt = 0;
      this.publish();
    }
  }

  private publish(): void {
    this.recordServerContact();
    this.deps.onStatus(this.status());
  }

  /** Keeps the last answer (and the clock offset measured) in the ledger, so they survive a restart. */
  private recordServerContact(): void {
    const answered = this.deps.server.lastSignedAnswerAt;
    if (answered === null || answered === this.recordedAnswer) return;
    this.recordedAnswer = answered;
    this.lastSyncAt = new Date(answered).toISOString();
    try {
      this.deps.ledger.serverContact.record({
        at: this.lastSyncAt,
        clockOffsetMs: this.deps.server.clock.offsetMs,
      });
    } catch (error) {
      // Status only: a failure to keep it must never stop sync.
      this.deps.log(`cannot keep the last sync time: ${String(error)}`);
    }
  }
}
