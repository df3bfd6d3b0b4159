import { CartKeys, QuantityCell } from './CartEditing.js';
import { selectedLine } from './cart-edit-slice.js';
import type { TillState } from './cart-store.js';
import { cartTotal, money, NO_SHIFT_WORDS, repricing, sellingBlocked } from './cart-store.js';
import { DiscountKeys } from './DiscountDialog.js';
import { BasketDiscountRow, LineAmount } from './LineAdjustments.js';
import { LineNotes } from './LineNotes.js';
import { ParkKeys } from './ParkedSalesView.js';

/** The cart on the left: the lines with quantity and amount (the host's, with its discounts), the total and tax. */
export function CartPane({ state }: { state: TillState }) {
  const { cart, quote } = state;
  const quotedLine = (lineId: string) => quote?.lines.find((line) => line.lineId === lineId);
  return (
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
            <tr
              key={line.lineId}
              data-testid="cart-line"
              className={selectedLine(state)?.lineId === line.lineId ? 'selected' : undefined}
              aria-selected={selectedLine(state)?.lineId === line.lineId}
              onClick={() => state.selectLine(line.lineId)}
            >
              <td>
                {line.name}
                {line.custom && (
                  <div className="line-kind" data-testid="line-custom">
                    Custom amount
                  </div>
                )}
                <LineNotes line={line} currency={cart.currency} />
              </td>
              <td>
                {line.measure ? (
                  <span data-testid="line-quantity">1</span>
                ) : (
                  <QuantityCell state={state} line={line} />
                )}
              </td>
              <td className="num">
                <LineAmount
                  line={line}
                  quoted={quotedLine(line.lineId)}
                  quote={quote}
                  currency={cart.currency}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="remove"
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
      {sellingBlocked(state.shiftStatus) ? (
        <p className="empty no-shift" role="status" data-testid="no-shift">
          <strong>{NO_SHIFT_WORDS}</strong>
        </p>
      ) : (
        cart.lines.length === 0 && <p className="empty">Scan or search an item (F2)</p>
      )}
      <BasketDiscountRow cart={cart} quote={quote} />
      <div className="total">
        Total{' '}
        {repricing(state) ? (
          <span data-testid="cart-repricing" role="status">
            Re-pricing…
          </span>
        ) : (
          <span data-testid="cart-total">{money(cartTotal(cart, quote), cart.currency)}</span>
        )}
      </div>
      {quote && quote.taxTotal > 0 && (
        <div className="tax" data-testid="cart-tax">
          incl. tax {money(quote.taxTotal, cart.currency)}
        </div>
      )}
      <CartKeys state={state} />
      <ParkKeys state={state} />
      <DiscountKeys state={state} />
    </section>
  );
}
