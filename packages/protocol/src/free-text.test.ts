import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  EVENT_PAYLOADS,
  type EventType,
  PAYLOAD_TEXT_FIELDS,
  type SalePayloadV1,
  type SalePayloadV6,
} from './events.js';
import { freeTextOf } from './free-text.js';
import { createUuidV7Generator } from './ids.js';
import { samplePayloads, sampleSalePayload, withOverrideReason } from './testing.js';

/** Every path of a schema that leads to a string (not an enum or literal), `*` for array items. */
function stringPaths(schema: z.core.$ZodType, path = ''): string[] {
  const def = schema._zod.def as unknown as {
    type: string;
    shape?: Record<string, z.core.$ZodType>;
    element?: z.core.$ZodType;
    innerType?: z.core.$ZodType;
    options?: z.core.$ZodType[];
  };
  const join = (step: string) => (path === '' ? step : `${path}.${step}`);
  switch (def.type) {
    case 'string':
      return [path];
    case 'object':
      return Object.entries(def.shape!).flatMap(([key, field]) => stringPaths(field, join(key)));
    case 'array':
      return stringPaths(def.element!, join('*'));
    case 'nullable':
    case 'optional':
      return stringPaths(def.innerType!, path);
    case 'union':
      return [...new Set(def.options!.flatMap((option) => stringPaths(option, path)))];
    default:
      return [];
  }
}

const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];

describe('declared text fields', () => {
  it.each(EVENT_TYPES)('%s: every text field is declared free text or an identifier, once', (type) => {
    const declared = PAYLOAD_TEXT_FIELDS[type];
    const all = [...declared.freeText, ...declared.identifiers];
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(stringPaths(EVENT_PAYLOADS[type]).sort());
  });

  it('scans references, names, notes and reasons; never ids, codes or barcodes', () => {
    expect(PAYLOAD_TEXT_FIELDS.sale.freeText).toContain('tenders.*.ref');
    expect(PAYLOAD_TEXT_FIELDS.sale.freeText).toContain('lines.*.name');
    expect(PAYLOAD_TEXT_FIELDS.sale.identifiers).toContain('lines.*.barcode');
    expect(PAYLOAD_TEXT_FIELDS['manager-approval'].freeText).toEqual(['subject', 'reason']);
  });

  it("reads a sale's store details as identifiers: HQ configured them, and a tax id may pass the card check", () => {
    for (const field of ['store.name', 'store.address.*', 'store.taxId']) {
      expect(PAYLOAD_TEXT_FIELDS.sale.identifiers).toContain(field);
      expect(PAYLOAD_TEXT_FIELDS.sale.freeText).not.toContain(field);
    }
  });
});

describe('freeTextOf', () => {
  it('reads each free-text value of an event with its path in the event', () => {
    const sale: SalePayloadV1 = {
      ...sampleSalePayload(),
      tenders: [
        { kind: 'cash', ref: null, amount: 100, tendered: 100, change: 0 },
        { kind: 'gift-card', ref: 'gc_1', amount: 150, tendered: 150, change: 0 },
      ],
    };
    expect(freeTextOf('sale', sale)).toEqual([
      { path: 'payload.lines.0.name', text: 'Ballpoint pen, blue' },
      { path: 'payload.taxes.0.name', text: 'MwSt 19 %' },
      { path: 'payload.tenders.1.ref', text: 'gc_1' },
    ]);
    expect(freeTextOf('no-sale', { reason: 'change for the float', staffId: 's1' })).toEqual([
      { path: 'payload.reason', text: 'change for the float' },
    ]);
  });

  it.each(EVENT_TYPES)('%s: the test sample is valid and fills every declared free-text field', (type) => {
    // The sale samples override no price (so that they can be written at every version): here, one line does.
    const sample = samplePayloads()[type];
    const payload =
      type === 'sale' || type === 'training-sale'
        ? withOverrideReason(sample as SalePayloadV6, 'price match')
        : sample;
    expect(EVENT_PAYLOADS[type].safeParse(payload).success).toBe(true);
    const read = freeTextOf(type, payload).map(({ path }) => path.replace(/\.\d+(?=\.|$)/g, '.*'));
    expect(new Set(read)).toEqual(
      new Set(PAYLOAD_TEXT_FIELDS[type].freeText.map((field) => `payload.${field}`)),
    );
  });

  it('skips what is missing or of another shape instead of failing', () => {
    expect(freeTextOf('sale', null)).toEqual([]);
    expect(freeTextOf('sale', { lines: 'not a list', tenders: [null, { ref: 7 }] })).toEqual([]);
    expect(freeTextOf('void', { reason: ['x'] })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Barcodes and ids are never read: they are where long digit runs belong.
// ---------------------------------------------------------------------------------------------------------------

const SEED = 20_261_125;
const digits = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

/** GS1 check digit: weights 3 and 1 from the right, over the digits before it. */
function gs1(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

const ean13 = digits(12).map(gs1);
const upcA = digits(11).map(gs1);
const gtin14 = digits(13).map(gs1);
const barcodeArb = fc.oneof(ean13, upcA, gtin14);
const uuidV7Arb = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 47 }), fc.uint8Array({ minLength: 10, maxLength: 10 }))
  .map(([ms, bytes]) =>
    createUuidV7Generator(
      () => ms,
      (into) => {
        into.set(bytes);
        return into;
      },
    )(),
  );

describe('properties', () => {
  it('never reads an EAN-13, UPC-A or GTIN-14 barcode or a UUIDv7 id, wherever they sit', () => {
    fc.assert(
      fc.property(
        fc.array(barcodeArb, { minLength: 1, maxLength: 5 }),
        uuidV7Arb,
        uuidV7Arb,
        (barcodes, saleId, approvalId) => {
          const sample = sampleSalePayload();
          const sale: SalePayloadV1 = {
            ...sample,
            lines: barcodes.map((barcode, i) => ({
              ...sample.lines[0]!,
              lineId: `l${i}`,
              productId: barcode,
              sku: barcode,
              barcode,
            })),
          };
          const identifiers = new Set([...barcodes, saleId, approvalId]);
          const read = [
            ...freeTextOf('sale', sale),
            ...freeTextOf('void', { voidedEventId: saleId, reason: 'wrong item', approvedBy: 'm1' }),
            ...freeTextOf('manager-approval', {
              approvalId,
              managerId: 'm1',
              action: 'void',
              subject: 'sale',
              reason: 'wrong item',
            }),
          ];
          expect(read.length).toBeGreaterThan(0);
          for (const { text } of read) expect(identifiers.has(text)).toBe(false);
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });
});
