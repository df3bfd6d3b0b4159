import { describe, expect, it } from 'vitest';
import type { TillState } from './cart-store.js';
import { overlayOpen } from './overlay.js';

const signedIn = { state: 'signed-in' } as unknown as TillState['session'];
const screen = {
  session: signedIn,
  managerMenu: { open: false },
  receiptList: null,
  approval: null,
  cartDialog: null,
  park: { dialog: null },
  discountDialog: null,
  lineEntry: null,
} as unknown as TillState;

describe('an overlay is open', () => {
  it('not on the bare sale screen of a signed-in employee', () => {
    expect(overlayOpen(screen)).toBe(false);
  });

  it.each([
    ['nobody signed in', { session: { state: 'locked' } }],
    ['the manager menu', { managerMenu: { open: true } }],
    ['the receipts list', { receiptList: { sales: [], selected: 0 } }],
    ['an approval', { approval: { kind: 'x' } }],
    ['a cart dialog', { cartDialog: { kind: 'custom-amount' } }],
    ['the park dialog', { park: { dialog: 'park' } }],
    ['the parked list', { park: { dialog: 'list' } }],
    ['the discount dialog', { discountDialog: { kind: 'line-discount' } }],
    ['a weight, price or age check asked before a line is added', { lineEntry: { step: 'age' } }],
  ])('with %s', (_what, patch) => {
    expect(overlayOpen({ ...screen, ...patch } as unknown as TillState)).toBe(true);
  });
});
