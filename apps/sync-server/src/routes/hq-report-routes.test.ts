import type { JournalEvent, SaleEventV1, UnsignedJournalEvent } from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  saleChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';

/**
 * HQ's business-day report cuts a store's day in the store's own clock (issue #13, point 4): the zone and day-start
 * hour come from the configuration in force at the store. 25 October 2026 is Berlin's 25-hour day (clocks go back
 * at 03:00 CEST): it runs from 2026-10-24T22:00Z to 2026-10-25T23:00Z.
 */
describe.each(BACKENDS)('GET /v1/hq/stores/:storeId/business-days/:day on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let till: TestTerminal;
  let token: string;

  const hq = (method: 'GET' | 'PUT', url: string, payload?: unknown) =>
    server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const report = (day: string, storeId = server.storeId) =>
    hq('GET', `/v1/hq/stores/${storeId}/business-days/${day}`);

  /** Re-chains events with the times given, sealed like the ledger seals them. */
  const chained = (events: { event: JournalEvent; at: string }[]): JournalEvent[] => {
    let previous = '0'.repeat(64);
    return events.map(({ event, at }, index) => {
      const { hash: _, ...unsigned } = event;
      const sealed = sealEvent({
        ...unsigned,
        seq: index + 1,
        occurredAt: at,
        prevHash: previous,
      } as UnsignedJournalEvent);
      previous = sealed.hash;
      return sealed;
    });
  };

  let sales: SaleEventV1[];
  beforeEach(async () => {
    server = await startTestServer(backend);
    till = await server.enrol(server.codes[0]!);
    token = await server.hqToken();
    sales = saleChain(till, 4);
    const voidOfFirst = {
      ...sales[0]!,
      eventId: '019a0000-0000-7000-8000-0000000000ff',
      type: 'void',
      payload: { voidedEventId: sales[0]!.eventId, reason: 'customer changed mind', approvedBy: 'manager-1' },
    } as unknown as JournalEvent;
    const events = chained([
      { event: sales[0]!, at: '2026-10-24T21:30:00.000Z' }, // 23:30 CEST on the 24th
      { event: sales[1]!, at: '2026-10-24T22:30:00Z' }, // 00:30 CEST on the 25th (no milliseconds, as some tills write)
      { event: voidOfFirst, at: '2026-10-25T09:00:00.000Z' }, // the 24th's sale voided on the 25th
      { event: sales[2]!, at: '2026-10-25T22:30:00.000Z' }, // 23:30 CET on the 25th
      { event: sales[3]!, at: '2026-10-25T23:30:00.000Z' }, // 00:30 CET on the 26th
    ]);
    const pushed = await server.push(till, events);
    expect(pushed.json()).toMatchObject({ ackedSeq: 5 });
    const zoned = await hq('PUT', '/v1/hq/config', {
      storeId: server.storeId,
      config: { timeZone: 'Europe/Berlin' },
    });
    expect(zoned.statusCode).toBe(200);
  });
  afterEach(() => server.close());

  it("counts the sales rung within the store's 25-hour day, and a void of the day before on the day it was rung", async () => {
    const answer = await report('2026-10-25');
    expect(answer.statusCode).toBe(200);
    const total = sales[0]!.payload.total;
    expect(answer.json()).toMatchObject({
      storeId: server.storeId,
      day: '2026-10-25',
      timeZone: 'Europe/Berlin',
      from: '2026-10-24T22:00:00.000Z',
      until: '2026-10-25T23:00:00.000Z',
      sales: { count: 2, total: 2 * total },
      voids: { count: 1, total },
      net: total,
    });
    expect((await report('2026-10-24')).json()).toMatchObject({ sales: { count: 1 }, voids: { count: 0 } });
    expect((await report('2026-10-26')).json()).toMatchObject({ sales: { count: 1 }, voids: { count: 0 } });
  });

  it('moves the day with the store’s day-start hour', async () => {
    await hq('PUT', '/v1/hq/config', {
      storeId: server.storeId,
      config: { timeZone: 'Europe/Berlin', businessDayStartHour: 4 },
    });
    // 00:30 on the 25th now belongs to the 24th's trading day, as do 23:30 and the 00:30 of the 26th to the 25th's.
    expect((await report('2026-10-24')).json()).toMatchObject({
      sales: { count: 2 },
      from: '2026-10-24T02:00:00.000Z',
    });
    expect((await report('2026-10-25')).json()).toMatchObject({ sales: { count: 2 }, voids: { count: 1 } });
  });

  it('cuts in UTC for a store with no zone set, as version 1 tills did', async () => {
    await hq('PUT', '/v1/hq/config', { storeId: server.storeId, config: null });
    expect((await report('2026-10-25')).json()).toMatchObject({
      timeZone: 'UTC',
      from: '2026-10-25T00:00:00.000Z',
      sales: { count: 2 },
    });
  });

  it('answers 404 for a store of another org and 400 for a day that is not a date, reading nothing', async () => {
    await server.store.createOrg('org-other', 'Other');
    await server.store.createStore('org-other', 'store-other', 'Other store');
    expect((await report('2026-10-25', 'store-other')).statusCode).toBe(404);
    expect((await report('2026-10-25', 'no-such-store')).statusCode).toBe(404);
    for (const day of ['2026-02-30', '25-10-2026', 'today']) {
      expect((await report(day)).statusCode).toBe(400);
    }
  });

  it('refuses a request without an HQ session', async () => {
    const answer = await server.app.inject({
      method: 'GET',
      url: `/v1/hq/stores/${server.storeId}/business-days/2026-10-25`,
    });
    expect(answer.statusCode).toBe(401);
  });
});
