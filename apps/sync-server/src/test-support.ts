import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createUuidV7Generator,
  GENESIS_HASH,
  type SaleEvent,
  type SalePayloadV1,
} from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { generateTerminalKeyPair, signRequest, type TerminalKeyPair } from '@tillwright/protocol/signing';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import { buildApp } from './app.js';
import { DEMO_ORG_ID, DEMO_STORE_ID, seedDemo } from './demo-seed.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { ServerStore, TerminalPrincipal } from './store/store.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const FIXED_NOW = new Date('2026-11-25T10:00:00.000Z');

export interface TestTerminal extends TerminalPrincipal {
  keys: TerminalKeyPair;
}

export async function startTestServer(options: { now?: () => Date; store?: ServerStore } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tillwright-server-'));
  const store = options.store ?? new SqliteStore(join(dir, 'server.sqlite'));
  const now = options.now ?? (() => FIXED_NOW);
  const codes = ['CODE-AAAA-0001', 'CODE-AAAA-0002', 'CODE-AAAA-0003'];
  for (const code of codes)
    await seedDemo(store, { enrolmentCode: code, adminPassword: ADMIN_PASSWORD }, now());
  const { app } = buildApp({ store, now });
  await app.ready();
  const enrol = async (code: string): Promise<TestTerminal> => {
    const keys = generateTerminalKeyPair();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/enrol',
      payload: { code, terminalName: 'Till', publicKey: keys.publicKey },
    });
    if (response.statusCode !== 200) throw new Error(`enrol failed: ${response.body}`);
    return { ...(response.json() as TerminalPrincipal), keys };
  };
  /** A request signed by the terminal's key, exactly as the terminal's sync client sends it. */
  const signed = (terminal: TestTerminal, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization = signRequest(
      { method, pathWithQuery: url, body },
      terminal.terminalId,
      terminal.keys.privateKeyPem,
      now().getTime(),
    );
    return app.inject({
      method,
      url,
      headers: { authorization, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload: body }),
    });
  };
  const push = (terminal: TestTerminal, events: unknown[], epoch = terminal.epoch) =>
    signed(terminal, 'POST', '/v1/journal/batches', { epoch, events });
  let session: string | null = null;
  /** An HQ admin session token for the demo org. */
  const hqToken = async (): Promise<string> => {
    if (session) return session;
    const response = await app.inject({
      method: 'POST',
      url: '/v1/hq/sessions',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
    session = (response.json() as { token: string }).token;
    return session;
  };
  return {
    app,
    store,
    codes,
    enrol,
    signed,
    push,
    hqToken,
    orgId: DEMO_ORG_ID,
    storeId: DEMO_STORE_ID,
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const payload: SalePayloadV1 = sampleSalePayload(250, 500);

/** A terminal's chain of sale events, built the way the ledger builds them. */
export function saleChain(
  terminal: TerminalPrincipal,
  count: number,
  from = { seq: 0, hash: GENESIS_HASH },
  change: (payload: SalePayloadV1) => SalePayloadV1 = (p) => p,
): SaleEvent[] {
  let tick = 1_764_064_800_000 + from.seq;
  const nextId = createUuidV7Generator(() => tick++);
  const events: SaleEvent[] = [];
  let previous = from;
  for (let i = 0; i < count; i++) {
    const event: SaleEvent = sealEvent({
      schema: 1 as const,
      eventId: nextId(),
      type: 'sale' as const,
      terminalId: terminal.terminalId,
      storeId: terminal.storeId,
      epoch: terminal.epoch,
      seq: previous.seq + 1,
      occurredAt: FIXED_NOW.toISOString(),
      payload: change(payload),
      prevHash: previous.hash,
    });
    events.push(event);
    previous = { seq: event.seq, hash: event.hash };
  }
  return events;
}
