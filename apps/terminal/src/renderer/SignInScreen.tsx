import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { cartTotal, money, type TillState } from './cart-store.js';
import { CredentialsForm } from './PinPad.js';
import type { EmployeeChoice } from './session-slice.js';
import { useDialogFocus } from './use-dialog.js';

const SIGN_IN_IDS = {
  number: 'employee-number',
  pin: 'pin',
  submit: 'sign-in-submit',
  error: 'sign-in-error',
};

/**
 * Over the whole screen while nobody is signed in, or the screen is locked: an employee number and PIN (or a name
 * picked from the store's employees, then only the PIN). Locked, it asks the signed-in employee's PIN, and offers to
 * sign in as someone else (a switch). The cart in progress stays as it is, whoever signs in.
 */
export function SignInScreen({ store }: { store: StoreApi<TillState> }) {
  const { session, signInError, signingIn, employees, cart, quote } = useStore(store);
  const locked = session?.state === 'locked' ? session.employee : null;
  const [switching, setSwitching] = useState(false);
  const [picked, setPicked] = useState<EmployeeChoice | null>(null);
  const container = useDialogFocus<HTMLDivElement>();

  useEffect(() => {
    if (!locked || switching) void store.getState().loadEmployees();
  }, [store, locked, switching]);

  const asLocked = locked && !switching ? locked : null;
  const fixedNumber = asLocked?.number ?? picked?.number ?? null;
  const signIn = (number: string, pin: string) =>
    store.getState().signIn(number, pin, picked && !asLocked ? 'list' : 'number');
  const items = cart.lines.reduce((sum, line) => sum + line.quantity, 0);

  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="sign-in-title"
      data-testid="sign-in"
    >
      <div className={`sheet sign-in${asLocked ? ' single' : ''}`} ref={container}>
        <div className="sign-in-form">
          <h1 id="sign-in-title">{asLocked ? 'Locked' : 'Sign in'}</h1>
          {asLocked ? (
            <p className="lead" data-testid="locked-employee">
              <strong>{asLocked.displayName}</strong> ({asLocked.roleName}) is signed in. Enter your PIN to go
              on.
            </p>
          ) : picked ? (
            <p className="lead">
              Signing in as <strong>{picked.displayName}</strong> ({picked.number}).
            </p>
          ) : (
            <p className="lead">Enter your employee number and PIN, or pick your name.</p>
          )}
          <CredentialsForm
            ids={SIGN_IN_IDS}
            numberLabel="Employee number"
            submitLabel={asLocked ? 'Unlock' : 'Sign in'}
            fixedNumber={fixedNumber}
            busy={signingIn}
            error={signInError}
            onSubmit={signIn}
            onEdit={() => store.getState().clearSignInError()}
          >
            {asLocked && (
              <button type="button" data-testid="switch-employee" onClick={() => setSwitching(true)}>
                Sign in as someone else
              </button>
            )}
            {picked && !asLocked && (
              <button type="button" data-testid="not-me" onClick={() => setPicked(null)}>
                Not {picked.displayName}? Type a number
              </button>
            )}
          </CredentialsForm>
          {items > 0 && (
            <p className="kept" data-testid="cart-kept">
              The sale in progress is kept: {items} {items === 1 ? 'item' : 'items'},{' '}
              <span className="nowrap">{money(cartTotal(cart, quote), cart.currency)}</span>.
            </p>
          )}
        </div>
        {!asLocked && (
          <div className="employee-list">
            <h2>Pick your name</h2>
            {employees === null ? (
              <p className="hint">Loading…</p>
            ) : employees.length === 0 ? (
              <p className="hint">
                No employees at this store yet: HQ adds them, and they arrive with the next sync.
              </p>
            ) : (
              <ul>
                {employees.map((employee) => (
                  <li key={employee.employeeId}>
                    <button
                      type="button"
                      data-testid="employee-choice"
                      aria-pressed={picked?.employeeId === employee.employeeId}
                      onClick={() => setPicked(employee)}
                    >
                      {employee.displayName} <span className="hint">{employee.number}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
