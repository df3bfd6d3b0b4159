import { parseMinorUnits } from '@tillwright/commerce';
import { type FormEvent, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { type CountEntry, CountGrid, countOf } from './CountGrid.js';
import type { TillState } from './cart-store.js';
import { OverShortTable, ReportFigures, tenderName } from './ShiftReportView.js';
import type { OtherTenderCount, ShiftCloseResult } from './shift-slice.js';
import { shiftInWords } from './shift-words.js';
import { useFocusOnShow } from './use-dialog.js';
import { money, printedInWords } from './words.js';

type Step = { step: 'count' } | { step: 'confirm' } | { step: 'result'; result: ShiftCloseResult };

/**
 * Closing the shift with a blind count: the cash by note and coin and each other tender's total, with nothing of
 * what is expected on the screen; asked once (the shift takes no more sales); then expected, counted and over or
 * short per tender, and what became of the Z report. `then` is the next step offered after the close (opening the
 * new shift, when the close came first).
 */
export function CloseShiftView({
  store,
  busy,
  then,
  setBack,
}: {
  store: StoreApi<TillState>;
  busy: boolean;
  then: { label: string; go(): void } | null;
  /** What the menu's Esc does instead of leaving the view: from the question back to the count. */
  setBack(back: (() => void) | null): void;
}) {
  const status = useStore(store, (state) => state.shiftStatus);
  const [entry, setEntry] = useState<CountEntry>({});
  const [others, setOthers] = useState<Record<string, string>>({});
  const [step, setStep] = useState<Step>({ step: 'count' });
  const focus = useFocusOnShow<HTMLButtonElement>(step.step);
  useEffect(() => {
    setBack(step.step === 'confirm' ? () => setStep({ step: 'count' }) : null);
    return () => setBack(null);
  }, [step.step, setBack]);
  if (step.step === 'result') return <CloseResult result={step.result} then={then} />;
  if (!status?.shift) return <p className="view hint">No shift is open on this till.</p>;
  const { shift } = status;
  const currency = shift.currency;
  const { count, total } = countOf(status.denominations, entry);
  const problems: string[] = [];
  const otherTenders: OtherTenderCount[] = status.otherTenders.map((kind) => {
    const text = others[kind]?.trim() ?? '';
    try {
      return { kind, amount: text ? parseMinorUnits(text, currency) : 0 };
    } catch {
      problems.push(`${tenderName(kind)} total "${text}" is not an amount: type it like 84.50`);
      return { kind, amount: 0 };
    }
  });

  if (step.step === 'confirm') {
    const close = async () => {
      const result = await store.getState().closeShift(count, otherTenders);
      if (result) setStep({ step: 'result', result });
    };
    return (
      <div className="view confirm" data-testid="shift-close-confirm">
        <p className="lead">
          <strong>Close the shift</strong> {shiftInWords(shift)}? It takes no more sales, and the Z report
          prints.
        </p>
        <ul className="counted-summary" data-testid="shift-close-counted">
          <li>Cash counted: {money(total, currency)}</li>
          {otherTenders.map((tender) => (
            <li key={tender.kind}>
              {tenderName(tender.kind)} counted: {money(tender.amount, currency)}
            </li>
          ))}
        </ul>
        <div className="confirm-actions">
          <button
            type="button"
            className="danger"
            data-testid="shift-close-submit"
            ref={focus}
            disabled={busy}
            onClick={() => void close()}
          >
            {busy ? 'Closing…' : 'Close shift'} <kbd>Enter</kbd>
          </button>
        </div>
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problems.length === 0) setStep({ step: 'confirm' });
  };
  return (
    <form className="view close-count" data-testid="shift-close-count" onSubmit={submit}>
      <p className="lead">
        <strong>Blind count.</strong> Count the cash by note and coin, and enter the card terminal's total.
        What the till expects is shown only after you submit.
      </p>
      <CountGrid
        denominations={status.denominations}
        currency={currency}
        entry={entry}
        onChange={setEntry}
        disabled={busy}
        amounts={status.otherTenders.map((kind) => ({
          key: kind,
          label: `${tenderName(kind)} total`,
          testId: `count-other-${kind}`,
          text: others[kind] ?? '',
          onChange: (text) => setOthers((before) => ({ ...before, [kind]: text })),
        }))}
      />
      {problems.map((problem) => (
        <p key={problem} className="error" role="alert" data-testid="shift-close-problem">
          {problem}
        </p>
      ))}
      <button type="submit" className="primary" data-testid="shift-close-count-done" disabled={busy}>
        Count done: cash {money(total, currency)} <kbd>Enter</kbd>
      </button>
    </form>
  );
}

/** After the close: expected, counted and over or short per tender, the Z report's fate, and the figures. */
function CloseResult({
  result,
  then,
}: {
  result: ShiftCloseResult;
  then: { label: string; go(): void } | null;
}) {
  const printed = result.receipt === 'confirmed' || result.receipt === 'sent-unconfirmed';
  const focus = useFocusOnShow<HTMLButtonElement>(result);
  return (
    <div className="view close-result" data-testid="shift-close-result">
      <p className="lead">
        <strong>Shift closed.</strong>{' '}
        <span data-testid="z-report-printed" className={printed ? '' : 'error'}>
          Z report {printedInWords(result.receipt)}.
        </span>
      </p>
      <OverShortTable view={result.report} />
      <details>
        <summary>The shift's figures (Z report)</summary>
        <ReportFigures view={result.report} />
      </details>
      {then && (
        <button
          type="button"
          className="primary"
          data-testid="shift-close-then"
          ref={focus}
          onClick={then.go}
        >
          {then.label} <kbd>Enter</kbd>
        </button>
      )}
    </div>
  );
}
