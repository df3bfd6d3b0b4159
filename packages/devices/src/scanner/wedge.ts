/**
 * Keyboard-wedge classifier: tells a scanner's keystrokes from a person's typing, so the renderer can keep a
 * scan out of the focused text field (research §1.3). Pure and dependency-free on purpose (no Node modules,
 * no DOM types): the renderer feeds it key events with timestamps (e.g. from Electron `before-input-event` and
 * `performance.now()`) and gets verdicts back.
 *
 * Rules, deterministic first:
 * 1. If a `prefix` is configured and the keys spell it, everything up to the suffix key is a scan, however slow
 *    the scanner is (per-key limit `prefixedKeyTimeoutMs`).
 * 2. Otherwise timing decides: a burst whose every gap is ≤ `maxInterKeyMs`, at least `minLength` characters long
 *    and ended by a suffix key (Enter/Tab; or, with `requireSuffix: false`, by `maxInterKeyMs` of silence) is a
 *    scan. Anything else is typing and is handed back in order for the field.
 * Measured scanner gaps are 1–20 ms, people 80–300 ms (research §1.3); the 40 ms default sits between.
 * Keys are held until classified, so typing reaches the field with at most `maxInterKeyMs` delay.
 */

export interface WedgeKeyEvent {
  /** KeyboardEvent.key: a single character, or a name such as 'Enter', 'Tab', 'Shift'. */
  key: string;
  /** Timestamp in ms (any monotonic origin). */
  at: number;
  ctrlKey?: boolean;
}

export interface WedgeOptions {
  maxInterKeyMs: number;
  minLength: number;
  suffixKeys: readonly string[];
  requireSuffix: boolean;
  /** Characters the scanner is programmed to send first (e.g. an AIM id "]E0" or a rare key like "§"). */
  prefix?: string;
  /** Keep the prefix in the scan text (useful for AIM ids). Default false. */
  keepPrefix: boolean;
  /** Only prefixed input counts as a scan (timing alone never does). Default false. */
  requirePrefix: boolean;
  prefixedKeyTimeoutMs: number;
}

export const WEDGE_DEFAULTS: Readonly<WedgeOptions> = {
  maxInterKeyMs: 40,
  minLength: 6,
  suffixKeys: ['Enter', 'Tab'],
  requireSuffix: true,
  keepPrefix: false,
  requirePrefix: false,
  prefixedKeyTimeoutMs: 1000,
};

export type WedgeVerdict =
  | { kind: 'scan'; text: string; startedAt: number; endedAt: number; events: WedgeKeyEvent[] }
  | { kind: 'typing'; events: WedgeKeyEvent[] };

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

/** The character a key event contributes, or undefined for non-character keys. Ctrl+] is GS (FNC1). */
export function wedgeChar(event: WedgeKeyEvent): string | undefined {
  if (event.ctrlKey && event.key === ']') return '\x1d';
  return event.key.length === 1 && !event.ctrlKey ? event.key : undefined;
}

export class WedgeClassifier {
  readonly #options: WedgeOptions;
  #pending: WedgeKeyEvent[] = [];
  #text = '';

  constructor(options: Partial<WedgeOptions> = {}) {
    this.#options = { ...WEDGE_DEFAULTS, ...options };
  }

  /** True while keys are held back awaiting a verdict (the renderer should keep them out of the field). */
  get holding(): boolean {
    return this.#pending.length > 0;
  }

  /** Feed one key event; returns the verdicts it settles (possibly none while a burst is undecided). */
  push(event: WedgeKeyEvent): WedgeVerdict[] {
    if (MODIFIER_KEYS.has(event.key)) return [];
    const out: WedgeVerdict[] = [];
    const last = this.#pending.at(-1);
    if (last && event.at - last.at > this.#gapLimit()) this.#settleOnSilence(out);

    const options = this.#options;
    if (options.suffixKeys.includes(event.key)) {
      if (this.#pending.length > 0 && this.#qualifies(event)) {
        out.push(this.#scan(event));
      } else {
        out.push({ kind: 'typing', events: [...this.#pending, event] });
        this.#clear();
      }
      return out;
    }
    const char = wedgeChar(event);
    if (char === undefined) {
      out.push({ kind: 'typing', events: [...this.#pending, event] });
      this.#clear();
      return out;
    }
    this.#pending.push(event);
    this.#text += char;
    // Without a prefix, a slow (human) first key must not be held longer than needed: nothing to do here, the
    // next key or flush() settles it.
    return out;
  }

  /** Call from a timer: settles a burst after `maxInterKeyMs` of silence (or the prefixed-key timeout). */
  flush(now: number): WedgeVerdict[] {
    const last = this.#pending.at(-1);
    if (!last || now - last.at <= this.#gapLimit()) return [];
    const out: WedgeVerdict[] = [];
    this.#settleOnSilence(out);
    return out;
  }

  /** When the renderer should call flush() next, or undefined when nothing is held. */
  nextFlushAt(): number | undefined {
    const last = this.#pending.at(-1);
    return last ? last.at + this.#gapLimit() + 1 : undefined;
  }

  #prefixState(): 'none' | 'partial' | 'complete' {
    const prefix = this.#options.prefix;
    if (!prefix || this.#text.length === 0) return 'none';
    if (this.#text.length < prefix.length) return prefix.startsWith(this.#text) ? 'partial' : 'none';
    return this.#text.startsWith(prefix) ? 'complete' : 'none';
  }

  #gapLimit(): number {
    return this.#prefixState() === 'none' ? this.#options.maxInterKeyMs : this.#options.prefixedKeyTimeoutMs;
  }

  #qualifies(suffix: WedgeKeyEvent | undefined): boolean {
    const options = this.#options;
    const prefixState = this.#prefixState();
    if (prefixState === 'complete') {
      return this.#text.length > (options.prefix?.length ?? 0);
    }
    if (options.requirePrefix) return false;
    if (this.#text.length < options.minLength) return false;
    const events = suffix ? [...this.#pending, suffix] : this.#pending;
    for (let i = 1; i < events.length; i++) {
      const gap = (events[i]?.at ?? 0) - (events[i - 1]?.at ?? 0);
      if (gap > options.maxInterKeyMs) return false;
    }
    return true;
  }

  #settleOnSilence(out: WedgeVerdict[]): void {
    if (this.#pending.length === 0) return;
    if (!this.#options.requireSuffix && this.#qualifies(undefined)) out.push(this.#scan(undefined));
    else {
      out.push({ kind: 'typing', events: this.#pending });
      this.#clear();
    }
  }

  #scan(suffix: WedgeKeyEvent | undefined): WedgeVerdict {
    const options = this.#options;
    const strip =
      this.#prefixState() === 'complete' && !options.keepPrefix ? (options.prefix?.length ?? 0) : 0;
    const events = suffix ? [...this.#pending, suffix] : this.#pending;
    const verdict: WedgeVerdict = {
      kind: 'scan',
      text: this.#text.slice(strip),
      startedAt: events[0]?.at ?? 0,
      endedAt: events.at(-1)?.at ?? 0,
      events,
    };
    this.#clear();
    return verdict;
  }

  #clear(): void {
    this.#pending = [];
    this.#text = '';
  }
}

/** Classify a finished key timeline in one call (tests, replays). */
export function classifyKeySequence(
  events: readonly WedgeKeyEvent[],
  options: Partial<WedgeOptions> = {},
): WedgeVerdict[] {
  const classifier = new WedgeClassifier(options);
  const verdicts = events.flatMap((event) => classifier.push(event));
  return [...verdicts, ...classifier.flush(Number.POSITIVE_INFINITY)];
}
