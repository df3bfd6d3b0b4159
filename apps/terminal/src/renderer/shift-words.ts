import type { CashMovementType, ShiftView } from '../contract/methods.js';
import { RpcCallError } from './rpc-client.js';
import { whenInWords } from './words.js';

/** What the shift, cash and post-void screens say: quick reasons, names of movements, refusals in words. */

/** Quick reasons for each cash movement; anything else is typed. */
export const CASH_MOVEMENT_REASONS: Record<CashMovementType, string[]> = {
  'cash-drop': ['Scheduled drop', 'Drawer over limit', 'Before closing'],
  'paid-in': ['Change from the safe', 'Float top-up', 'Customer paid a debt'],
  'paid-out': ['Supplies', 'Delivery paid in cash', 'Cleaning', 'Staff expenses'],
};

/** Quick reasons for a post-void. */
export const POST_VOID_REASONS = [
  'Rung up in error',
  'Customer changed their mind',
  'Wrong items',
  'Test sale',
];

/** What each movement is called on the screen: the menu item, and the sentence after it went through. */
export const CASH_MOVEMENT_WORDS: Record<CashMovementType, { title: string; done: string; hint: string }> = {
  'cash-drop': {
    title: 'Cash drop',
    done: 'cash drop',
    hint: 'Cash taken out of the drawer to the safe.',
  },
  'paid-in': { title: 'Paid in', done: 'paid in', hint: 'Cash put into the drawer (not from a sale).' },
  'paid-out': {
    title: 'Paid out',
    done: 'paid out',
    hint: 'Cash paid out of the drawer for the store (supplies, a delivery).',
  },
};

/** A refusal about the shift in words a cashier can act on; null for any other (the host's words stand). */
export function shiftRefusalInWords(error: unknown): string | null {
  if (!(error instanceof RpcCallError)) return null;
  switch (error.code) {
    case 'no_open_shift':
      return 'No shift is open on this till: a manager opens the shift (F12, Open shift), then try again. Nothing was recorded.';
    case 'training_mode':
      return 'Not in training mode: turn training off first (F12, Training mode off). Nothing was recorded.';
    case 'training_not_supported':
      return 'Training mode is not available yet: the server has not been updated for it. Ask HQ.';
    default:
      return null;
  }
}

/** Whose shift is open and since when, as the screens say it. */
export const shiftInWords = (shift: ShiftView) =>
  `opened by ${shift.openedBy.displayName} ${shift.fromEarlierDay ? 'on' : 'at'} ${whenInWords(shift.openedAt, false)}`;
