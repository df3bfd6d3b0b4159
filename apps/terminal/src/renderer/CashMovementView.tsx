import { parseMinorUnits } from '@tillwright/commerce';
import { type FormEvent, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { CashMovementType } from '../contract/methods.js';
import type { TillState } from './cart-store.js';
import { applyPadKey, NumberPad } from './NumberPad.js';
import { ReasonPicker } from './ReasonPicker.js';
import { CASH_MOVEMENT_REASONS, CASH_MOVEMENT_WORDS } from './shift-words.js';
import { money } from './words.js';

/** The amount typed, in minor units, or why it cannot be taken; null while nothing is typed. */
export function amountOf(text: string, currency: string): { amount: number } | { problem: string } | null {
  if (!text.trim()) return null;
  try {
    const amount = parseMinorUnits(text, currency);
    return amount > 0 ? { amount } : { problem: 'Enter an amount above zero' };
  } catch {
    return { problem: `"${text}" is not an amount: type it like 25.50` };
  }
}

/**
 * A cash drop, paid in or paid out: the amount (keyboard or keypad), a reason (picked or typed), and one button that
 * says what will happen. It goes through approval when the employee may not do it alone.
 */
export function CashMovementView({
  store,
  type,
  busy,
}: {
  store: StoreApi<TillState>;
  type: CashMovementType;
  busy: boolean;
}) {
  const currency = store.getState().shiftStatus?.shift?.currency ?? store.getState().cart.currency;
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const words = CASH_MOVEMENT_WORDS[type];
  const parsed = amountOf(text, currency);
  const amount = parsed && 'amount' in parsed ? parsed.amount : null;
  const ready = amount !== null && reason.length > 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready && !busy) void store.getState().cashMovement(type, amount, reason);
  };
  return (
    <form className="view cash-movement" data-testid="cash-movement" onSubmit={submit}>
      <p className="lead">{words.hint}</p>
      <div className="amount-entry">
        <div className="amount-and-reason">
          <label className="amount-field">
            Amount ({currency})
            <input
              className="amount-input"
              data-testid="cash-amount"
              inputMode="decimal"
              autoComplete="off"
              placeholder="0.00"
              value={text}
              disabled={busy}
              onChange={(event) => setText(event.target.value.replace(/[^\d.,]/g, '').slice(0, 13))}
            />
            {parsed && 'problem' in parsed && (
              <span className="error" role="alert" data-testid="cash-amount-problem">
                {parsed.problem}
              </span>
            )}
          </label>
          <ReasonPicker
            reasons={CASH_MOVEMENT_REASONS[type]}
            question="Why? (printed on the slip)"
            disabled={busy}
            onChange={setReason}
          />
        </div>
        <NumberPad amounts disabled={busy} onKey={(key) => setText(applyPadKey(text, key, 13))} />
      </div>
      <button type="submit" className="primary" data-testid="cash-movement-confirm" disabled={!ready || busy}>
        {busy
          ? 'Recording…'
          : ready
            ? `${words.title} ${money(amount, currency)}: ${reason}`
            : amount === null
              ? 'Enter the amount'
              : 'Pick or type a reason'}{' '}
        <kbd>Enter</kbd>
      </button>
    </form>
  );
}
