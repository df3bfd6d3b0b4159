import type { PayloadOf } from '@tillwright/protocol';
import { asLatestSaleLines, sampleSalePayload } from '@tillwright/protocol/testing';
import type { EventDraft } from './event-chains.js';

/** Drafts of a till's shift events (issue #16), at their latest versions, for `eventChain`. */

export const SHIFT_A = '019ab8a0-0000-7000-8000-00000000b001';
export const SHIFT_B = '019ab8a0-0000-7000-8000-00000000b002';
export const SHIFT_C = '019ab8a0-0000-7000-8000-00000000b003';
export const SHIFT_D = '019ab8a0-0000-7000-8000-00000000b004';

/** A count by denomination adding up to `amount`: euros in 1 € coins, the rest in cents. */
export const countOf = (amount: number) => [
  { value: 100, count: Math.floor(amount / 100) },
  { value: 1, count: amount % 100 },
];

export const shiftOpen = (shiftId: string, openingFloat = 15_000, employeeId = 'mgr-1'): EventDraft => ({
  type: 'shift-open',
  payload: {
    shiftId,
    employeeId,
    currency: 'EUR',
    openingFloat,
    floatCount: countOf(openingFloat),
    approvalId: null,
  } satisfies PayloadOf<'shift-open'>,
});

/** A close whose cash counted differs from expected by `overShort` (card: 1,000 expected and counted). */
export const shiftClose = (
  shiftId: string,
  expectedCash: number,
  overShort: number,
  employeeId = 'mgr-1',
): EventDraft => {
  const counted = expectedCash + overShort;
  return {
    type: 'shift-close',
    payload: {
      shiftId,
      employeeId,
      expected: [
        { kind: 'cash', amount: expectedCash },
        { kind: 'card', amount: 1000 },
      ],
      counted: [
        { kind: 'cash', amount: counted },
        { kind: 'card', amount: 1000 },
      ],
      overShort: [
        { kind: 'cash', amount: overShort },
        { kind: 'card', amount: 0 },
      ],
      cashCount: countOf(counted),
      blind: true,
      approvalId: null,
    } satisfies PayloadOf<'shift-close'>,
  };
};

/** A sale of the pen at 2.50 in cash (total 250) by cashier-7 in the shift. */
export const saleIn = (shiftId: string | null): PayloadOf<'sale'> => ({
  ...sampleSalePayload(250),
  timeZone: 'UTC',
  employeeId: 'cashier-7',
  approvals: [],
  shiftId,
  receiptNumber: null,
  lines: asLatestSaleLines(sampleSalePayload(250).lines),
  store: null,
});

export const sale = (shiftId: string | null): EventDraft => ({ type: 'sale', payload: saleIn(shiftId) });

/** The same sale rung in training mode: journaled, never counted. */
export const trainingSale = (shiftId: string | null): EventDraft => ({
  type: 'training-sale',
  payload: saleIn(shiftId),
});

export const movement = (
  type: 'cash-drop' | 'paid-in' | 'paid-out',
  shiftId: string,
  amount: number,
  reason: string,
): EventDraft => ({
  type,
  payload: {
    shiftId,
    currency: 'EUR',
    amount,
    reason,
    employeeId: 'cashier-7',
    approvalId: null,
  } satisfies PayloadOf<'cash-drop'>,
});

export const noSale = (shiftId: string): EventDraft => ({
  type: 'no-sale',
  payload: {
    reason: 'change for the float',
    employeeId: 'cashier-7',
    approvalId: null,
    shiftId,
  } satisfies PayloadOf<'no-sale'>,
});

export const postVoid = (shiftId: string, voidedEventId: string): EventDraft => ({
  type: 'void',
  payload: {
    voidedEventId,
    reason: 'customer changed their mind',
    employeeId: 'mgr-1',
    approvalId: null,
    shiftId,
  } satisfies PayloadOf<'void'>,
});
