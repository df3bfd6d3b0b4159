import { type FormEvent, type KeyboardEvent, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { ParkedSaleSummary } from '../contract/methods.js';
import { cartTotal, money, type TillState } from './cart-store.js';
import { overlayOpen } from './overlay.js';
import { isSignedIn } from './session-slice.js';
import { useDialogFocus } from './use-dialog.js';
import { whenInWords } from './words.js';

/**
 * The park keys beside the cart keys: Park sale (F5) and Parked (n) (F6), the count of sales parked on this till,
 * asked of the host whenever someone signs in.
 */
export function ParkKeys({ state }: { state: TillState }) {
  const signedIn = isSignedIn(state.session);
  const employeeId = state.session?.employee?.employeeId ?? null;
  const { refreshParked } = state;
  useEffect(() => {
    if (signedIn && employeeId) void refreshParked();
  }, [signedIn, employeeId, refreshParked]);
  const count = state.park.sales?.length;
  return (
    <div className="cart-keys park-keys" role="toolbar" aria-label="Park keys">
      <button
        type="button"
        data-testid="park-sale"
        disabled={state.cart.lines.length === 0}
        onClick={() => state.openPark()}
      >
        Park sale <kbd>F5</kbd>
      </button>
      <button type="button" data-testid="parked-open" onClick={() => void state.openParked()}>
        Parked{count === undefined ? '' : ` (${count})`} <kbd>F6</kbd>
      </button>
    </div>
  );
}

/** F5 parks (asking for a note), F6 lists the parked sales; on the main screen only, never under an overlay. */
export function useParkKeys(store: StoreApi<TillState>) {
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'F5' && event.key !== 'F6') return;
      // F5 is the browser's reload too: never that on the till, whoever is signed in.
      event.preventDefault();
      const state = store.getState();
      if (overlayOpen(state) || event.ctrlKey || event.altKey || event.metaKey) return;
      if (event.key === 'F5') state.openPark();
      else void state.openParked();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}

/** Over the cart when asked: the park dialog (F5) or the parked sales (F6). Esc backs out of either. */
export function ParkDialogs({ store }: { store: StoreApi<TillState> }) {
  const dialog = useStore(store, (state) => state.park.dialog);
  if (dialog === 'park') return <ParkDialog store={store} />;
  if (dialog === 'list') return <ParkedList store={store} />;
  return null;
}

/** Keys inside a dialog stay there: the cart's keys, F2 and F12 under it do not see them. */
const keptInside = (close: () => void, more: (event: KeyboardEvent) => boolean = () => false) => {
  return (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === 'F5') event.preventDefault(); // the browser's reload
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (more(event)) event.preventDefault();
  };
};

function ParkDialog({ store }: { store: StoreApi<TillState> }) {
  const cart = useStore(store, (state) => state.cart);
  const quote = useStore(store, (state) => state.quote);
  const park = useStore(store, (state) => state.park);
  const [label, setLabel] = useState('');
  const container = useDialogFocus<HTMLFormElement>();
  const close = () => store.getState().closePark();
  const items = cart.lines.reduce((sum, line) => sum + line.quantity, 0);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!park.busy) void store.getState().parkSale(label);
  };
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="park-title"
      data-testid="park-dialog"
      onKeyDown={keptInside(close)}
    >
      <form className="sheet park" ref={container} onSubmit={submit}>
        <h1 id="park-title">Park this sale?</h1>
        <p className="lead" data-testid="park-what">
          {cart.lines.length} {cart.lines.length === 1 ? 'line' : 'lines'} ({items}{' '}
          {items === 1 ? 'item' : 'items'}, {money(cartTotal(cart, quote), cart.currency)}) are put aside on
          this till, and a new sale starts. Resume it from Parked (F6).
        </p>
        <label className="amount-field">
          Note to find it by (optional)
          <input
            data-testid="park-label"
            className="park-label-input"
            autoComplete="off"
            maxLength={40}
            placeholder="Customer's name, what they wear…"
            value={label}
            onChange={(event) => setLabel(event.target.value)}
          />
        </label>
        {park.error && (
          <p className="error" role="alert" data-testid="park-error">
            {park.error}
          </p>
        )}
        <div className="credential-actions">
          <button type="button" data-testid="park-cancel" onClick={close}>
            Keep selling it <kbd>Esc</kbd>
          </button>
          <button type="submit" className="primary" data-testid="park-confirm" disabled={park.busy}>
            {park.busy ? 'Parking…' : 'Park sale'} <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </div>
  );
}

function ParkedList({ store }: { store: StoreApi<TillState> }) {
  const park = useStore(store, (state) => state.park);
  const container = useDialogFocus<HTMLDivElement>();
  const close = () => store.getState().closePark();
  const sales = park.sales ?? [];
  const chosen = sales[park.selected];
  const onKeyDown = keptInside(close, (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      store.getState().moveParkedSelection(event.key === 'ArrowDown' ? 1 : -1);
      return true;
    }
    if (event.key === 'Enter' && chosen && !park.busy) {
      void store.getState().resumeParked(chosen.saleId);
      return true;
    }
    return false;
  });
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="parked-title"
      data-testid="parked-dialog"
      onKeyDown={onKeyDown}
    >
      <div className="sheet parked" ref={container}>
        <h1 id="parked-title">Parked sales</h1>
        {park.sales === null ? (
          <p className="lead">Asking the till…</p>
        ) : sales.length === 0 ? (
          <p className="lead" data-testid="parked-none">
            No sale is parked on this till.
          </p>
        ) : (
          <p className="lead">Tap one to resume it, or ↑ ↓ and Enter. The most recently parked is first.</p>
        )}
        <div className="parked-rows" role="listbox" aria-label="Parked sales" tabIndex={-1}>
          {sales.map((sale, index) => (
            <ParkedRow
              key={sale.saleId}
              sale={sale}
              selected={index === park.selected}
              onPick={() => void store.getState().resumeParked(sale.saleId)}
            />
          ))}
        </div>
        {park.error && (
          <p className="error" role="alert" data-testid="parked-error">
            {park.error}
          </p>
        )}
        <div className="credential-actions">
          <button type="button" data-testid="parked-close" onClick={close}>
            Close <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}

function ParkedRow(props: { sale: ParkedSaleSummary; selected: boolean; onPick: () => void }) {
  const { sale } = props;
  return (
    <button
      type="button"
      role="option"
      aria-selected={props.selected}
      data-testid="parked-row"
      className={props.selected ? 'parked-row selected' : 'parked-row'}
      onClick={props.onPick}
    >
      <span className="parked-label">{sale.label ?? 'No note'}</span>
      <span className="parked-what">
        {sale.itemCount} {sale.itemCount === 1 ? 'item' : 'items'} · {sale.lineCount}{' '}
        {sale.lineCount === 1 ? 'line' : 'lines'}
      </span>
      <span className="num parked-total">{sale.total === null ? '—' : money(sale.total, sale.currency)}</span>
      <span className="parked-who">
        parked {whenInWords(sale.parkedAt, false)} by {sale.parkedBy}
      </span>
    </button>
  );
}
