import { type EventType, PAYLOAD_TEXT_FIELDS } from './events.js';

/** One free-text value of an event, with where it sits (`payload.lines.0.name`). */
export interface FreeText {
  path: string;
  text: string;
}

/**
 * The values of an event's free-text fields as its type declares them (PAYLOAD_TEXT_FIELDS), for the card-number
 * scan. Reads whatever it is given: a field that is missing, null or not a string is skipped, not an error.
 */
export function freeTextOf(type: EventType, payload: unknown): FreeText[] {
  const found: FreeText[] = [];
  for (const field of PAYLOAD_TEXT_FIELDS[type].freeText)
    collect(payload, field.split('.'), 'payload', found);
  return found;
}

function collect(value: unknown, rest: readonly string[], path: string, found: FreeText[]): void {
  if (rest.length === 0) {
    if (typeof value === 'string') found.push({ path, text: value });
    return;
  }
  const [step, ...after] = rest as [string, ...string[]];
  if (step === '*') {
    if (!Array.isArray(value)) return;
    for (const [index, item] of value.entries()) collect(item, after, `${path}.${index}`, found);
  } else if (value !== null && typeof value === 'object' && Object.hasOwn(value, step)) {
    collect((value as Record<string, unknown>)[step], after, `${path}.${step}`, found);
  }
}
