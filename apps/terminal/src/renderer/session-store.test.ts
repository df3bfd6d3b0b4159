import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodName } from '../contract/methods.js';
import { RpcCallError } from '../contract/wire.js';
import { ApprovalCancelled } from './approval-slice.js';
import { ACTIVITY_EVERY_MS } from './session-slice.js';
import { pen, sessionOf, setup, sync } from './test-host.js';

const refusal = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new RpcCallError({ code, message, retryable: false, ...extra });

const NEEDS_NO_SALE = refusal('approval_required', 'a no-sale needs approval', {
  approval: { request: { permission: 'noSale' }, what: 'a no-sale', requestedBy: 'Ada' },
});

/**
 * A host whose `drawer.noSale` asks for approval, and accepts Sam (2001, PIN 4711) as approver: any other
 * credentials are refused as the host refuses them.
 */
function noSaleHost(method: MethodName, params: Record<string, unknown>) {
  if (method !== 'drawer.noSale') return null;
  const approval = params.approval as { number: string; pin: string } | undefined;
  if (!approval) throw NEEDS_NO_SALE;
  if (approval.number !== '2001' || approval.pin !== '4711')
    throw refusal('approval_refused', "Approver's number or PIN is wrong");
  return { drawer: 'confirmed', approvalId: '0190a000-0000-7000-8000-0000000000aa' };
}

const callsOf = (
  host: { calls: { method: MethodName; params: Record<string, unknown> }[] },
  method: MethodName,
) => host.calls.filter((call) => call.method === method).map((call) => call.params);

afterEach(() => {
  vi.useRealTimers();
});

describe('approval on the same screen', () => {
  it('asks for approval, keeps the dialog open on a refused PIN, and makes the same call again when approved', async () => {
    const { store, host } = await setup(noSaleHost);
    store.getState().openManagerMenu();
    const done = store.getState().noSale('Float check');
    await vi.waitFor(() => expect(store.getState().approval).not.toBeNull());
    expect(store.getState().approval).toEqual({
      needed: { request: { permission: 'noSale' }, what: 'a no-sale', requestedBy: 'Ada' },
      error: null,
      busy: false,
    });

    expect(await store.getState().approve({ number: '2001', pin: '1111' })).toBe(false);
    expect(store.getState().approval?.error).toBe("Approver's number or PIN is wrong");

    expect(await store.getState().approve({ number: '2001', pin: '4711' })).toBe(true);
    expect(await done).toBe(true);
    expect(store.getState().approval).toBeNull();
    expect(callsOf(host, 'drawer.noSale')).toEqual([
      { reason: 'Float check' },
      { reason: 'Float check', approval: { number: '2001', pin: '1111' } },
      { reason: 'Float check', approval: { number: '2001', pin: '4711' } },
    ]);
    // Back to selling: the menu closed, and the screen says what happened.
    expect(store.getState().managerMenu.open).toBe(false);
    expect(store.getState().notice).toEqual({ kind: 'info', text: 'Drawer opened: no sale (Float check)' });
  });

  it('checks the credentials’ shape before asking the host, and a cancel drops the call with nothing to say', async () => {
    const { store, host } = await setup(noSaleHost);
    const asked = store
      .getState()
      .withApproval(async (approval) =>
        noSaleHost('drawer.noSale', { reason: 'x', ...(approval ? { approval } : {}) }),
      );
    await vi.waitFor(() => expect(store.getState().approval).not.toBeNull());
    expect(await store.getState().approve({ number: '', pin: '4711' })).toBe(false);
    expect(store.getState().approval?.error).toBe('Enter the employee number (digits only)');
    expect(await store.getState().approve({ number: '2001', pin: '12' })).toBe(false);
    expect(store.getState().approval?.error).toBe('Enter the PIN (4 to 8 digits)');
    store.getState().cancelApproval();
    await expect(asked).rejects.toBeInstanceOf(ApprovalCancelled);
    expect(store.getState().approval).toBeNull();
    expect(callsOf(host, 'drawer.noSale')).toEqual([]);

    // A no-sale cancelled at the dialog leaves the menu open and says nothing.
    store.getState().openManagerMenu();
    const noSale = store.getState().noSale('Float check');
    await vi.waitFor(() => expect(store.getState().approval).not.toBeNull());
    store.getState().cancelApproval();
    expect(await noSale).toBe(false);
    expect(store.getState().managerMenu).toMatchObject({ open: true, message: null, busy: false });
    expect(store.getState().notice).toBeNull();
  });

  it('passes any other refusal through, and shows the host’s reason for a refused sync action in the menu', async () => {
    const { store } = await setup((method) => {
      if (method === 'sync.startNewEpoch')
        throw refusal('events_pending', '3 events have not reached HQ yet: a new epoch would lose them');
      if (method === 'sync.retry') return { ...sync, state: 'online' };
      return null;
    });
    store.getState().openManagerMenu();
    await store.getState().startNewEpoch();
    expect(store.getState().managerMenu.message).toEqual({
      kind: 'error',
      text: '3 events have not reached HQ yet: a new epoch would lose them',
    });
    await store.getState().retrySync();
    expect(store.getState().managerMenu.message).toEqual({ kind: 'info', text: 'Sync tried again: online' });
    expect(store.getState().approval).toBeNull();
  });

  it('closes the dialog and the menu, dropping the call, when the session locks under them', async () => {
    const { store, host } = await setup(noSaleHost);
    store.getState().openManagerMenu();
    const noSale = store.getState().noSale('Float check');
    await vi.waitFor(() => expect(store.getState().approval).not.toBeNull());
    host.emit({ event: 'session.status', payload: sessionOf('locked') });
    expect(await noSale).toBe(false);
    expect(store.getState().approval).toBeNull();
    expect(store.getState().managerMenu.open).toBe(false);
  });
});

