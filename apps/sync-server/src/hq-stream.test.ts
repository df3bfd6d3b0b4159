import { type HqStreamItem, SseParser } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saleChain, startTestServer } from './test-support.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let baseUrl: string;

beforeEach(async () => {
  server = await startTestServer();
  baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(() => server.close());

/** Follows the stream over a real socket until `count` items arrived. */
async function follow(count: number, headers: Record<string, string> = {}): Promise<HqStreamItem[]> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/v1/hq/stream`, {
    headers: { authorization: `Bearer ${await server.hqToken()}`, ...headers },
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const parser = new SseParser();
  const items: HqStreamItem[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) {
    for (const frame of parser.push(decoder.decode(chunk, { stream: true }))) {
      const item = JSON.parse(frame.data) as HqStreamItem;
      expect(frame.id).toBe(String(item.offset));
      items.push(item);
    }
    if (items.length >= count) break;
  }
  controller.abort();
  return items.slice(0, count);
}

describe('HQ stream', () => {
  it('delivers committed events live, in offset order, once each', async () => {
    const terminal = await server.enrol(server.codes[0]!);
    const events = saleChain(terminal, 5);
    const received = follow(5);
    for (const event of events) {
      await server.push(terminal, [event]);
    }
    const items = await received;
    expect(items.map((item) => item.event.eventId)).toEqual(events.map((e) => e.eventId));
    expect(items.map((item) => item.offset)).toEqual(
      [...items.map((item) => item.offset)].sort((a, b) => a - b),
    );
  });

  it('resumes after Last-Event-ID without repeating what was seen', async () => {
    const terminal = await server.enrol(server.codes[0]!);
    const events = saleChain(terminal, 4);
    await server.push(terminal, events);
    const firstTwo = await follow(2);
    const rest = await follow(2, { 'last-event-id': String(firstTwo[1]!.offset) });
    expect([...firstTwo, ...rest].map((item) => item.event.seq)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a consumer without an HQ credential', async () => {
    const response = await fetch(`${baseUrl}/v1/hq/stream`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });
});
