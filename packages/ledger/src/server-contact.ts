import { ProtocolVersions } from '@tillwright/protocol';
import type Database from 'better-sqlite3';
import { LedgerSettings } from './settings.js';

/** When the sync server last answered this till, and how far the till's clock was from the server's then. */
export interface ServerContactRecord {
  /** ISO time of the last answer to a signed request, by the till's clock; null if it never answered. */
  lastAnswerAt: string | null;
  /** Server clock minus till clock, in ms, as last measured; null until measured. */
  clockOffsetMs: number | null;
}

/**
 * Kept in the ledger so "last sync" on the till's screen survives a restart and is what the server said, and so a
 * till whose clock is off signs its first request after a restart with the corrected time.
 */
export class ServerContact {
  private readonly settings: LedgerSettings;

  constructor(private readonly db: Database.Database) {
    this.settings = new LedgerSettings(db);
  }

  /**
   * What the server last announced it accepts and serves (`GET /v1/terminal/versions`), kept across restarts so a
   * till that starts offline still writes what its server accepts; null until it has heard.
   */
  versions(): ProtocolVersions | null {
    const parsed = ProtocolVersions.safeParse(this.settings.get('server-versions'));
    return parsed.success ? parsed.data : null;
  }

  /** Replaces the announcement, or forgets it (null: a server that does not announce accepts only version 1). */
  recordVersions(versions: ProtocolVersions | null): void {
    this.settings.set('server-versions', versions);
  }

  get(): ServerContactRecord {
    const row = this.db
      .prepare('SELECT last_answer_at, clock_offset_ms FROM server_contact WHERE singleton = 1')
      .get() as { last_answer_at: string | null; clock_offset_ms: number | null };
    return { lastAnswerAt: row.last_answer_at, clockOffsetMs: row.clock_offset_ms };
  }

  /**
   * Records the latest answer (and the offset measured with it), whatever its time: the sync client is the one
   * writer and records answers in order, and a till clock set back (as its clock alert asks) must not freeze it.
   */
  record(answer: { at: string; clockOffsetMs: number | null }): void {
    this.db
      .prepare(
        'UPDATE server_contact SET last_answer_at = ?, clock_offset_ms = coalesce(?, clock_offset_ms) WHERE singleton = 1',
      )
      .run(answer.at, answer.clockOffsetMs === null ? null : Math.round(answer.clockOffsetMs));
  }
}
