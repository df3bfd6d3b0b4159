import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EVENT_PAYLOADS,
  EVENT_VERSIONS,
  type EventType,
  PAYLOAD_TEXT_FIELDS,
  type PayloadOf,
} from '@tillwright/protocol';
import { samplePayloads } from '@tillwright/protocol/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerError } from './errors.js';
import type { EventDraft } from './journal.js';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function setup() {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  return fixture;
}

function draft<T extends EventType>(eventId: string, type: T, payload: PayloadOf<T>): EventDraft {
  const schema = EVENT_VERSIONS[type].latest;
  return { eventId, type, occurredAt: '2026-11-25T10:00:00.000Z', schema, payload } as EventDraft;
}

/** The payload with `text` written into the field at `path` (`*` meaning the first item). */
function withText(payload: unknown, path: string, text: string): unknown {
  const copy = structuredClone(payload) as Record<string, unknown>;
  const steps = path.split('.').map((step) => (step === '*' ? '0' : step));
  let at = copy as Record<string, unknown>;
  for (const step of steps.slice(0, -1)) at = at[step] as Record<string, unknown>;
  at[steps.at(-1)!] = text;
  return copy;
}

function refusal(fn: () => unknown): LedgerError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error('expected a LedgerError');
}

/** Every byte SQLite wrote for the ledger (the file, its WAL and any other file beside it), as Latin-1 text. */
function bytesOnDisk(dir: string): string {
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name)).toString('latin1'))
    .join('\n');
}

const FREE_TEXT_FIELDS = (Object.keys(EVENT_PAYLOADS) as EventType[]).flatMap((type) =>
  PAYLOAD_TEXT_FIELDS[type].freeText.map((field) => [type, field] as const),
);

const WRITTEN_CARDS = [
  '4111.1111.1111.1111',
  '4111_1111_1111_1111',
  'ref 04111111111111111111',
  '5555 5555 5555 4444',
];

describe('card numbers at the till', () => {
  it.each(FREE_TEXT_FIELDS)('%s: a card number in %s is refused and nothing is written', (type, field) => {
    const { ledger, dir, nextId } = setup();
    for (const card of WRITTEN_CARDS) {
      const payload = withText(samplePayloads()[type], field, card) as PayloadOf<typeof type>;
      const error = refusal(() => ledger.journal.record(draft(nextId(), type, payload)));
      expect(error).toMatchObject({ code: 'card_data_refused', retryable: false });
      expect(error.details.fields).toEqual([`payload.${field.replaceAll('*', '0')}`]);
    }
    expect(ledger.journal.count()).toBe(0);
    expect(bytesOnDisk(dir)).not.toMatch(/4111|5555/);
  });

  it('tells the cashier what to do without repeating the number', () => {
    const { ledger, nextId } = setup();
    const payload = {
      reason: 'customer card 4111 1111 1111 1111',
      employeeId: 'staff-1',
      approvalId: null,
      shiftId: null,
    };
    const error = refusal(() => ledger.journal.record(draft(nextId(), 'no-sale', payload)));
    expect(error.message).toBe(
      'the no-sale was not recorded: payload.reason looks like it holds a card number, and card numbers are ' +
        'never kept; remove it and try again',
    );
    expect(JSON.stringify(error.details)).not.toMatch(/\d{5}/);
  });

  it('records barcodes, skus and product ids that happen to look like card numbers: they are not scanned', () => {
    const { ledger, nextId } = setup();
    // A valid EAN-13 that is also Luhn-valid and starts with 4, and card-like sku and product id.
    const sample = samplePayloads().sale;
    const cardLike = '4006381333924';
    const payload = {
      ...sample,
      lines: [
        { ...sample.lines[0]!, barcode: cardLike, sku: '4111111111111111', productId: '5555555555554444' },
      ],
    };
    expect(ledger.journal.record(draft(nextId(), 'sale', payload)).created).toBe(true);
  });
});
