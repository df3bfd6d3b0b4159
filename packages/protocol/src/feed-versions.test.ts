import { describe, expect, it } from 'vitest';
import { DEFAULT_TERMINAL_CONFIG, TerminalConfig } from './feed.js';
import {
  CONFIG_DOCUMENT_VERSIONS,
  configDocumentToServe,
  configDocumentToStore,
  FEED_ITEM_VERSIONS,
  readFeedItem,
  readTerminalConfig,
  upcastTerminalConfig,
} from './feed-versions.js';
import { DEFAULT_ROLES } from './permissions.js';
import { sampleEmployeeFeedItem } from './testing.js';

const v1Document = { ...configDocumentToServe(DEFAULT_TERMINAL_CONFIG), drawerOpenAlertSeconds: 30 };

describe('configuration versions', () => {
  it('read a version 1 document as the latest, in UTC and with the default roles', () => {
    expect(v1Document.schema).toBe(1);
    expect(readTerminalConfig(v1Document)).toEqual({
      ok: true,
      config: { ...DEFAULT_TERMINAL_CONFIG, drawerOpenAlertSeconds: 30 },
    });
  });

  it('read a version 2 document with its zone, and one without `schema` as the latest', () => {
    expect(readTerminalConfig({ schema: 2, timeZone: 'Europe/Berlin' })).toMatchObject({
      ok: true,
      config: { schema: 6, timeZone: 'Europe/Berlin' },
    });
    expect(readTerminalConfig({})).toEqual({ ok: true, config: DEFAULT_TERMINAL_CONFIG });
  });

  it('refuse a version it does not know, and a zone in version 1', () => {
    expect(readTerminalConfig({ schema: 99, colour: 'red' })).toMatchObject({ ok: false, schema: 99 });
    expect(readTerminalConfig({ ...v1Document, timeZone: 'Europe/Berlin' })).toMatchObject({ ok: false });
  });

  it('are served at the lowest version that says the same, so older tills keep reading them', () => {
    expect(configDocumentToServe(TerminalConfig.parse({}))).toMatchObject({ schema: 1 });
    expect('timeZone' in configDocumentToServe(TerminalConfig.parse({}))).toBe(false);
    expect(configDocumentToServe(TerminalConfig.parse({ timeZone: 'America/New_York' }))).toMatchObject({
      schema: 2,
      timeZone: 'America/New_York',
    });
    expect(configDocumentToServe(TerminalConfig.parse({ businessDayStartHour: 4 }))).toMatchObject({
      schema: 2,
      timeZone: 'UTC',
      businessDayStartHour: 4,
    });
  });

  it('refuse a business day start outside 0–23', () => {
    expect(readTerminalConfig({ schema: 2, businessDayStartHour: 24 })).toMatchObject({ ok: false });
  });
});

const auditor = {
  name: 'Auditor',
  permissions: { returnWithReceipt: true, refundLimit: 2500 },
};

