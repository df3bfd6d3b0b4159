import { describe, expect, it } from 'vitest';
import {
  CreateReturnAuthorisationRequest,
  consumedAuthorisationId,
  DEFAULT_TERMINAL_CONFIG,
  FeedItem,
  FeedPullResponse,
  PutTerminalConfigRequest,
  TerminalConfig,
} from './feed.js';
import { DEFAULT_ROLES } from './permissions.js';

const SALE_ID = '019abcde-0000-7000-8000-000000000001';
const AUTH_ID = '4f9c1b7e-2a3d-4c5e-9f60-7182a3b4c5d6';

describe('terminal config', () => {
  it('fills every field it leaves out with its default, and the defaults refuse offline cross-store returns', () => {
    expect(DEFAULT_TERMINAL_CONFIG).toEqual({
      schema: 6,
      quickKeys: [],
      customLines: { allowed: false, maxAmount: 0, taxCategory: 'standard' },
      barcodeRegion: null,
      promotions: [],
      overShortAlert: 500,
      timeZone: 'UTC',
      businessDayStartHour: 0,
      roles: DEFAULT_ROLES,
      autoLockSeconds: 300,
      pinLockout: { attempts: 5, lockMinutes: 15 },
      offlineCrossStoreReturns: 'refuse',
      offlineReturnLimit: 0,
      drawerOpenAlertSeconds: 60,
      receiptFooter: '',
      syncAlertAfterMinutes: 60,
    });
    expect(
      TerminalConfig.parse({ offlineCrossStoreReturns: 'manager-override', offlineReturnLimit: 5000 }),
    ).toEqual({
      ...DEFAULT_TERMINAL_CONFIG,
      offlineCrossStoreReturns: 'manager-override',
      offlineReturnLimit: 5000,
    });
  });

  it('refuses unknown fields, fractional money, another schema and printer control bytes in the footer', () => {
    for (const bad of [
      { unknown: 1 },
      { offlineReturnLimit: 12.5 },
      { offlineReturnLimit: -1 },
      { schema: 7 },
      { schema: 3 },
      { overShortAlert: -1 },
      { overShortAlert: 0.5 },
      { timeZone: 'europe/berlin' },
      { drawerOpenAlertSeconds: 0 },
      { receiptFooter: 'Thanks\u001bd\u0005' },
      { receiptFooter: 'x'.repeat(241) },
      { offlineCrossStoreReturns: 'allow' },
    ]) {
      expect(TerminalConfig.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(TerminalConfig.parse({ receiptFooter: 'Thank you!\nSee you soon' }).receiptFooter).toContain('\n');
  });

  it('is put for the org or for one store; null withdraws the document', () => {
    expect(PutTerminalConfigRequest.parse({ config: {} })).toEqual({ config: DEFAULT_TERMINAL_CONFIG });
    expect(PutTerminalConfigRequest.parse({ storeId: 's1', config: null })).toEqual({
      storeId: 's1',
      config: null,
    });
    expect(PutTerminalConfigRequest.safeParse({ storeId: '', config: {} }).success).toBe(false);
  });
});

describe('return authorisations', () => {
  const request = {
    authorisationId: AUTH_ID,
    originalSaleId: SALE_ID,
    storeId: 'store-002',
    lines: [{ lineId: 'l1', quantity: 1 }],
  };

  it('defaults to one day and refuses a line listed twice, zero quantities and upper-case ids', () => {
    expect(CreateReturnAuthorisationRequest.parse(request).validForMinutes).toBe(24 * 60);
    for (const bad of [
      { ...request, lines: [...request.lines, { lineId: 'l1', quantity: 2 }] },
      { ...request, lines: [{ lineId: 'l1', quantity: 0 }] },
      { ...request, lines: [] },
      { ...request, authorisationId: AUTH_ID.toUpperCase() },
      { ...request, validForMinutes: 30 * 24 * 60 + 1 },
      { ...request, extra: true },
    ]) {
      expect(CreateReturnAuthorisationRequest.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('is consumed by a return whose server token is its id', () => {
    expect(consumedAuthorisationId({ authorization: { kind: 'server-token', token: AUTH_ID } })).toBe(
      AUTH_ID,
    );
    expect(consumedAuthorisationId({ authorization: { kind: 'local-journal' } })).toBeNull();
  });
});

describe('feed items', () => {
  it('are told apart by kind and page with a cursor', () => {
    const page = FeedPullResponse.parse({
      items: [
        { kind: 'config', version: 3, storeId: null, config: {} },
        {
          kind: 'return-authorisation',
          version: 4,
          authorisation: {
            authorisationId: AUTH_ID,
            originalSaleId: SALE_ID,
            originalStoreId: 'store-001',
            storeId: 'store-002',
            lines: [{ lineId: 'l1', quantity: 1 }],
            issuedAt: '2026-11-25T10:00:00.000Z',
            expiresAt: '2026-11-26T10:00:00.000Z',
            status: 'active',
          },
        },
        {
          kind: 'employee',
          version: 5,
          storeId: 'store-002',
          employee: {
            employeeId: 'emp-1',
            number: '1042',
            displayName: 'Ada',
            roleId: 'cashier',
            active: false,
            pin: null,
          },
        },
      ],
      nextAfter: 5,
      hasMore: false,
    });
    expect(page.items.map((item) => item.kind)).toEqual(['config', 'return-authorisation', 'employee']);
    expect(FeedItem.safeParse({ kind: 'catalog', version: 1 }).success).toBe(false);
    // An employee entry is always for one store, and never carries a PIN in the clear.
    const employee = page.items[2]!;
    expect(FeedItem.safeParse({ ...employee, storeId: null }).success).toBe(false);
    expect(
      FeedItem.safeParse({
        ...employee,
        employee: { ...(employee as { employee: object }).employee, pin: '7314' },
      }).success,
    ).toBe(false);
    expect(FeedItem.safeParse({ kind: 'config', version: 0, storeId: null, config: null }).success).toBe(
      false,
    );
  });
});
