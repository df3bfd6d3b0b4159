import type { SaleQuote } from '../contract/methods.js';
import type { CartLine, StoredCart } from './cart-db.js';
import { basketDiscountWords, lineAdjustments } from './discount-words.js';
import { money } from './words.js';

type QuotedLine = SaleQuote['lines'][number];

/**
 * A cart line's amount and what changed it: an overridden price with the listed one struck through, promotions
 * (marked "Promotion", in their own style), manual discounts with their reason, and "needs approval" while a manager
 * has not approved what is beyond the cashier's limit.
 */
export function LineAmount({
  line,
  quoted,
  quote,
  currency,
}: {
  line: CartLine;
  quoted: QuotedLine | undefined;
  quote: SaleQuote | null;
  currency: string;
}) {
  const pending = quote?.approvals.some((need) => need.lineId === line.lineId && !need.approved) ?? false;
  return (
    <>
      {line.priceOverride && (
        <div className="override-price" data-testid="line-listed-price">
          Listed <s>{money(line.unitPrice, currency)}</s>, now {money(line.priceOverride.unitPrice, currency)}
        </div>
      )}
      {money(quoted?.amount ?? line.unitPrice * line.quantity, currency)}
      {lineAdjustments(line, quoted, currency).map((view) => (
        <div key={view.text} className={`adjustment ${view.kind}`} data-testid={`line-${view.kind}`}>
          {view.text}
          {view.amount && <span className="adjustment-amount"> {view.amount}</span>}
        </div>
      ))}
      {pending && (
        <div className="adjustment pending" data-testid="line-needs-approval">
          ⚠ Needs a manager’s approval
        </div>
      )}
    </>
  );
}

/** The basket discount, once, under the lines. */
export function BasketDiscountRow({ cart, quote }: { cart: StoredCart; quote: SaleQuote | null }) {
  const words = basketDiscountWords(cart.basketDiscount, quote, cart.currency);
  if (!words) return null;
  return (
    <div className="adjustment discount basket" data-testid="basket-discount">
      {words.text}
      {words.amount && <span className="adjustment-amount"> {words.amount}</span>}
    </div>
  );
}
