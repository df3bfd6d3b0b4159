import type { ServerResponse } from 'node:http';
import type { HqStreamItem } from '@tillwright/protocol';
import type { ServerStore } from './store/store.js';

const PAGE = 500;

/**
 * Server-sent events for HQ. Each client reads from the store after its own offset whenever a commit is
 * announced, so delivery order is the store's commit order and a slow client never holds others back.
 * Clients resume with Last-Event-ID and dedupe by event id.
 */
export class HqStream {
  private readonly clients = new Set<StreamClient>();

  constructor(
    private readonly store: ServerStore,
    private readonly onError: (error: unknown) => void,
    private readonly heartbeatMs = 15_000,
  ) {}

  /** Called after a commit: wakes every client to read what is new. */
  announce(): void {
    for (const client of this.clients) client.wake();
  }

  attach(response: ServerResponse, orgId: string, afterOffset: number): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(': tillwright hq stream\n\n');
    const client = new StreamClient(
      this.store,
      response,
      orgId,
      afterOffset,
      this.heartbeatMs,
      this.onError,
      () => this.clients.delete(client),
    );
    this.clients.add(client);
    client.wake();
  }

  closeAll(): void {
    for (const client of this.clients) client.close();
  }

  get size(): number {
    return this.clients.size;
  }
}

class StreamClient {
  private reading = false;
  private again = false;
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: ServerStore,
    private readonly response: ServerResponse,
    private readonly orgId: string,
    private offset: number,
    heartbeatMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly onClose: () => void,
  ) {
    this.heartbeat = setInterval(() => response.write(': keep-alive\n\n'), heartbeatMs);
    response.on('close', () => this.close());
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
        items = await this.store.readStream(this.orgId, this.offset, PAGE);
      } catch (error) {
        // The client reconnects with Last-Event-ID and loses nothing; the failure is reported, not hidden.
        this.onError(error);
        this.close();
        return;
      }
      for (const item of items) {
        this.response.write(`id: ${item.offset}\nevent: journal\ndata: ${JSON.stringify(item)}\n\n`);
        this.offset = item.offset;
      }
      if (items.length < PAGE) return;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    // An event stream's connection is never reused: release the socket so shutdown never waits on it.
    this.response.end();
    this.response.socket?.destroy();
    this.onClose();
  }
}
