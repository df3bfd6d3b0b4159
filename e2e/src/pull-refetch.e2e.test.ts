import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { allServerEvents, callHost, hqSession, openShiftAtTill, signInAtTill } from './observe.js';
import { eventually, type RunningProcess } from './processes.js';
import { startSyncServer, startTerminalHost } from './system.js';

const ADMIN_PASSWORD = 'e2e-admin-password';
const CODE = 'E2E-REFETCH-0001';
const dataDir = mkdtempSync(join(tmpdir(), 'tillwright-refetch-'));
const running: RunningProcess[] = [];

afterAll(async () => {
  for (const process of running.reverse()) await process.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Reads the terminal's pull cursors straight from its ledger file. */
function cursors(ledgerPath: string) {
  const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
  try {
    return {
      catalog: (db.prepare('SELECT version FROM catalog_cursor').get() as { version: number }).version,
      feed: (db.prepare('SELECT version FROM feed_cursor').get() as { version: number }).version,
    };
  } finally {
    db.close();
  }
}

/** The newest feed item a server database holds (0 for none). */
function feedHead(serverDatabase: string): number {
  const db = new Database(serverDatabase, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COALESCE(MAX(version), 0) AS head FROM feed_items').get() as { head: number })
      .head;
  } finally {
    db.close();
  }
}

async function hq(url: string, token: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

describe('pulls after the server was restored behind the terminal', () => {
  it('starts the catalog and feed pulls again from 0, and never lets a pull hold up the sales', async () => {
    let server = await startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE });
    running.push(server.process);
    const port = Number(new URL(server.url).port);
    let host = await startTerminalHost({ dataDir, serverUrl: server.url, enrolmentCode: CODE });
    running.push(host.process);
    await host.process.stop();
    await server.process.stop();
    const database = join(dataDir, 'server', 'server.sqlite');
    copyFileSync(database, join(dataDir, 'backup.sqlite'));
    server = await startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE, port });
    running.push(server.process);

    // After the backup, HQ adds a product and sets the terminal configuration; the terminal pulls both.
    const token = await hqSession(server.url, ADMIN_PASSWORD);
    await hq(server.url, token, 'PUT', '/v1/hq/catalog', {
      products: [
        {
          productId: 'stapler',
          sku: 'STP-01',
          name: 'Stapler',
          barcodes: ['8712345000066'],
          currency: 'EUR',
          price: 1099,
          taxCategory: 'standard',
          tags: [],
          active: true,
        },
      ],
    });
    await hq(server.url, token, 'PUT', '/v1/hq/config', { config: { receiptFooter: 'Danke!' } });
    host = await startTerminalHost({
      dataDir,
      serverUrl: server.url,
      enrolmentCode: CODE,
      waitForEnrolment: false,
    });
    running.push(host.process);
    await eventually(
      async () =>
        (await callHost(host.url, 'catalog.lookup', { barcode: '8712345000066' })).result ? true : undefined,
      'the new product on the till',
    );
    // Up to the configuration HQ set after the backup: a cursor taken earlier (the employees only) would equal what
    // the restored server has, and the pull from 0 could not be told from no pull at all.
    const backupFeedHead = feedHead(join(dataDir, 'backup.sqlite'));
    await eventually(
      () => (cursors(host.ledgerPath).feed > backupFeedHead ? true : undefined),
      'the feed pulled past the backup',
    );
    const ahead = cursors(host.ledgerPath);
    await host.process.stop();

    // The server is restored from the backup: both of the terminal's cursors are now ahead of it.
    await server.process.stop();
    copyFileSync(join(dataDir, 'backup.sqlite'), database);
    for (const suffix of ['-wal', '-shm']) rmSync(database + suffix, { force: true });
    server = await startSyncServer({ dataDir, adminPassword: ADMIN_PASSWORD, enrolmentCode: CODE, port });
    running.push(server.process);
    host = await startTerminalHost({
      dataDir,
      serverUrl: server.url,
      enrolmentCode: CODE,
      waitForEnrolment: false,
    });
    running.push(host.process);

    // The server answers must_refetch: the till forgets its feed (employees included, ledger `FeedReader.reset`) and
    // pulls it again from 0. Once its employees are back, the cashier signs in and the manager opens the shift.
    await eventually(async () => {
      // Not yet pulled again while the cursor is still where the till left it, ahead of the restored server.
      if (cursors(host.ledgerPath).feed >= ahead.feed) return undefined;
      const answer = await callHost(host.url, 'session.employees', {});
      const employees = answer.ok ? (answer.result as { employees: { number: string }[] }).employees : [];
      return employees.some((employee) => employee.number === '1001') ? true : undefined;
    }, 'the employees pulled again');
    await signInAtTill(host.url);
    await openShiftAtTill(host.url);
    const sale = await callHost(host.url, 'sale.complete', {
      saleId: '019ab8a0-0000-7000-8000-000000000001',
      currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
      tenders: [{ kind: 'cash', tendered: 500 }],
    });
    expect(sale.ok).toBe(true);
    const restoredToken = await hqSession(server.url, ADMIN_PASSWORD);
    await eventually(
      async () =>
        (await allServerEvents(server.url, restoredToken)).some((item) => item.event.type === 'sale')
          ? true
          : undefined,
      'the sale on the restored server',
    );
    await eventually(
      async () =>
        (await callHost(host.url, 'sync.status', {})).result?.state === 'online' ? true : undefined,
      'sync online',
    );
    const after = cursors(host.ledgerPath);
    expect(after.catalog).toBeLessThan(ahead.catalog);
    expect(after.feed).toBeLessThan(ahead.feed);
  });
});
