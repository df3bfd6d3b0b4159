import type { TillState } from './cart-store.js';
import { isSignedIn } from './session-slice.js';

/**
 * Is anything over the sale screen: the sign-in screen (nobody signed in, or locked), the manager menu, the receipts
 * list, an approval, a cart dialog (quantity, clear, custom amount…), the park dialog or parked list, the discount
 * dialog, or a weight, price or age check asked before a line is added? The one test every window key hook of the sale screen asks before acting, so that a key pressed under an
 * overlay changes nothing beneath it; App makes the screen inert on the same test.
 */
export function overlayOpen(state: TillState): boolean {
  return (
    !isSignedIn(state.session) ||
    state.managerMenu.open ||
    state.receiptList !== null ||
    state.approval !== null ||
    state.cartDialog !== null ||
    state.park.dialog !== null ||
    state.discountDialog !== null ||
    state.lineEntry !== null
  );
}
