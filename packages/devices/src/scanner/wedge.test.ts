import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyKeySequence, WedgeClassifier, type WedgeKeyEvent, type WedgeVerdict } from './wedge.js';

/** Key events for `text` starting at `start`, with the given gaps (one number = constant gap). */
function keys(text: string, start: number, gaps: number | number[], suffix?: string): WedgeKeyEvent[] {
  const chars = [...text];
  const events: WedgeKeyEvent[] = [];
  let at = start;
  chars.forEach((key, i) => {
    if (i > 0) at += Array.isArray(gaps) ? (gaps[i - 1] ?? 0) : gaps;
    events.push({ key, at });
  });
  if (suffix) events.push({ key: suffix, at: at + (Array.isArray(gaps) ? (gaps.at(-1) ?? 0) : gaps) });
  return events;
}

const summary = (verdicts: WedgeVerdict[]) =>
  verdicts.map((v) =>
    v.kind === 'scan'
      ? `scan:${v.text}`
      : `typing:${v.events.map((e) => (e.key.length === 1 ? e.key : `<${e.key}>`)).join('')}`,
  );

describe('keyboard-wedge classifier', () => {
  it('a scanner burst (8 ms gaps) ended by Enter is a scan', () => {
    expect(summary(classifyKeySequence(keys('4006381333931', 1000, 8, 'Enter')))).toEqual([
      'scan:4006381333931',
    ]);
  });

  it('human typing (90–260 ms gaps) is typing, every key handed back in order', () => {
    const typed = keys('4006381', 0, [120, 95, 260, 180, 90, 140], 'Enter');
    const verdicts = classifyKeySequence(typed);
    expect(verdicts.every((v) => v.kind === 'typing')).toBe(true);
    expect(verdicts.flatMap((v) => v.events)).toEqual(typed);
  });

  it('a fast typist: a short burst under minLength, and a 30–60 ms run, stay typing', () => {
    expect(summary(classifyKeySequence(keys('12345', 0, 25, 'Enter')))).toEqual(['typing:12345<Enter>']);
    const fast = keys('password1', 0, [31, 28, 45, 33, 52, 30, 38, 61], 'Enter');
    expect(classifyKeySequence(fast).every((v) => v.kind === 'typing')).toBe(true);
  });

  it('a slow scanner (60 ms gaps) is typing by timing alone, but a scan when it sends its prefix', () => {
    const slow = keys('96385074', 0, 60, 'Enter');
    expect(classifyKeySequence(slow).every((v) => v.kind === 'typing')).toBe(true);
    const prefixed = keys('§96385074', 0, 60, 'Enter');
    expect(summary(classifyKeySequence(prefixed, { prefix: '§' }))).toEqual(['scan:96385074']);
    const aim = keys(']E496385074', 0, 60, 'Enter');
    expect(summary(classifyKeySequence(aim, { prefix: ']E', keepPrefix: true }))).toEqual([
      'scan:]E496385074',
    ]);
  });

  it('requirePrefix: a fast burst without the prefix is typing', () => {
    expect(
      summary(
        classifyKeySequence(keys('4006381333931', 0, 5, 'Enter'), { prefix: '§', requirePrefix: true }),
      ),
    ).toEqual(['typing:4006381333931<Enter>']);
  });

  it('separates typing that precedes a scan, and maps Ctrl+] to GS', () => {
    const events = [
      ...keys('ab', 0, 200),
      ...keys('0109501101530003', 1000, 6),
      { key: ']', at: 1096, ctrlKey: true },
      ...keys('10ABC', 1102, 6, 'Tab'),
    ];
    expect(summary(classifyKeySequence(events))).toEqual([
      'typing:a',
      'typing:b',
      'scan:0109501101530003\x1d10ABC',
    ]);
  });

  it('streams: holds keys, then flush() after the silence releases typing or (without suffix) a scan', () => {
    const classifier = new WedgeClassifier({ requireSuffix: false });
    for (const event of keys('96385074', 0, 10)) expect(classifier.push(event)).toEqual([]);
    expect(classifier.holding).toBe(true);
    expect(classifier.nextFlushAt()).toBe(111);
    expect(classifier.flush(100)).toEqual([]);
    expect(summary(classifier.flush(111))).toEqual(['scan:96385074']);
    expect(classifier.holding).toBe(false);
    classifier.push({ key: 'x', at: 500 });
    expect(summary(classifier.flush(600))).toEqual(['typing:x']);
  });

  it('modifier keys are ignored and other named keys end a burst as typing', () => {
    const events: WedgeKeyEvent[] = [
      { key: 'Shift', at: 0 },
      ...keys('AB', 1, 5),
      { key: 'Backspace', at: 10 },
    ];
    expect(summary(classifyKeySequence(events))).toEqual(['typing:AB<Backspace>']);
  });

  it('imports nothing, so the renderer can use it', () => {
    const source = readFileSync(new URL('./wedge.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*import\s/m);
  });
});
