import type { HqStreamItem, SaleEvent } from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSecret, sha256Hex } from '../auth/auth.js';
import { DEMO_CATALOG } from '../ops/demo-seed.js';
import {
  BACKENDS,
  FIXED_NOW,
  followStream,
  returnEvent,
  saleChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';

const LATER = new Date(FIXED_NOW.getTime() + 3600_000).toISOString();

/**
 * The squatting attack of issue #11 through the real app: a terminal of another org learns the id of a sale from
 * its receipt's QR and pushes an event under it before the sale's own till syncs (decision 0008).
 */
describe.each(BACKENDS)('event ids across orgs, over HTTP on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let baseUrl: string;
  let tillA: TestTerminal;
  let tillB: TestTerminal;
  let tokenB: string;

  beforeEach(async () => {
    server = await startTestServer(backend);
    baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    tillA = await server.enrol(server.codes[0]!);
    await server.store.createOrg('org-b', 'Other Retail');
    await server.store.createStore('org-b', 'b1', 'Elsewhere');
    await server.store.putCatalogProducts('org-b', DEMO_CATALOG);
    await server.store.issueEnrolmentCode('org-b', 'b1', sha256Hex('CODE-BBBB-0001'), LATER);
    tillB = await server.enrol('CODE-BBBB-0001');
    await server.store.createStaff({
      staffId: 'b-admin',
      orgId: 'org-b',
      username: 'b-admin',
      passwordHash: 'not-used-here',
      role: 'admin',
    });
    tokenB = newSecret();
    await server.store.createSession(sha256Hex(tokenB), 'b-admin', LATER);
  });
  afterEach(() => server.close());

  const hq = async (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  it("stores, streams and returns org A's sale although org B pushed its id first", async () => {
    const tokenA = await server.hqToken();
    const genuine = saleChain(tillA, 1)[0]!;
    const { hash: _hash, ...unsigned } = saleChain(tillB, 1)[0]!;
    const squat = sealEvent({ ...unsigned, eventId: genuine.eventId }) as SaleEvent;
    expect((await server.push(tillB, [squat])).json()).toEqual({ ackedSeq: 1, ackedHash: squat.hash });

    expect((await server.push(tillA, [genuine])).json()).toEqual({ ackedSeq: 1, ackedHash: genuine.hash });
    const afterB = saleChain(tillB, 1, { seq: 1, hash: squat.hash })[0]!;
    expect((await server.push(tillB, [afterB])).statusCode).toBe(200);
    expect((await hq(tokenA, 'GET', '/v1/hq/quarantine')).json()).toEqual({ events: [] });

    // Each org's stream and paged read hold its own event under the id, and never the other org's.
    const shown = (items: HqStreamItem[]) => items.map((item) => [item.orgId, item.terminalId, item.event]);
    expect(shown(await followStream(baseUrl, tokenA, { count: 1 }))).toEqual([
      [server.orgId, tillA.terminalId, genuine],
    ]);
    // org A's sale committed between these two: the second item of org B's stream is its next own event.
    expect(shown(await followStream(baseUrl, tokenB, { count: 2 }))).toEqual([
      ['org-b', tillB.terminalId, squat],
      ['org-b', tillB.terminalId, afterB],
    ]);
    expect(shown((await hq(tokenA, 'GET', '/v1/hq/events')).json().items)).toEqual([
      [server.orgId, tillA.terminalId, genuine],
    ]);
    expect(shown((await hq(tokenB, 'GET', '/v1/hq/events')).json().items)).toEqual([
      ['org-b', tillB.terminalId, squat],
      ['org-b', tillB.terminalId, afterB],
    ]);

    const authorisation = await hq(tokenA, 'POST', '/v1/hq/return-authorisations', {
      authorisationId: '4f9c1b7e-2a3d-4c5e-9f60-0000000000a1',
      originalSaleId: genuine.eventId,
      originalTerminalId: tillA.terminalId,
      storeId: server.storeId,
      lines: [{ lineId: 'l1', quantity: 1 }],
    });
    expect(authorisation.statusCode).toBe(200);
    expect(authorisation.json().authorisation).toMatchObject({ originalStoreId: server.storeId });
    expect((await server.signed(tillA, 'GET', '/v1/feed?after=0')).json().items).toEqual([
      authorisation.json(),
    ]);

    const ret = returnEvent(tillA, genuine, genuine, 1);
    expect((await server.push(tillA, [ret])).json()).toEqual({ ackedSeq: 2, ackedHash: ret.hash });
    expect((await hq(tokenA, 'GET', '/v1/hq/exceptions')).json()).toEqual({ exceptions: [] });
    expect((await hq(tokenB, 'GET', '/v1/hq/exceptions')).json()).toEqual({ exceptions: [] });
    expect(await server.store.returnedQuantities(server.orgId, genuine.eventId)).toEqual({ l1: 1 });
  });
});
