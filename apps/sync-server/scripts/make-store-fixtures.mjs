#!/usr/bin/env node
// Writes databases as the current server code makes them, for the migration tests of a later version (issue #13:
// "existing databases made by the current version migrate forward on both backends"): a SQLite file and a plain
// PostgreSQL dump, each holding the demo org, two terminals, a chain of sales, a return, a quarantined event, a
// business exception, an HQ session, a terminal config and a return authorisation.
// Usage (after `npm run build`): node apps/sync-server/scripts/make-store-fixtures.mjs [OUT_DIR]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TERMINAL_CONFIG } from '@tillwright/protocol';
import { sealEvent } from '@tillwright/protocol/chain';
import { generateTerminalKeyPair } from '@tillwright/protocol/signing';
import { sha256Hex } from '../dist/auth/auth.js';
import { seedDemo } from '../dist/ops/demo-seed.js';
import { PostgresStore } from '../dist/store/postgres-store.js';
import { SqliteStore } from '../dist/store/sqlite-store.js';
import { FIXED_NOW, returnEvent, saleChain } from '../dist/test-support.js';
import { findPostgresBinDir, startPostgres } from '../dist/testing/postgres-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, '..', 'fixtures');
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const now = FIXED_NOW.toISOString();

/** The same history on either store, through its public methods only. */
async function fill(store) {
  await seedDemo(
    store,
    { enrolmentCode: 'FIXT-URE0-0001', adminPassword: 'fixture-admin-password' },
    FIXED_NOW,
  );
  await store.issueEnrolmentCode('demo-org', 'store-001', '2'.repeat(64), '2026-11-26T10:00:00.000Z');
  const terminals = [];
  for (const codeHash of ['FIXT-URE0-0001', null]) {
    const hash = codeHash === null ? '2'.repeat(64) : sha256Hex(codeHash);
    terminals.push(
      await store.enrolTerminal({
        codeHash: hash,
        terminalName: 'Fixture till',
        publicKey: generateTerminalKeyPair().publicKey,
        now,
      }),
    );
  }
  const [first, second] = terminals;
  const sales = saleChain(first, 3);
  await store.ingest(first, { epoch: first.epoch, events: sales }, now);
  const last = sales.at(-1);
  const refund = returnEvent(first, { seq: last.seq, hash: last.hash }, sales[0], 1);
  await store.ingest(first, { epoch: first.epoch, events: [refund] }, now);
  // Well chained, but its payload fails its schema: quarantined and acknowledged.
  const { hash: _hash, ...template } = sales[0];
  const poison = sealEvent({
    ...template,
    eventId: '019ab8a0-0000-7000-8000-00000000dead',
    seq: refund.seq + 1,
    prevHash: refund.hash,
    payload: { ...template.payload, total: 'not a number' },
  });
  await store.ingest(first, { epoch: first.epoch, events: [poison] }, now);
  // A sale of a product the catalog does not know: an exception for HQ.
  const unknown = saleChain(second, 1, undefined, (payload) => ({
    ...payload,
    lines: payload.lines.map((line) => ({ ...line, productId: 'no-such-product' })),
  }));
  await store.ingest(second, { epoch: second.epoch, events: unknown }, now);
  await store.createSession('3'.repeat(64), 'demo-admin', '2026-11-25T22:00:00.000Z');
  await store.putTerminalConfig('demo-org', null, DEFAULT_TERMINAL_CONFIG, now);
  await store.authoriseReturn(
    'demo-org',
    {
      authorisationId: '019ab8a0-0000-7000-8000-00000000f1f1',
      originalSaleId: sales[1].eventId,
      storeId: 'store-001',
      lines: [{ lineId: sales[1].payload.lines[0].lineId, quantity: 1 }],
      validForMinutes: 60,
    },
    now,
  );
}

mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'tillwright-fixtures-'));
try {
  const sqlitePath = join(work, 'server.sqlite');
  const sqlite = new SqliteStore(sqlitePath);
  await fill(sqlite);
  await sqlite.close();
  copyFileSync(sqlitePath, join(out, `server-${commit}.sqlite`));

  const postgres = await startPostgres({ database: 'tillwright_fixture' });
  try {
    const store = await PostgresStore.open(postgres.url);
    await fill(store);
    await store.close();
    const dump = execFileSync(
      join(findPostgresBinDir(), 'pg_dump'),
      ['--no-owner', '--no-privileges', '--dbname', postgres.url],
      { encoding: 'utf8' },
    );
    writeFileSync(join(out, `server-${commit}.postgres.sql`), dump);
  } finally {
    await postgres.stop();
  }
  process.stdout.write(`fixtures of ${commit} written to ${out}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
