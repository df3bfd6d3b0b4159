import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { TillState } from './cart-store.js';
import { NO_SALE_REASONS } from './manager-slice.js';
import { useDialogFocus } from './use-dialog.js';
import { whenInWords } from './words.js';

type View = 'main' | 'no-sale' | 'unlock' | 'new-epoch';
const VIEW_TITLES: Record<View, string> = {
  main: '',
  'no-sale': 'No sale',
  unlock: 'Unlock an employee',
  'new-epoch': 'Start a new epoch',
};

/**
 * The manager menu (F12): a no-sale with its reason, unlocking an employee locked out after wrong PINs, and, when
 * sync stopped with an alert, trying again or starting a new epoch. Anyone signed in may open it; what their role
 * may not do asks for approval over it. Digits pick an item, Esc backs out.
 */
export function ManagerMenu({ store, inert }: { store: StoreApi<TillState>; inert: boolean }) {
  const { managerMenu, sync } = useStore(store);
  const [view, setView] = useState<View>('main');
  const container = useDialogFocus<HTMLDivElement>();
  const actions = store.getState();
  const stopped = sync?.state === 'stopped' && sync.alert !== null;

  const shown = useRef<View>(view);
  // Another view drawn: focus its first field or button (the menu's first item on opening is the dialog's own).
  useEffect(() => {
    if (shown.current === view) return;
    shown.current = view;
    container.current?.querySelector<HTMLElement>('.view input, .view button, .close')?.focus();
  });
  const show = (next: View) => {
    setView(next);
    if (next === 'unlock') void actions.loadLocked();
  };
  const items: { key: string; view: View; label: string; testId: string; shown: boolean }[] = [
    { key: '1', view: 'no-sale', label: 'No sale: open the drawer', testId: 'no-sale', shown: true },
    { key: '2', view: 'unlock', label: 'Unlock employee', testId: 'unlock-employee', shown: true },
    { key: '3', view: 'main', label: 'Retry sync', testId: 'sync-retry', shown: stopped },
    { key: '4', view: 'new-epoch', label: 'Start new epoch…', testId: 'sync-new-epoch', shown: stopped },
  ];
  const choose = (item: (typeof items)[number]) => {
    if (item.testId === 'sync-retry') void actions.retrySync();
    else show(item.view);
  };
  // On the window, so the menu's keys work wherever focus is (a button that went away leaves it on the page);
  // not while the approval dialog is over the menu, which has its own.
  const keys = useRef<(event: KeyboardEvent) => void>(() => {});
  keys.current = (event) => {
    if (store.getState().approval) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      if (view === 'main') actions.closeManagerMenu();
      else show('main');
      return;
    }
    const typing = event.target instanceof HTMLInputElement;
    const item = items.find((candidate) => candidate.shown && candidate.key === event.key);
    if (view === 'main' && item && !typing && !managerMenu.busy) {
      event.preventDefault();
      choose(item);
    }
  };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => keys.current(event);
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <div className="overlay" inert={inert}>
      <div
        className="sheet manager-menu"
        role="dialog"
        aria-modal="true"
        aria-labelledby="manager-title"
        data-testid="manager-menu"
        ref={container}
      >
        <h1 id="manager-title">Manager menu</h1>
        {view !== 'main' && <h2>{VIEW_TITLES[view]}</h2>}
        {view === 'main' && (
          <div className="view menu-items">
            {stopped && (
              <p className="sync-stopped" data-testid="manager-sync-alert">
                <strong>Sync stopped.</strong> {sync.alert?.message} {sync.alert?.action}
              </p>
            )}
            {items
              .filter((item) => item.shown)
              .map((item) => (
                <button
                  key={item.testId}
                  type="button"
                  data-testid={item.testId}
                  disabled={managerMenu.busy}
                  onClick={() => choose(item)}
                >
                  <kbd>{item.key}</kbd> {item.label}
                </button>
              ))}
          </div>
        )}
        {view === 'no-sale' && <NoSaleView store={store} busy={managerMenu.busy} />}
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
              disabled={managerMenu.busy}
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
          onClick={() => (view === 'main' ? actions.closeManagerMenu() : show('main'))}
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
