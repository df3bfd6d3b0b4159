import { describe, expect, it } from 'vitest';
import { payloadForVersion, upcastPayload } from './event-versions.js';
import { ReturnPayloadV3 } from './events.js';
import { DowncastError } from './payload-casts.js';
import { samplePayloads } from './testing.js';

const measure = { unit: 'g' as const, value: 512, pricePerUnit: 399, source: 'manual' as const };

function weighedReturn(quantity = 1) {
  const latest = samplePayloads().return;
  const [first] = latest.lines;
  return { ...latest, lines: [{ ...first!, quantity, measure }] };
}

describe('return v3: a weighed line is returned whole, with its measure (issue #17, point 3)', () => {
  it('carries the weight and price per unit the line was sold at, as quantity 1', () => {
    expect(ReturnPayloadV3.parse(weighedReturn()).lines[0]?.measure).toEqual(measure);
  });

  it('refuses a weighed line returned as more than one', () => {
    const parsed = ReturnPayloadV3.safeParse(weighedReturn(2));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('a weighed line is returned whole, as quantity 1');
  });

  it('reads a v2 return as v3 with no measure on any line', () => {
    const v2 = payloadForVersion('return', 2, samplePayloads().return);
    expect(upcastPayload('return', 2, v2).payload.lines.every((line) => line.measure === null)).toBe(true);
  });

  it('writes a return without weighed lines at v2, and refuses to write a weighed one there (it would be lost)', () => {
    expect(payloadForVersion('return', 2, samplePayloads().return).lines[0]).not.toHaveProperty('measure');
    expect(() => payloadForVersion('return', 2, weighedReturn())).toThrow(DowncastError);
    expect(() => payloadForVersion('return', 1, weighedReturn())).toThrow(/cannot record a weighed line/);
  });
});
