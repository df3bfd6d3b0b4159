import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { VoidableSaleView } from '../contract/methods.js';
import type { TillState } from './cart-store.js';
import { ReasonPicker } from './ReasonPicker.js';
import { tenderName } from './ShiftReportView.js';
import { POST_VOID_REASONS } from './shift-words.js';
import { useFocusOnShow } from './use-dialog.js';
import { money, whenInWords } from './words.js';

type Step =
  | { step: 'list' }
  | { step: 'reason'; sale: VoidableSaleView }
  | { step: 'confirm'; sale: VoidableSaleView; reason: string };

const saleInWords = (sale: VoidableSaleView) =>
  `receipt ${sale.receiptNumber} of ${whenInWords(sale.occurredAt, false)} (${money(sale.total, sale.currency)}${sale.cashier ? `, ${sale.cashier}` : ''})`;

/**
 * Post-void: the open shift's completed sales, latest first (those that cannot be voided greyed, with why), one
 * picked, a reason, and one question naming the sale and the cash to hand back.
 */
export function PostVoidView({
  store,
  busy,
  setBack,
}: {
  store: StoreApi<TillState>;
  busy: boolean;
  /** What the menu's Esc does instead of leaving the view: one step back. */
  setBack(back: (() => void) | null): void;
}) {
  const [sales, setSales] = useState<VoidableSaleView[] | null>(null);
  const [step, setStep] = useState<Step>({ step: 'list' });
  const [reason, setReason] = useState('');
  const focus = useFocusOnShow<HTMLButtonElement>(step);
  const list = useRef<HTMLUListElement>(null);
  // The list arrived: the first sale that can be voided takes focus (arrows and Enter from there).
  useEffect(() => {
    if (sales) list.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [sales]);
  useEffect(() => {
    setBack(
      step.step === 'list'
        ? null
        : () => {
            setReason('');
            setStep(step.step === 'confirm' ? { step: 'reason', sale: step.sale } : { step: 'list' });
          },
    );
    return () => setBack(null);
  }, [step, setBack]);
  useEffect(() => {
    void store
      .getState()
      .loadVoidable()
      .then((loaded) => setSales(loaded ?? []));
  }, [store]);

  if (step.step === 'confirm') {
    const { sale } = step;
    return (
      <div className="view confirm" data-testid="post-void-confirm">
        <p className="lead">
          <strong>Void {saleInWords(sale)}?</strong> It is reversed in the reports, a void slip prints and the
          drawer opens: hand back{' '}
          <strong data-testid="post-void-refund">{money(sale.total, sale.currency)}</strong> cash.
        </p>
        <p>Reason: {step.reason}</p>
        <div className="confirm-actions">
          <button
            type="button"
            className="danger"
            data-testid="post-void-submit"
            ref={focus}
            disabled={busy}
            onClick={() => void store.getState().postVoid(sale, step.reason)}
          >
            {busy ? 'Voiding…' : `Void receipt ${sale.receiptNumber}`} <kbd>Enter</kbd>
          </button>
        </div>
      </div>
    );
  }
  if (step.step === 'reason') {
    const next = (event: FormEvent) => {
      event.preventDefault();
      if (reason) setStep({ step: 'confirm', sale: step.sale, reason });
    };
    return (
      <form className="view post-void-reason" onSubmit={next}>
        <p className="lead">Voiding {saleInWords(step.sale)}.</p>
        <ReasonPicker reasons={POST_VOID_REASONS} question="Why is it voided?" onChange={setReason} />
        <button type="submit" className="primary" data-testid="post-void-next" disabled={!reason}>
          {reason ? 'Next' : 'Pick or type a reason'} <kbd>Enter</kbd>
        </button>
      </form>
    );
  }
  if (sales === null) return <p className="view hint">Reading the shift's sales…</p>;
  if (sales.length === 0) {
    return (
      <p className="view hint" data-testid="post-void-none">
        No completed sales in this shift yet.
      </p>
    );
  }
  return (
    <div className="view post-void-list">
      <p className="lead">Pick the sale to void (this shift's, latest first).</p>
      <ul className="sale-list" ref={list}>
        {sales.map((sale) => (
          <li key={sale.saleId}>
            <button
              type="button"
              className="sale-choice"
              data-testid="voidable-sale"
              disabled={!sale.voidable}
              aria-describedby={sale.why ? `why-${sale.saleId}` : undefined}
              onClick={() => {
                setReason('');
                setStep({ step: 'reason', sale });
              }}
            >
              <span className="receipt">{sale.receiptNumber}</span>
              <span>{whenInWords(sale.occurredAt, false)}</span>
              <span className="num">{money(sale.total, sale.currency)}</span>
              <span>{sale.cashier ?? '—'}</span>
              <span>{sale.tenders.map(tenderName).join(' + ')}</span>
              {sale.why && (
                <span className="why" id={`why-${sale.saleId}`}>
                  Not voidable: {sale.why}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
