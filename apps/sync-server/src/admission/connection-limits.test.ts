import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../test-support.js';
import { listeningApp } from '../testing/listening-app.js';

const listening = listeningApp();

/** A raw client from `localAddress` that sends `text` and reports what came back once the server closed it. */
async function client(
  localAddress: string,
  text: string,
): Promise<{ socket: Socket; closed: Promise<string> }> {
  const socket = listening.connect({ localAddress });
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk;
  });
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(text);
  return { socket, closed };
}

const slowEnrol = (length: number) =>
  `POST /v1/enrol HTTP/1.1\r\nHost: server\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n{`;

describe('connection limits', () => {
  it('closes unauthenticated requests whose body never finishes, with 408, once the request deadline passes', async () => {
    await listening.listen(
      { connections: { requestMs: 300, headersMs: 300, checkIntervalMs: 50 } },
      '0.0.0.0',
    );
    // 100 slow enrolment bodies, as in the attack: each sends its headers and one byte of a 1,000-byte body.
    const slow = await Promise.all(Array.from({ length: 100 }, () => client('127.0.0.3', slowEnrol(1000))));
    for (const answer of await Promise.all(slow.map((c) => c.closed))) {
      expect(answer).toMatch(/^HTTP\/1.1 408/);
    }
    expect(listening.built.connectionsFrom('127.0.0.3')).toBe(0);
  });

  it('closes a connection whose headers never finish', async () => {
    await listening.listen(
      { connections: { requestMs: 300, headersMs: 300, checkIntervalMs: 50 } },
      '0.0.0.0',
    );
    const slow = await client('127.0.0.3', 'GET /healthz HTTP/1.1\r\nHost: server\r\nX-Slow: ');
    expect(await slow.closed).toMatch(/^HTTP\/1.1 408/);
  });

  it('closes a connection on which nothing happens at all', async () => {
    await listening.listen({ connections: { idleMs: 200 } }, '0.0.0.0');
    const idle = await client('127.0.0.3', '');
    expect(await idle.closed).toBe('');
  });

  it('caps open connections per client address, leaving other addresses served', async () => {
    await listening.listen({ connections: { perAddress: 5 } }, '0.0.0.0');
    const held = await Promise.all(Array.from({ length: 5 }, () => client('127.0.0.4', '')));
    expect(held.every((c) => !c.socket.destroyed)).toBe(true);
    // The sixth from the same address is closed before anything is read from it.
    const sixth = await client('127.0.0.4', 'GET /healthz HTTP/1.1\r\nHost: server\r\n\r\n');
    expect(await sixth.closed).toBe('');
    expect(listening.built.connectionsFrom('127.0.0.4')).toBe(5);
    // Another address is answered as usual.
    const other = await client(
      '127.0.0.5',
      'GET /healthz HTTP/1.1\r\nHost: server\r\nConnection: close\r\n\r\n',
    );
    expect(await other.closed).toMatch(/^HTTP\/1.1 200/);
    // Once one of the five leaves, the address may connect again.
    const left = new Promise((resolve) => held[0]!.socket.once('close', resolve));
    held[0]!.socket.destroy();
    await left;
    await waitFor(() => listening.built.connectionsFrom('127.0.0.4') === 4, 'the connection counted closed');
    const again = await client(
      '127.0.0.4',
      'GET /healthz HTTP/1.1\r\nHost: server\r\nConnection: close\r\n\r\n',
    );
    expect(await again.closed).toMatch(/^HTTP\/1.1 200/);
  });
});
