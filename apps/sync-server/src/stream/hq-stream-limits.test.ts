import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { newSecret, sha256Hex } from '../auth/auth.js';
import { ADMIN_PASSWORD, FIXED_NOW, saleChain, waitFor } from '../test-support.js';
import { listeningApp } from '../testing/listening-app.js';

const listening = listeningApp();

/** A new session of the demo admin, valid for `validMs` from the test clock. */
async function session(validMs = 3600_000): Promise<string> {
  const token = newSecret();
  await listening.server.store.createSession(
    sha256Hex(token),
    'demo-admin',
    new Date(FIXED_NOW.getTime() + validMs).toISOString(),
  );
  return token;
}

/**
 * A stream client that sends its request and then never reads: the socket is paused, so the server's writes pile up
 * wherever the server lets them. `status` resolves with the first line of the answer, `closed` when the server ends
 * the connection.
 */
async function unreadStream(token: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = listening.connect();
  await new Promise((resolve) => socket.once('connect', resolve));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  socket.write(`GET /v1/hq/stream HTTP/1.1\r\nHost: server\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  socket.pause();
  return { socket, closed };
}

/** A stream client that reads: resolves with the status line, and `closed` when the server ends the stream. */
async function readStream(token: string): Promise<{ status: string; closed: Promise<void> }> {
  const socket = listening.connect();
  await new Promise((resolve) => socket.once('connect', resolve));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const status = new Promise<string>((resolve) =>
    socket.once('data', (chunk) => resolve(String(chunk).split('\r\n')[0]!)),
  );
  socket.write(`GET /v1/hq/stream HTTP/1.1\r\nHost: server\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  return { status: await status, closed };
}

describe('HQ stream memory', () => {
  it('keeps what unread streams hold bounded by backpressure, not by the backlog', async () => {
    // A backlog of 6,000 sales (about 9 MB as stream frames) from 20 tills.
    for (let t = 0; t < 20; t++) {
      const terminal = await listening.server.enrolDirect();
      const chain = saleChain(terminal, 300);
      for (let i = 0; i < chain.length; i += 100) {
        await listening.server.store.ingest(
          terminal,
          { epoch: terminal.epoch, events: chain.slice(i, i + 100) },
          FIXED_NOW.toISOString(),
        );
      }
    }
    await listening.listen({ hqStreams: { perSession: 100 } });
    const streams = 30;
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < streams; i++) await unreadStream(await session());
    // Every stream is attached and has stopped at its socket: nothing more is written until the reader reads.
    await waitFor(
      () => listening.built.stream.size === streams && listening.built.stream.blocked === streams,
      'every stream to block',
    );
    const buffered = listening.built.stream.bufferedBytes;
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    // One frame over the socket's 16 KB mark at most per stream, where the whole backlog would be 9 MB each.
    expect(buffered).toBeLessThan(streams * 64 * 1024);
    expect(rssGrowth).toBeLessThan(64 * 1024 * 1024);
    console.log(
      `unread streams: ${streams}, buffered ${Math.round(buffered / 1024)} KiB in all, RSS grew ${Math.round(rssGrowth / 1024 / 1024)} MiB`,
    );
  });
});

describe('HQ stream caps and lifetime', () => {
  it('caps streams per session and in total with a clear 429', async () => {
    await listening.listen({ hqStreams: { perSession: 2, total: 3 } });
    const first = await session();
    expect((await readStream(first)).status).toBe('HTTP/1.1 200 OK');
    expect((await readStream(first)).status).toBe('HTTP/1.1 200 OK');
    expect((await readStream(first)).status).toBe('HTTP/1.1 429 Too Many Requests');
    const second = await session();
    expect((await readStream(second)).status).toBe('HTTP/1.1 200 OK');
    expect((await readStream(second)).status).toBe('HTTP/1.1 429 Too Many Requests');
    expect(listening.built.stream.size).toBe(3);
  });

  it('ends a stream when its session expires', async () => {
    await listening.listen({});
    const stream = await readStream(await session(300));
    expect(stream.status).toBe('HTTP/1.1 200 OK');
    await stream.closed;
    expect(listening.built.stream.size).toBe(0);
  });

  it('ends the streams of a session signed out, and of a user whose sessions are revoked, leaving others open', async () => {
    await listening.listen({});
    const signIn = await listening.built.app.inject({
      method: 'POST',
      url: '/v1/hq/sessions',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const token = signIn.json().token as string;
    const signedOut = await readStream(token);
    const other = await session();
    const otherStream = await readStream(other);
    await listening.built.app.inject({
      method: 'DELETE',
      url: '/v1/hq/sessions/current',
      headers: { authorization: `Bearer ${token}` },
    });
    await signedOut.closed;
    expect(listening.built.stream.size).toBe(1);
    await listening.built.app.inject({
      method: 'DELETE',
      url: '/v1/hq/staff/demo-admin/sessions',
      headers: { authorization: `Bearer ${other}` },
    });
    await otherStream.closed;
    expect(listening.built.stream.size).toBe(0);
  });

  it('ends a stream whose session was signed out while the stream was being opened', async () => {
    await listening.listen({});
    const token = await session();
    const read = listening.server.store.sessionByTokenHash.bind(listening.server.store);
    let signedOutMeanwhile = false;
    listening.server.store.sessionByTokenHash = async (...args) => {
      const found = await read(...args);
      if (!signedOutMeanwhile) {
        // The session checks out, and is signed out at once, before the stream is attached.
        signedOutMeanwhile = true;
        await listening.server.store.deleteSession(args[0]);
      }
      return found;
    };
    const stream = await readStream(token);
    expect(stream.status).toBe('HTTP/1.1 200 OK');
    await stream.closed;
    expect(listening.built.stream.size).toBe(0);
  });
});
