import {
  WEDGE_DEFAULTS,
  WedgeClassifier,
  type WedgeKeyEvent,
  type WedgeOptions,
  type WedgeVerdict,
  wedgeChar,
} from '@tillwright/devices/wedge';

/**
 * Keyboard-wedge scanners type like a keyboard. This keeps their keystrokes out of whatever field has focus:
 * every key is fed to the classifier from `@tillwright/devices/wedge`, character keys aimed at a text field are
 * held back while the burst might still be a scan, and then either become one scan (the suffix key is swallowed
 * too) or are replayed into the field they were aimed at, in order. A person's typing reaches the field about
 * `maxInterKeyMs` (40 ms) late.
 *
 * Split in two: `WedgeInput` decides (pure, a clock and a timer are injected, so it is tested with a fake clock),
 * `installWedgeInput` is the thin DOM adapter (a capture-phase keydown listener on the window, and the replay
 * into an input or textarea in a way React notices).
 */

/** What the controller needs from one keydown. `target` is the text field it was aimed at, or null. */
export interface WedgeKeyInput<T> {
  key: string;
  /** Event time in ms on the same clock as `WedgeInputDeps.now` (KeyboardEvent.timeStamp and performance.now()). */
  at: number;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  /** AltGr held: the key is a character of the layout (e.g. '@' on a German keyboard), not a shortcut. */
  altGraph?: boolean;
  /** Auto-repeat of a held key: always a person, passed straight through. */
  repeat?: boolean;
  target: T | null;
}

export interface WedgeInputDeps<T> {
  /** A scan was read: look it up and add it to the cart. */
  onScan(text: string): void;
  /** Put a held character into the field it was aimed at (a person's typing, released). */
  replay(target: T, char: string): void;
  now(): number;
  /** Run `callback` after about `delayMs`; returns a cancel function. */
  schedule(delayMs: number, callback: () => void): () => void;
}

export type WedgeInputOptions = Partial<WedgeOptions>;

/** The renderer's defaults: the classifier's timing, Enter (or Tab) as the suffix, no prefix. */
export const WEDGE_INPUT_DEFAULTS: Readonly<WedgeOptions> = {
  ...WEDGE_DEFAULTS,
  suffixKeys: ['Enter', 'Tab'],
};

export class WedgeInput<T> {
  readonly #classifier: WedgeClassifier;
  readonly #deps: WedgeInputDeps<T>;
  /** Keys held back from a text field, with the field they were aimed at. */
  readonly #held = new Map<WedgeKeyEvent, T>();
  #cancelTimer: (() => void) | undefined;
  /** The last key's own time stamp, and when (on `now()`) it was handled. */
  #lastKey = { at: 0, handledAt: 0 };

  constructor(deps: WedgeInputDeps<T>, options: WedgeInputOptions = {}) {
    this.#deps = deps;
    this.#classifier = new WedgeClassifier({ ...WEDGE_INPUT_DEFAULTS, ...options });
  }

  /** True while keys are held back awaiting a verdict. */
  get holding(): boolean {
    return this.#held.size > 0;
  }

  /**
   * Feed one keydown. Returns true when the key must not reach the page (call preventDefault): a character held
   * back from a text field, or the suffix key that ended a scan.
   */
  keydown(input: WedgeKeyInput<T>): boolean {
    const event = toClassifierEvent(input);
    this.#lastKey = { at: event.at, handledAt: this.#deps.now() };
    const verdicts = this.#classifier.push(event);
    let swallow = false;
    for (const verdict of verdicts) {
      if (verdict.kind === 'scan' && verdict.events.includes(event)) swallow = true;
      this.#settle(verdict);
    }
    if (this.#classifier.holding && input.target !== null && wedgeChar(event) !== undefined) {
      // The key is now part of an undecided burst: keep it from the field until the verdict.
      this.#held.set(event, input.target);
      swallow = true;
    }
    this.#arm();
    return swallow;
  }

  /** Release everything still held as typing (e.g. when the window loses focus). */
  release(): void {
    this.#flush(Number.POSITIVE_INFINITY);
  }

  /** Stop the timer; held keys are released first. */
  dispose(): void {
    this.release();
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #flush(now: number): void {
    for (const verdict of this.#classifier.flush(now)) this.#settle(verdict);
    this.#arm();
  }

  #settle(verdict: WedgeVerdict): void {
    if (verdict.kind === 'scan') {
      for (const event of verdict.events) this.#held.delete(event);
      this.#deps.onScan(verdict.text);
      return;
    }
    for (const event of verdict.events) {
      const target = this.#held.get(event);
      if (target === undefined) continue; // reached the page on its own (not held, or not a text field)
      this.#held.delete(event);
      const char = wedgeChar(event);
      // Ctrl+] (GS) has no text to type; everything else goes back where it was aimed.
      if (char !== undefined && char !== '\x1d') this.#deps.replay(target, char);
    }
  }

