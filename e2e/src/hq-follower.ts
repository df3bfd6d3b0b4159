import { type HqStreamItem, SseParser } from '@tillwright/protocol';

/** Follows the HQ stream over a real HTTP connection and keeps every item it receives. */
export function followHqStream(serverUrl: string, token: string) {
  const items: HqStreamItem[] = [];
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(`${serverUrl}/v1/hq/stream`, {
      headers: { authorization: `Bearer ${token}` },
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
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return { items, stop: () => controller.abort(), done };
}
