import type {
  AdjustmentKind,
  ManualDiscountRequest,
  MethodParams,
  SaleLineRequest,
  SaleQuote,
} from '../contract/methods.js';
import { ApprovalCancelled } from './approval-slice.js';
import type { CartLine, CartPriceOverride, StoredCart } from './cart-db.js';
import { selectedLine } from './cart-edit-slice.js';
import type { TillDeps, TillGet, TillSet } from './cart-store.js';
import { lineExtras } from './line-entry-slice.js';
import { customRequest } from './quick-keys-slice.js';
import { RpcCallError } from './rpc-client.js';

/** The discount dialog over the cart: a discount or price override on one line, or a discount on the basket. */
export type DiscountDialog =
  | { kind: 'line-discount' | 'price-override'; lineId: string }
  | { kind: 'basket-discount'; lineId: null }
  | null;

/** What the dialog asks for: a discount (percent or amount, with why), or a new unit price (with why). */
export type AdjustmentRequest =
  | { kind: 'line-discount' | 'basket-discount'; discount: ManualDiscountRequest['discount']; reason: string }
  | { kind: 'price-override'; unitPrice: number; reason: string };

export interface DiscountState {
  discountDialog: DiscountDialog;
  /** The dialog's last refusal (the host's words), shown in it; null before a try. */
  discountError: string | null;
  discountBusy: boolean;
  /** F4 (discount), Shift+F4 (price override) on the selected line; Ctrl+Shift+F4 on the basket. */
  openDiscount(kind: AdjustmentKind): void;
  closeDiscountDialog(): void;
  /**
   * Puts the adjustment on the line (or basket): priced by the host first; when it is beyond the signed-in
   * employee's limit, the approval dialog asks a manager, and the approval goes on with it. Cancelled or refused,
   * the cart stays as it was. True when it went on.
   */
  applyAdjustment(request: AdjustmentRequest): Promise<boolean>;
  /** Takes a line's discount or override, or the basket discount, off again. */
  removeAdjustment(kind: AdjustmentKind, lineId: string | null): void;
}

export interface DiscountDeps {
  saveCart(cart: StoredCart): void;
  rpc: TillDeps['rpc'];
}

/** A cart line as the host prices it: the product, quantity and whatever discount or override it carries. */
function requestLine(line: CartLine): SaleLineRequest {
  const { lineId, productId, barcode, quantity, discount, priceOverride } = line;
  return {
    lineId,
    productId,
    barcode,
    quantity,
    ...(discount ? { discount } : {}),
    ...(priceOverride ? { priceOverride } : {}),
    ...customRequest(line),
    ...lineExtras(line),
  };
}

/** What the host prices for a cart: its sale id (approvals are for it), lines and basket discount. */
export function cartRequest(cart: StoredCart): MethodParams<'sale.quote'> & { saleId: string } {
  return {
    saleId: cart.saleId,
    currency: cart.currency,
    lines: cart.lines.map(requestLine),
    ...(cart.basketDiscount ? { basketDiscount: cart.basketDiscount } : {}),
  };
}

/** The cart with the adjustment on, carrying `approvalId` when one was given. */
function withAdjustment(
  cart: StoredCart,
  dialog: NonNullable<DiscountDialog>,
  request: AdjustmentRequest,
  approvalId?: string,
) {
  const approved = approvalId ? { approvalId } : {};
  if (request.kind === 'basket-discount') {
    return { ...cart, basketDiscount: { discount: request.discount, reason: request.reason, ...approved } };
  }
  const change = (line: CartLine): CartLine => {
    if (request.kind === 'price-override') {
      const priceOverride: CartPriceOverride = {
        unitPrice: request.unitPrice,
        reason: request.reason,
        ...approved,
      };
      return { ...line, priceOverride };
    }
    return { ...line, discount: { discount: request.discount, reason: request.reason, ...approved } };
  };
  return { ...cart, lines: cart.lines.map((line) => (line.lineId === dialog.lineId ? change(line) : line)) };
}

