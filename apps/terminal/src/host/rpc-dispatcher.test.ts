import { describe, expect, it, vi } from 'vitest';
import { RpcError } from '../contract/wire.js';
import { createDispatcher, type Handlers, HostError } from './rpc-dispatcher.js';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unused = () => {
    throw new Error('not called in this test');
  };
  return {
    'session.hello': unused,
    'catalog.lookup': unused,
    'catalog.search': unused,
    'catalog.quickKeys': unused,
    'sale.customLines': unused,
    'sale.quote': unused,
    'sale.complete': unused,
    'sale.approve': unused,
    'sale.recorded': unused,
    'sale.receipt': unused,
    'sale.reprint': unused,
    'sale.list': unused,
    'sale.park': unused,
    'sale.parkedList': unused,
    'sale.parkedRead': unused,
    'sale.unpark': unused,
    'reports.businessDay': unused,
    'sync.status': unused,
    'sync.retry': unused,
    'sync.startNewEpoch': unused,
    'devices.status': unused,
    'devices.simulateScan': unused,
    'session.status': unused,
    'session.employees': unused,
    'session.signIn': unused,
    'session.signOut': unused,
    'session.lock': unused,
    'session.activity': unused,
    'employees.locked': unused,
    'employees.unlock': unused,
    'drawer.noSale': unused,
    'shift.status': unused,
    'shift.open': unused,
    'shift.report': unused,
    'shift.printReport': unused,
    'shift.close': unused,
    'cash.movement': unused,
    'sale.voidable': unused,
    'sale.postVoid': unused,
    'training.set': unused,
    ...overrides,
  };
}

describe('renderer call dispatch', () => {
  it('refuses an unknown method', async () => {
    const dispatch = createDispatcher(handlers(), () => {});
    expect(await dispatch(1, 'ledger.dropTables', {})).toEqual({
      id: 1,
      ok: false,
      error: { code: 'unknown_method', message: 'no method ledger.dropTables', retryable: false },
    });
  });

  it('refuses invalid params before the handler runs, naming the field', async () => {
    const lookup = vi.fn();
    const dispatch = createDispatcher(handlers({ 'catalog.lookup': lookup }), () => {});
    const response = await dispatch(2, 'catalog.lookup', { barcode: 'not a barcode!' });
    expect(response).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    expect(response.ok ? '' : response.error.message).toMatch(/barcode/);
    const extra = await dispatch(3, 'catalog.lookup', { barcode: '123', sql: 'DROP' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('passes typed errors through and hides unexpected ones behind a logged internal error', async () => {
    const logged: string[] = [];
    const dispatch = createDispatcher(
      handlers({
        'sync.status': () => {
          throw new HostError('offline', 'no network', true);
        },
        'session.hello': () => {
          throw new TypeError('boom');
        },
      }),
      (_error, method) => logged.push(method),
    );
    expect(await dispatch(4, 'sync.status', {})).toMatchObject({
      ok: false,
      error: { code: 'offline', message: 'no network', retryable: true },
    });
    expect(await dispatch(5, 'session.hello', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logged).toEqual(['session.hello']);
  });

  it('passes what an approval would allow with approval_required, and nothing of the kind with other errors', async () => {
    const approval = {
      request: { permission: 'noSale' as const },
      what: 'a no-sale',
      requestedBy: 'Alex Cashier',
    };
    const dispatch = createDispatcher(
      handlers({
        'drawer.noSale': () => {
          throw new HostError('approval_required', 'A no-sale needs approval', false, approval);
        },
        'sync.status': () => {
          throw new HostError('offline', 'no network', true);
        },
      }),
      () => {},
    );
    const refused = await dispatch(6, 'drawer.noSale', { reason: 'change for the float' });
    expect(refused).toEqual({
      id: 6,
      ok: false,
      error: { code: 'approval_required', message: 'A no-sale needs approval', retryable: false, approval },
    });
    expect(RpcError.parse(refused.ok ? null : refused.error)).toEqual(refused.ok ? null : refused.error);
    expect(await dispatch(7, 'sync.status', {})).toEqual({
      id: 7,
      ok: false,
      error: { code: 'offline', message: 'no network', retryable: true },
    });
  });
});
