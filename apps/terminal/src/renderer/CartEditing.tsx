import { type FormEvent, type KeyboardEvent, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { CartLine } from './cart-db.js';
import { MAX_QUANTITY, parseQuantity, quantityWords, selectedLine } from './cart-edit-slice.js';
import { cartTotal, money, type TillState } from './cart-store.js';
import { applyPadKey, NumberPad } from './NumberPad.js';
import { overlayOpen } from './overlay.js';
import { useDialogFocus } from './use-dialog.js';

/**
 * A line's quantity; on the selected line with − and + either side (48 px targets, for touch). Their signs are drawn
 * by the style sheet, so a line's text stays "name quantity amount" for whoever reads it (screen readers use the
 * buttons' labels).
 */
export function QuantityCell({ state, line }: { state: TillState; line: CartLine }) {
  if (selectedLine(state)?.lineId !== line.lineId)
    return <span data-testid="line-quantity">{line.quantity}</span>;
  return (
    <span className="quantity-step">
      <button
        type="button"
        data-testid="quantity-minus"
        aria-label={`One fewer ${line.name}`}
        disabled={state.paying || line.quantity <= 1}
        onClick={(event) => {
          event.stopPropagation();
          state.stepQuantity(line.lineId, -1);
        }}
        className="step minus"
      />
      <span data-testid="line-quantity">{line.quantity}</span>
      <button
        type="button"
        data-testid="quantity-plus"
        aria-label={`One more ${line.name}`}
        disabled={state.paying || line.quantity >= MAX_QUANTITY || line.custom !== undefined}
        onClick={(event) => {
          event.stopPropagation();
          state.stepQuantity(line.lineId, 1);
        }}
        className="step plus"
      />
    </span>
  );
}

/** The cart's function keys, with their shortcuts printed on them. */
export function CartKeys({ state }: { state: TillState }) {
  // While Pay goes through, the lines on screen are being sold: the keys wait for the receipt (the store refuses too).
  const empty = state.cart.lines.length === 0 || state.paying;
  return (
    <div className="cart-keys" role="toolbar" aria-label="Cart keys">
      <button type="button" data-testid="cart-quantity" disabled={empty} onClick={() => state.openQuantity()}>
        Quantity <kbd>F3</kbd>
      </button>
      <button type="button" data-testid="cart-void" disabled={empty} onClick={() => state.voidSelectedLine()}>
        Void line <kbd>F7</kbd>
      </button>
      <button type="button" data-testid="cart-clear" disabled={empty} onClick={() => state.askClearSale()}>
        Clear sale <kbd>Shift+F7</kbd>
      </button>
      <button type="button" data-testid="cart-receipts" onClick={() => void state.openReceiptList()}>
        Receipts <kbd>F9</kbd>
      </button>
    </div>
  );
}

/** Over the cart when asked: the quantity pad (F3) or "clear the sale?" (Shift+F7). Esc backs out of either. */
export function CartDialogs({ store }: { store: StoreApi<TillState> }) {
  const dialog = useStore(store, (state) => state.cartDialog);
  if (dialog?.kind === 'quantity') return <QuantityDialog store={store} lineId={dialog.lineId} />;
  if (dialog?.kind === 'clear') return <ClearSaleDialog store={store} />;
  return null;
}

function QuantityDialog({ store, lineId }: { store: StoreApi<TillState>; lineId: string }) {
  const line = useStore(store, (state) => state.cart.lines.find((each) => each.lineId === lineId));
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const container = useDialogFocus<HTMLFormElement>();
  if (!line) return null;
  const close = () => store.getState().closeCartDialog();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (parseQuantity(text) === null) {
      setError(text.trim() === '0' ? 'Not 0: void the line instead (F7)' : quantityWords(text));
      return;
    }
    if (store.getState().setQuantity(lineId, text)) close();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="quantity-title"
      data-testid="quantity-dialog"
      onKeyDown={onKeyDown}
    >
      <form className="sheet quantity" ref={container} onSubmit={submit}>
        <h1 id="quantity-title">Quantity of {line.name}</h1>
        <p className="lead">
          Now {line.quantity}. Enter 1 to {MAX_QUANTITY}; to take the line off, void it (F7).
        </p>
        <div className="amount-entry">
          <label className="amount-field">
            New quantity
            <input
              className="amount-input"
              data-testid="quantity-input"
              inputMode="numeric"
              autoComplete="off"
              value={text}
              aria-invalid={error !== null}
              aria-describedby={error ? 'quantity-error' : undefined}
              onChange={(event) => {
                setText(event.target.value);
                setError(null);
              }}
            />
          </label>
          <NumberPad
            amounts={false}
            onKey={(key) => {
              setText((before) => applyPadKey(before, key, 4));
              setError(null);
            }}
          />
        </div>
        {error && (
          <p className="error" id="quantity-error" role="alert" data-testid="quantity-error">
            {error}
          </p>
        )}
        <div className="credential-actions">
          <button type="button" data-testid="quantity-cancel" onClick={close}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button type="submit" className="primary" data-testid="quantity-ok">
            Set quantity <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </div>
  );
}

function ClearSaleDialog({ store }: { store: StoreApi<TillState> }) {
  const cart = useStore(store, (state) => state.cart);
  const quote = useStore(store, (state) => state.quote);
  const container = useDialogFocus<HTMLDivElement>();
  const items = cart.lines.reduce((sum, line) => sum + line.quantity, 0);
  const close = () => store.getState().closeCartDialog();
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="clear-title"
      data-testid="clear-dialog"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          close();
        }
      }}
    >
      <div className="sheet" ref={container}>
        <h1 id="clear-title">Clear the sale?</h1>
        <p className="lead" data-testid="clear-what">
          {cart.lines.length} {cart.lines.length === 1 ? 'line' : 'lines'} ({items}{' '}
          {items === 1 ? 'item' : 'items'}, {money(cartTotal(cart, quote), cart.currency)}) will be taken off.
          Nothing is paid.
        </p>
        <div className="credential-actions">
          <button type="button" data-testid="clear-keep" onClick={close}>
            Keep the sale <kbd>Esc</kbd>
          </button>
          <button
            type="button"
            className="primary danger"
            data-testid="clear-confirm"
            onClick={() => store.getState().clearSale()}
          >
            Clear sale
          </button>
        </div>
      </div>
    </div>
  );
}

const inTextField = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/**
 * The cart's keys on the main screen: ↑ ↓ pick a line, + and − change its quantity, F3 asks for a quantity, F7
 * voids it, Shift+F7 clears the sale. Arrows, + and − are left to a text field that has focus; nothing here
 * works under an overlay (overlay.ts).
 */
export function useCartKeys(store: StoreApi<TillState>) {
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      const state = store.getState();
      if (overlayOpen(state)) return;
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      const line = selectedLine(state);
      const plain = !inTextField(event.target);
      let handled = true;
      if (event.key === 'F3') state.openQuantity();
      else if (event.key === 'F7' && event.shiftKey) state.askClearSale();
      else if (event.key === 'F7') state.voidSelectedLine();
      else if (plain && event.key === 'ArrowUp') state.moveSelection(-1);
      else if (plain && event.key === 'ArrowDown') state.moveSelection(1);
      else if (plain && line && event.key === '+') state.stepQuantity(line.lineId, 1);
      else if (plain && line && event.key === '-') state.stepQuantity(line.lineId, -1);
      else handled = false;
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
