import { type FormEvent, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { TillState } from './cart-store.js';
import { applyPadKey, NumberPad } from './NumberPad.js';
import { overlayOpen } from './overlay.js';
import { QUICK_KEY_SHORTCUTS } from './quick-keys-slice.js';
import { useDialogFocus } from './use-dialog.js';
import { money } from './words.js';

/**
 * The store's quick keys (items without a barcode, one touch away) and the "Custom amount" key, in the action panel
 * under the search. Keys are at least 48 px high and wrap into as many columns as the panel is wide, never wider.
 * Alt+1 … Alt+9 press the first nine keys, F10 opens the custom amount; each key shows its shortcut.
 */
export function QuickKeys({ store, state }: { store: StoreApi<TillState>; state: TillState }) {
  const keys = state.quickKeys?.keys ?? [];
  const custom = state.customLines?.allowed === true;
  if (keys.length === 0 && !custom) return null;
  return (
    <section className="quick-keys" aria-label="Quick keys">
      <div className="quick-key-grid" data-testid="quick-keys">
        {keys.map((key, index) => (
          <button
            type="button"
            key={key.product.productId}
            className="quick-key"
            data-testid="quick-key"
            aria-label={`${key.label}, ${money(key.product.unitPrice, key.product.currency)}`}
            aria-keyshortcuts={index < QUICK_KEY_SHORTCUTS ? `Alt+${index + 1}` : undefined}
            onClick={() => store.getState().tapQuickKey(index)}
          >
            <span className="label">{key.label}</span>
            <span className="price">{money(key.product.unitPrice, key.product.currency)}</span>
            {index < QUICK_KEY_SHORTCUTS && <kbd>Alt+{index + 1}</kbd>}
          </button>
        ))}
        {custom && (
          <button
            type="button"
            className="quick-key custom"
            data-testid="custom-amount"
            aria-keyshortcuts="F10"
            onClick={() => store.getState().openCustomLine()}
          >
            <span className="label">Custom amount</span>
            <kbd>F10</kbd>
          </button>
        )}
      </div>
    </section>
  );
}

/** Alt+1 … Alt+9 and F10 on the main screen; nothing under an overlay (overlay.ts). */
export function useQuickKeyShortcuts(store: StoreApi<TillState>) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const state = store.getState();
      if (overlayOpen(state)) return;
      if (event.key === 'F10' && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        state.openCustomLine();
        return;
      }
      // event.code, not event.key: Alt+digit types another character on some layouts (macOS, AltGr).
      const digit = /^Digit([1-9])$/.exec(event.code)?.[1];
      if (event.altKey && !event.ctrlKey && !event.metaKey && digit) {
        event.preventDefault();
        state.tapQuickKey(Number(digit) - 1);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}

/** The custom-amount dialog (F10): what it is and how much, typed or on the keypad. Esc backs out, nothing added. */
export function CustomAmountDialog({ store }: { store: StoreApi<TillState> }) {
  const open = useStore(store, (state) => state.cartDialog?.kind === 'custom-amount');
  return open ? <CustomAmountSheet store={store} /> : null;
}

function CustomAmountSheet({ store }: { store: StoreApi<TillState> }) {
  const limits = useStore(store, (state) => state.customLines);
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const container = useDialogFocus<HTMLFormElement>();
  if (!limits) return null;
  const close = () => store.getState().closeCartDialog();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(store.getState().addCustomLine(description, amount));
  };
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="custom-title"
      data-testid="custom-dialog"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          close();
        }
      }}
    >
      <form className="sheet custom-amount" ref={container} onSubmit={submit}>
        <h1 id="custom-title">Custom amount</h1>
        <p className="lead">
          An item with no product: say what it is and key its price, at most{' '}
          {money(limits.maxAmount, limits.currency)}.
        </p>
        <label className="amount-field">
          What it is
          <input
            className="text-input"
            data-testid="custom-description"
            autoComplete="off"
            maxLength={60}
            value={description}
            onChange={(event) => {
              setDescription(event.target.value);
              setError(null);
            }}
          />
        </label>
        <div className="amount-entry">
          <label className="amount-field">
            Amount ({limits.currency})
            <input
              className="amount-input"
              data-testid="custom-amount-input"
              inputMode="decimal"
              autoComplete="off"
              placeholder="0.00"
              value={amount}
              aria-invalid={error !== null}
              aria-describedby={error ? 'custom-error' : undefined}
              onChange={(event) => {
                setAmount(event.target.value);
                setError(null);
              }}
            />
          </label>
          <NumberPad
            amounts
            onKey={(key) => {
              setAmount((before) => applyPadKey(before, key, 16));
              setError(null);
            }}
          />
        </div>
        {error && (
          <p className="error" id="custom-error" role="alert" data-testid="custom-error">
            {error}
          </p>
        )}
        <div className="credential-actions">
          <button type="button" data-testid="custom-cancel" onClick={close}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button type="submit" className="primary" data-testid="custom-ok">
            Add to sale <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </div>
  );
}
