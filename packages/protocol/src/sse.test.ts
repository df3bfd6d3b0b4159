import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.js';

const stream =
  ': hello\n\nid: 1\nevent: journal\ndata: {"a":1}\n\n: keep-alive\n\nid: 2\nevent: journal\ndata: x\ndata: y\n\n';

describe('SSE parser', () => {
  it('yields frames with id, event and data, dropping comments', () => {
    expect(new SseParser().push(stream)).toEqual([
      { id: '1', event: 'journal', data: '{"a":1}' },
      { id: '2', event: 'journal', data: 'x\ny' },
    ]);
  });

  it('gives the same frames however the text is split', () => {
    const whole = new SseParser().push(stream);
    for (let cut = 0; cut <= stream.length; cut++) {
      const parser = new SseParser();
      expect([...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))]).toEqual(whole);
    }
  });
});
