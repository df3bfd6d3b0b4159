import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { ApprovalDialog } from './ApprovalDialog.js';
import { CartDialogs, useCartKeys } from './CartEditing.js';
import { CartPane } from './CartPane.js';
import type { TillState } from './cart-store.js';
import { DiscountDialog, useDiscountKeys } from './DiscountDialog.js';
import { LineEntryDialog } from './LineEntryDialog.js';
import { ManagerMenu } from './ManagerMenu.js';
import { overlayOpen } from './overlay.js';
import { ParkDialogs, useParkKeys } from './ParkedSalesView.js';
import { PayPane } from './PayPane.js';
import { CustomAmountDialog, QuickKeys, useQuickKeyShortcuts } from './QuickKeys.js';
import { ReceiptsView, useReceiptsKey } from './ReceiptsView.js';
import { SearchBox } from './SearchBox.js';
import { SignInScreen } from './SignInScreen.js';
import { Banners, StatusBar } from './StatusBar.js';
import { isSignedIn } from './session-slice.js';

/**
 * The till's one screen: the status bar, the cart and the payment panel, and over them, when needed, the sign-in
 * screen (nobody signed in, or locked), the manager menu (F12) and the approval dialog. What is under an overlay
 * cannot be reached (inert) until it closes.
 */
export function App({ store }: { store: StoreApi<TillState> }) {
  const state = useStore(store);
  const signedIn = isSignedIn(state.session);
  const menuOpen = signedIn && state.managerMenu.open;
  const receiptsOpen = signedIn && state.receiptList !== null;
  const overlay = overlayOpen(state);
  useTillKeys(store);
  useCartKeys(store);
  useReceiptsKey(store);
  useParkKeys(store);
  useQuickKeyShortcuts(store);
  useDiscountKeys(store);
  return (
    <div className="till">
      <div className="screen" inert={overlay}>
        <StatusBar store={store} state={state} />
        <Banners state={state} />
        <main className="panes">
          <CartPane state={state} />
          <div className="side">
            <SearchBox store={store} state={state} />
            <QuickKeys store={store} state={state} />
            <PayPane store={store} state={state} />
          </div>
        </main>
      </div>
      {signedIn && <CartDialogs store={store} />}
      {receiptsOpen && <ReceiptsView store={store} />}
      {signedIn && <ParkDialogs store={store} />}
      {signedIn && <CustomAmountDialog store={store} />}
      {signedIn && state.discountDialog && <DiscountDialog store={store} />}
      {signedIn && state.lineEntry && <LineEntryDialog store={store} />}
      {menuOpen && <ManagerMenu store={store} inert={state.approval !== null} />}
      {signedIn && state.approval && <ApprovalDialog store={store} />}
      {!signedIn && <SignInScreen store={store} />}
    </div>
  );
}

/**
 * The keys that work anywhere on the screen (F12 manager menu, Ctrl+L lock, Ctrl+Shift+L sign out), and every key
 * and touch reported as activity, which keeps the host from locking the screen while the cashier works.
 */
function useTillKeys(store: StoreApi<TillState>) {
  useEffect(() => {
    const activity = () => store.getState().noteActivity();
    const onKeyDown = (event: KeyboardEvent) => {
      const state = store.getState();
      if (!isSignedIn(state.session) || state.approval) return;
      if (event.key === 'F12') {
        event.preventDefault();
        if (state.managerMenu.open) state.closeManagerMenu();
        else state.openManagerMenu();
      } else if (event.ctrlKey && !event.altKey && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        void (event.shiftKey ? state.signOut() : state.lock());
      }
    };
    window.addEventListener('keydown', activity, { capture: true, passive: true });
    window.addEventListener('pointerdown', activity, { capture: true, passive: true });
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', activity, { capture: true });
      window.removeEventListener('pointerdown', activity, { capture: true });
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [store]);
}