describe('who is signed in', () => {
  it('never touches the cart in progress: sign-out, lock, a switch to someone else and back', async () => {
    const bo = { id: 'emp-bo', number: '1043', name: 'Bo' };
    const { store, host } = await setup((method, params) => {
      if (method === 'session.signIn')
        return sessionOf('signed-in', params.number === '1043' ? bo : undefined);
      if (method === 'session.signOut') return sessionOf('signed-out');
      if (method === 'session.lock') return sessionOf('locked');
      return null;
    });
    store.getState().addProduct(pen);
    store.getState().addProduct(pen);
    store.getState().setCashTendered('10.00');
    const cart = store.getState().cart;

    await store.getState().lock();
    expect(store.getState().session?.state).toBe('locked');
    await store.getState().signIn('1043', '2468');
    expect(store.getState().session?.employee?.displayName).toBe('Bo');
    host.emit({ event: 'session.status', payload: sessionOf('locked', bo) });
    await store.getState().signOut();
    expect(store.getState().session?.state).toBe('signed-out');
    await store.getState().signIn('1042', '1357', 'list');
    expect(store.getState().cart).toBe(cart);
    expect(callsOf(host, 'session.signIn')).toEqual([
      { number: '1043', pin: '2468', method: 'number' },
      { number: '1042', pin: '1357', method: 'list' },
    ]);
  });

  it('shows the host’s words for a refused sign-in, and clears them on the next try', async () => {
    let tries = 0;
    const { store } = await setup((method) => {
      if (method !== 'session.signIn') return null;
      if (++tries === 1) throw refusal('sign_in_failed', 'Employee number or PIN is wrong (2 tries left)');
      return sessionOf('signed-in');
    });
    expect(await store.getState().signIn('1042', '0000')).toBe(false);
    expect(store.getState().signInError).toBe('Employee number or PIN is wrong (2 tries left)');
    expect(await store.getState().signIn('1042', '1357')).toBe(true);
    expect(store.getState().signInError).toBeNull();
  });

  it('adds no scan while nobody is signed in, and does not echo what was read (a fast-typed PIN reads as one)', async () => {
    const { store, host } = await setup((method) => (method === 'catalog.lookup' ? pen : null), {
      session: sessionOf('signed-out'),
    });
    host.emit({ event: 'scanner.scan', payload: { barcode: pen.barcode!, product: pen } });
    await store.getState().lookupScan('13572468');
    expect(store.getState().cart.lines).toEqual([]);
    expect(callsOf(host, 'catalog.lookup')).toEqual([]);
    expect(store.getState().signInError).toBe(
      'Sign in first: a scan is not added to the cart while nobody is signed in',
    );
    expect(JSON.stringify(store.getState())).not.toContain('13572468');
  });

  it('asks who is signed in again when a call is refused because the session changed', async () => {
    const { store, host } = await setup((method) => {
      if (method === 'sale.complete') throw refusal('session_locked', 'The screen is locked: enter your PIN');
      return null;
    });
    store.getState().addProduct(pen);
    host.state.session = sessionOf('locked');
    await store.getState().pay();
    await vi.waitFor(() => expect(store.getState().session?.state).toBe('locked'));
    expect(store.getState().cart.lines).toHaveLength(1);
  });
});

describe('activity, for the host’s auto-lock', () => {
  it('tells the host at most once per interval, the last input of a busy interval included, and only while signed in', async () => {
    let now = 1_000_000;
    const { store, host } = await setup(
      (method) => (method === 'session.activity' ? { lockInSeconds: 120 } : null),
      { now: () => now },
    );
    vi.useFakeTimers();
    const activity = () => callsOf(host, 'session.activity').length;

    store.getState().noteActivity();
    expect(activity()).toBe(1);
    for (let i = 0; i < 20; i++) {
      now += 200;
      store.getState().noteActivity();
    }
    expect(activity()).toBe(1);
    // The last of those inputs reaches the host when the interval ends, once.
    now += ACTIVITY_EVERY_MS - 4_000;
    vi.advanceTimersByTime(ACTIVITY_EVERY_MS);
    expect(activity()).toBe(2);
    vi.advanceTimersByTime(ACTIVITY_EVERY_MS * 3);
    expect(activity()).toBe(2);

    host.emit({ event: 'session.status', payload: sessionOf('locked') });
    now += ACTIVITY_EVERY_MS * 2;
    store.getState().noteActivity();
    vi.advanceTimersByTime(ACTIVITY_EVERY_MS * 2);
    expect(activity()).toBe(2);
  });

  it('drops a pending activity report when the session ends before it is due', async () => {
    let now = 0;
    const { store, host } = await setup(() => ({ lockInSeconds: null }), { now: () => now });
    vi.useFakeTimers();
    store.getState().noteActivity();
    now += 1_000;
    store.getState().noteActivity();
    host.emit({ event: 'session.status', payload: sessionOf('signed-out') });
    vi.advanceTimersByTime(ACTIVITY_EVERY_MS * 2);
    expect(callsOf(host, 'session.activity')).toHaveLength(1);
  });
});