describe('configuration version 3: roles, auto-lock and PIN lockout', () => {
  it('are known versions, and version 1 and 2 documents read with the version 3 defaults', () => {
    expect(CONFIG_DOCUMENT_VERSIONS).toEqual([1, 2, 3, 4, 5, 6]);
    const v3Defaults = {
      roles: DEFAULT_ROLES,
      autoLockSeconds: 300,
      pinLockout: { attempts: 5, lockMinutes: 15 },
    };
    expect(readTerminalConfig({ schema: 2, timeZone: 'Europe/Berlin' })).toEqual({
      ok: true,
      config: { ...DEFAULT_TERMINAL_CONFIG, timeZone: 'Europe/Berlin', ...v3Defaults },
    });
    expect(readTerminalConfig(v1Document)).toMatchObject({ ok: true, config: { schema: 6, ...v3Defaults } });
    expect(upcastTerminalConfig({ ...v1Document, schema: 1 })).toEqual({
      ...DEFAULT_TERMINAL_CONFIG,
      drawerOpenAlertSeconds: 30,
    });
  });

  it('read a version 3 document with its roles, each permission left out being none', () => {
    const read = readTerminalConfig({ schema: 3, roles: { auditor }, autoLockSeconds: 0 });
    expect(read).toMatchObject({ ok: true, config: { schema: 6, autoLockSeconds: 0, overShortAlert: 500 } });
    const config = (read as { config: TerminalConfig }).config;
    expect(Object.keys(config.roles)).toEqual(['auditor']);
    expect(config.roles.auditor!.permissions).toEqual({
      ...DEFAULT_ROLES.cashier!.permissions,
      returnWithReceipt: true,
      refundLimit: 2500,
    });
    expect(config.pinLockout).toEqual({ attempts: 5, lockMinutes: 15 });
  });

  it('refuse no roles, a bad role id or name, an unknown permission, limits out of range, and v3 fields in v2', () => {
    for (const bad of [
      { roles: {} },
      { roles: { Auditor: auditor } },
      { roles: { '1st': auditor } },
      { roles: { auditor: { ...auditor, name: '' } } },
      { roles: { auditor: { ...auditor, name: 'Tab\there' } } },
      { roles: { auditor: { name: 'Auditor', permissions: { voidEverything: true } } } },
      { roles: { auditor: { name: 'Auditor', permissions: { discountPercent: 101 } } } },
      { roles: { auditor: { name: 'Auditor', permissions: { refundLimit: -1 } } } },
      { roles: { auditor: { name: 'Auditor', permissions: { paidOutLimit: 0.5 } } } },
      { autoLockSeconds: -1 },
      { autoLockSeconds: 3601 },
      { pinLockout: { attempts: 0 } },
      { pinLockout: { attempts: 21 } },
      { pinLockout: { lockMinutes: 1441 } },
      { pinLockout: { attempts: 5, lockMinutes: 15, forever: true } },
      { schema: 2, roles: { auditor } },
      { schema: 2, autoLockSeconds: 60 },
      { schema: 1, pinLockout: { attempts: 3 } },
    ]) {
      expect(readTerminalConfig(bad), JSON.stringify(bad)).toMatchObject({ ok: false });
    }
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`role-${i}`, auditor]));
    expect(readTerminalConfig({ roles: many })).toMatchObject({ ok: false });
  });

  it('are served as version 3 only when a version 3 field differs from its default', () => {
    expect(
      configDocumentToServe(TerminalConfig.parse({ roles: structuredClone(DEFAULT_ROLES) })),
    ).toMatchObject({
      schema: 1,
    });
    expect('roles' in configDocumentToServe(TerminalConfig.parse({ timeZone: 'Europe/Berlin' }))).toBe(false);
    for (const v3 of [
      { roles: { auditor } },
      { roles: { ...DEFAULT_ROLES, auditor } },
      { autoLockSeconds: 0 },
      { pinLockout: { attempts: 3 } },
      { pinLockout: { lockMinutes: 0 } },
    ]) {
      expect(configDocumentToServe(TerminalConfig.parse(v3)), JSON.stringify(v3)).toMatchObject({
        schema: 3,
      });
    }
  });

  it('read back exactly what was stored, and what a till needs of what was served, at whatever version', () => {
    for (const fields of [
      {},
      { timeZone: 'Asia/Tokyo', businessDayStartHour: 5 },
      { receiptFooter: 'Hi', roles: { auditor } },
      { autoLockSeconds: 60, pinLockout: { attempts: 3, lockMinutes: 0 } },
      { overShortAlert: 0 },
      { overShortAlert: 2000, timeZone: 'Europe/Zurich' },
    ]) {
      const config = TerminalConfig.parse(fields);
      const stored = JSON.parse(JSON.stringify(configDocumentToStore(config)));
      expect(readTerminalConfig(stored), JSON.stringify(fields)).toEqual({ ok: true, config });
      const served = JSON.parse(JSON.stringify(configDocumentToServe(config)));
      const tillConfig = { ...config, overShortAlert: DEFAULT_TERMINAL_CONFIG.overShortAlert };
      expect(readTerminalConfig(served), JSON.stringify(fields)).toEqual({ ok: true, config: tillConfig });
    }
  });
});

