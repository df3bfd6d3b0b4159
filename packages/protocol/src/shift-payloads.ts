import { z } from 'zod';
import {
  NoSalePayloadV2,
  ShiftClosePayloadV2,
  ShiftOpenPayloadV2,
  VoidPayloadV2,
} from './business-payloads.js';
import { Identifier, UuidV7 } from './primitives.js';

/**
 * The versions of the shift, void and no-sale payloads that shifts and cash management brought (issue #16,
 * decision 0015), and the training-mode event. Upcasts and downcasts: payload-casts.ts.
 */

/** How many notes or coins of one value were counted. `value` is in minor units of the shift's currency. */
export const DenominationCount = z.strictObject({
  value: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  count: z.number().int().min(0).max(100_000),
});
export type DenominationCount = z.infer<typeof DenominationCount>;

/** A count by denomination: each value at most once. Which values are notes or coins of the currency is commerce's. */
export const DenominationCounts = z
  .array(DenominationCount)
  .max(40)
  .refine(
    (counts) => new Set(counts.map((c) => c.value)).size === counts.length,
    'each denomination at most once',
  );

/** Σ value · count, exactly; null when that is beyond what a number holds exactly. */
export function denominationTotal(counts: readonly DenominationCount[]): number | null {
  const total = counts.reduce((sum, { value, count }) => sum + BigInt(value) * BigInt(count), 0n);
  return total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : null;
}

/** The shift a sale, void or no-sale was rung in; null only on one upcast from a version before shifts were linked. */
const ShiftLink = UuidV7.nullable();
const ApprovalLink = UuidV7.nullable();

const ShiftOpenFieldsV3 = ShiftOpenPayloadV2.extend({
  /** The float as counted by denomination; null only on a shift opened before counts were recorded (v2). */
  floatCount: DenominationCounts.nullable(),
  approvalId: ApprovalLink,
});

/** Shift open v3: v2, the opening float counted by denomination (its total is `openingFloat`), the approval. */
export const ShiftOpenPayloadV3 = ShiftOpenFieldsV3.refine(
  (open) => open.floatCount === null || denominationTotal(open.floatCount) === open.openingFloat,
  { message: 'the float count must add up to openingFloat', path: ['floatCount'] },
);
export type ShiftOpenPayloadV3 = z.infer<typeof ShiftOpenPayloadV3>;

const ShiftCloseFieldsV3 = ShiftClosePayloadV2.extend({
  /** The cash counted by denomination; null only on a shift closed before counts were recorded (v2). */
  cashCount: DenominationCounts.nullable(),
  /** Counted before the expected figures were shown (a blind count); false on a close upcast from v2. */
  blind: z.boolean(),
  approvalId: ApprovalLink,
});

type TenderAmount = { kind: string; amount: number };

/**
 * Whether `overShort` is counted − expected for every tender named in counted or expected (a tender left out of a
 * list is 0 there; an exact one may be left out of `overShort`), names no other tender, and no list names a tender
 * twice. Exact in integers: the difference of two safe integers need not be one.
 */
function overShortAddsUp({
  expected,
  counted,
  overShort,
}: {
  expected: readonly TenderAmount[];
  counted: readonly TenderAmount[];
  overShort: readonly TenderAmount[];
}): boolean {
  const byKind = (list: readonly TenderAmount[]) => new Map(list.map((entry) => [entry.kind, entry.amount]));
  const [e, c, o] = [byKind(expected), byKind(counted), byKind(overShort)];
  if (e.size !== expected.length || c.size !== counted.length || o.size !== overShort.length) return false;
  const kinds = new Set([...e.keys(), ...c.keys()]);
  if ([...o.keys()].some((kind) => !kinds.has(kind))) return false;
  return [...kinds].every(
    (kind) => BigInt(o.get(kind) ?? 0) === BigInt(c.get(kind) ?? 0) - BigInt(e.get(kind) ?? 0),
  );
}

/**
 * Shift close v3: v2, the cash counted by denomination (its total is the one `cash` entry of `counted`), whether the
 * count was blind, and the approval. Over/short is held to counted − expected per tender, so HQ never trusts a till's
 * own figure: a close that says otherwise is invalid (the server quarantines it, the ledger refuses to write it).
 */
export const ShiftClosePayloadV3 = ShiftCloseFieldsV3.refine(
  (close) => {
    if (close.cashCount === null) return true;
    const cash = close.counted.filter((entry) => entry.kind === 'cash');
    return cash.length === 1 && cash[0]!.amount === denominationTotal(close.cashCount);
  },
  { message: 'the cash count must add up to the one cash entry of counted', path: ['cashCount'] },
).refine(overShortAddsUp, {
  message:
    'overShort must be counted − expected for each tender counted or expected (a tender left out being 0), ' +
    'name no other tender, and no list may name a tender twice',
  path: ['overShort'],
});
export type ShiftClosePayloadV3 = z.infer<typeof ShiftClosePayloadV3>;

/** Void v3: v2 and the shift the void was rung in. */
export const VoidPayloadV3 = VoidPayloadV2.extend({ shiftId: ShiftLink });
export type VoidPayloadV3 = z.infer<typeof VoidPayloadV3>;

/** No-sale v3: v2 and the shift the drawer was opened in. */
export const NoSalePayloadV3 = NoSalePayloadV2.extend({ shiftId: ShiftLink });
export type NoSalePayloadV3 = z.infer<typeof NoSalePayloadV3>;

/** Training mode turned on or off on the till, by whom, with the approval that allowed it. */
export const TrainingModePayloadV1 = z.strictObject({
  on: z.boolean(),
  employeeId: Identifier,
  approvalId: ApprovalLink,
});
export type TrainingModePayloadV1 = z.infer<typeof TrainingModePayloadV1>;
