import { describe, expect, it } from 'vitest';
import { DEFAULT_TERMINAL_CONFIG, TerminalConfig } from './feed.js';
import { configDocumentToServe, readFeedItem, readTerminalConfig } from './feed-versions.js';

const v1Document = { ...configDocumentToServe(DEFAULT_TERMINAL_CONFIG), drawerOpenAlertSeconds: 30 };

describe('configuration versions', () => {
  it('read a version 1 document as version 2 in UTC', () => {
    expect(v1Document.schema).toBe(1);
    expect(readTerminalConfig(v1Document)).toEqual({
      ok: true,
      config: { ...DEFAULT_TERMINAL_CONFIG, drawerOpenAlertSeconds: 30 },
    });
  });

  it('read a version 2 document with its zone, and one without `schema` as the latest', () => {
    expect(readTerminalConfig({ schema: 2, timeZone: 'Europe/Berlin' })).toMatchObject({
      ok: true,
      config: { schema: 2, timeZone: 'Europe/Berlin' },
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

describe('feed items, read one by one', () => {
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
