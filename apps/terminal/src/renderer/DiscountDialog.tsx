import { parseMinorUnits } from '@tillwright/commerce';
import { type FormEvent, type KeyboardEvent, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { TillState } from './cart-store.js';
import type { AdjustmentRequest } from './discount-slice.js';
import { parsePercent } from './discount-words.js';
import { applyPadKey, NumberPad } from './NumberPad.js';
import { overlayOpen } from './overlay.js';
import { ReasonPicker } from './ReasonPicker.js';
import { useDialogFocus } from './use-dialog.js';
import { money } from './words.js';

const DISCOUNT_REASONS = ['Loyal customer', 'Damaged item', 'Price match', 'Staff discount'];
const OVERRIDE_REASONS = ['Damaged box', 'Price match', 'Shelf price wrong'];

/**
 * The cart's discount keys, their shortcuts printed on them: F4 on the line, Shift+F4 its price, Ctrl+Shift+F4 the
 * basket.
 */
export function DiscountKeys({ state }: { state: TillState }) {
  const empty = state.cart.lines.length === 0;
  return (
    <div className="cart-keys" role="toolbar" aria-label="Discount keys">
      <button
        type="button"
        data-testid="cart-discount"
        disabled={empty}
        onClick={() => state.openDiscount('line-discount')}
      >
        Discount <kbd>F4</kbd>
      </button>
      <button
        type="button"
        data-testid="cart-price-override"
        disabled={empty}
        onClick={() => state.openDiscount('price-override')}
      >
        Price <kbd>Shift+F4</kbd>
      </button>
      <button
        type="button"
        data-testid="cart-basket-discount"
        disabled={empty}
        onClick={() => state.openDiscount('basket-discount')}
      >
        Basket discount <kbd>Ctrl+Shift+F4</kbd>
      </button>
    </div>
  );
}

/** F4, Shift+F4 and Ctrl+Shift+F4 on the main screen; nothing under an overlay (overlay.ts). */
export function useDiscountKeys(store: StoreApi<TillState>) {
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      // Ctrl+F4 alone is the browser's "close the tab", which no page can keep: the basket is Ctrl+Shift+F4.
      if (event.key !== 'F4' || event.altKey || event.metaKey || (event.ctrlKey && !event.shiftKey)) return;
      const state = store.getState();
      if (overlayOpen(state)) return;
      event.preventDefault();
      state.openDiscount(
        event.ctrlKey ? 'basket-discount' : event.shiftKey ? 'price-override' : 'line-discount',
      );
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}

/**
 * Over the cart: a discount on the selected line or the basket (percent or amount), or a new price for the line,
 * with a reason picked or typed. Beyond the cashier's limit, Apply hands over to the approval dialog. Esc backs out;
 * keys typed here go nowhere else.
 */
export function DiscountDialog({ store }: { store: StoreApi<TillState> }) {
  const dialog = useStore(store, (state) => state.discountDialog);
  const cart = useStore(store, (state) => state.cart);
  const error = useStore(store, (state) => state.discountError);
  const busy = useStore(store, (state) => state.discountBusy);
  const [mode, setMode] = useState<'percent' | 'amount'>('percent');
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const container = useDialogFocus<HTMLFormElement>();
  if (!dialog) return null;
  const line = cart.lines.find((each) => each.lineId === dialog.lineId) ?? null;
  const override = dialog.kind === 'price-override';
  const title = override
    ? `New price of ${line?.name}`
    : dialog.kind === 'basket-discount'
      ? 'Discount on the whole sale'
      : `Discount on ${line?.name}`;
  const existing =
    dialog.kind === 'basket-discount' ? cart.basketDiscount : override ? line?.priceOverride : line?.discount;
  const close = () => store.getState().closeDiscountDialog();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const request = requestFrom(dialog.kind, mode, text, reason, cart.currency);
    if (typeof request === 'string') return setProblem(request);
    void store.getState().applyAdjustment(request);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };
  const shown = problem ?? error;
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="discount-title"
      data-testid="discount-dialog"
      onKeyDown={onKeyDown}
    >
      <form className="sheet discount-sheet" ref={container} onSubmit={submit}>
        <h1 id="discount-title">{title}</h1>
        {line && (
          <p className="lead">
            {line.quantity} × {money(line.unitPrice, cart.currency)}
            {override ? ': the new price is per unit.' : '.'}
          </p>
        )}
        <div className="amount-entry">
          <div className="amount-and-reason">
            {!override && (
              <fieldset className="discount-mode">
                <legend>Take off</legend>
                {(['percent', 'amount'] as const).map((each) => (
                  <button
                    key={each}
                    type="button"
                    data-testid={`discount-mode-${each}`}
                    aria-pressed={mode === each}
                    onClick={() => setMode(each)}
                  >
                    {mode === each ? '✓ ' : ''}
                    {each === 'percent' ? 'Percent %' : `Amount ${cart.currency}`}
                  </button>
                ))}
              </fieldset>
            )}
            <label className="amount-field">
              {override
                ? `New unit price (${cart.currency})`
                : mode === 'percent'
                  ? 'Percent off'
                  : 'Amount off'}
              <input
                className="amount-input"
                data-testid="discount-value"
                inputMode="decimal"
                autoComplete="off"
                value={text}
                aria-invalid={shown !== null}
                aria-describedby={shown ? 'discount-error' : undefined}
                onChange={(event) => {
                  setText(event.target.value);
                  setProblem(null);
                }}
              />
            </label>
            <ReasonPicker
              reasons={override ? OVERRIDE_REASONS : DISCOUNT_REASONS}
              question={override ? 'Why a new price?' : 'Why the discount?'}
              disabled={busy}
              onChange={(picked) => {
                setReason(picked);
                setProblem(null);
              }}
            />
          </div>
          <NumberPad
            amounts
            disabled={busy}
            onKey={(key) => {
              setText((before) => applyPadKey(before, key, 10));
              setProblem(null);
            }}
          />
        </div>
        {shown && (
          <p className="error" id="discount-error" role="alert" data-testid="discount-error">
            {shown}
          </p>
        )}
        <div className="credential-actions">
          <button type="button" data-testid="discount-cancel" disabled={busy} onClick={close}>
            Cancel <kbd>Esc</kbd>
          </button>
          {existing && (
            <button
              type="button"
              data-testid="discount-remove"
              disabled={busy}
              onClick={() => {
                store.getState().removeAdjustment(dialog.kind, dialog.lineId);
                close();
              }}
            >
              Take it off
            </button>
          )}
          <button type="submit" className="primary" data-testid="discount-apply" disabled={busy}>
            Apply <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </div>
  );
}

/** The dialog's entries as a request, or what is wrong with them in words. */
function requestFrom(
  kind: AdjustmentRequest['kind'],
  mode: 'percent' | 'amount',
  text: string,
  reason: string,
  currency: string,
): AdjustmentRequest | string {
  if (!reason) return 'Pick or type a reason: it is printed on the receipt';
  if (kind === 'price-override') {
    const unitPrice = amountOf(text, currency);
    return unitPrice === null ? `"${text}" is not a price: enter it like 3.99` : { kind, unitPrice, reason };
  }
  if (mode === 'percent') {
    const rate = parsePercent(text);
    return rate === null
      ? `"${text}" is not a percentage: enter 0.01 to 100`
      : { kind, discount: { kind: 'percent', rate }, reason };
  }
  const amount = amountOf(text, currency);
  return amount === null || amount === 0
    ? `"${text}" is not an amount: enter it like 1.50`
    : { kind, discount: { kind: 'amount', amount }, reason };
}

function amountOf(text: string, currency: string): number | null {
  try {
    const amount = parseMinorUnits(text.trim(), currency);
    return amount >= 0 ? amount : null;
  } catch {
    return null;
  }
}
