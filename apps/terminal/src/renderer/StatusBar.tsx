import type { StoreApi } from 'zustand/vanilla';
import type { TillState } from './cart-store.js';
import { shiftInWords } from './shift-words.js';
import { ageInWords, whenInWords } from './words.js';

/**
 * The bar on top: the till, who is signed in (name and role) with Lock, Sign out and the manager menu, the sync
 * state with what waits to be sent, and the printer and drawer alerts.
 */
export function StatusBar({ store, state }: { store: StoreApi<TillState>; state: TillState }) {
  const { hello, session, devices } = state;
  const employee = session?.state === 'signed-in' ? session.employee : null;
  const actions = store.getState();
  return (
    <header className="bar">
      <strong>Tillwright</strong>
      <span data-testid="terminal-id">{hello?.terminalId ?? 'not enrolled'}</span>
      <ShiftBadge state={state} />
      <SyncBadge state={state} />
      {devices && devices.alerts.length > 0 && (
        <span className="badge device-alert" data-testid="device-alert" role="status">
          {devices.alerts.join(' · ')}
        </span>
      )}
      {employee && (
        <span className="session">
          <span className="employee" data-testid="signed-in-employee">
            {employee.displayName} <span className="role">{employee.roleName}</span>
          </span>
          <button type="button" data-testid="lock" onClick={() => void actions.lock()}>
            Lock <kbd>Ctrl+L</kbd>
          </button>
          <button type="button" data-testid="sign-out" onClick={() => void actions.signOut()}>
            Sign out <kbd>Ctrl+Shift+L</kbd>
          </button>
          <button type="button" data-testid="manager-menu-button" onClick={() => actions.openManagerMenu()}>
            Manager <kbd>F12</kbd>
          </button>
        </span>
      )}
    </header>
  );
}

/** The till's shift as the cashier needs it: open since when and by whom, or none; TRAINING spelt out. */
function ShiftBadge({ state }: { state: TillState }) {
  const status = state.shiftStatus;
  if (!status) return null;
  const { shift } = status;
  return (
    <>
      {status.training && (
        <span className="badge training" data-testid="training-badge">
          TRAINING
        </span>
      )}
      <span
        className={`badge shift ${shift ? (shift.fromEarlierDay ? 'stale' : 'open') : 'none'}`}
        data-testid="shift-state"
      >
        {shift
          ? `Shift open · since ${whenInWords(shift.openedAt, false)} · ${shift.openedBy.displayName}`
          : 'No shift open'}
      </span>
    </>
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

/**
 * The notices under the bar: training mode, a shift left open from an earlier day, the till's clock, settings it
 * cannot read yet, and sync stopped.
 */
export function Banners({ state }: { state: TillState }) {
  const { sync, shiftStatus } = state;
  return (
    <>
      {shiftStatus?.training && (
        <div className="training-banner" role="status" data-testid="training-banner">
          <strong>TRAINING MODE</strong> — practice only: sales are not counted, receipts print TRAINING, the
          drawer stays shut. To stop: manager menu <kbd>F12</kbd>, Training mode off.
        </div>
      )}
      {shiftStatus?.shift?.fromEarlierDay && (
        <div className="clock-alert" role="status" data-testid="stale-shift">
          <strong>This shift was opened on an earlier day</strong> ({shiftInWords(shiftStatus.shift)}) and
          never closed. A manager closes it and opens today's: manager menu <kbd>F12</kbd>, Open shift.
        </div>
      )}
      {sync && <SyncBanners sync={sync} />}
    </>
  );
}

function SyncBanners({ sync }: { sync: NonNullable<TillState['sync']> }) {
  return (
    <>
      {sync.clock.alert && (
        <div className="clock-alert" role="alert" data-testid="clock-alert">
          <strong>Clock.</strong> {sync.clock.alert}
        </div>
      )}
      {sync.feed.skipped > 0 && (
        <div className="feed-notice" role="status" data-testid="feed-notice">
          <strong>Update this till.</strong> HQ sent {sync.feed.skipped}{' '}
          {sync.feed.skipped === 1 ? 'setting' : 'settings'} this version cannot read yet
          {sync.feed.lastSkipped &&
            ` (last: ${sync.feed.lastSkipped.kind} version ${sync.feed.lastSkipped.schema})`}
          . Selling and sync go on; they apply once the till software is updated.
        </div>
      )}
      {sync.alert && (
        <div className="sync-alert" role="alert" data-testid="sync-alert">
          <strong>Sync stopped — selling continues, sales are kept on this till.</strong> {sync.alert.message}
          <div>
            {sync.alert.action} A manager can retry or start a new epoch: manager menu <kbd>F12</kbd>
          </div>
        </div>
      )}
    </>
  );
}
