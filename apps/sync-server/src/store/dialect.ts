import { type Insertable, type Kysely, sql } from 'kysely';
import { DatabaseError, Pool, types } from 'pg';
import { ApiError } from '../errors.js';
import { PreparedQueries } from './prepared.js';
import type { Database } from './schema.js';

/** The two databases the one query layer runs on. */
export type Dialect = 'sqlite' | 'postgres';

const parseTimestamptz = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;

/**
 * BIGINT comes back as a number (every BIGINT here is a count, seq, epoch, offset or version, far below 2^53, and
 * the protocol only accepts safe integers), TIMESTAMPTZ as ISO-8601 text: the same values SQLite gives.
 */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === types.builtins.INT8) return (text: string) => Number(text);
    if (oid === types.builtins.TIMESTAMPTZ) return (text: string) => parseTimestamptz(text).toISOString();
    return types.getTypeParser(oid, format);
  }) as typeof types.getTypeParser,
};

/** The server ends a transaction left idle this long, so a stuck one cannot hold the stream counter's lock. */
const IDLE_IN_TRANSACTION_MS = 60_000;

/** The PostgreSQL store's pool: BIGINT and TIMESTAMPTZ parsed as above, idle transactions ended by the server. */
export function createPool(
  connectionString: string,
  options: { poolSize?: number; onIdleError?: (error: Error) => void },
): Pool {
  const pool = new Pool({
    connectionString,
    max: options.poolSize ?? 10,
    types: TYPES,
    application_name: 'tillwright-sync-server',
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
  });
  // Without a listener an idle connection's error would end the process; the pool already drops that connection.
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}

/** PostgreSQL refuses NUL in text; SQLite keeps it. Such input is the client's fault, never a server failure. */
export function mapError(error: unknown): unknown {
  if (error instanceof DatabaseError && (error.code === '22021' || error.code === '22P05')) {
    return new ApiError(400, 'invalid_request', 'text must not contain NUL characters', false);
  }
  return error;
}

/** A unique key of PostgreSQL refused a row (SQLite, one writer, never gets that far: its reads see everything). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return error instanceof DatabaseError && error.code === '23505' && error.constraint === constraint;
}

/**
 * Takes `count` numbers from a counter row and returns the last; the caller uses last - count + 1 … last.
 *
 * This is how stream offsets (and exception ids, catalog and feed versions) are assigned in commit order. The
 * UPDATE locks the counter row until the transaction ends, so the next transaction that wants numbers waits until
 * this one has committed (or rolled back) and only then gets higher ones. In PostgreSQL a transaction is visible to
 * new snapshots before its row locks are released, so whenever a reader can see offset N, every transaction that
 * took a lower offset has already committed and is visible too: a consumer reading `stream_offset > cursor` never
 * skips a row that commits later. A BIGSERIAL would not do that: two transactions take 7 and 8, 8 commits first, a
 * reader moves its cursor to 8, and 7 becomes visible afterwards, behind the cursor, and is never delivered. Rolled
 * back transactions leave gaps, which consumers never wait for. On SQLite there is one writer at a time, so the
 * same statement trivially gives commit order. The ends of ingest transactions are serialised on this row, so it is
 * taken as late as possible: only when the batch's events are written.
 */
export async function takeNumbers(
  db: Kysely<Database>,
  name: string,
  count: number,
  queries: PreparedQueries = new PreparedQueries(),
): Promise<number> {
  const { rows } = await queries.execute(db, 'takeNumbers', [count, name], (p) =>
    db
      .updateTable('counters')
      .set({ value: sql`value + ${p(0)}` })
      .where('name', '=', p(1))
      .returning('value'),
  );
  const row = rows[0];
  if (!row) throw new Error(`counter ${name} is missing from the database`);
  return row.value;
}

/**
 * Rows into a table with multi-row VALUES in slices (`inSlices`), each slice length compiled once (prepared.ts), on
 * both dialects. PostgreSQL's hand-written store used `unnest` of one array per column instead (12 parameters for any
 * batch); measured against this form on the Kysely store it was slower for batches of 10 and 100 (BENCHMARKS.md),
 * likely because `pg` escapes every text into the array literal in JavaScript.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Kysely<Database>,
  queries: PreparedQueries,
  table: T,
  columns: readonly (keyof Insertable<Database[T]> & string)[],
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  // A value for a column not listed would be dropped without a word (a new column added to the rows only).
  const listed = new Set<string>(columns);
  const unlisted = rows.flatMap((row) => Object.keys(row).filter((key) => !listed.has(key)));
  if (unlisted.length > 0)
    throw new Error(`insertRows into ${table}: columns not listed: ${[...new Set(unlisted)]}`);
  for (const slice of inSlices(rows)) {
    const args = slice.flatMap((row) => columns.map((column) => row[column] ?? null));
    await queries.execute(db, `insertRows:${table}:${slice.length}`, args, (p) =>
      db
        .insertInto(table)
        .values(
          slice.map(
            (_, r) =>
              Object.fromEntries(columns.map((column, c) => [column, p(r * columns.length + c)])) as never,
          ),
        ),
    );
  }
}

/**
 * Rows in slices small enough for one multi-row INSERT on both dialects (bound parameters: SQLite allows 32,766 per
 * statement, PostgreSQL 65,535; 500 rows of the widest table, events, take 6,000).
 */
export function inSlices<T>(rows: readonly T[], size = 500): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < rows.length; start += size) slices.push(rows.slice(start, start + size));
  return slices;
}
