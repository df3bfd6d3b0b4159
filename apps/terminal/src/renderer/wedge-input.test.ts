import { describe, expect, it } from 'vitest';
import { WedgeInput, type WedgeInputOptions } from './wedge-input.js';

/** A fake clock with timers, advanced by hand; a field is a string buffer named by the test. */
function harness(options: WedgeInputOptions = {}, timerSkewMs = 0) {
  let now = 0;
  let timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  const scans: string[] = [];
  const fields: Record<string, string> = { sku: '', cash: '' };
  const log: string[] = [];
  const input = new WedgeInput<string>(
    {
      onScan: (text) => {
        scans.push(text);
        log.push(`scan:${text}`);
      },
      replay: (field, char) => {
        fields[field] = (fields[field] ?? '') + char;
        log.push(`${field}+${char}`);
      },
      now: () => now,
      schedule(delayMs, callback) {
        // Only the first timer fires early (a skewed clock); a late one would be no test at all.
        const timer = {
          at: now + delayMs - (timers.length === 0 ? timerSkewMs : 0),
          callback,
          cancelled: false,
        };
        timers.push(timer);
        return () => {
          timer.cancelled = true;
        };
      },
    },
    options,
  );
  /** Move the clock to `to`, firing due timers in order. */
  const advance = (to: number) => {
    for (let fired = 0; ; fired++) {
      if (fired > 1000) throw new Error('timers keep firing: the controller re-arms without progress');
      const due = timers.filter((t) => !t.cancelled && t.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      now = due.at;
      due.cancelled = true;
      due.callback();
    }
    now = to;
    timers = timers.filter((t) => !t.cancelled);
  };
  /** Press `key` at time `at` aimed at `field` (null: no text field); returns whether it was swallowed. */
  const press = (
    key: string,
    at: number,
    field: string | null = 'sku',
    extra: { ctrlKey?: boolean } = {},
  ) => {
    advance(at);
    const swallowed = input.keydown({ key, at, target: field, ...extra });
    // What the browser would do with a key that was not swallowed: type it into the field.
    if (!swallowed && field && key.length === 1 && !extra.ctrlKey) {
      fields[field] = (fields[field] ?? '') + key;
      log.push(`${field}<${key}`);
    }
    if (!swallowed && key.length > 1) log.push(`<${key}>`);
    return swallowed;
  };
  /** Type `text` starting at `start` with a constant gap; returns which keys were swallowed. */
  const type = (text: string, start: number, gap: number, field: string | null = 'sku') =>
    [...text].map((key, i) => press(key, start + i * gap, field));
  const live = () => timers.filter((t) => !t.cancelled).length;
  return { input, press, type, advance, scans, fields, log, live };
}

describe('wedge input: hold, replay, scan', () => {
  it('a scanner burst (5 ms gaps) ended by Enter is one scan: nothing reaches the field, the Enter is swallowed', () => {
    const h = harness();
    const swallowed = h.type('4006381333931', 1000, 5);
    expect(swallowed.every(Boolean)).toBe(true);
    expect(h.input.holding).toBe(true);
    expect(h.press('Enter', 1000 + 13 * 5)).toBe(true);
    expect(h.scans).toEqual(['4006381333931']);
    expect(h.fields.sku).toBe('');
    expect(h.input.holding).toBe(false);
    h.advance(5000);
    expect(h.log).toEqual(['scan:4006381333931']);
    expect(h.live()).toBe(0);
  });

  it('a person typing (150 ms gaps) gets every character into the field, in order, each at most 41 ms late', () => {
    const h = harness();
    const swallowed = h.type('4006381', 0, 150);
    // Each key is held while it might still start a scan…
    expect(swallowed.every(Boolean)).toBe(true);
    // …and released by the timer 41 ms after it, before the next key arrives.
    h.advance(6 * 150 + 40);
    expect(h.fields.sku).toBe('400638');
    h.advance(6 * 150 + 41);
    expect(h.fields.sku).toBe('4006381');
    expect(h.press('Enter', 6 * 150 + 150)).toBe(false);
    expect(h.scans).toEqual([]);
    expect(h.log).toEqual(['sku+4', 'sku+0', 'sku+0', 'sku+6', 'sku+3', 'sku+8', 'sku+1', '<Enter>']);
    expect(h.live()).toBe(0);
  });

  it('a fast but short burst ended by Enter is typing: the characters are replayed before the Enter goes through', () => {
    const h = harness();
    h.type('12345', 0, 10);
    expect(h.press('Enter', 50)).toBe(false);
    expect(h.log).toEqual(['sku+1', 'sku+2', 'sku+3', 'sku+4', 'sku+5', '<Enter>']);
    expect(h.scans).toEqual([]);
  });

  it('a fast burst that stops without a suffix is typing once the silence passes', () => {
    const h = harness();
    h.type('4006381333931', 0, 5);
    expect(h.fields.sku).toBe('');
    h.advance(12 * 5 + 41);
    expect(h.fields.sku).toBe('4006381333931');
    expect(h.scans).toEqual([]);
  });

  it('a burst that slows down part way is released as typing, and the rest is judged on its own', () => {
    const h = harness();
    h.type('400', 0, 5); // fast…
    h.press('6', 100); // …then a pause: the first three are typing (the timer already released them)
    expect(h.fields.sku).toBe('400');
    h.type('381333931', 105, 5);
    h.press('Enter', 105 + 9 * 5);
    // '6381333931' is ten fast keys and an Enter: long enough for a scan by timing.
    expect(h.scans).toEqual(['6381333931']);
    expect(h.fields.sku).toBe('400');
  });

  it('a non-character key (Backspace) ends a burst as typing: held keys first, then the key itself', () => {
    const h = harness();
    h.type('ab', 0, 5);
    expect(h.press('Backspace', 12)).toBe(false);
    expect(h.log).toEqual(['sku+a', 'sku+b', '<Backspace>']);
    expect(h.input.holding).toBe(false);
  });

  it('Ctrl shortcuts pass straight through and release what was held', () => {
    const h = harness();
    h.press('x', 0);
    expect(h.press('v', 10, 'sku', { ctrlKey: true })).toBe(false);
    expect(h.log).toEqual(['sku+x']);
  });

  it('keys aimed at no text field are not held, but a scan there is still read and its Enter swallowed', () => {
    const h = harness();
    const swallowed = h.type('5901234123457', 0, 5, null);
    expect(swallowed.some(Boolean)).toBe(false);
    expect(h.press('Enter', 65, null)).toBe(true);
    expect(h.scans).toEqual(['5901234123457']);
    expect(h.log).toEqual(['scan:5901234123457']);
  });

  it('held keys go back to the field they were aimed at, even if the next key is aimed elsewhere', () => {
    const h = harness();
    h.press('1', 0, 'cash');
    h.press('2', 10, 'cash');
    h.press('3', 200, 'sku');
    h.advance(1000);
    expect(h.fields).toEqual({ cash: '12', sku: '3' });
  });

  it('with a prefix, a slow scanner (60 ms gaps) is still a scan and the prefix is dropped', () => {
    const h = harness({ prefix: '§' });
    h.type('§96385074', 0, 60);
    h.press('Enter', 9 * 60);
    expect(h.scans).toEqual(['96385074']);
    expect(h.fields.sku).toBe('');
  });

  it('requirePrefix: a fast burst without the prefix is typing, replayed with the Enter after it', () => {
    const h = harness({ prefix: '§', requirePrefix: true });
    h.type('4006381333931', 0, 5);
    expect(h.press('Enter', 65)).toBe(false);
    expect(h.scans).toEqual([]);
    expect(h.fields.sku).toBe('4006381333931');
    expect(h.log.at(-1)).toBe('<Enter>');
  });

  it('a Tab suffix ends a scan too; a custom suffix list can leave Tab out', () => {
    const tab = harness();
    tab.type('4006381333931', 0, 5);
    expect(tab.press('Tab', 65)).toBe(true);
    expect(tab.scans).toEqual(['4006381333931']);
    const enterOnly = harness({ suffixKeys: ['Enter'] });
    enterOnly.type('4006381333931', 0, 5);
    expect(enterOnly.press('Tab', 65)).toBe(false);
    expect(enterOnly.scans).toEqual([]);
    expect(enterOnly.fields.sku).toBe('4006381333931');
  });

  it('auto-repeat and Alt combinations are a person: they pass through and release what was held', () => {
    const h = harness();
    h.press('a', 0);
    expect(h.input.keydown({ key: 'a', at: 5, repeat: true, target: 'sku' })).toBe(false);
    expect(h.log).toEqual(['sku+a']);
    h.press('b', 10);
    expect(h.input.keydown({ key: 'f', at: 15, altKey: true, target: 'sku' })).toBe(false);
    expect(h.log).toEqual(['sku+a', 'sku+b']);
  });

  it('AltGr characters (e.g. @ on a German layout) are characters, held like any other', () => {
    const h = harness();
    expect(
      h.input.keydown({ key: '@', at: 0, ctrlKey: true, altKey: true, altGraph: true, target: 'sku' }),
    ).toBe(true);
    h.advance(100);
    expect(h.fields.sku).toBe('@');
  });

  it('release() hands everything held back to the fields at once', () => {
    const h = harness();
    h.type('400638', 0, 5);
    h.input.release();
    expect(h.fields.sku).toBe('400638');
    expect(h.input.holding).toBe(false);
    expect(h.live()).toBe(0);
  });

  it('a key inside the silence window re-arms the timer', () => {
    const h = harness();
    h.press('4', 0);
    // The timer is set for 41 ms; a key at 30 ms (the timer has not fired) keeps the burst going.
    h.press('0', 30);
    h.advance(60);
    expect(h.fields.sku).toBe('');
    h.advance(72);
    expect(h.fields.sku).toBe('40');
  });

  it('a scan handled late on a starved page (keys queued, stamped 5 ms apart, handled 1 ms apart) is still a scan', () => {
    const h = harness();
    // The page was busy: the scanner's keys were stamped at 1000, 1005, … but reach the handler from 1300 on, one
    // every millisecond. The silence that ends a burst is measured from when keys are handled, so the timer armed
    // by one key must not settle the burst before the next queued key is handled.
    const barcode = '4006381333931';
    for (const [i, key] of [...barcode].entries()) {
      h.advance(1300 + i);
      expect(h.input.keydown({ key, at: 1000 + i * 5, target: 'sku' })).toBe(true);
    }
    h.advance(1300 + barcode.length);
    expect(h.input.keydown({ key: 'Enter', at: 1000 + barcode.length * 5, target: 'sku' })).toBe(true);
    expect(h.scans).toEqual([barcode]);
    expect(h.fields.sku).toBe('');
  });

  it('typing handled late is still released 41 ms after its last key was handled', () => {
    const h = harness();
    h.advance(1300);
    expect(h.input.keydown({ key: '7', at: 1000, target: 'cash' })).toBe(true);
    h.advance(1340);
    expect(h.fields.cash).toBe('');
    h.advance(1342);
    expect(h.fields.cash).toBe('7');
    expect(h.live()).toBe(0);
  });

  it('a timer that fires early releases nothing yet and is set again', () => {
    const h = harness({}, 10);
    h.press('4', 0);
    h.advance(35); // the timer (due at 41) fired at 31: too soon to call it silence
    expect(h.fields.sku).toBe('');
    expect(h.live()).toBe(1);
    h.advance(100);
    expect(h.fields.sku).toBe('4');
    expect(h.live()).toBe(0);
  });
});
