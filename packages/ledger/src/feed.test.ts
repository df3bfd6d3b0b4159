import {
  type ConfigFeedItem,
  DEFAULT_TERMINAL_CONFIG,
  type FeedItem,
  type ReturnAuthorisation,
  type ReturnAuthorisationFeedItem,
  TerminalConfig,
} from '@tillwright/protocol';
import { sampleEmployeeFeedItem, samplePinHash } from '@tillwright/protocol/testing';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from './journal.js';
import { LedgerReader } from './ledger.js';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function setup() {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  return fixture;
}

const SALE = '019abcde-0000-7000-8000-000000000001';
const OTHER_SALE = '019abcde-0000-7000-8000-000000000002';
const NOW = new Date('2026-11-25T10:00:00.000Z');
const authId = (n: number) => `4f9c1b7e-2a3d-4c5e-9f60-${n.toString(16).padStart(12, '0')}`;

const config = (version: number, storeId: string | null, fields: Record<string, unknown> | null) =>
  ({
    kind: 'config',
    version,
    storeId,
    config: fields === null ? null : TerminalConfig.parse(fields),
  }) satisfies ConfigFeedItem;

const authorisation = (
  version: number,
  n: number,
  changes: Partial<ReturnAuthorisation> = {},
): ReturnAuthorisationFeedItem => ({
  kind: 'return-authorisation',
  version,
  authorisation: {
    authorisationId: authId(n),
    originalSaleId: SALE,
    originalStoreId: 'S2',
    storeId: 'S1',
    lines: [{ lineId: 'l1', quantity: 1 }],
    issuedAt: NOW.toISOString(),
    expiresAt: new Date(NOW.getTime() + 3600_000).toISOString(),
    status: 'active',
    ...changes,
  },
});

const PIN_A = samplePinHash(1);
const PIN_B = samplePinHash(2);
const employee = sampleEmployeeFeedItem;

