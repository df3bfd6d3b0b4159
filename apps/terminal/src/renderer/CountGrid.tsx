import { type KeyboardEvent, useRef } from 'react';
import type { DenominationCountRequest, DenominationView } from '../contract/methods.js';
import { applyPadKey, NumberPad, type PadKey } from './NumberPad.js';
import { money } from './words.js';

/** What has been typed per note and coin, by value in minor units: digits only, '' for none yet. */
export type CountEntry = Record<number, string>;

const MAX_COUNT_DIGITS = 6;
const MAX_COUNT = 100_000;
const MAX_AMOUNT_LENGTH = 13;

/** The count as the host takes it (every denomination, zero where nothing was typed) and its total. */
export function countOf(
  denominations: DenominationView[],
  entry: CountEntry,
): { count: DenominationCountRequest; total: number } {
  const count = denominations.map(({ value }) => ({
    value,
    count: Math.min(MAX_COUNT, Number(entry[value] || '0')),
  }));
  return { count, total: count.reduce((sum, row) => sum + row.value * row.count, 0) };
}

/** An amount counted beside the cash (the card terminal's total at a close), typed as text like "84.50". */
export interface AmountField {
  key: string;
  label: string;
  testId: string;
  text: string;
  onChange(text: string): void;
}

type Target = { kind: 'count'; value: number } | { kind: 'amount'; key: string };

/**
 * Counting a drawer by note and coin: each row its label, a count field (type digits; Tab or the arrows move between
 * rows; + and − for touch), the row's amount, and the running total beside it. Amounts counted beside the cash
 * (`amounts`: the card total) follow as rows of their own. The keypad types into the field last focused.
 */
export function CountGrid({
  denominations,
  currency,
  entry,
  onChange,
  disabled,
  amounts = [],
}: {
  denominations: DenominationView[];
  currency: string;
  entry: CountEntry;
  onChange(entry: CountEntry): void;
  disabled?: boolean;
  amounts?: AmountField[];
}) {
  const grid = useRef<HTMLDivElement>(null);
  const first = denominations[0];
  const target = useRef<Target | null>(first ? { kind: 'count', value: first.value } : null);
  const fields = () => [...(grid.current?.querySelectorAll<HTMLInputElement>('input') ?? [])];
  const set = (value: number, text: string) =>
    onChange({ ...entry, [value]: text.replace(/\D/g, '').slice(0, MAX_COUNT_DIGITS) });
  const step = (value: number, by: number) =>
    set(value, String(Math.max(0, Math.min(MAX_COUNT, Number(entry[value] || '0') + by))));
  const onPad = (key: PadKey) => {
    const at = target.current;
    if (at?.kind === 'count') set(at.value, applyPadKey(entry[at.value] ?? '', key, MAX_COUNT_DIGITS));
    const amount = at?.kind === 'amount' ? amounts.find((field) => field.key === at.key) : undefined;
    if (amount) amount.onChange(applyPadKey(amount.text, key, MAX_AMOUNT_LENGTH));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const all = fields();
    const at = all.indexOf(event.currentTarget);
    all[Math.max(0, Math.min(all.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  };
  const { total } = countOf(denominations, entry);
  const byKind = (kind: DenominationView['kind']) => denominations.filter((d) => d.kind === kind);

  return (
    <div className="count-work">
      <div className="count-grid" ref={grid}>
        {(['note', 'coin'] as const).map((kind) => (
          <fieldset key={kind} className="count-column">
            <legend className="visually-hidden">{kind === 'note' ? 'Notes' : 'Coins'}</legend>
            <div className="count-head">
              <span>{kind === 'note' ? 'Notes' : 'Coins'}</span>
              <span>Count</span>
              <span className="num">Amount</span>
            </div>
            {byKind(kind).map((denomination) => {
              const count = Number(entry[denomination.value] || '0');
              return (
                <div key={denomination.value} className="count-row" data-testid="count-row">
                  <label htmlFor={`count-${denomination.value}`} className="count-label">
                    {denomination.label}
                  </label>
                  <span className="count-input">
                    <button
                      type="button"
                      className="count-step"
                      tabIndex={-1}
                      aria-label={`One ${denomination.label} fewer`}
                      disabled={disabled || count === 0}
                      onPointerDown={(event) => event.preventDefault()}
                      onClick={() => step(denomination.value, -1)}
                    >
                      −
                    </button>
                    <input
                      id={`count-${denomination.value}`}
                      className="count-field"
                      data-testid={`count-${denomination.label}`}
                      inputMode="numeric"
                      autoComplete="off"
                      placeholder="0"
                      value={entry[denomination.value] ?? ''}
                      disabled={disabled}
                      onFocus={(event) => {
                        target.current = { kind: 'count', value: denomination.value };
                        event.currentTarget.select();
                      }}
                      onKeyDown={onKeyDown}
                      onChange={(event) => set(denomination.value, event.target.value)}
                    />
                    <button
                      type="button"
                      className="count-step"
                      tabIndex={-1}
                      aria-label={`One ${denomination.label} more`}
                      disabled={disabled}
                      onPointerDown={(event) => event.preventDefault()}
                      onClick={() => step(denomination.value, 1)}
                    >
                      +
                    </button>
                  </span>
                  <span className="num count-amount">
                    {count > 0 ? money(count * denomination.value, currency) : ''}
                  </span>
                </div>
              );
            })}
          </fieldset>
        ))}
        {amounts.length > 0 && (
          <fieldset className="count-column other-tenders">
            <legend className="visually-hidden">Other tenders</legend>
            {amounts.map((field) => (
              <div key={field.key} className="count-row amount-row">
                <label htmlFor={`amount-${field.key}`} className="count-label">
                  {field.label}
                </label>
                <input
                  id={`amount-${field.key}`}
                  className="count-field"
                  data-testid={field.testId}
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder="0.00"
                  value={field.text}
                  disabled={disabled}
                  onFocus={(event) => {
                    target.current = { kind: 'amount', key: field.key };
                    event.currentTarget.select();
                  }}
                  onKeyDown={onKeyDown}
                  onChange={(event) =>
                    field.onChange(event.target.value.replace(/[^\d.,]/g, '').slice(0, MAX_AMOUNT_LENGTH))
                  }
                />
              </div>
            ))}
          </fieldset>
        )}
      </div>
      <div className="count-side">
        <NumberPad amounts={amounts.length > 0} disabled={disabled} onKey={onPad} />
        <div className="count-total" data-testid="count-total" aria-live="polite">
          Cash counted <strong>{money(total, currency)}</strong>
        </div>
      </div>
    </div>
  );
}
