import type { JournalEvent } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShiftDetail, ShiftView } from '../store/store.js';
import {
  BACKENDS,
  chainEventId,
  eventChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';
import { expectRefusal, OTHER_ORG, OTHER_ORG_STORE, sessionOf } from '../testing/employees.js';
import {
  movement,
  noSale,
  postVoid,
  SHIFT_A,
  SHIFT_B,
  SHIFT_C,
  sale,
  shiftClose,
  shiftOpen,
  trainingSale,
} from '../testing/shift-events.js';

/**
 * HQ sees shifts (issue #16 point 6, decision 0015 "HQ"): `GET /v1/hq/shifts` and `/v1/hq/shifts/:shiftId`, from
 * the shifts projection kept in the ingest transaction, the session's org only.
 */
describe.each(BACKENDS)('HQ shifts on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let till: TestTerminal;
  let second: TestTerminal;
  let viewer: string;
  /** Till 1: shift A closed (sales, a training sale, movements, a no-sale, a void), then shift C left open. */
  let first: JournalEvent[];

  const get = async (url: string, token = viewer) =>
    server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const list = async (query = '') => {
    const response = await get(`/v1/hq/shifts${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { shifts: ShiftView[]; nextOffset: number };
  };

  beforeEach(async () => {
    server = await startTestServer(backend);
    till = await server.enrol(server.codes[0]!);
    second = await server.enrolDirect();
    viewer = await sessionOf(server.store, { staffId: 'demo-viewer', orgId: server.orgId, role: 'viewer' });
    first = eventChain(till, [
      shiftOpen(SHIFT_A, 15_000, 'mgr-1'),
      sale(SHIFT_A),
      sale(SHIFT_A),
      sale(SHIFT_A),
      trainingSale(SHIFT_A),
      movement('cash-drop', SHIFT_A, 10_000, 'to the safe'),
      movement('paid-out', SHIFT_A, 1_250, 'window cleaner'),
      noSale(SHIFT_A),
      postVoid(SHIFT_A, chainEventId(2)),
      // Expected cash: 15,000 float + 750 sales − 250 voided − 10,000 dropped − 1,250 paid out = 4,250; 30 short.
      shiftClose(SHIFT_A, 4_250, -30, 'mgr-2'),
      shiftOpen(SHIFT_C, 20_000, 'mgr-2'),
      sale(SHIFT_C),
    ]);
    expect((await server.push(till, first)).json()).toMatchObject({ ackedSeq: 12 });
    const onSecond = eventChain(second, [shiftOpen(SHIFT_B, 10_000, 'mgr-3'), sale(SHIFT_B)], undefined, '1');
    expect((await server.push(second, onSecond)).json()).toMatchObject({ ackedSeq: 2 });
  });
  afterEach(() => server.close());

  it('lists every shift of the org in the order opened, with its open, close, float and figures', async () => {
    const { shifts, nextOffset } = await list();
    expect(shifts.map((s) => [s.shiftId, s.terminalId, s.state])).toEqual([
      [SHIFT_A, till.terminalId, 'closed'],
      [SHIFT_C, till.terminalId, 'open'],
      [SHIFT_B, second.terminalId, 'open'],
    ]);
    expect(nextOffset).toBe(shifts[2]!.offset);
    expect(shifts[0]).toEqual({
      offset: expect.any(Number),
      shiftId: SHIFT_A,
      storeId: server.storeId,
      terminalId: till.terminalId,
      currency: 'EUR',
      state: 'closed',
      openedAt: '2026-11-25T10:00:00.000Z',
      openedBy: 'mgr-1',
      openingFloat: 15_000,
      floatCount: [
        { value: 100, count: 150 },
        { value: 1, count: 0 },
      ],
      openApprovalId: null,
      closedAt: '2026-11-25T10:00:00.000Z',
      closedBy: 'mgr-2',
      blind: true,
      expected: [
        { kind: 'cash', amount: 4_250 },
        { kind: 'card', amount: 1000 },
      ],
      counted: [
        { kind: 'cash', amount: 4_220 },
        { kind: 'card', amount: 1000 },
      ],
      overShort: [
        { kind: 'cash', amount: -30 },
        { kind: 'card', amount: 0 },
      ],
      cashCount: [
        { value: 100, count: 42 },
        { value: 1, count: 20 },
      ],
      closeApprovalId: null,
      // Three sales of 2.50, one of them voided (under voids only, as the till's X/Z report has it); the training
      // sale is counted apart, never in the total.
      sales: { count: 2, total: 500 },
      trainingSales: { count: 1 },
      voids: { count: 1, total: 250 },
      noSales: 1,
      events: 10,
    });
    expect(shifts[1]).toMatchObject({
      openedBy: 'mgr-2',
      openingFloat: 20_000,
      closedAt: null,
      closedBy: null,
      blind: null,
      expected: null,
      counted: null,
      overShort: null,
      sales: { count: 1, total: 250 },
    });
  });

  it('filters by store, till and state, and pages by the offset cursor', async () => {
    expect((await list(`?terminalId=${second.terminalId}`)).shifts.map((s) => s.shiftId)).toEqual([SHIFT_B]);
    expect((await list('?state=closed')).shifts.map((s) => s.shiftId)).toEqual([SHIFT_A]);
    expect((await list('?state=open')).shifts.map((s) => s.shiftId)).toEqual([SHIFT_C, SHIFT_B]);
    expect(
      (await list(`?storeId=${server.storeId}&state=open&terminalId=${till.terminalId}`)).shifts,
    ).toHaveLength(1);
    expect((await list('?storeId=store-002')).shifts).toEqual([]);
    const page1 = await list('?limit=2');
    expect(page1.shifts.map((s) => s.shiftId)).toEqual([SHIFT_A, SHIFT_C]);
    const page2 = await list(`?limit=2&after=${page1.nextOffset}`);
    expect(page2.shifts.map((s) => s.shiftId)).toEqual([SHIFT_B]);
    const page3 = await list(`?limit=2&after=${page2.nextOffset}`);
    expect(page3).toEqual({ shifts: [], nextOffset: page2.nextOffset });
  });

  it('gives one shift with its cash movements, who did each, and its events count', async () => {
    const response = await get(`/v1/hq/shifts/${SHIFT_A}`);
    expect(response.statusCode).toBe(200);
    const shift = response.json() as ShiftDetail;
    expect(shift).toMatchObject({ shiftId: SHIFT_A, state: 'closed', events: 10 });
    expect(shift.movements).toEqual([
      {
        eventId: first[5]!.eventId,
        type: 'cash-drop',
        amount: 10_000,
        reason: 'to the safe',
        employeeId: 'cashier-7',
        approvalId: null,
        at: '2026-11-25T10:00:00.000Z',
      },
      expect.objectContaining({ type: 'paid-out', amount: 1_250, reason: 'window cleaner' }),
    ]);
    expect(((await get(`/v1/hq/shifts/${SHIFT_C}`)).json() as ShiftDetail).movements).toEqual([]);
  });

  it("never shows another org's shifts: not listed, 404 by id, even under the same shift id", async () => {
    await server.store.createOrg(OTHER_ORG, 'Other Retail');
    await server.store.createStore(OTHER_ORG, OTHER_ORG_STORE, 'Other High Street');
    await server.store.issueEnrolmentCode(
      OTHER_ORG,
      OTHER_ORG_STORE,
      'f'.repeat(64),
      '2026-11-26T10:00:00.000Z',
    );
    const stranger = await server.store.enrolTerminal({
      codeHash: 'f'.repeat(64),
      terminalName: 'Their till',
      publicKey: 'unused-in-this-test',
      now: '2026-11-25T10:00:00.000Z',
    });
    const theirs = '019ab8a0-0000-7000-8000-00000000b0ff';
    await server.store.ingest(
      stranger,
      { epoch: 1, events: eventChain(stranger, [shiftOpen(theirs), shiftOpen(SHIFT_A, 99), sale(SHIFT_A)]) },
      '2026-11-25T10:00:00.000Z',
    );
    const ours = (await list()).shifts;
    expect(ours.map((s) => s.shiftId)).toEqual([SHIFT_A, SHIFT_C, SHIFT_B]);
    expect(ours[0]).toMatchObject({ openingFloat: 15_000, sales: { count: 2 } });
    expectRefusal(await get(`/v1/hq/shifts/${theirs}`), 404, 'not_found');
    const otherViewer = await sessionOf(server.store, {
      staffId: 'b-viewer',
      orgId: OTHER_ORG,
      role: 'viewer',
    });
    const seen = (await get('/v1/hq/shifts', otherViewer)).json() as { shifts: ShiftView[] };
    expect(seen.shifts.map((s) => [s.shiftId, s.openingFloat, s.sales.count])).toEqual([
      [theirs, 15_000, 0],
      [SHIFT_A, 99, 1],
    ]);
    expectRefusal(await get(`/v1/hq/shifts/${SHIFT_B}`, otherViewer), 404, 'not_found');
  });

  it("lets no till change another till's shift, whatever shift id its events name", async () => {
    const before = await list();
    const last = { seq: 2, hash: (await server.store.readStream(server.orgId, 0, 100)).at(-1)!.event.hash };
    const intruding = eventChain(
      second,
      [sale(SHIFT_C), noSale(SHIFT_A), shiftClose(SHIFT_C, 0, -5000)],
      last,
      '1',
    );
    expect((await server.push(second, intruding)).json()).toMatchObject({ ackedSeq: 5 });
    expect((await list()).shifts).toEqual(before.shifts);
  });

  it('refuses bad query parameters and ids with 400, and a request without a session with 401', async () => {
    const before = await server.store.counts();
    for (const query of [
      '?state=half',
      '?limit=0',
      '?limit=201',
      '?after=-1',
      '?after=x',
      '?storeId=',
      '?terminalId=%20',
      '?shift=1',
      '?state=open&state=closed',
    ]) {
      expectRefusal(await get(`/v1/hq/shifts${query}`), 400, 'invalid_request');
    }
    expectRefusal(await get('/v1/hq/shifts/not-a-uuid'), 400, 'invalid_request');
    expect((await server.app.inject({ method: 'GET', url: '/v1/hq/shifts' })).statusCode).toBe(401);
    expect(await server.store.counts()).toEqual(before);
  });

  it('keeps a training sale out of every HQ total while storing and streaming it as training', async () => {
    const report = async () =>
      (await get(`/v1/hq/stores/${server.storeId}/business-days/2026-11-25`)).json() as Record<
        string,
        unknown
      >;
    const shiftC = async () => ((await get(`/v1/hq/shifts/${SHIFT_C}`)).json() as ShiftDetail).sales;
    const dayBefore = await report();
    const shiftBefore = await shiftC();
    expect(dayBefore).toMatchObject({ sales: { count: 5, total: 1_250 }, voids: { count: 1, total: 250 } });
    const last = first.at(-1)!;
    const training = eventChain(till, [trainingSale(SHIFT_C), trainingSale(null)], {
      seq: last.seq,
      hash: last.hash,
    });
    expect((await server.push(till, training)).json()).toMatchObject({ ackedSeq: 14 });
    expect(await report()).toEqual(dayBefore);
    expect(await shiftC()).toEqual(shiftBefore);
    // Stored and in the stream, as training.
    const { items } = await server.hqGet(`/v1/hq/events?after=0`);
    const streamed = (items as { event: JournalEvent }[]).map((item) => item.event).slice(-2);
    expect(streamed).toEqual(training);
    expect(streamed.map((event) => event.type)).toEqual(['training-sale', 'training-sale']);
  });
});
