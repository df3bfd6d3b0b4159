import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONFIG_DOCUMENT_VERSIONS,
  createUuidV7Generator,
  FEED_ITEM_VERSIONS,
  KNOWN_EVENT_VERSIONS,
  type ProtocolVersions,
  type SaleEvent,
} from '@tillwright/protocol';
import { buildApp, DEMO_ORG_ID, DEMO_STORE_ID, SqliteStore, seedDemo } from '@tillwright/sync-server';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { callHost, openShiftAtTill, serverEvents, signInAtTill } from './observe.js';
import { eventually, type RunningProcess, repoRoot } from './processes.js';
import { startTerminalHost } from './system.js';

const ADMIN_PASSWORD = 'e2e-admin-password';
const CODE = 'E2E-VERSIONS-0001';
const nextSaleId = createUuidV7Generator();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface FeedStatus {
  skipped: number;
  lastSkipped: { kind: string; schema: number; version: number; reason: string } | null;
}

/**
 * The real server code in this process (so a test can make it publish what no server of today does), on a SQLite
 * file, listening on a port; the terminal is the real host process.
 */
async function startServer(
  options: { announcedVersions?: ProtocolVersions; unknownFeedKind?: boolean } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillwright-versions-'));
  const store = new SqliteStore(join(dataDir, 'server.sqlite'));
  await seedDemo(store, { enrolmentCode: CODE, adminPassword: ADMIN_PASSWORD }, new Date());
  const { app } = buildApp({
    store,
    ...(options.announcedVersions ? { announcedVersions: options.announcedVersions } : {}),
  });
  if (options.unknownFeedKind) {
    // A newer server's feed: every page also carries a kind this till has never heard of. The feed table's CHECK on
    // kind keeps such a row out of today's store, so it is added where it leaves the server, at the HTTP layer.
    app.addHook('onSend', async (request, _reply, payload) => {
      if (!request.url.startsWith('/v1/feed') || typeof payload !== 'string') return payload;
      const page = JSON.parse(payload) as { items: { version: number }[]; nextAfter: number };
      if (page.items.length === 0) return payload;
      const priceList = { kind: 'price-list', schema: 1, version: page.items[0]!.version, prices: [] };
      return JSON.stringify({ ...page, items: [priceList, ...page.items] });
    });
  }
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(async () => {
    await app.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const session = await app.inject({
    method: 'POST',
    url: '/v1/hq/sessions',
    payload: { username: 'admin', password: ADMIN_PASSWORD },
  });
  const token = session.json().token as string;
  const putConfig = async (body: unknown) => {
    const response = await app.inject({
      method: 'PUT',
      url: '/v1/hq/config',
      headers: { authorization: `Bearer ${token}` },
      payload: body as Record<string, unknown>,
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  return { url, store, token, putConfig };
}

async function startTill(serverUrl: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillwright-versions-till-'));
  const host = await startTerminalHost({ dataDir, serverUrl, enrolmentCode: CODE });
  const running: RunningProcess = host.process;
  cleanups.push(async () => {
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  // Sell only once the till has pulled its catalog and its feed (so it has the pen, and the zone HQ set).
  await eventually(() => (pulled(host.ledgerPath) ? true : undefined), 'the first catalog and feed pull');
  await signInAtTill(host.url);
  const shift = await openShiftAtTill(host.url);
  const sell = async () => {
    const saleId = nextSaleId();
    const answer = await callHost(host.url, 'sale.complete', {
      saleId,
      currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
      tenders: [{ kind: 'cash', tendered: 500 }],
    });
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
    return saleId;
  };
  const status = async () => (await callHost(host.url, 'sync.status', {})).result as { feed: FeedStatus };
  return { host, shift, sell, status };
}

/** Whether the till's ledger has pulled a catalog and a feed page, read beside the running host. */
function pulled(ledgerPath: string): boolean {
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    const catalog = db.prepare('SELECT version FROM catalog_cursor').get() as { version: number };
    const feed = db.prepare('SELECT version FROM feed_cursor').get() as { version: number };
    return catalog.version > 0 && feed.version > 0;
  } finally {
    db.close();
  }
}

const onServer = async (server: { url: string; token: string }, saleId: string) =>
  eventually(async () => {
    const found = (await serverEvents(server.url, server.token)).find(
      (item) => item.event.eventId === saleId,
    );
    return found ? (found.event as SaleEvent) : undefined;
  }, `sale ${saleId} on the HQ stream`);

const artifacts = join(repoRoot, 'test-artifacts', 'e2e');

describe('versions between a till and its server', () => {
  it('skips and reports a feed kind and a configuration version it does not know, and goes on syncing', async () => {
    const server = await startServer({ unknownFeedKind: true });
    // HQ's org-wide document in a zone; then a document of a version no till knows; then a known one for the store.
    await server.putConfig({ config: { timeZone: 'Europe/Berlin', receiptFooter: 'Danke' } });
    await server.store.putTerminalConfig(
      DEMO_ORG_ID,
      null,
      { schema: 99, colour: 'red' } as never,
      new Date().toISOString(),
    );
    await server.putConfig({
      storeId: DEMO_STORE_ID,
      config: { timeZone: 'Europe/Berlin', drawerOpenAlertSeconds: 30 },
    });

    const till = await startTill(server.url);
    const feed = await eventually(async () => {
      const now = (await till.status()).feed;
      return now.skipped === 2 ? now : undefined;
    }, 'the till reporting two skipped feed items');
    expect(feed.lastSkipped).toMatchObject({ kind: 'config', schema: 99 });
    expect(till.host.process.output()).toMatch(/skipped feed item price-list version 1/);

    // What the manager sees on the till's screen: a notice to update, not an alarm.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(till.host.url);
      const notice = page.getByTestId('feed-notice');
      await notice.waitFor();
      expect(await notice.textContent()).toContain('HQ sent 2 settings this version cannot read yet');
      expect(await notice.textContent()).toContain('config version 99');
      expect(await page.getByTestId('sync-alert').count()).toBe(0);
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'feed-notice.png') });
    } finally {
      await browser.close();
    }

    // Sales still go through, at the newest version the server announced (v6, with the cashier signed in, in the
    // open shift, numbered by the till), in the zone HQ set (the later, known store document was applied).
    const sale = await onServer(server, await till.sell());
    expect(sale.schema).toBe(6);
    expect(sale.schema === 6 && sale.payload).toMatchObject({
      timeZone: 'Europe/Berlin',
      employeeId: 'demo-alex',
      shiftId: till.shift.shiftId,
    });
  });

  it('writes sale v1 to a server that announces only v1', async () => {
    const onlyV1 = Object.fromEntries(Object.keys(KNOWN_EVENT_VERSIONS).map((type) => [type, [1]]));
    const server = await startServer({
      announcedVersions: {
        events: onlyV1,
        feed: structuredClone(FEED_ITEM_VERSIONS) as ProtocolVersions['feed'],
        config: [...CONFIG_DOCUMENT_VERSIONS],
      },
    });
    await server.putConfig({ config: { timeZone: 'America/New_York' } });
    const till = await startTill(server.url);
    const sale = await onServer(server, await till.sell());
    expect(sale.schema).toBe(1);
    expect('timeZone' in sale.payload).toBe(false);
    expect((await till.status()).feed.skipped).toBe(0);
  });
});
