#!/usr/bin/env node
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runServerCli } from '../ops/server-cli.js';
import { SqliteStore } from '../store/sqlite-store.js';

/**
 * A deliberately broken sync server, for the chaos harness's negative control only: SQLite with the duplicate
 * check switched off and the events table's uniqueness dropped, so an event resent after a lost answer is stored,
 * and streamed, a second time. The harness must report those duplicates; that is how it shows it can fail.
 * Never shipped as a command; never pointed at a real database.
 */
runServerCli(async (options) => {
  const path = options.db ?? join(options.dataDir, 'server.sqlite');
  const store = new SqliteStore(path, { checkDuplicates: false });
  const db = new Database(path);
  try {
    db.exec(`
      BEGIN;
      CREATE TABLE events_unchecked (
        stream_offset INTEGER PRIMARY KEY, event_id TEXT NOT NULL, org_id TEXT NOT NULL, store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
        hash TEXT NOT NULL, body TEXT NOT NULL, received_at TEXT NOT NULL, original_sale_id TEXT,
        occurred_at TEXT, approval_id TEXT, shift_id TEXT
      );
      INSERT INTO events_unchecked SELECT stream_offset, event_id, org_id, store_id, terminal_id, epoch, seq, type,
        hash, body, received_at, original_sale_id, occurred_at, approval_id, shift_id FROM events;
      DROP TABLE events;
      ALTER TABLE events_unchecked RENAME TO events;
      CREATE INDEX events_by_org ON events (org_id, stream_offset);
      COMMIT;
    `);
  } finally {
    db.close();
  }
  return store;
});