/** The approval the host's quote says this adjustment still needs, if any. */
const neededFor = (quote: SaleQuote, kind: AdjustmentKind, lineId: string | null) =>
  quote.approvals.find((need) => need.kind === kind && need.lineId === lineId && !need.approved) ?? null;

/** The approval prompt names what the discount is on: "a 30 % discount on Ballpoint pen". */
function namingWhere(error: unknown, where: string): unknown {
  if (!(error instanceof RpcCallError) || !error.error.approval) return error;
  const { approval } = error.error;
  return new RpcCallError({
    ...error.error,
    approval: { ...approval, what: `${approval.what} on ${where}` },
  });
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function discountSlice(set: TillSet, get: TillGet, deps: DiscountDeps): DiscountState {
  const refuse = (text: string) => set({ notice: { kind: 'error', text } });
  return {
    discountDialog: null,
    discountError: null,
    discountBusy: false,
    openDiscount(kind) {
      if (kind === 'basket-discount') {
        if (get().cart.lines.length === 0) return refuse('Scan an item first: there is nothing to discount');
        return set({ discountDialog: { kind, lineId: null }, discountError: null });
      }
      const line = selectedLine(get());
      if (!line) return refuse('Scan an item first: there is no line to discount');
      set({ discountDialog: { kind, lineId: line.lineId }, discountError: null });
    },
    closeDiscountDialog() {
      if (!get().discountBusy) set({ discountDialog: null, discountError: null });
    },
    async applyAdjustment(request) {
      const dialog = get().discountDialog;
      if (!dialog || dialog.kind !== request.kind || get().discountBusy) return false;
      const { cart } = get();
      const asked = withAdjustment(cart, dialog, request);
      set({ discountBusy: true, discountError: null });
      try {
        // Priced first: the host says whether it fits (a discount larger than the line is refused here, with words)
        // and whether it is beyond this employee's limit.
        const quote = await deps.rpc.call('sale.quote', cartRequest(asked));
        const need = neededFor(quote, request.kind, dialog.lineId);
        let approvalId: string | undefined;
        if (need) {
          set({ discountDialog: null, discountBusy: false });
          const where = cart.lines.find((line) => line.lineId === dialog.lineId)?.name ?? 'the whole sale';
          const approved = await get().withApproval((approval) =>
            deps.rpc
              .call('sale.approve', {
                saleId: cart.saleId,
                kind: request.kind,
                lineId: dialog.lineId,
                rate: need.rate,
                reason: request.reason,
                ...(approval ? { approval } : {}),
              })
              .catch((error: unknown) => {
                throw namingWhere(error, where);
              }),
          );
          approvalId = approved.approvalId ?? undefined;
        }
        // The cart may have moved on meanwhile (a scan while the manager typed): the adjustment goes on the cart now.
        if (get().cart.saleId !== cart.saleId) return false;
        deps.saveCart(withAdjustment(get().cart, dialog, request, approvalId));
        set({ discountDialog: null, discountBusy: false, notice: null });
        return true;
      } catch (error) {
        if (error instanceof ApprovalCancelled) {
          set({
            discountBusy: false,
            notice: { kind: 'info', text: 'Not applied: it needs a manager’s approval' },
          });
        } else if (get().discountDialog && error instanceof RpcCallError) {
          set({ discountBusy: false, discountError: error.message });
        } else {
          set({ discountBusy: false, notice: { kind: 'error', text: messageOf(error) } });
        }
        return false;
      }
    },
    removeAdjustment(kind, lineId) {
      const { cart } = get();
      if (kind === 'basket-discount') {
        const { basketDiscount: _, ...rest } = cart;
        return deps.saveCart(rest);
      }
      const field = kind === 'price-override' ? 'priceOverride' : 'discount';
      deps.saveCart({
        ...cart,
        lines: cart.lines.map((line) => {
          if (line.lineId !== lineId) return line;
          const { [field]: _, ...rest } = line;
          return rest;
        }),
      });
    },
  };
}
