import { useCallback, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { CashMovementType } from '../contract/methods.js';
import { CashMovementView } from './CashMovementView.js';
import { CloseShiftView } from './CloseShiftView.js';
import type { TillState } from './cart-store.js';
import { NO_SALE_REASONS } from './manager-slice.js';
import { OpenShiftView } from './OpenShiftView.js';
import { PostVoidView } from './PostVoidView.js';
import { XReportView } from './ShiftReportView.js';
import { useDialogFocus } from './use-dialog.js';
import { whenInWords } from './words.js';

type View =
  | 'main'
  | 'open-shift'
  | 'x-report'
  | CashMovementType
  | 'no-sale'
  | 'post-void'
  | 'close-shift'
  | 'unlock'
  | 'new-epoch';
const VIEW_TITLES: Record<View, string> = {
  main: '',
  'open-shift': 'Open shift',
  'x-report': 'X report',
  'cash-drop': 'Cash drop',
  'paid-in': 'Paid in',
  'paid-out': 'Paid out',
  'no-sale': 'No sale',
  'post-void': 'Post-void a sale',
  'close-shift': 'Close shift',
  unlock: 'Unlock an employee',
  'new-epoch': 'Start a new epoch',
};
/** Views with a count grid, a report or a list: the sheet takes the width of the screen. */
const WIDE: View[] = [
  'open-shift',
  'x-report',
  'cash-drop',
  'paid-in',
  'paid-out',
  'post-void',
  'close-shift',
];

interface Item {
  key: string;
  label: string;
  testId: string;
  shown: boolean;
  /** Why it cannot be chosen now (no shift open, training mode), shown beside it; null when it can. */
  blocked: string | null;
  choose(): void;
}

/**
 * The manager menu (F12): the shift (open, X report, close), cash (drop, paid in, paid out, no sale), post-void,
 * training mode, unlocking an employee locked out after wrong PINs, and, when sync stopped with an alert, trying
 * again or starting a new epoch. Anyone signed in may open it; what their role may not do asks for approval over it.
 * The key printed on an item picks it; Esc backs out one step.
 */
export function ManagerMenu({ store, inert }: { store: StoreApi<TillState>; inert: boolean }) {
  const { managerMenu, sync, shiftStatus } = useStore(store);
  const [view, setView] = useState<View>('main');
  /** The close was asked for on the way to opening a new shift: after it, the open follows. */
  const [openAfterClose, setOpenAfterClose] = useState(false);
  const back = useRef<(() => void) | null>(null);
  const setBack = useCallback((step: (() => void) | null) => {
    back.current = step;
  }, []);
  const container = useDialogFocus<HTMLDivElement>();
  const actions = store.getState();
  const stopped = sync?.state === 'stopped' && sync.alert !== null;
  const known = shiftStatus !== null;
  const shift = shiftStatus?.shift ?? null;
  const training = shiftStatus?.training ?? false;

  const shown = useRef<View>(view);
  // Another view drawn: focus its first field or button (the menu's first item on opening is the dialog's own).
  useEffect(() => {
    if (shown.current === view) return;
    shown.current = view;
    container.current?.querySelector<HTMLElement>('.view input, .view button, .close')?.focus();
  });
  const show = (next: View) => {
    if (next !== 'close-shift') setOpenAfterClose(false);
    store.setState({ managerMenu: { ...store.getState().managerMenu, message: null } });
    setView(next);
    if (next === 'unlock') void actions.loadLocked();
  };
  const needsShift = known && !shift ? 'needs an open shift' : null;
  const notInTraining = training ? 'not in training mode' : null;
  const item = (key: string, testId: string, label: string, next: View, blocked: string | null = null) => ({
    key,
    testId,
    label,
    shown: true,
    blocked,
    choose: () => show(next),
  });
  const items: Item[] = [
    {
      ...item('1', 'menu-open-shift', 'Open shift', 'open-shift'),
      shown: !shift || shift.fromEarlierDay,
    },
    { ...item('2', 'menu-x-report', 'X report', 'x-report'), shown: !known || shift !== null },
    {
      key: 'Z',
      testId: 'menu-reprint-z',
      label: 'Reprint the last Z report',
      shown: known && shift === null,
      blocked: null,
      choose: () => void actions.printShiftReport(),
    },
    item('3', 'menu-cash-drop', 'Cash drop', 'cash-drop', needsShift ?? notInTraining),
    item('4', 'menu-paid-in', 'Paid in', 'paid-in', needsShift ?? notInTraining),
    item('5', 'menu-paid-out', 'Paid out', 'paid-out', needsShift ?? notInTraining),
    item('6', 'no-sale', 'No sale: open the drawer', 'no-sale', needsShift ?? notInTraining),
    item('7', 'menu-post-void', 'Post-void a sale', 'post-void', needsShift ?? notInTraining),
    item('8', 'menu-close-shift', 'Close shift', 'close-shift', needsShift ?? notInTraining),
    {
      key: '9',
      testId: 'menu-training',
      label: training ? 'Training mode off' : 'Training mode on',
      shown: true,
      blocked: null,
      choose: () => void actions.setTraining(!training),
    },
    item('0', 'unlock-employee', 'Unlock employee', 'unlock'),
    {
      key: 'R',
      testId: 'sync-retry',
      label: 'Retry sync',
      shown: stopped,
      blocked: null,
      choose: () => void actions.retrySync(),
    },
    { ...item('N', 'sync-new-epoch', 'Start new epoch…', 'new-epoch'), shown: stopped },
  ];
  // On the window, so the menu's keys work wherever focus is (a button that went away leaves it on the page);
  // not while the approval dialog is over the menu, which has its own.
  const keys = useRef<(event: KeyboardEvent) => void>(() => {});
  keys.current = (event) => {
    if (store.getState().approval) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      if (back.current) back.current();
      else if (view === 'main') actions.closeManagerMenu();
      else show('main');
      return;
    }
    const typing = event.target instanceof HTMLInputElement;
    if (typing || managerMenu.busy || event.ctrlKey || event.altKey || event.metaKey) return;
    const pressed = event.key.toUpperCase();
    const chosen = items.find(
      (candidate) => candidate.shown && !candidate.blocked && candidate.key === pressed,
    );
    if (view === 'main' && chosen) {
      event.preventDefault();
      chosen.choose();
    } else if (view === 'x-report' && pressed === 'P') {
      event.preventDefault();
      void actions.printShiftReport();
    }
  };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => keys.current(event);
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const busy = managerMenu.busy;
  return (
    <div className="overlay" inert={inert}>
      <div
        className={`sheet manager-menu${WIDE.includes(view) ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby="manager-title"
        data-testid="manager-menu"
        ref={container}
      >
        <h1 id="manager-title">
          Manager menu
          {view !== 'main' && <span className="view-title"> · {VIEW_TITLES[view]}</span>}
        </h1>
        {view === 'main' && (
          <div className="view menu-items">
            {stopped && (
              <p className="sync-stopped" data-testid="manager-sync-alert">
                <strong>Sync stopped.</strong> {sync.alert?.message} {sync.alert?.action}
              </p>
            )}
            {items
              .filter((candidate) => candidate.shown)
              .map((candidate) => (
                <button
                  key={candidate.testId}
                  type="button"
                  data-testid={candidate.testId}
                  disabled={busy || candidate.blocked !== null}
                  onClick={() => candidate.choose()}
                >
                  <kbd>{candidate.key}</kbd> {candidate.label}
                  {candidate.blocked && <span className="blocked"> ({candidate.blocked})</span>}
                </button>
              ))}
          </div>
        )}
        {view === 'open-shift' && (
          <OpenShiftView
            store={store}
            busy={busy}
            onCloseFirst={() => {
              show('close-shift');
              setOpenAfterClose(true);
            }}
          />
        )}
        {view === 'x-report' && <XReportView store={store} busy={busy} />}
        {(view === 'cash-drop' || view === 'paid-in' || view === 'paid-out') && (
          <CashMovementView key={view} store={store} type={view} busy={busy} />
        )}
        {view === 'no-sale' && <NoSaleView store={store} busy={busy} />}
        {view === 'post-void' && <PostVoidView store={store} busy={busy} setBack={setBack} />}
        {view === 'close-shift' && (
          <CloseShiftView
            store={store}
            busy={busy}
            setBack={setBack}
            then={
              openAfterClose
                ? { label: 'Now open the new shift', go: () => show('open-shift') }
                : { label: 'Done', go: () => actions.closeManagerMenu() }
            }
          />
        )}
        {view === 'unlock' && <UnlockView store={store} />}
        {view === 'new-epoch' && (
          <div className="view confirm" data-testid="new-epoch-confirm">
            <p>
              <strong>Start a new epoch?</strong> This till enrols with HQ again under a new epoch, as after a
              restore or when HQ fenced it. Sales already on this till that HQ has not received could never be
              sent after it, so the till refuses while any are waiting.
            </p>
            <button
              type="button"
              className="danger"
              data-testid="confirm-new-epoch"
              disabled={busy}
              onClick={() => void actions.startNewEpoch().then(() => setView('main'))}
            >
              Start new epoch
            </button>
          </div>
        )}
        {managerMenu.message && (
          <p role="status" className={managerMenu.message.kind} data-testid="manager-message">
            {managerMenu.message.text}
          </p>
        )}
        <button
          type="button"
          className="close"
          data-testid="manager-close"
          onClick={() =>
            back.current ? back.current() : view === 'main' ? actions.closeManagerMenu() : show('main')
          }
        >
          {view === 'main' ? 'Close' : 'Back'} <kbd>Esc</kbd>
        </button>
      </div>
    </div>
  );
}

function NoSaleView({ store, busy }: { store: StoreApi<TillState>; busy: boolean }) {
  const [other, setOther] = useState('');
  const open = (reason: string) => {
    if (reason.trim()) void store.getState().noSale(reason.trim());
  };
  return (
    <div className="view no-sale" data-testid="no-sale-reasons">
      <p>Why open the drawer without a sale?</p>
      <div className="reasons">
        {NO_SALE_REASONS.map((reason) => (
          <button
            key={reason}
            type="button"
            data-testid="no-sale-reason"
            disabled={busy}
            onClick={() => open(reason)}
          >
            {reason}
          </button>
        ))}
      </div>
      <form
        className="other-reason"
        onSubmit={(event) => {
          event.preventDefault();
          open(other);
        }}
      >
        <label>
          Another reason
          <input
            className="reason-input"
            data-testid="no-sale-other"
            value={other}
            maxLength={120}
            onChange={(event) => setOther(event.target.value)}
          />
        </label>
        <button type="submit" data-testid="no-sale-open" disabled={busy || !other.trim()}>
          Open drawer <kbd>Enter</kbd>
        </button>
      </form>
    </div>
  );
}

function UnlockView({ store }: { store: StoreApi<TillState> }) {
  const { locked, busy } = useStore(store, (state) => state.managerMenu);
  const list = useRef<HTMLUListElement>(null);
  // The list arrived (or changed after an unlock): focus its first Unlock, or with no one left the menu's Back.
  useEffect(() => {
    if (locked === null) return;
    const first =
      list.current?.querySelector('button') ?? document.querySelector<HTMLElement>('.manager-menu .close');
    first?.focus();
  }, [locked]);
  if (locked === null) return <p className="view hint">Loading…</p>;
  if (locked.length === 0) {
    return (
      <p className="view hint" data-testid="no-one-locked">
        No one is locked out on this till.
      </p>
    );
  }
  return (
    <ul className="view locked-list" ref={list}>
      {locked.map((employee) => (
        <li key={employee.employeeId} data-testid="locked-employee-row">
          <span>
            <strong>{employee.displayName}</strong> ({employee.number}),{' '}
            {employee.lockedUntil
              ? `locked until ${whenInWords(employee.lockedUntil, false)}`
              : 'locked until a manager unlocks'}
          </span>
          <button
            type="button"
            data-testid={`unlock-${employee.number}`}
            disabled={busy}
            onClick={() => void store.getState().unlockEmployee(employee)}
          >
            Unlock
          </button>
        </li>
      ))}
    </ul>
  );
}
