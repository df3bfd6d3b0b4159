import { type FormEvent, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { type CountEntry, CountGrid, countOf } from './CountGrid.js';
import type { TillState } from './cart-store.js';
import { shiftInWords } from './shift-words.js';
import { useFocusOnShow } from './use-dialog.js';
import { money } from './words.js';

/**
 * Opening the shift: the float counted by note and coin, Enter opens. When a shift is still open (a day never
 * closed, a power loss), it says whose and since when and leads through closing that one first.
 */
export function OpenShiftView({
  store,
  busy,
  onCloseFirst,
}: {
  store: StoreApi<TillState>;
  busy: boolean;
  onCloseFirst(): void;
}) {
  const status = useStore(store, (state) => state.shiftStatus);
  const [entry, setEntry] = useState<CountEntry>({});
  const focus = useFocusOnShow<HTMLButtonElement>(status?.shift?.shiftId);
  if (!status) return <p className="view hint">Asking the till for its shift…</p>;
  if (status.shift) {
    return (
      <div className="view close-first" data-testid="shift-close-first">
        <p className="lead">
          <strong>A shift is still open on this till</strong>, {shiftInWords(status.shift)}
          {status.shift.fromEarlierDay ? ' (an earlier day: it was never closed)' : ''}.
        </p>
        <p>
          Close it first: count the drawer (a blind count), and its Z report prints. Then open the new shift
          with its float.
        </p>
        <button
          type="button"
          className="primary"
          data-testid="shift-close-first-go"
          ref={focus}
          onClick={onCloseFirst}
        >
          Close that shift first <kbd>Enter</kbd>
        </button>
      </div>
    );
  }
  const currency = store.getState().hello?.currency ?? store.getState().cart.currency;
  const { count, total } = countOf(status.denominations, entry);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) void store.getState().openShift(count);
  };
  return (
    <form className="view open-shift" data-testid="shift-open-count" onSubmit={submit}>
      <p className="lead">
        Count the float in the drawer: how many of each note and coin. Type the numbers (Tab or ↓ to the
        next), or use + and − and the keypad.
      </p>
      <CountGrid
        denominations={status.denominations}
        currency={currency}
        entry={entry}
        onChange={setEntry}
        disabled={busy}
      />
      <button type="submit" className="primary" data-testid="shift-open-submit" disabled={busy}>
        {busy ? 'Opening…' : `Open shift with a float of ${money(total, currency)}`} <kbd>Enter</kbd>
      </button>
    </form>
  );
}
