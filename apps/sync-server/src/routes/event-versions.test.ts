import {
  CONFIG_DOCUMENT_VERSIONS,
  FEED_ITEM_VERSIONS,
  type HqStreamItem,
  KNOWN_EVENT_VERSIONS,
  ProtocolVersions,
} from '@tillwright/protocol';
import { hashEvent, sealEvent } from '@tillwright/protocol/chain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  returnEvent,
  saleChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
  zonedSaleChain,
} from '../test-support.js';

describe.each(BACKENDS)('event versions on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let oldTill: TestTerminal;
  let newTill: TestTerminal;

  beforeEach(async () => {
    server = await startTestServer(backend);
    oldTill = await server.enrol(server.codes[0]!);
    newTill = await server.enrol(server.codes[1]!);
  });
  afterEach(() => server.close());

  const hq = (path: string) => server.hqGet(path);

  it('announces every version it accepts and serves to a signed terminal', async () => {
    const response = await server.signed(newTill, 'GET', '/v1/terminal/versions');
    expect(response.statusCode).toBe(200);
    expect(ProtocolVersions.parse(response.json())).toEqual({
      events: KNOWN_EVENT_VERSIONS,
      feed: FEED_ITEM_VERSIONS,
      config: CONFIG_DOCUMENT_VERSIONS,
    });
    expect(response.json().events.sale).toEqual([1, 2, 3, 4, 5, 6]);
    const unsigned = await server.app.inject({ method: 'GET', url: '/v1/terminal/versions' });
    expect(unsigned.statusCode).toBe(401);
  });

  it('takes sale v1 from an old till and sale v2 from a new one at once, stores each as written, and returns against both', async () => {
    const [oldSale] = saleChain(oldTill, 1);
    const [newSale] = zonedSaleChain(newTill, 1, 'Europe/Berlin');
    const [oldAnswer, newAnswer] = await Promise.all([
      server.push(oldTill, [oldSale!]),
      server.push(newTill, [newSale!]),
    ]);
    expect(oldAnswer.json()).toEqual({ ackedSeq: 1, ackedHash: oldSale!.hash });
    expect(newAnswer.json()).toEqual({ ackedSeq: 1, ackedHash: newSale!.hash });

    // The HQ stream delivers each event as it was written: its version, its bytes, its hash.
    const items = (await hq('/v1/hq/events?after=0')).items as HqStreamItem[];
    const byId = new Map(items.map((item) => [item.event.eventId, item.event]));
    expect(byId.get(oldSale!.eventId)).toEqual(oldSale);
    expect(byId.get(newSale!.eventId)).toEqual(newSale);
    for (const { event } of items) {
      const { hash, ...unsigned } = event;
      expect(hashEvent(unsigned)).toBe(hash);
    }

    // A return against each, at its till: counted against the sale whatever its version, no exception opened.
    const oldReturn = returnEvent(oldTill, oldSale!, oldSale!, 1);
    const newReturn = returnEvent(newTill, newSale!, newSale!, 1);
    expect((await server.push(oldTill, [oldReturn])).statusCode).toBe(200);
    expect((await server.push(newTill, [newReturn])).statusCode).toBe(200);
    expect(await server.store.returnedQuantities(server.orgId, oldSale!.eventId)).toEqual({ l1: 1 });
    expect(await server.store.returnedQuantities(server.orgId, newSale!.eventId)).toEqual({ l1: 1 });
    expect((await hq('/v1/hq/exceptions')).exceptions).toEqual([]);

    // A second return of the one pen of the v2 sale is an over-return: its lines were read through the upcast.
    const again = returnEvent(newTill, newReturn, newSale!, 1);
    await server.push(newTill, [again]);
    expect((await hq('/v1/hq/exceptions')).exceptions).toMatchObject([
      { eventId: again.eventId, kind: 'over_return' },
    ]);
  });

  it('quarantines a version newer than it knows and a type it does not know, acknowledges them and alerts HQ', async () => {
    const [sale] = zonedSaleChain(newTill, 1, 'UTC');
    const { hash: _, ...unsigned } = sale!;
    const v7 = sealEvent({ ...unsigned, schema: 7 } as never) as typeof sale & { hash: string };
    const layaway = sealEvent({
      ...unsigned,
      eventId: '019ab8a0-0000-7000-8000-00000000bbbb',
      type: 'layaway',
      seq: 2,
      prevHash: v7.hash,
    } as never) as { hash: string; eventId: string };
    const response = await server.push(newTill, [v7, layaway]);
    expect(response.json()).toEqual({ ackedSeq: 2, ackedHash: layaway.hash });
    const quarantined = (await hq('/v1/hq/quarantine')).events;
    expect(quarantined).toMatchObject([
      {
        eventId: v7.eventId,
        issues: [expect.stringMatching(/^event_version_unsupported: schema: sale version 7/)],
      },
      { eventId: layaway.eventId, issues: [expect.stringMatching(/^event_type_unknown:/)] },
    ]);
    expect(await server.store.counts()).toMatchObject({ events: 0, quarantined: 2, alerts: 2 });
  });

  it('quarantines a sale whose payload does not match the version it declares', async () => {
    const [sale] = saleChain(newTill, 1);
    const { hash: _, ...unsigned } = sale!;
    const v2WithoutZone = sealEvent({ ...unsigned, schema: 2 } as never) as { hash: string; eventId: string };
    expect((await server.push(newTill, [v2WithoutZone])).json()).toEqual({
      ackedSeq: 1,
      ackedHash: v2WithoutZone.hash,
    });
    expect((await hq('/v1/hq/quarantine')).events).toMatchObject([
      { eventId: v2WithoutZone.eventId, issues: [expect.stringMatching(/^payload\.timeZone/)] },
    ]);
  });
});
