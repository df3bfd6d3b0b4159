import type { ServerResponse } from 'node:http';
import type { HqStreamItem } from '@tillwright/protocol';
import { ApiError } from '../errors.js';
import type { ServerStore } from '../store/store.js';

const PAGE = 500;

export interface HqStreamLimits {
  /** Most streams one HQ session may hold open (default 4: a console with a few tabs). */
  perSession: number;
  /** Most streams open on the server (default 1,000). */
  total: number;
  /** Keep-alive comment every this many ms (default 15,000). */
  heartbeatMs: number;
}

export const DEFAULT_HQ_STREAM_LIMITS: HqStreamLimits = { perSession: 4, total: 1_000, heartbeatMs: 15_000 };

/** The session a stream was opened with: it ends when the session does. */
export interface StreamSession {
  /** The session's id (the hash of its token): revoking it ends its streams. */
  sessionId: string;
  staffId: string;
  orgId: string;
  expiresAt: string;
}

/**
 * Server-sent events for HQ. Each client reads from the store after its own offset whenever a commit is
 * announced, so delivery order is the store's commit order and a slow client never holds others back.
 * Clients resume with Last-Event-ID and dedupe by event id.
 *
 * Memory is bounded per client: a client reads one page at a time and writes the next item only while the socket
 * takes it (backpressure), so an unread stream holds at most a page and the socket's buffer, never the backlog.
 * Streams are capped per session and in total, and end when their session expires or is revoked.
 */
export class HqStream {
  private readonly clients = new Set<StreamClient>();
  private readonly limits: HqStreamLimits;

  constructor(
    private readonly store: ServerStore,
    private readonly onError: (error: unknown) => void,
    limits: Partial<HqStreamLimits> = {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.limits = { ...DEFAULT_HQ_STREAM_LIMITS, ...limits };
  }

  /** Called after a commit: wakes every client to read what is new. */
  announce(): void {
    for (const client of this.clients) client.wake();
  }

  /** Throws 429 when the session or the server already holds as many streams as allowed. Call before attach. */
  admit(session: StreamSession): void {
    if (this.clients.size >= this.limits.total) {
      throw new ApiError(
        429,
        'too_many_streams',
        'the server has as many HQ streams open as it allows; retry later',
        true,
        {
          retryAfter: 30,
        },
      );
    }
    const own = [...this.clients].filter((client) => client.session.sessionId === session.sessionId).length;
    if (own >= this.limits.perSession) {
      throw new ApiError(
        429,
        'too_many_streams',
        `this session already has ${this.limits.perSession} streams open; close one (or sign in again for another session)`,
        true,
        { retryAfter: 5 },
      );
    }
  }

  attach(response: ServerResponse, session: StreamSession, afterOffset: number): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(': tillwright hq stream\n\n');
    const lifetime = Math.max(0, Date.parse(session.expiresAt) - this.now().getTime());
    const client = new StreamClient(
      this.store,
      response,
      session,
      afterOffset,
      { heartbeatMs: this.limits.heartbeatMs, lifetimeMs: lifetime },
      this.onError,
      () => this.clients.delete(client),
    );
    this.clients.add(client);
    client.wake();
  }

  /** Ends the streams of one session (signed out or revoked). */
  closeSession(sessionId: string): void {
    for (const client of this.clients) if (client.session.sessionId === sessionId) client.close();
  }

  /** Ends every stream of one HQ user (password changed, sessions revoked). */
  closeStaff(staffId: string): void {
    for (const client of this.clients) if (client.session.staffId === staffId) client.close();
  }

  closeAll(): void {
    for (const client of this.clients) client.close();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Clients waiting for a socket that does not take more (their reader is slow or gone). */
  get blocked(): number {
    let count = 0;
    for (const client of this.clients) if (client.blocked) count += 1;
    return count;
  }

  /** Bytes written to the clients' sockets and not yet taken by the kernel: what unread streams cost in memory. */
  get bufferedBytes(): number {
    let sum = 0;
    for (const client of this.clients) sum += client.bufferedBytes;
    return sum;
  }
}

class StreamClient {
  private reading = false;
  private again = false;
  private closed = false;
  private waitingForDrain = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly expiry: NodeJS.Timeout;

  constructor(
    private readonly store: ServerStore,
    private readonly response: ServerResponse,
    readonly session: StreamSession,
    private offset: number,
    timing: { heartbeatMs: number; lifetimeMs: number },
    private readonly onError: (error: unknown) => void,
    private readonly onClose: () => void,
  ) {
    // A heartbeat is skipped while the socket takes nothing: it would only pile up behind the unread items.
    this.heartbeat = setInterval(() => {
      if (!this.waitingForDrain) response.write(': keep-alive\n\n');
    }, timing.heartbeatMs);
    // setTimeout holds at most about 24.8 days; a session never lasts that long.
    this.expiry = setTimeout(() => this.close(), Math.min(timing.lifetimeMs, 2 ** 31 - 1));
    response.on('close', () => this.close());
  }

  get blocked(): boolean {
    return this.waitingForDrain;
  }

  get bufferedBytes(): number {
    return this.response.writableLength;
  }

  wake(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    void this.drain().finally(() => {
      this.reading = false;
      if (this.again && !this.closed) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    while (!this.closed) {
      let items: HqStreamItem[];
      try {
        items = await this.store.readStream(this.session.orgId, this.offset, PAGE);
      } catch (error) {
        // The client reconnects with Last-Event-ID and loses nothing; the failure is reported, not hidden.
        this.onError(error);
        this.close();
        return;
      }
      for (const item of items) {
        if (this.closed) return;
        const taken = this.response.write(
          `id: ${item.offset}\nevent: journal\ndata: ${JSON.stringify(item)}\n\n`,
        );
        this.offset = item.offset;
        if (!taken) await this.socketDrained();
      }
      if (items.length < PAGE) return;
    }
  }

  /** Resolves when the socket takes more again, or when the stream closes. */
  private socketDrained(): Promise<void> {
    this.waitingForDrain = true;
    return new Promise<void>((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        this.waitingForDrain = false;
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.expiry);
    // An event stream's connection is never reused: release the socket so shutdown never waits on it.
    this.response.end();
    this.response.socket?.destroy();
    this.onClose();
  }
}
