import type { Ledger } from '@tillwright/ledger';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS } from '@tillwright/protocol';
import { generateTerminalKeyPair, signRequest } from '@tillwright/protocol/signing';
import type { SyncStatusView } from '../contract/methods.js';
import { fullJitterDelay } from './backoff.js';
import type { CredentialFile, TerminalCredential } from './credentials.js';
import { type RequestSigner, type ServerClient, ServerFailure } from './server-client.js';

export interface SyncClientDeps {
  ledger: Ledger;
  server: ServerClient;
  credentials: CredentialFile;
  enrolment: { code: string | null; terminalName: string };
  now: () => Date;
  random: () => number;
  idleIntervalMs?: number;
  catalogIntervalMs?: number;
  onStatus: (status: SyncStatusView) => void;
  log: (message: string) => void;
}

/**
 * Moves the journal to the server and the catalog to the terminal. One batch in flight; transient failures are
 * retried forever with full-jitter backoff; selling never waits for any of it.
 */
export class SyncClient {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  private attempt = 0;
  private lastCatalogPull = 0;
  private state: SyncStatusView['state'] = 'not-enrolled';
  private lastSyncAt: string | null = null;
  private lastError: string | null = null;

  constructor(private readonly deps: SyncClientDeps) {
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
    if (this.wake) this.wake();
    else this.kicked = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  status(): SyncStatusView {
    const outbox = this.deps.ledger.outbox.state();
    return {
      state: this.state,
      pending: outbox?.pending ?? 0,
      oldestPendingAt: outbox?.oldestPendingAt ?? null,
      lastSyncAt: this.lastSyncAt,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delay = this.deps.idleIntervalMs ?? 5_000;
      try {
        const signer = await this.ensureEnrolled();
        if (signer) {
          await this.pullCatalogIfDue(signer);
          await this.pushAll(signer);
          this.attempt = 0;
          this.state = 'online';
          this.lastSyncAt = this.deps.now().toISOString();
          this.lastError = null;
        }
      } catch (error) {
        delay = this.onFailure(error);
      }
      this.publish();
      if (this.running) await this.sleep(delay);
    }
  }

  private onFailure(error: unknown): number {
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
      const backoff = fullJitterDelay(this.attempt++, this.deps.random);
      return Math.max(backoff, failure.retryAfterMs ?? 0);
    }
    // Conflicts and permanent refusals need a person; keep selling and retry slowly (issue #6 adds alerts).
    this.state = 'degraded';
    return 60_000;
  }

  private async ensureEnrolled(): Promise<RequestSigner | null> {
    const existing = this.deps.credentials.read();
    if (existing) return signerFor(existing);
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
    return signerFor(credential);
  }

  private async pullCatalogIfDue(signer: RequestSigner): Promise<void> {
    const now = this.deps.now().getTime();
    if (now - this.lastCatalogPull < (this.deps.catalogIntervalMs ?? 60_000)) return;
    for (;;) {
      const page = await this.deps.server.pullCatalog(signer, this.deps.ledger.catalog.cursor());
      if (page.products.length > 0) this.deps.ledger.catalog.applyBatch(page.products, page.version);
      if (!page.hasMore) break;
    }
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
      this.publish();
    }
  }

  private publish(): void {
    this.deps.onStatus(this.status());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.kicked || !this.running) {
        this.kicked = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

function signerFor(credential: TerminalCredential): RequestSigner {
  return (parts) => signRequest(parts, credential.terminalId, credential.privateKeyPem);
}
