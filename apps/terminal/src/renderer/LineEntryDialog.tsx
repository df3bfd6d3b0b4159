import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { TillState } from './cart-store.js';
import { type LineEntry, weighedUnit } from './line-entry-slice.js';
import { applyPadKey, NumberPad } from './NumberPad.js';
import { useDialogFocus } from './use-dialog.js';
import { money } from './words.js';

/** The age a customer plainly looks over to pass without ID ("Challenge 25" for an 18+ item). */
export const visiblyOverAge = (minimumAge: number) => Math.max(25, minimumAge + 7);

/**
 * Over the cart while a product is being added that needs the cashier first (line-entry-slice.ts): the age check,
 * then its weight or its price. Esc backs out and nothing is added.
 */
export function LineEntryDialog({ store }: { store: StoreApi<TillState> }) {
  const entry = useStore(store, (state) => state.lineEntry);
  if (!entry) return null;
  if (entry.step === 'age') return <AgeCheckDialog store={store} entry={entry} />;
  return <AmountDialog key={entry.step} store={store} entry={entry} />;
}

const onEscape = (action: () => void) => (event: KeyboardEvent) => {
  if (event.key === 'Escape') {
    event.preventDefault();
    action();
  }
};

function AgeCheckDialog({ store, entry }: { store: StoreApi<TillState>; entry: LineEntry }) {
  const container = useDialogFocus<HTMLDivElement>();
  const age = entry.product.minimumAge ?? 18;
  const state = () => store.getState();
  return (
    <div
      className="overlay"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="age-title"
      aria-describedby="age-what"
      data-testid="age-dialog"
      onKeyDown={onEscape(() => state().refuseAge())}
    >
      <div className="sheet age-check" ref={container}>
        <h1 id="age-title">Customer must be {age}+. Check ID.</h1>
        <p className="lead" id="age-what">
          {entry.product.name} is sold only to customers {age} or older. It is added once you confirm.
        </p>
        <div className="credential-actions">
          <button
            type="button"
            className="primary"
            data-testid="age-id-checked"
            onClick={() => state().confirmAge('id-checked')}
          >
            ID checked
          </button>
          <button
            type="button"
            data-testid="age-visibly-over"
            onClick={() => state().confirmAge('visibly-over-age')}
          >
            Clearly over {visiblyOverAge(age)}
          </button>
          <button
            type="button"
            className="danger"
            data-testid="age-refuse"
            onClick={() => state().refuseAge()}
          >
            Refuse sale of this item <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}

function AmountDialog({ store, entry }: { store: StoreApi<TillState>; entry: LineEntry }) {
  const [text, setText] = useState('');
  const container = useDialogFocus<HTMLFormElement>();
  const { product } = entry;
  const weight = entry.step === 'weight';
  const per = weighedUnit(product);
  const close = () => store.getState().cancelLineEntry();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (weight) store.getState().enterWeight(text);
    else store.getState().enterPrice(text);
  };
  const limits = product.openPrice;
  const id = weight ? 'weight' : 'price';
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      data-testid={`${id}-dialog`}
      onKeyDown={onEscape(close)}
    >
      <form className="sheet quantity line-entry" ref={container} onSubmit={submit}>
        <h1 id={`${id}-title`}>
          {weight ? 'Weight' : 'Price'} of {product.name}
        </h1>
        <p className="lead">
          {weight
            ? `${money(product.unitPrice, product.currency)} per ${per}. Type the weight in ${per}, e.g. 0.512.`
            : limits
              ? `Key its price, from ${money(limits.min, product.currency)} to ${money(limits.max, product.currency)}.`
              : 'Key its price.'}
        </p>
        <div className="amount-entry">
          <label className="amount-field">
            {weight ? `Weight (${per})` : `Price (${product.currency})`}
            <input
              className="amount-input"
              data-testid={`${id}-input`}
              inputMode="decimal"
              autoComplete="off"
              value={text}
              aria-invalid={entry.error !== null}
              aria-describedby={entry.error ? `${id}-error` : undefined}
              onChange={(event) => {
                setText(event.target.value);
                store.getState().clearLineEntryError();
              }}
            />
          </label>
          <NumberPad
            amounts
            onKey={(key) => {
              setText((before) => applyPadKey(before, key, 9));
              store.getState().clearLineEntryError();
            }}
          />
        </div>
        {entry.error && (
          <p className="error" id={`${id}-error`} role="alert" data-testid={`${id}-error`}>
            {entry.error}
          </p>
        )}
        <div className="credential-actions">
          <button type="button" data-testid={`${id}-cancel`} onClick={close}>
            Cancel, add nothing <kbd>Esc</kbd>
          </button>
          <button type="submit" className="primary" data-testid={`${id}-ok`}>
            Add {product.name} <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </div>
  );
}
