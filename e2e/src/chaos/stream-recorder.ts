import { type HqStreamItem, SseParser } from '@tillwright/protocol';

/**
 * Follows the HQ stream like a durable consumer: when the connection breaks (the server was killed) it reconnects
 * with Last-Event-ID set to the last offset it received. Every delivery is kept, so a consumer-visible duplicate
 * (the same event at two offsets, or an offset delivered twice) shows up in the accounting.
 */
export function recordHqStream(serverUrl: string, token: string) {
  const items: HqStreamItem[] = [];
  let reconnects = 0;
  let stopped = false;
  let controller = new AbortController();
  const done = (async () => {
    while (!stopped) {
      try {
        const lastOffset = items.at(-1)?.offset;
        const response = await fetch(`${serverUrl}/v1/hq/stream`, {
          headers: {
            authorization: `Bearer ${token}`,
            ...(lastOffset === undefined ? {} : { 'last-event-id': String(lastOffset) }),
          },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`HQ stream refused: ${response.status}`);
        const parser = new SseParser();
        const decoder = new TextDecoder();
        for await (const chunk of response.body) {
          for (const frame of parser.push(decoder.decode(chunk, { stream: true }))) {
            items.push(JSON.parse(frame.data) as HqStreamItem);
          }
        }
      } catch {
        // The server is down or restarting: try again shortly, from the last offset seen.
      }
      if (stopped) break;
      reconnects += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    items,
    reconnects: () => reconnects,
    stop: async () => {
      stopped = true;
      controller.abort();
      await done;
      controller = new AbortController();
    },
  };
}
