import { GENESIS_HASH } from '@tillwright/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  saleChain,
  startTestServer,
  type TestServer,
  type TestTerminal,
  useBackend,
} from '../test-support.js';

describe.each(BACKENDS)('terminal epochs on %s', (backend) => {
  useBackend(backend);
  let server: TestServer;
  let terminal: TestTerminal;

  beforeEach(async () => {
    server = await startTestServer(backend);
    terminal = await server.enrol(server.codes[0]!);
  });
  afterEach(() => server.close());

  const state = async (who: TestTerminal) => (await server.signed(who, 'GET', '/v1/terminal/state')).json();
  const newEpoch = (who: TestTerminal, body: unknown) =>
    server.signed(who, 'POST', '/v1/terminal/epochs', body);

  it('tells a terminal what the server holds for it', async () => {
    expect(await state(terminal)).toEqual({
      terminalId: terminal.terminalId,
      epoch: 1,
      ackedSeq: 0,
      ackedHash: GENESIS_HASH,
    });
    const events = saleChain(terminal, 3);
    await server.push(terminal, events);
    expect(await state(terminal)).toMatchObject({ epoch: 1, ackedSeq: 3, ackedHash: events[2]!.hash });
  });

  it('moves a restored terminal to a new epoch, fences the old one, keeps its events and alerts HQ', async () => {
    const events = saleChain(terminal, 3);
    await server.push(terminal, events);
    const moved = await newEpoch(terminal, { fromEpoch: 1, toEpoch: 2, reason: 'restored', localLastSeq: 1 });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toEqual({
      terminalId: terminal.terminalId,
      epoch: 2,
      ackedSeq: 0,
      ackedHash: GENESIS_HASH,
    });

    const stale = await server.push(terminal, saleChain(terminal, 4).slice(3), 1);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'stale_epoch', details: { currentEpoch: 2 } });
    const next = saleChain({ ...terminal, epoch: 2 }, 1);
    expect((await server.push(terminal, next, 2)).json()).toEqual({ ackedSeq: 1, ackedHash: next[0]!.hash });
    expect((await server.store.counts()).events).toBe(4);
    expect((await server.store.counts()).alerts).toBe(1);
  });

  it('answers a repeated request (its answer was lost) the same, without a second move or alert', async () => {
    const body = { fromEpoch: 1, toEpoch: 2, reason: 'manual', localLastSeq: 0 };
    const first = await newEpoch(terminal, body);
    const again = await newEpoch(terminal, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await server.store.counts()).alerts).toBe(1);
  });

  it('refuses a move from an epoch the server does not hold, and changes nothing', async () => {
    const response = await newEpoch(terminal, {
      fromEpoch: 3,
      toEpoch: 4,
      reason: 'manual',
      localLastSeq: 0,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'stale_epoch', details: { currentEpoch: 1 } });
    expect(await state(terminal)).toMatchObject({ epoch: 1 });
    expect((await server.store.counts()).alerts).toBe(0);
  });

  it('refuses a malformed request and an unsigned one', async () => {
    expect((await newEpoch(terminal, { fromEpoch: 1, toEpoch: 'two' })).statusCode).toBe(400);
    const unsigned = await server.app.inject({ method: 'GET', url: '/v1/terminal/state' });
    expect(unsigned.statusCode).toBe(401);
    expect(await state(terminal)).toMatchObject({ epoch: 1 });
  });
});
