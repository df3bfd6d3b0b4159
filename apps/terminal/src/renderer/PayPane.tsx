import { formatMinorUnits } from '@tillwright/commerce';
import { type FormEvent, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { cartTotal, money, repricing, sellingBlocked, type TillState } from './cart-store.js';
import { ReceiptPreview } from './ReceiptPreview.js';

/** The panel on the right: cash received, Pay, what the host said, the last sale's change, the simulated scanner. */
export function PayPane({ store, state }: { store: StoreApi<TillState>; state: TillState }) {
  const { cart, quote } = state;
  return (
    <section className="pay" aria-label="Payment">
      <label>
        Cash received
        <input
          data-testid="cash-tendered"
          inputMode="decimal"
          value={cart.cashTendered}
          placeholder={
            cart.lines.length && !repricing(state)
              ? formatMinorUnits(quote?.cashDue ?? cartTotal(cart), cart.currency)
              : ''
          }
          onChange={(event) => state.setCashTendered(event.target.value)}
        />
      </label>
      <button
        type="button"
        className="primary"
        data-testid="pay"
        disabled={sellingBlocked(state.shiftStatus) || repricing(state)}
        aria-describedby={sellingBlocked(state.shiftStatus) ? 'pay-blocked' : undefined}
        onClick={() => void state.pay()}
      >
        {state.paying ? 'Paying…' : state.shiftStatus?.training ? 'Pay cash (training)' : 'Pay cash'}
      </button>
      {sellingBlocked(state.shiftStatus) && (
        <p className="hint" id="pay-blocked" data-testid="pay-blocked">
          Pay is off until a shift is open.
        </p>
      )}
      {state.notice && (
        <p role="alert" className={state.notice.kind} data-testid="notice">
          {state.notice.text}
        </p>
      )}
      {state.lastSale && (
        <div className="last-sale" data-testid="last-sale">
          {state.lastSale.training && (
            <div className="training-sale" data-testid="last-sale-training">
              TRAINING — practice sale, not counted; no money changes hands
            </div>
          )}
          <div>Receipt {state.lastSale.receiptNumber}</div>
          <div>
            Change due{' '}
            <strong data-testid="change-due">{money(state.lastSale.change, state.lastSale.currency)}</strong>
          </div>
        </div>
      )}
      <ReceiptPreview state={state} />
      {state.hello?.simulators && <SimulatedScanner store={store} />}
    </section>
  );
}

function SimulatedScanner({ store }: { store: StoreApi<TillState> }) {
  const [code, setCode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!code.trim()) return;
    void store.getState().simulateScan(code.trim());
    setCode('');
  };
  return (
    <form className="simulator" onSubmit={submit} aria-label="Simulated scanner">
      <div className="hint">Simulated scanner (try 4006381333931 or 5901234123457)</div>
      <input data-testid="sim-barcode" value={code} onChange={(event) => setCode(event.target.value)} />
      <button type="submit" data-testid="sim-scan">
        Scan
      </button>
    </form>
  );
}
