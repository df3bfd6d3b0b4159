import { canonicalJson, GENESIS_HASH, type HqStreamItem, type JournalEvent } from '@tillwright/protocol';
import { findChainBreak } from '@tillwright/protocol/chain';
import Database from 'better-sqlite3';
import { ApiError } from '../errors.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import type { ServerStore, TerminalPrincipal } from './store.js';

interface TerminalRow {
  terminal_id: string;
  org_id: string;
  store_id: string;
  epoch: number;
  acked_seq: number;
  acked_hash: string;
  revoked_at: string | null;
}

/**
 * The embedded default: one SQLite file, WAL, synchronous=FULL. better-sqlite3 is synchronous and SQLite has one
 * writer, so each ingest transaction is serialized and stream offsets are assigned in commit order.
 */
export class SqliteStore implements ServerStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        this.db.pragma(`user_version = ${migration.version}`);
      })();
    }
  }

  async createOrg(orgId: string, name: string): Promise<void> {
    this.db.prepare('INSERT INTO orgs (org_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING').run(orgId, name);
  }

  async createStore(orgId: string, storeId: string, name: string): Promise<void> {
    this.db
      .prepare('INSERT INTO stores (store_id, org_id, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(storeId, orgId, name);
  }

  async issueEnrolmentCode(
    orgId: string,
    storeId: string,
    codeHash: string,
    expiresAt: string,
  ): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO enrolment_codes (code_hash, org_id, store_id, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (code_hash) DO UPDATE SET expires_at = excluded.expires_at`,
      )
      .run(codeHash, orgId, storeId, expiresAt);
  }

  async enrolTerminal(input: { codeHash: string; terminalName: string; tokenHash: string; now: string }) {
    return this.db.transaction(() => {
      const code = this.db
        .prepare('SELECT org_id, store_id, expires_at, used_at FROM enrolment_codes WHERE code_hash = ?')
        .get(input.codeHash) as
        | { org_id: string; store_id: string; expires_at: string; used_at: string | null }
        | undefined;
      if (!code || code.used_at !== null || code.expires_at <= input.now) {
        throw new ApiError(
          403,
          'enrolment_code_invalid',
          'this enrolment code is unknown, used or expired; ask a manager for a new one',
          false,
        );
      }
      const count = this.db
        .prepare('SELECT count(*) AS n FROM terminals WHERE store_id = ?')
        .get(code.store_id) as {
        n: number;
      };
      const terminalId = `${code.store_id}-T${String(count.n + 1).padStart(2, '0')}`;
      this.db
        .prepare('UPDATE enrolment_codes SET used_at = ? WHERE code_hash = ?')
        .run(input.now, input.codeHash);
      this.db
        .prepare(
          `INSERT INTO terminals (terminal_id, org_id, store_id, name, token_hash, epoch, acked_hash)
           VALUES (?, ?, ?, ?, ?, 1, ?)`,
        )
        .run(terminalId, code.org_id, code.store_id, input.terminalName, input.tokenHash, GENESIS_HASH);
      return { orgId: code.org_id, storeId: code.store_id, terminalId, epoch: 1 };
    })();
  }

  async terminalByTokenHash(tokenHash: string): Promise<TerminalPrincipal | null> {
    const row = this.db
      .prepare('SELECT terminal_id, org_id, store_id, epoch, revoked_at FROM terminals WHERE token_hash = ?')
      .get(tokenHash) as TerminalRow | undefined;
    if (!row || row.revoked_at !== null) return null;
    return { orgId: row.org_id, storeId: row.store_id, terminalId: row.terminal_id, epoch: row.epoch };
  }

  async hqRoleByTokenHash(tokenHash: string) {
    const row = this.db.prepare('SELECT role FROM hq_tokens WHERE token_hash = ?').get(tokenHash) as
      | { role: 'viewer' | 'admin' }
      | undefined;
    return row?.role ?? null;
  }

  async addHqToken(tokenHash: string, role: 'viewer' | 'admin'): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO hq_tokens (token_hash, role) VALUES (?, ?) ON CONFLICT DO UPDATE SET role = excluded.role',
      )
      .run(tokenHash, role);
  }

  async ingest(principal: TerminalPrincipal, batch: { epoch: number; events: JournalEvent[] }, now: string) {
    return this.db.transaction(() => {
      const terminal = this.db
        .prepare(
          'SELECT terminal_id, org_id, store_id, epoch, acked_seq, acked_hash, revoked_at FROM terminals WHERE terminal_id = ?',
        )
        .get(principal.terminalId) as TerminalRow;
      if (batch.epoch !== terminal.epoch) {
        throw new ApiError(
          409,
          'stale_epoch',
          `epoch ${batch.epoch} is not this terminal's current epoch`,
          false,
          {
            currentEpoch: terminal.epoch,
          },
        );
      }
      const findBySeq = this.db.prepare(
        'SELECT hash FROM events WHERE terminal_id = ? AND epoch = ? AND seq = ?',
      );
      const insert = this.db.prepare(
        `INSERT INTO events (event_id, org_id, store_id, terminal_id, epoch, seq, type, hash, body, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      let acked = { seq: terminal.acked_seq, hash: terminal.acked_hash };
      let answer = acked;
      for (const event of batch.events) {
        if (
          event.terminalId !== terminal.terminal_id ||
          event.storeId !== terminal.store_id ||
          event.epoch !== batch.epoch
        ) {
          throw new ApiError(
            403,
            'identity_mismatch',
            'an event claims another terminal, store or epoch than the credential',
            false,
            {
              eventId: event.eventId,
            },
          );
        }
        const existing = findBySeq.get(terminal.terminal_id, batch.epoch, event.seq) as
          | { hash: string }
          | undefined;
        if (existing) {
          if (existing.hash !== event.hash) {
            throw new ApiError(
              409,
              'fork',
              `seq ${event.seq} was already received with different content`,
              false,
              {
                seq: event.seq,
              },
            );
          }
          answer = { seq: event.seq, hash: event.hash };
          continue;
        }
        if (event.seq !== acked.seq + 1) {
          throw new ApiError(409, 'seq_gap', `expected seq ${acked.seq + 1}, got ${event.seq}`, true, {
            expectedSeq: acked.seq + 1,
          });
        }
        const broken = findChainBreak([event], acked);
        if (broken) {
          throw new ApiError(
            409,
            'chain_broken',
            `event at seq ${event.seq} does not chain: ${broken.reason}`,
            false,
            {
              ...broken,
            },
          );
        }
        insert.run(
          event.eventId,
          terminal.org_id,
          terminal.store_id,
          terminal.terminal_id,
          event.epoch,
          event.seq,
          event.type,
          event.hash,
          canonicalJson(event),
          now,
        );
        acked = { seq: event.seq, hash: event.hash };
        answer = acked;
      }
      this.db
        .prepare('UPDATE terminals SET acked_seq = ?, acked_hash = ?, last_seen_at = ? WHERE terminal_id = ?')
        .run(acked.seq, acked.hash, now, terminal.terminal_id);
      return { ackedSeq: answer.seq, ackedHash: answer.hash };
    })();
  }

  async readStream(afterOffset: number, limit: number): Promise<HqStreamItem[]> {
    const rows = this.db
      .prepare(
        `SELECT stream_offset, org_id, store_id, terminal_id, body FROM events
          WHERE stream_offset > ? ORDER BY stream_offset LIMIT ?`,
      )
      .all(afterOffset, limit) as {
      stream_offset: number;
      org_id: string;
      store_id: string;
      terminal_id: string;
      body: string;
    }[];
    return rows.map((row) => ({
      offset: row.stream_offset,
      orgId: row.org_id,
      storeId: row.store_id,
      terminalId: row.terminal_id,
      event: JSON.parse(row.body) as JournalEvent,
    }));
  }

  async putCatalogProducts(orgId: string, products: Parameters<ServerStore['putCatalogProducts']>[1]) {
    return this.db.transaction(() => {
      const bump = this.db.prepare(
        "UPDATE counters SET value = value + 1 WHERE name = 'catalog_version' RETURNING value",
      );
      const upsert = this.db.prepare(
        `INSERT INTO catalog_products (org_id, product_id, version, body) VALUES (?, ?, ?, ?)
         ON CONFLICT (org_id, product_id) DO UPDATE SET version = excluded.version, body = excluded.body`,
      );
      let version = 0;
      for (const product of products) {
        version = (bump.get() as { value: number }).value;
        upsert.run(orgId, product.productId, version, canonicalJson({ ...product, version }));
      }
      return version;
    })();
  }

  async catalogAfter(orgId: string, afterVersion: number, limit: number) {
    const rows = this.db
      .prepare(
        'SELECT version, body FROM catalog_products WHERE org_id = ? AND version > ? ORDER BY version LIMIT ?',
      )
      .all(orgId, afterVersion, limit + 1) as { version: number; body: string }[];
    const page = rows.slice(0, limit);
    return {
      version: page.at(-1)?.version ?? afterVersion,
      products: page.map((row) => JSON.parse(row.body)),
      hasMore: rows.length > limit,
    };
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
