import {
  CatalogPullResponse,
  EnrolResponse,
  ErrorEnvelope,
  type JournalEvent,
  type NewEpochRequest,
  ProtocolVersions,
  PushBatchResponse,
  TerminalSyncState,
  TolerantFeedPage,
} from '@tillwright/protocol';
import type { SignedRequestParts } from '@tillwright/protocol/signing';
import type { z } from 'zod';
import { ServerClock } from './server-clock.js';

/** Produces the Authorization header for one request: the terminal's signature over it. */
export type RequestSigner = (parts: SignedRequestParts) => string;

export type ServerFailureKind = 'transient' | 'permanent' | 'conflict';

/** A failed exchange with the sync server, classed so each class has one handling. */
export class ServerFailure extends Error {
  override readonly name = 'ServerFailure';
  constructor(
    readonly kind: ServerFailureKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export interface ServerClientOptions {
  /** Longest a request may take (default 15 s). */
  timeoutMs?: number;
  /** The server's clock as this till sees it; every answer's Date header keeps it right (default: a fresh one). */
  clock?: ServerClock;
}

/**
 * The terminal's HTTP client for the sync server; every answer is validated before it is used. Every answer also
 * tells it the server's time (see ServerClock), and it remembers when a signed request was last answered: that is
 * when the till last synced, whatever else it tried since.
 */
export class ServerClient {
  readonly clock: ServerClock;
  private readonly timeoutMs: number;
  private lastAnswer: number | null = null;

  constructor(
    private readonly baseUrl: string,
    options: ServerClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.clock = options.clock ?? new ServerClock();
  }

  /** The till's time when the server last answered a signed request with success; null if not since start. */
  get lastSignedAnswerAt(): number | null {
    return this.lastAnswer;
  }

  enrol(code: string, terminalName: string, publicKey: string): Promise<EnrolResponse> {
    return this.request('POST', '/v1/enrol', null, { code, terminalName, publicKey }, EnrolResponse);
  }

  pushBatch(signer: RequestSigner, epoch: number, events: JournalEvent[]) {
    return this.request('POST', '/v1/journal/batches', signer, { epoch, events }, PushBatchResponse);
  }

  /** Catalog product schema 2: how each product is sold (measure, open price, minimum age; issue #17). */
  pullCatalog(signer: RequestSigner, after: number) {
    return this.request(
      'GET',
      `/v1/catalog?after=${after}&productSchema=2`,
      signer,
      undefined,
      CatalogPullResponse,
    );
  }

  /** A feed page with each item unread: the till reads them one by one and skips what it does not know. */
  pullFeed(signer: RequestSigner, after: number) {
    return this.request('GET', `/v1/feed?after=${after}`, signer, undefined, TolerantFeedPage);
  }

  /** What the server accepts and serves; null from a server that does not say (it accepts version 1 of all). */
  async versions(signer: RequestSigner): Promise<ProtocolVersions | null> {
    try {
      return await this.request('GET', '/v1/terminal/versions', signer, undefined, ProtocolVersions);
    } catch (error) {
      if (error instanceof ServerFailure && (error.code === 'not_found' || error.code === 'http_404'))
        return null;
      throw error;
    }
  }

  syncState(signer: RequestSigner) {
    return this.request('GET', '/v1/terminal/state', signer, undefined, TerminalSyncState);
  }

  startEpoch(signer: RequestSigner, request: NewEpochRequest) {
    return this.request('POST', '/v1/terminal/epochs', signer, request, TerminalSyncState);
  }

  /** Whether the server answers at all (its liveness route), within a short timeout. Never throws. */
  async reachable(): Promise<boolean> {
    try {
      const sentAt = this.clock.local();
      const response = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      this.clock.observeDateHeader(response.headers.get('date'), sentAt, this.clock.local());
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  private async request<T extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    signer: RequestSigner | null,
    body: unknown,
    schema: T,
  ): Promise<z.infer<T>> {
    let response: Response;
    const text = body === undefined ? '' : JSON.stringify(body);
    const sentAt = this.clock.local();
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(signer ? { authorization: signer({ method, pathWithQuery: path, body: text }) } : {}),
        },
        body: body === undefined ? null : text,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
      throw new ServerFailure('transient', 'unreachable', `the sync server cannot be reached (${reason})`);
    }
    const receivedAt = this.clock.local();
    this.clock.observeDateHeader(response.headers.get('date'), sentAt, receivedAt);
    const answer = await response.text().catch(() => '');
    const json = safeJson(answer);
    if (response.ok) {
      const parsed = schema.safeParse(json);
      if (parsed.success) {
        if (signer) this.lastAnswer = receivedAt;
        return parsed.data;
      }
      throw new ServerFailure(
        'transient',
        'bad_answer',
        `the sync server answered ${path} with an unexpected body`,
      );
    }
    const envelope = ErrorEnvelope.safeParse(json);
    // A refusal for the clock carries the server's time to the millisecond: the next request is signed right.
    if (envelope.success && envelope.data.error.code === 'clock_skew')
      this.clock.observeServerTime(envelope.data.error.details?.serverTime, sentAt, receivedAt);
    const error = envelope.success
      ? envelope.data.error
      : { code: `http_${response.status}`, message: answer.slice(0, 200), retryable: response.status >= 500 };
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ServerFailure(
      classify(response.status, error.retryable),
      error.code,
      error.message,
      error.details ?? {},
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
    );
  }
}

function classify(status: number, retryable: boolean): ServerFailureKind {
  if (status === 409) return 'conflict';
  if (status === 429 || status >= 500 || retryable) return 'transient';
  return 'permanent';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
