import { type ConfigFeedItem, TerminalConfig } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { freshLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

const config = (version: number, storeId: string | null, fields: Record<string, unknown> | null) =>
  ({
    kind: 'config',
    version,
    storeId,
    config: fields === null ? null : TerminalConfig.parse(fields),
  }) satisfies ConfigFeedItem;

describe('the feed version of the configuration in force (what a sale records its promotions were)', () => {
  it("is 0 for the defaults, then the version of the document config() reads: the store's over the org's", () => {
    const fixture = freshLedger();
    cleanup = fixture.cleanup;
    const { ledger } = fixture;
    expect(ledger.feed.configVersion()).toBe(0);
    ledger.feed.apply([config(3, null, { receiptFooter: 'org' })], 3);
    expect(ledger.feed.configVersion()).toBe(3);
    ledger.feed.apply(
      [config(4, 'S1', { receiptFooter: 'store' }), config(5, null, { receiptFooter: 'o' })],
      5,
    );
    expect(ledger.feed.config().receiptFooter).toBe('store');
    expect(ledger.feed.configVersion()).toBe(4);
    // The store's document withdrawn: the org's is in force again, and its version with it.
    ledger.feed.apply([config(6, 'S1', null)], 6);
    expect(ledger.feed.configVersion()).toBe(5);
    ledger.feed.apply([config(7, null, null)], 7);
    expect(ledger.feed.configVersion()).toBe(0);
  });
});
