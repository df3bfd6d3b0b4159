import { useEffect, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { ShiftReportView } from '../contract/methods.js';
import type { TillState } from './cart-store.js';
import { useFocusOnShow } from './use-dialog.js';
import { money, overShortInWords, whenInWords } from './words.js';

const TENDER_NAMES: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  'gift-card': 'Gift card',
  'store-credit': 'Store credit',
};
const MOVEMENT_NAMES = { 'cash-drop': 'Cash drop', 'paid-in': 'Paid in', 'paid-out': 'Paid out' } as const;

export const tenderName = (kind: string) => TENDER_NAMES[kind] ?? kind;

/**
 * A shift's figures as the journal has them: sales, voids, returns and no-sales, taxes, tenders, and the cash in the
 * drawer from the float to what is expected. The X report on screen, and the body of the Z report after a close.
 */
export function ReportFigures({ view }: { view: ShiftReportView }) {
  const { report } = view;
  const m = (amount: number) => money(amount, report.currency);
  const { cash } = report;
  const row = (label: string, value: string, testId?: string) => (
    <tr key={label}>
      <th scope="row">{label}</th>
      <td className="num" data-testid={testId}>
        {value}
      </td>
    </tr>
  );
  return (
    <div className="report-figures" data-testid="report-figures">
      <p className="report-who" data-testid="report-who">
        Opened {whenInWords(report.openedAt, false)} by {view.openedByName}
        {report.closedAt && view.closedByName
          ? ` · closed ${whenInWords(report.closedAt, false)} by ${view.closedByName}`
          : ''}
      </p>
      <div className="report-columns">
        <table>
          <caption>Sales</caption>
          <tbody>
            {row('Sales', `${report.sales.count} · ${m(report.sales.total)}`, 'report-sales')}
            {row('of which tax', m(report.sales.taxTotal))}
            {row('Discounts given', m(report.sales.discountTotal))}
            {row('Voids', `${report.voids.count} · ${m(report.voids.total)}`, 'report-voids')}
            {row('Returns', `${report.returns.count} · ${m(report.returns.total)}`, 'report-returns')}
            {row('No-sales (drawer opened)', String(report.noSales), 'report-no-sales')}
            {report.taxes.map((tax) => row(`Tax ${tax.code}`, m(tax.amount)))}
          </tbody>
        </table>
        <table>
          <caption>Tenders</caption>
          <thead>
            <tr>
              <th scope="col">Tender</th>
              <th scope="col" className="num">
                Taken
              </th>
              <th scope="col" className="num">
                Refunded
              </th>
              <th scope="col" className="num">
                Net
              </th>
            </tr>
          </thead>
          <tbody>
            {report.tenders.length === 0 && (
              <tr>
                <td colSpan={4}>No payments yet</td>
              </tr>
            )}
            {report.tenders.map((tender) => (
              <tr key={tender.kind}>
                <th scope="row">{tenderName(tender.kind)}</th>
                <td className="num">{m(tender.taken)}</td>
                <td className="num">{m(tender.refunded)}</td>
                <td className="num">{m(tender.net)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table>
          <caption>Cash in the drawer</caption>
          <tbody>
            {row('Opening float', m(cash.openingFloat), 'report-float')}
            {row('+ Cash sales', m(cash.sales), 'report-cash-sales')}
            {row('− Cash refunds', m(cash.refunds))}
            {row('+ Paid in', m(cash.paidIn), 'report-paid-in')}
            {row('− Paid out', m(cash.paidOut), 'report-paid-out')}
            {row('− Cash drops', m(cash.drops), 'report-drops')}
            <tr className="sum">
              <th scope="row">= Expected in the drawer</th>
              <td className="num" data-testid="report-expected">
                {m(cash.expected)}
              </td>
            </tr>
          </tbody>
        </table>
        {report.movements.length > 0 && (
          <table data-testid="report-movements">
            <caption>Cash movements</caption>
            <tbody>
              {report.movements.map((movement) => (
                <tr key={movement.eventId}>
                  <th scope="row">
                    {whenInWords(movement.occurredAt, false)} {MOVEMENT_NAMES[movement.type]}:{' '}
                    {movement.reason}
                  </th>
                  <td className="num">{m(movement.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

/** Counted against expected per tender, after a close: a shortage says "short", never by colour alone. */
export function OverShortTable({ view }: { view: ShiftReportView }) {
  const { report } = view;
  if (!report.close) return null;
  const { counted, expected, overShort } = report.close;
  const kinds = [...new Set([...expected, ...counted].map((row) => row.kind))];
  const amount = (rows: { kind: string; amount: number }[], kind: string) =>
    rows.find((row) => row.kind === kind)?.amount ?? 0;
  return (
    <table className="over-short" data-testid="over-short">
      <thead>
        <tr>
          <th scope="col">Tender</th>
          <th scope="col" className="num">
            Expected
          </th>
          <th scope="col" className="num">
            Counted
          </th>
          <th scope="col" className="num">
            Over / short
          </th>
        </tr>
      </thead>
      <tbody>
        {kinds.map((kind) => {
          const difference = amount(overShort, kind);
          return (
            <tr key={kind} data-testid={`over-short-${kind}`}>
              <th scope="row">{tenderName(kind)}</th>
              <td className="num">{money(amount(expected, kind), report.currency)}</td>
              <td className="num">{money(amount(counted, kind), report.currency)}</td>
              <td
                className={`num ${difference < 0 ? 'short' : difference > 0 ? 'over' : 'exact'}`}
                data-testid={`over-short-${kind}-words`}
              >
                {overShortInWords(difference, report.currency)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The manager menu's X report: the open shift's figures now, and Print. */
export function XReportView({ store, busy }: { store: StoreApi<TillState>; busy: boolean }) {
  const [view, setView] = useState<ShiftReportView | null>(null);
  const print = useFocusOnShow<HTMLButtonElement>(view);
  useEffect(() => {
    void store
      .getState()
      .loadShiftReport()
      .then((loaded) => setView(loaded));
  }, [store]);
  if (!view) return <p className="view hint">{busy ? 'Reading the journal…' : ''}</p>;
  return (
    <div className="view x-report" data-testid="x-report">
      <ReportFigures view={view} />
      <button
        type="button"
        className="print-report"
        ref={print}
        data-testid="x-report-print"
        disabled={busy}
        onClick={() => void store.getState().printShiftReport()}
      >
        Print X report <kbd>P</kbd>
      </button>
    </div>
  );
}