describe('configuration version 4: the over/short alert', () => {
  it('reads older documents with the default of 500 minor units, and a v4 one with its own', () => {
    expect(DEFAULT_TERMINAL_CONFIG.overShortAlert).toBe(500);
    expect(readTerminalConfig({ schema: 3, autoLockSeconds: 0 })).toMatchObject({
      ok: true,
      config: { schema: 6, autoLockSeconds: 0, overShortAlert: 500 },
    });
    expect(readTerminalConfig({ schema: 4, overShortAlert: 0 })).toMatchObject({
      ok: true,
      config: { overShortAlert: 0 },
    });
  });

  it('refuses a negative or fractional threshold, and the threshold in an older version', () => {
    for (const bad of [
      { schema: 4, overShortAlert: -1 },
      { schema: 4, overShortAlert: 2.5 },
      { schema: 3, overShortAlert: 100 },
    ]) {
      expect(readTerminalConfig(bad), JSON.stringify(bad)).toMatchObject({ ok: false });
    }
  });

  it('is never served to tills: only HQ reads it, so tills from before version 4 keep getting every change', () => {
    expect(configDocumentToServe({ ...DEFAULT_TERMINAL_CONFIG, overShortAlert: 1000 }).schema).toBe(1);
    expect(
      configDocumentToServe(TerminalConfig.parse({ overShortAlert: 0, timeZone: 'Europe/Berlin' })),
    ).toEqual(expect.objectContaining({ schema: 2, timeZone: 'Europe/Berlin' }));
    expect(configDocumentToServe(TerminalConfig.parse({ autoLockSeconds: 0 }))).toEqual(
      expect.objectContaining({ schema: 3, autoLockSeconds: 0 }),
    );
    for (const overShortAlert of [0, 500, 1000]) {
      const served = configDocumentToServe(TerminalConfig.parse({ overShortAlert, autoLockSeconds: 0 }));
      expect('overShortAlert' in served).toBe(false);
    }
  });

  it('is stored as version 4 only when the threshold differs from the default, keeping the older fields', () => {
    expect(configDocumentToStore(TerminalConfig.parse({ overShortAlert: 500 }))).toMatchObject({ schema: 1 });
    expect(configDocumentToStore(TerminalConfig.parse({ autoLockSeconds: 0 }))).toEqual(
      expect.objectContaining({ schema: 3, autoLockSeconds: 0 }),
    );
    expect(configDocumentToStore(TerminalConfig.parse({ overShortAlert: 0 }))).toMatchObject({
      schema: 4,
      overShortAlert: 0,
    });
  });
});

const employeeItem = sampleEmployeeFeedItem(9, {}, 'store-001');

describe('feed items, read one by one', () => {
  it('read an employee entry at version 1, and skip one of a later version or with a malformed PIN hash', () => {
    expect(FEED_ITEM_VERSIONS.employee).toEqual([1]);
    expect(readFeedItem(employeeItem)).toEqual({ ok: true, item: employeeItem });
    expect(
      readFeedItem({ ...employeeItem, employee: { ...employeeItem.employee, active: false, pin: null } }).ok,
    ).toBe(true);
    expect(readFeedItem({ ...employeeItem, schema: 2 })).toMatchObject({
      ok: false,
      skipped: { kind: 'employee', schema: 2, version: 9 },
    });
    const badPin = { ...employeeItem.employee.pin, hash: Buffer.alloc(31).toString('base64') };
    expect(
      readFeedItem({ ...employeeItem, employee: { ...employeeItem.employee, pin: badPin } }),
    ).toMatchObject({
      ok: false,
      skipped: { kind: 'employee', version: 9, reason: expect.stringContaining('keyLength') },
    });
  });

  it('read known kinds, with or without their version 1 stated', () => {
    expect(readFeedItem({ kind: 'config', version: 3, storeId: null, config: v1Document }).ok).toBe(true);
    expect(readFeedItem({ kind: 'config', schema: 1, version: 3, storeId: null, config: null }).ok).toBe(
      true,
    );
  });

  it('skip an unknown kind, an unknown version of a known kind, and an unknown configuration version', () => {
    expect(readFeedItem({ kind: 'price-list', schema: 1, version: 4, prices: [] })).toEqual({
      ok: false,
      skipped: {
        kind: 'price-list',
        schema: 1,
        version: 4,
        reason: 'feed item kind price-list is not known here',
      },
    });
    expect(readFeedItem({ kind: 'return-authorisation', schema: 2, version: 5 })).toMatchObject({
      ok: false,
      skipped: { kind: 'return-authorisation', schema: 2, version: 5 },
    });
    expect(
      readFeedItem({ kind: 'config', version: 6, storeId: null, config: { schema: 99, colour: 'red' } }),
    ).toMatchObject({ ok: false, skipped: { kind: 'config', schema: 99, version: 6 } });
  });

  it('skip a known item that does not validate, rather than fail the page', () => {
    expect(readFeedItem({ kind: 'config', version: 7, storeId: null })).toMatchObject({
      ok: false,
      skipped: { kind: 'config', version: 7 },
    });
    expect(readFeedItem('garbage')).toMatchObject({ ok: false, skipped: { kind: '(none)', version: 0 } });
  });
});