describe('feed cache', () => {
  it('starts at cursor 0 with the default configuration and no authorisations', () => {
    const { ledger } = setup();
    expect(ledger.feed.cursor()).toBe(0);
    expect(ledger.feed.config()).toEqual(DEFAULT_TERMINAL_CONFIG);
    expect(ledger.feed.returnAuthorisation(authId(1))).toBeNull();
    expect(ledger.feed.activeReturnAuthorisations(SALE, NOW)).toEqual([]);
  });

  it("uses this store's document over the org's, the latest of each; a withdrawn one falls back", () => {
    const { ledger } = setup();
    ledger.feed.apply([config(1, null, { receiptFooter: 'org' })], 1);
    expect(ledger.feed.config().receiptFooter).toBe('org');
    ledger.feed.apply(
      [
        config(2, 'S1', { receiptFooter: 'store', offlineCrossStoreReturns: 'manager-override' }),
        config(3, null, { receiptFooter: 'org, later' }),
        // Another store's document is never this terminal's (the server does not send it; if it did, it is ignored).
        config(4, 'S9', { receiptFooter: 'elsewhere' }),
      ],
      5,
    );
    expect(ledger.feed.config()).toEqual({
      ...DEFAULT_TERMINAL_CONFIG,
      receiptFooter: 'store',
      offlineCrossStoreReturns: 'manager-override',
    });
    expect(ledger.feed.cursor()).toBe(5);
    ledger.feed.apply([config(6, 'S1', null)], 6);
    expect(ledger.feed.config().receiptFooter).toBe('org, later');
    ledger.feed.apply([config(7, null, null)], 7);
    expect(ledger.feed.config()).toEqual(DEFAULT_TERMINAL_CONFIG);
  });

  it('applies a page again without change, and never goes back to an older version or cursor', () => {
    const { ledger } = setup();
    const page: FeedItem[] = [config(1, null, { drawerOpenAlertSeconds: 30 }), authorisation(2, 1)];
    ledger.feed.apply(page, 2);
    ledger.feed.apply([authorisation(3, 1, { status: 'cancelled' })], 3);
    const after = {
      cursor: ledger.feed.cursor(),
      config: ledger.feed.config(),
      auth: ledger.feed.returnAuthorisation(authId(1)),
    };
    ledger.feed.apply(page, 2);
    ledger.feed.apply([authorisation(3, 1, { status: 'cancelled' })], 3);
    expect({
      cursor: ledger.feed.cursor(),
      config: ledger.feed.config(),
      auth: ledger.feed.returnAuthorisation(authId(1)),
    }).toEqual(after);
    expect(after).toMatchObject({
      cursor: 3,
      config: { drawerOpenAlertSeconds: 30 },
      auth: { status: 'cancelled' },
    });
  });

  it('skips and counts an item it cannot read, applies the rest of the page and moves the cursor past it', () => {
    const { ledger } = setup();
    ledger.feed.apply([authorisation(1, 1)], 1);
    const bad = authorisation(3, 2, { expiresAt: undefined as never });
    const priceList = { kind: 'price-list', schema: 1, version: 4, prices: [] };
    const result = ledger.feed.apply([config(2, null, { receiptFooter: 'new' }), bad, priceList], 5);
    expect(result.applied).toBe(1);
    expect(result.skipped.map(({ kind, version }) => [kind, version])).toEqual([
      ['return-authorisation', 3],
      ['price-list', 4],
    ]);
    expect(ledger.feed.cursor()).toBe(5);
    expect(ledger.feed.config().receiptFooter).toBe('new');
    expect(ledger.feed.returnAuthorisation(authId(2))).toBeNull();
    expect(ledger.feed.skips()).toMatchObject({
      skipped: 2,
      firstSkippedAt: 3,
      lastSkipped: { kind: 'price-list', schema: 1, version: 4 },
    });
    // The same page again (a retried pull) counts nothing twice.
    ledger.feed.apply([config(2, null, { receiptFooter: 'new' }), bad, priceList], 5);
    expect(ledger.feed.skips().skipped).toBe(2);
  });

  it('keeps the last configuration it could read when a document of an unknown version arrives', () => {
    const { ledger } = setup();
    ledger.feed.apply([config(1, null, { drawerOpenAlertSeconds: 30, timeZone: 'Europe/Berlin' })], 1);
    const v99 = { kind: 'config', version: 2, storeId: null, config: { schema: 99, colour: 'red' } };
    ledger.feed.apply([v99], 2);
    expect(ledger.feed.config()).toMatchObject({ drawerOpenAlertSeconds: 30, timeZone: 'Europe/Berlin' });
    expect(ledger.feed.skips().lastSkipped).toMatchObject({ kind: 'config', schema: 99, version: 2 });
  });

  it('reads a version 1 configuration document as the latest, in UTC with the default roles', () => {
    const { ledger } = setup();
    const {
      timeZone: _,
      businessDayStartHour: _start,
      roles: _roles,
      autoLockSeconds: _autoLock,
      pinLockout: _lockout,
      overShortAlert: _alert,
      quickKeys: _keys,
      customLines: _custom,
      barcodeRegion: _region,
      promotions: _promotions,
      ...v1
    } = { ...DEFAULT_TERMINAL_CONFIG, schema: 1, receiptFooter: 'v1' };
    ledger.feed.apply([{ kind: 'config', version: 1, storeId: null, config: v1 }], 1);
    expect(ledger.feed.config()).toEqual({ ...DEFAULT_TERMINAL_CONFIG, receiptFooter: 'v1' });
  });

  it('after an upgrade, moves the cursor back to the first skipped item so it is read again', () => {
    const { ledger, path } = setup();
    ledger.feed.apply([{ kind: 'price-list', schema: 1, version: 3 }, authorisation(4, 1)], 6);
    expect(ledger.feed.rereadAfterUpgrade()).toBe(false);
    // What an older till that skipped the price list would have written: another reader.
    const db = new Database(path);
    db.prepare(
      "UPDATE feed_config SET body = json_set(body, '$.reader', 'an older till') WHERE scope = '#feed-skipped'",
    ).run();
    db.close();
    expect(ledger.feed.rereadAfterUpgrade()).toBe(true);
    expect(ledger.feed.cursor()).toBe(2);
    expect(ledger.feed.skips().skipped).toBe(0);
    expect(ledger.feed.returnAuthorisation(authId(1))).not.toBeNull();
  });

  it('lists the active, unexpired and unused authorisations of a sale, oldest first', () => {
    const { ledger, nextId } = setup();
    ledger.feed.apply(
      [
        authorisation(1, 1),
        authorisation(2, 2, { lines: [{ lineId: 'l2', quantity: 2 }] }),
        authorisation(3, 3),
        authorisation(4, 3, { status: 'cancelled' }),
        authorisation(5, 4, { expiresAt: new Date(NOW.getTime() + 60_000).toISOString() }),
        authorisation(6, 5, { originalSaleId: OTHER_SALE }),
        authorisation(7, 6),
      ],
      7,
    );
    const ids = (at: Date) => ledger.feed.activeReturnAuthorisations(SALE, at).map((a) => a.authorisationId);
    expect(ids(NOW)).toEqual([authId(1), authId(2), authId(4), authId(6)]);
    expect(ids(new Date(NOW.getTime() + 60_000))).toEqual([authId(1), authId(2), authId(6)]);
    expect(ledger.feed.returnAuthorisation(authId(3))?.status).toBe('cancelled');

    // A return this terminal made under authorisation 6 spends it; a return without one spends nothing.
    const returnOf = (authorization: unknown): EventDraft =>
      ({
        eventId: nextId(),
        type: 'return',
        occurredAt: NOW.toISOString(),
        payload: {
          originalSaleId: SALE,
          originalStoreId: 'S2',
          originalTerminalId: 'S2-T01',
          currency: 'EUR',
          lines: [
            {
              lineId: 'l1',
              productId: 'pen',
              quantity: 1,
              net: 210,
              taxes: [{ code: 'VAT19', amount: 40 }],
              total: 250,
            },
          ],
          taxes: [{ code: 'VAT19', amount: 40 }],
          total: 250,
          refunds: [{ tenderIndex: 0, kind: 'cash', ref: null, amount: 250, paidOut: 250 }],
          cashRounding: 0,
          reason: 'faulty',
          authorization,
        },
      }) as EventDraft;
    ledger.journal.record(returnOf({ kind: 'server-token', token: authId(6) }));
    ledger.journal.record(returnOf({ kind: 'local-journal' }));
    expect(ids(NOW)).toEqual([authId(1), authId(2), authId(4)]);
    expect(ledger.feed.returnAuthorisation(authId(6))?.status).toBe('active');
  });

  it("reads a version 3 configuration's roles, auto-lock and PIN lockout", () => {
    const { ledger } = setup();
    const roles = { clerk: { name: 'Clerk', permissions: { noSale: true } } };
    ledger.feed.apply([config(1, null, { roles, autoLockSeconds: 0, pinLockout: { attempts: 3 } })], 1);
    expect(ledger.feed.config()).toMatchObject({
      schema: 6,
      autoLockSeconds: 0,
      pinLockout: { attempts: 3, lockMinutes: 15 },
    });
    expect(ledger.feed.config().roles.clerk?.permissions).toMatchObject({ noSale: true, postVoid: false });
  });

  it("reads a version 5 configuration's store name, address and tax id, for the receipts", () => {
    const { ledger } = setup();
    const legal = {
      storeName: 'Tillwright Stationers',
      storeAddress: ['12 Market Street'],
      taxId: 'BE0123456789',
    };
    const {
      quickKeys: _k,
      customLines: _c,
      barcodeRegion: _r,
      promotions: _p,
      ...v5
    } = DEFAULT_TERMINAL_CONFIG;
    ledger.feed.apply(
      [{ kind: 'config', version: 1, storeId: null, config: { ...v5, schema: 5, ...legal } }],
      1,
    );
    expect(ledger.feed.config()).toMatchObject({ schema: 6, ...legal });
  });

  it('skips and counts an employee entry whose PIN hash would cost more than a till may spend on a check', () => {
    const { ledger } = setup();
    const hostile = employee(1, { pin: { ...PIN_A, N: 2 ** 20, r: 8, p: 16 } });
    const largest = employee(2, {
      employeeId: 'emp-2',
      number: '7',
      pin: { ...PIN_A, N: 2 ** 14, r: 8, p: 8 },
    });
    const result = ledger.feed.apply([hostile, largest], 2);
    expect(result.applied).toBe(1);
    expect(result.skipped).toEqual([
      expect.objectContaining({
        kind: 'employee',
        version: 1,
        reason: expect.stringMatching(/employee.pin/),
      }),
    ]);
    expect(ledger.feed.skips()).toMatchObject({ skipped: 1, firstSkippedAt: 1 });
    expect(ledger.feed.employeeByNumber('1042')).toBeNull();
    expect(ledger.feed.employeeByNumber('7')?.pin).toMatchObject({ p: 8 });
  });

  it("keeps each of its store's employees as the latest entry says, by id and by number", () => {
    const { ledger } = setup();
    ledger.feed.apply([employee(1, { pin: PIN_A }), employee(2, { number: '7', employeeId: 'emp-2' })], 2);
    expect(ledger.feed.employeeByNumber('1042')).toEqual({ ...employee(1, { pin: PIN_A }).employee });
    expect(ledger.feed.employee('emp-2')?.number).toBe('7');
    // A PIN change, then a deactivation (no hash with it); an older entry arriving late changes nothing.
    ledger.feed.apply([employee(3, { pin: PIN_B })], 3);
    expect(ledger.feed.employeeByNumber('1042')?.pin).toEqual(PIN_B);
    ledger.feed.apply([employee(4, { active: false, pin: null }), employee(1, { pin: PIN_A })], 4);
    expect(ledger.feed.employeeByNumber('1042')).toMatchObject({ active: false, pin: null });
    expect(ledger.feed.employeeByNumber('9999')).toBeNull();
    expect(ledger.feed.skips().skipped).toBe(0);
  });

  it('lists the employees who may sign in here (active only) by display name, then number', () => {
    const { ledger } = setup();
    ledger.feed.apply(
      [
        employee(1, { employeeId: 'emp-z', number: '30', displayName: 'Zoë' }),
        employee(2, { employeeId: 'emp-a2', number: '21', displayName: 'Ada' }),
        employee(3, { employeeId: 'emp-a1', number: '20', displayName: 'Ada' }),
        employee(4, { employeeId: 'emp-gone', number: '10', displayName: 'Bo', active: false, pin: null }),
        employee(5, { employeeId: 'emp-e', number: '40', displayName: 'Émile' }),
      ],
      5,
    );
    expect(ledger.feed.activeEmployees().map((e) => [e.displayName, e.number])).toEqual([
      ['Ada', '20'],
      ['Ada', '21'],
      ['Émile', '40'],
      ['Zoë', '30'],
    ]);
  });

  it('forgets everything on reset, for a pull from 0 after must_refetch', () => {
    const { ledger } = setup();
    ledger.feed.apply([config(1, null, { receiptFooter: 'x' }), authorisation(2, 1), employee(3)], 3);
    ledger.feed.reset();
    expect(ledger.feed.cursor()).toBe(0);
    expect(ledger.feed.employee('emp-1')).toBeNull();
    expect(ledger.feed.config()).toEqual(DEFAULT_TERMINAL_CONFIG);
    expect(ledger.feed.returnAuthorisation(authId(1))).toBeNull();
    ledger.feed.apply([authorisation(1, 1)], 1);
    expect(ledger.feed.cursor()).toBe(1);
  });

  it('is readable from a read-only handle beside the writer', () => {
    const { ledger, path } = setup();
    ledger.feed.apply([config(1, 'S1', { syncAlertAfterMinutes: 15 }), authorisation(2, 1)], 2);
    const reader = LedgerReader.open(path);
    try {
      expect(reader.feed.cursor()).toBe(2);
      expect(reader.feed.config().syncAlertAfterMinutes).toBe(15);
      expect(reader.feed.activeReturnAuthorisations(SALE, NOW)).toHaveLength(1);
      expect('apply' in reader.feed).toBe(false);
    } finally {
      reader.close();
    }
  });
});
