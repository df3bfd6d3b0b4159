import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { TillState } from './cart-store.js';
import { overlayOpen } from './overlay.js';
import { REPRINT_WORDS } from './ReceiptPreview.js';
import { isSignedIn } from './session-slice.js';
import { useDialogFocus } from './use-dialog.js';
import { money, whenInWords } from './words.js';

/** F9 opens the Receipts screen from anywhere on the till while someone is signed in; F9 or Esc closes it. */
export function useReceiptsKey(store: StoreApi<TillState>) {
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      const state = store.getState();
      if (!isSignedIn(state.session) || state.approval || state.managerMenu.open) return;
      // Esc wherever focus is (a Reprint button disabled while printing drops it to the page).
      if (event.key === 'Escape' && state.receiptList) {
        event.preventDefault();
        state.closeReceiptList();
      } else if (event.key === 'F9') {
        event.preventDefault();
        if (state.receiptList) state.closeReceiptList();
        else if (!overlayOpen(state)) void state.openReceiptList();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}

/**
 * Receipts (F9): the till's sales newest first, found by receipt number, the highlighted one's receipt as printed
 * beside them, and Reprint for a copy marked COPY. Arrows move through the list (each row a 48 px target), older
 * receipts load below, Esc goes back to the sale exactly as it was.
 */
export function ReceiptsView({ store }: { store: StoreApi<TillState> }) {
  const list = useStore(store, (state) => state.receiptList);
  const preview = useStore(store, (state) => state.receiptPreview);
  const container = useDialogFocus<HTMLDivElement>();
  const rows = useRef<HTMLUListElement>(null);
  const selected = list?.selected ?? 0;
  // Focus follows the highlight while it is in the list (arrows, a touch), so Enter and Tab go on from there.
  useEffect(() => {
    const row = rows.current?.querySelectorAll<HTMLButtonElement>('button.sale-choice')[selected];
    if (row && rows.current?.contains(document.activeElement)) row.focus();
  }, [selected]);
  if (!list) return null;
  const state = store.getState();
  const shown = preview && list.sales[list.selected]?.saleId === preview.saleId ? preview : null;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const next = Math.max(0, Math.min(list.sales.length - 1, list.selected + step));
      if (next !== list.selected) state.selectReceipt(next);
      rows.current?.querySelectorAll<HTMLButtonElement>('button.sale-choice')[next]?.focus();
    } else if (event.key === 'Escape' || event.key === 'F9') {
      event.preventDefault();
      state.closeReceiptList();
    } else if (event.key === 'F5') {
      event.preventDefault(); // the browser's reload
    }
    // Keys typed here stay here: the sale's keys under the list (F4, F5, Alt+1…) never see them. The till's own keys
    // (F12 the manager menu, Ctrl+L lock, Ctrl+Shift+L sign out) still work from here.
    const tillKey =
      event.key === 'F12' || (event.ctrlKey && !event.altKey && event.key.toLowerCase() === 'l');
    if (!tillKey) event.stopPropagation();
  };
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="receipts-title"
      data-testid="receipts-dialog"
      onKeyDown={onKeyDown}
    >
      <div className="sheet receipts" ref={container}>
        <h1 id="receipts-title">
          Receipts <kbd>F9</kbd>
        </h1>
        <div className="receipts-panes">
          <div className="receipts-list">
            <label className="receipts-search">
              Receipt number
              <input
                className="receipts-search-input"
                data-testid="receipts-search"
                type="search"
                inputMode="text"
                autoComplete="off"
                spellCheck={false}
                placeholder="e.g. 000042"
                value={list.search}
                onChange={(event) => void state.setReceiptSearch(event.target.value)}
              />
            </label>
            {list.error && (
              <p role="alert" className="error" data-testid="receipts-error">
                {list.error}
              </p>
            )}
            {!list.loading && list.sales.length === 0 && !list.error && (
              <p className="hint" data-testid="receipts-none">
                {list.searchedFor
                  ? `No receipt number contains ${list.searchedFor}`
                  : 'No sales on this till yet'}
              </p>
            )}
            <ul className="sale-list" ref={rows} aria-label="Sales, newest first">
              {list.sales.map((sale, index) => (
                <li key={sale.saleId}>
                  <button
                    type="button"
                    className="sale-choice receipt-choice"
                    data-testid="receipt-row"
                    aria-current={index === list.selected ? 'true' : undefined}
                    tabIndex={index === list.selected ? 0 : -1}
                    onClick={() => state.selectReceipt(index)}
                  >
                    <span className="receipt">{sale.receiptNumber}</span>
                    <span>{whenInWords(sale.occurredAt, false)}</span>
                    <span className="num">{money(sale.total, sale.currency)}</span>
                    {sale.training && <span className="training-tag">Training</span>}
                  </button>
                </li>
              ))}
            </ul>
            {list.next !== null && (
              <button
                type="button"
                data-testid="receipts-more"
                disabled={list.loading}
                onClick={() => void state.moreReceipts()}
              >
                {list.loading ? 'Reading…' : 'Older receipts'}
              </button>
            )}
          </div>
          <section className="receipts-preview" aria-label="Receipt">
            {shown?.receipt && (
              <pre
                data-testid="receipts-preview"
                style={{ maxWidth: `${shown.receipt.columns + 2}ch`, overflowX: 'auto', whiteSpace: 'pre' }}
              >
                {shown.receipt.lines.join('\n')}
              </pre>
            )}
            {shown?.error && (
              <p role="alert" className="error">
                {shown.error}
              </p>
            )}
            {shown?.reprint && (
              <p className="hint" data-testid="receipts-reprint-status">
                {REPRINT_WORDS[shown.reprint]}
              </p>
            )}
            <div className="receipt-actions">
              <button
                type="button"
                className="primary"
                data-testid="receipts-reprint"
                disabled={!shown?.receipt || shown.reprint === 'printing'}
                onClick={() => void state.reprintReceipt()}
              >
                Reprint{shown?.receipt ? ` ${shown.receipt.receiptNumber}` : ''}
              </button>
              <button type="button" data-testid="receipts-close" onClick={() => state.closeReceiptList()}>
                Back to the sale <kbd>Esc</kbd>
              </button>
            </div>
          </section>
        </div>
      </div>
    </div>
  );
}
