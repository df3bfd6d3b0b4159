import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createUuidV7Generator,
  type EnrolResponse,
  GENESIS_HASH,
  type SaleEvent,
  type SalePayloadV1,
} from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import { buildApp } from './app.js';
import { DEMO_ORG_ID, DEMO_STORE_ID, seedDemo } from './demo-seed.js';
import { SqliteStore } from './store/sqlite-store.js';

export const HQ_TOKEN = 'hq-token-for-tests-0123456789';
export const FIXED_NOW = new Date('2026-11-25T10:00:00.000Z');

export async function startTestServer() {
  const dir = mkdtempSync(join(tmpdir(), 'tillwright-server-'));
  const store = new SqliteStore(join(dir, 'server.sqlite'));
  const codes = ['CODE-AAAA-0001', 'CODE-AAAA-0002'];
  await seedDemo(store, { enrolmentCode: codes[0]!, hqToken: HQ_TOKEN }, FIXED_NOW);
  await seedDemo(store, { enrolmentCode: codes[1]!, hqToken: HQ_TOKEN }, FIXED_NOW);
  const { app } = buildApp({ store, now: () => FIXED_NOW });
  await app.ready();
  const enrol = async (code: string): Promise<EnrolResponse> => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/enrol',
      payload: { code, terminalName: 'Till' },
    });
    if (response.statusCode !== 200) throw new Error(`enrol failed: ${response.body}`);
    return response.json();
  };
  return {
    app,
    store,
    codes,
    enrol,
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
  terminal: EnrolResponse,
  count: number,
  from = { seq: 0, hash: GENESIS_HASH },
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
      payload,
      prevHash: previous.hash,
    });
    events.push(event);
    previous = { seq: event.seq, hash: event.hash };
  }
  return events;
}
