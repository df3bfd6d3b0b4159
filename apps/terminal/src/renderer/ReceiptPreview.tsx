import { useEffect } from 'react';
import type { TillState } from './cart-store.js';

export const REPRINT_WORDS: Record<string, string> = {
  printing: 'Printing a copy…',
  confirmed: 'Copy printed',
  'sent-unconfirmed': 'Copy sent to the printer',
  partial: 'The copy was cut short: check the printer',
  'not-sent': 'The copy was not printed: check the printer',
  skipped: 'No printer on this till',
};

/**
 * The last sale's receipt after Pay, line for line as the printer laid it out (the host renders the same document it
 * printed), with Reprint for a copy marked COPY.
 */
export function ReceiptPreview({ state }: { state: TillState }) {
  const saleId = state.lastSale?.saleId;
  const { loadReceipt } = state;
  useEffect(() => {
    if (saleId) void loadReceipt(saleId);
  }, [saleId, loadReceipt]);
  const preview = state.receiptPreview;
  if (!preview || preview.saleId !== saleId || preview.hidden) return null;
  return (
    <section className="receipt-preview" aria-label="Receipt" data-testid="receipt-panel">
      {preview.receipt && (
        <pre
          data-testid="receipt-preview"
          style={{ maxWidth: `${preview.receipt.columns + 2}ch`, overflowX: 'auto', whiteSpace: 'pre' }}
        >
          {preview.receipt.lines.join('\n')}
        </pre>
      )}
      {preview.error && (
        <p role="alert" className="error" data-testid="receipt-error">
          {preview.error}
        </p>
      )}
      {preview.reprint && (
        <p className="hint" data-testid="reprint-status">
          {REPRINT_WORDS[preview.reprint]}
        </p>
      )}
      <div className="receipt-actions">
        <button
          type="button"
          data-testid="reprint"
          disabled={preview.reprint === 'printing'}
          onClick={() => void state.reprintReceipt()}
        >
          Reprint
        </button>
        <button type="button" data-testid="receipt-hide" onClick={() => state.hideReceipt()}>
          Hide receipt
        </button>
      </div>
    </section>
  );
}
