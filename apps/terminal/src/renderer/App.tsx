import { formatMinorUnits } from '@tillwright/commerce';
import { type FormEvent, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { cartTotal, money, type TillState } from './cart-store.js';

export function App({ store }: { store: StoreApi<TillState> }) {
  const state = useStore(store);
  const { cart, hello, quote } = state;
  const quotedLine = (lineId: string) => quote?.lines.find((line) => line.lineId === lineId);
  return (
    <div className="till">
      <header className="bar">
        <strong>Tillwright</strong>
        <span data-testid="terminal-id">{hello?.terminalId ?? 'not enrolled'}</span>
        <SyncBadge state={state} />
        {state.devices && state.devices.alerts.length > 0 && (
          <span className="badge device-alert" data-testid="device-alert" role="status">
            {state.devices.alerts.join(' · ')}
          </span>
        )}
      </header>
      {state.sync?.clock.alert && (
        <div className="clock-alert" role="alert" data-testid="clock-alert">
          <strong>Clock.</strong> {state.sync.clock.alert}
        </div>
      )}
      {state.sync && state.sync.feed.skipped > 0 && (
        <div className="feed-notice" role="status" data-testid="feed-notice">
          <strong>Update this till.</strong> HQ sent {state.sync.feed.skipped}{' '}
          {state.sync.feed.skipped === 1 ? 'setting' : 'settings'} this version cannot read yet
          {state.sync.feed.lastSkipped &&
            ` (last: ${state.sync.feed.lastSkipped.kind} version ${state.sync.feed.lastSkipped.schema})`}
          . Selling and sync go on; they apply once the till software is updated.
        </div>
      )}
      {state.sync?.alert && (
        <div className="sync-alert" role="alert" data-testid="sync-alert">
          <strong>Sync stopped — selling continues, sales are kept on this till.</strong>{' '}
          {state.sync.alert.message}
          <div>{state.sync.alert.action}</div>
        </div>
      )}
      <main className="panes">
        <section className="cart" aria-label="Cart">
          <table>
            <thead>
              <tr>
                <th>Item</th>
                <th>Qty</th>
                <th className="num">Amount</th>
                <th />
              </tr>
            </thead>
            <tbody data-testid="cart-lines">
              {cart.lines.map((line) => (
                <tr key={line.lineId} data-testid="cart-line">
                  <td>{line.name}</td>
                  <td>{line.quantity}</td>
                  <td className="num">
                    {money(quotedLine(line.lineId)?.amount ?? line.unitPrice * line.quantity, cart.currency)}
                    {quotedLine(line.lineId)?.discounts.map((name) => (
                      <div key={name} className="discount">
                        {name}
                      </div>
                    ))}
                  </td>
                  <td>
                    <button
                      type="button"
                      onClick={() => state.removeLine(line.lineId)}
                      aria-label={`Remove ${line.name}`}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="total">
            Total <span data-testid="cart-total">{money(cartTotal(cart, quote), cart.currency)}</span>
          </div>
          {quote && quote.taxTotal > 0 && (
            <div className="tax" data-testid="cart-tax">
              incl. tax {money(quote.taxTotal, cart.currency)}
            </div>
          )}
        </section>
        <section className="pay" aria-label="Payment">
          <label>
            Cash received
            <input
              data-testid="cash-tendered"
              inputMode="decimal"
              value={cart.cashTendered}
              placeholder={
                cart.lines.length ? formatMinorUnits(quote?.cashDue ?? cartTotal(cart), cart.currency) : ''
              }
              onChange={(event) => state.setCashTendered(event.target.value)}
            />
          </label>
          <button type="button" className="primary" data-testid="pay" onClick={() => void state.pay()}>
            {state.paying ? 'Paying…' : 'Pay cash'}
          </button>
          {state.notice && (
            <p role="alert" className={state.notice.kind} data-testid="notice">
              {state.notice.text}
            </p>
          )}
          {state.lastSale && (
            <div className="last-sale" data-testid="last-sale">
              <div>Receipt {state.lastSale.receiptNumber}</div>
              <div>
                Change due{' '}
                <strong data-testid="change-due">
                  {money(state.lastSale.change, state.lastSale.currency)}
                </strong>
              </div>
            </div>
          )}
          {hello?.simulators && <SimulatedScanner store={store} />}
        </section>
      </main>
    </div>
  );
}

function SyncBadge({ state }: { state: TillState }) {
  const sync = state.sync;
  if (!sync) return <span className="badge">…</span>;
  const oldest = sync.oldestPendingAt ? ageInWords(Date.now() - Date.parse(sync.oldestPendingAt)) : null;
  return (
    <>
      <span
        className={`badge ${sync.state}${sync.overdue ? ' overdue' : ''}`}
        data-testid="sync-state"
        title={sync.lastError ?? ''}
      >
        {sync.state}
        {sync.pending > 0 ? ` · ${sync.pending} to send` : ''}
        {sync.pending > 0 && oldest ? ` · oldest ${oldest}` : ''}
        {sync.overdue ? ' · tell a manager' : ''}
      </span>
      <span className="last-sync" data-testid="last-sync">
        {sync.lastSyncAt ? `last sync ${whenInWords(sync.lastSyncAt)}` : 'never synced'}
      </span>
    </>
  );
}

/** A time on the till's screen: the time of day today, the date and time on an earlier day. */
function whenInWords(iso: string): string {
  const at = new Date(iso);
  const today = new Date().toDateString() === at.toDateString();
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return today ? time : `${at.toLocaleDateString()} ${time}`;
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

/** How long ago, for a cashier: seconds under a minute, then minutes, then hours. */
function ageInWords(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