  /**
   * One timer at a time, for the classifier's next silence deadline. Gaps between keys are judged on their time
   * stamps, but the silence that ends a burst is counted from when the last key was handled: on a busy page keys
   * queue up and are handled late, one after another, and a deadline taken from their stamps would pass before the
   * next queued key of the same scan is handled, turning the scan into typing.
   */
  #arm(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const at = this.#classifier.nextFlushAt();
    if (at === undefined) return;
    const sinceHandled = this.#deps.now() - this.#lastKey.handledAt;
    this.#cancelTimer = this.#deps.schedule(Math.max(0, at - this.#lastKey.at - sinceHandled), () => {
      this.#cancelTimer = undefined;
      this.#flush(this.#silenceAsStamp());
    });
  }

  /** Now, on the keys' time stamp clock, as far as silence goes: the last stamp plus the time since it was handled. */
  #silenceAsStamp(): number {
    return this.#lastKey.at + (this.#deps.now() - this.#lastKey.handledAt);
  }
}

function toClassifierEvent(input: WedgeKeyInput<unknown>): WedgeKeyEvent {
  const { key, at } = input;
  // Shortcuts (Alt or Meta without AltGr) and auto-repeat are a person at the keyboard: give them a name the
  // classifier treats as a non-character key, which ends any burst as typing and lets the key through.
  if (input.repeat) return { key: `Repeat:${key}`, at };
  if ((input.metaKey || input.altKey) && !input.altGraph && key.length === 1)
    return { key: `Alt:${key}`, at };
  return input.ctrlKey && !input.altGraph ? { key, at, ctrlKey: true } : { key, at };
}

// ---------------------------------------------------------------------------------------------------------------
// DOM adapter

export type TextField = HTMLInputElement | HTMLTextAreaElement;

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'tel', 'url', 'email', 'password', 'number', '']);

/** The text field a key is aimed at, or null (a button, the page, a checkbox…, where characters do no harm). */
export function textFieldOf(target: EventTarget | null): TextField | null {
  if (typeof HTMLTextAreaElement !== 'undefined' && target instanceof HTMLTextAreaElement)
    return target.readOnly || target.disabled ? null : target;
  if (typeof HTMLInputElement !== 'undefined' && target instanceof HTMLInputElement)
    return TEXT_INPUT_TYPES.has(target.type) && !target.readOnly && !target.disabled ? target : null;
  return null;
}

/**
 * Type one character into a field as the keyboard would have: at the caret, replacing a selection, respecting
 * maxLength, and with an `input` event so React's onChange sees it. The value goes through the prototype's
 * setter because React tracks the instance's own `value` and would otherwise think nothing changed.
 */
export function insertIntoField(field: TextField, char: string): void {
  if (!field.isConnected) return;
  const value = field.value;
  let start = value.length;
  let end = value.length;
  try {
    // email and number inputs have no selection API (null or a throw); append there.
    start = field.selectionStart ?? value.length;
    end = field.selectionEnd ?? start;
  } catch {}
  if (field.maxLength >= 0 && value.length - (end - start) + char.length > field.maxLength) return;
  const next = value.slice(0, start) + char + value.slice(end);
  const prototype =
    field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(prototype, 'value')?.set;
  if (setter) setter.call(field, next);
  else field.value = next;
  try {
    field.setSelectionRange(start + char.length, start + char.length);
  } catch {}
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: char }));
}

/**
 * Listen to keydown on `target` (the window) in the capture phase, before any field or React handler. Returns a
 * function that removes the listener (held keys are released into their fields first).
 */
export function installWedgeInput(
  target: Window,
  options: WedgeInputOptions & { onScan(text: string): void },
): () => void {
  const { onScan, ...classifierOptions } = options;
  const input = new WedgeInput<TextField>(
    {
      onScan,
      replay: insertIntoField,
      now: () => target.performance.now(),
      schedule(delayMs, callback) {
        const handle = target.setTimeout(callback, delayMs);
        return () => target.clearTimeout(handle);
      },
    },
    classifierOptions,
  );
  const onKeyDown = (event: KeyboardEvent) => {
    if (!event.isTrusted || event.isComposing) return;
    const swallow = input.keydown({
      key: event.key,
      // timeStamp is when the key arrived, on performance.now()'s clock: truer gaps than the time we get to it.
      at: event.timeStamp,
      ctrlKey: event.ctrlKey,
      altKey: event.altKey,
      metaKey: event.metaKey,
      altGraph: event.getModifierState('AltGraph'),
      repeat: event.repeat,
      target: textFieldOf(event.target),
    });
    if (swallow) event.preventDefault();
  };
  const onBlur = () => input.release();
  target.addEventListener('keydown', onKeyDown, { capture: true });
  target.addEventListener('blur', onBlur);
  return () => {
    target.removeEventListener('keydown', onKeyDown, { capture: true });
    target.removeEventListener('blur', onBlur);
    input.dispose();
  };
}