describe('configuration version 5: the store on the receipt', () => {
  const legal = {
    storeName: 'Tillwright Stationers',
    storeAddress: ['12 Market Street', '1000 Brussels'],
    taxId: 'BE0123456789',
  };

  it('reads older documents without the store details, and a v5 one with them', () => {
    const old = readTerminalConfig({ schema: 4, overShortAlert: 0 });
    expect(old).toMatchObject({ ok: true, config: { schema: 6 } });
    expect(old.ok && 'storeName' in old.config).toBe(false);
    expect(readTerminalConfig({ schema: 5, ...legal })).toMatchObject({ ok: true, config: legal });
  });

  it('refuses the details in an older version, and a name or line that is empty or hides control characters', () => {
    for (const bad of [
      { schema: 4, storeName: 'Shop' },
      { schema: 5, storeName: '' },
      { schema: 5, storeName: 'Shop\u001b@' },
      { schema: 5, storeAddress: [] },
      { schema: 5, storeAddress: ['line\none'] },
      { schema: 5, taxId: '   ' },
    ]) {
      expect(readTerminalConfig(bad), JSON.stringify(bad)).toMatchObject({ ok: false });
    }
  });

  it('is stored and served as version 5 only once HQ sets one, which tills read', () => {
    expect(configDocumentToStore(TerminalConfig.parse({ overShortAlert: 0 }))).toMatchObject({ schema: 4 });
    expect(configDocumentToStore(TerminalConfig.parse({ taxId: 'BE0123456789' }))).toMatchObject({
      schema: 5,
      taxId: 'BE0123456789',
    });
    const served = configDocumentToServe(TerminalConfig.parse({ ...legal, overShortAlert: 0 }));
    expect(served).toMatchObject({ schema: 5, ...legal, overShortAlert: 500 });
    expect(configDocumentToServe(TerminalConfig.parse({ autoLockSeconds: 0 })).schema).toBe(3);
  });
});

describe('configuration version 6: what the cart sells besides scanned items', () => {
  const cart = {
    quickKeys: [
      { label: 'Bread', productId: 'bread' },
      { label: 'Coffee', productId: 'coffee' },
    ],
    customLines: { allowed: true, maxAmount: 50_00, taxCategory: 'standard' },
    barcodeRegion: 'de',
    promotions: [
      {
        id: 'pens-10',
        name: 'Pens 10% off',
        kind: 'item-percent',
        target: { tags: ['pens'] },
        rate: 100_000,
      },
    ],
  };

  it('reads older documents with no quick keys, custom lines, barcode region or promotions, and a v6 one with them', () => {
    const old = readTerminalConfig({ schema: 5, taxId: 'BE0123456789' });
    expect(old).toMatchObject({
      ok: true,
      config: {
        schema: 6,
        quickKeys: [],
        barcodeRegion: null,
        promotions: [],
        customLines: { allowed: false },
      },
    });
    expect(readTerminalConfig({ schema: 6, ...cart })).toMatchObject({
      ok: true,
      config: { ...cart, promotions: [{ ...cart.promotions[0], priority: 0 }] },
    });
  });

  it('refuses them in an older version, a product on two keys, a bad region, and a promotion that targets nothing', () => {
    for (const bad of [
      { schema: 5, quickKeys: cart.quickKeys },
      { schema: 6, quickKeys: [...cart.quickKeys, { label: 'Bread again', productId: 'bread' }] },
      { schema: 6, quickKeys: [{ label: '', productId: 'bread' }] },
      { schema: 6, barcodeRegion: 'DE' },
      { schema: 6, customLines: { allowed: true, maxAmount: -1 } },
      { schema: 6, promotions: [{ ...cart.promotions[0], target: {} }] },
      { schema: 6, promotions: [{ ...cart.promotions[0], rate: 0 }] },
      { schema: 6, promotions: [cart.promotions[0], cart.promotions[0]] },
    ]) {
      expect(readTerminalConfig(bad), JSON.stringify(bad)).toMatchObject({ ok: false });
    }
  });

  it('is stored and served as version 6 only once HQ sets one of them', () => {
    expect(configDocumentToStore(TerminalConfig.parse({ taxId: 'BE0123456789' })).schema).toBe(5);
    expect(configDocumentToStore(TerminalConfig.parse({ barcodeRegion: 'se' }))).toMatchObject({
      schema: 6,
      barcodeRegion: 'se',
    });
    expect(configDocumentToServe(TerminalConfig.parse({ ...cart, overShortAlert: 0 }))).toMatchObject({
      schema: 6,
      ...cart,
      overShortAlert: 500,
    });
  });
});
