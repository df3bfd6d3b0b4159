import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertRows } from './dialect.js';
import { PreparedQueries } from './prepared.js';
import type { Database } from './schema.js';

describe('PreparedQueries', () => {
  let raw: Sqlite.Database;
  let db: Kysely<Database>;

  beforeEach(() => {
    raw = new Sqlite(':memory:');
    raw.exec(`CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO counters VALUES ('a', 1), ('b', 20), ('c', 300);`);
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('compiles a shape once and runs it with each call’s arguments, in and out of a transaction', async () => {
    const queries = new PreparedQueries();
    const values = (executor: Kysely<Database>, names: string[]) =>
      queries.execute(executor, `values:${names.length}`, names, (p) =>
        executor
          .selectFrom('counters')
          .select('value')
          .where(
            'name',
            'in',
            names.map((_, i) => p(i)),
          )
          .orderBy('value'),
      );
    expect((await values(db, ['a'])).rows).toEqual([{ value: 1 }]);
    expect((await values(db, ['c'])).rows).toEqual([{ value: 300 }]);
    expect((await values(db, ['c', 'b'])).rows).toEqual([{ value: 20 }, { value: 300 }]);
    const inTransaction = await db.transaction().execute(async (trx) => {
      await queries.execute(trx, 'bump', [5, 'a'], (p) =>
        trx
          .updateTable('counters')
          .set({ value: p(0) })
          .where('name', '=', p(1)),
      );
      return (await values(trx, ['a'])).rows;
    });
    expect(inTransaction).toEqual([{ value: 5 }]);
  });

  it('refuses a query that binds a value not given as a placeholder, which would be reused', async () => {
    const queries = new PreparedQueries();
    await expect(
      queries.execute(db, 'constant', ['a'], () =>
        db.selectFrom('counters').select('value').where('name', '=', 'b'),
      ),
    ).rejects.toThrow(/not a placeholder/);
  });
  it('insertRows refuses a row with a column it was not told to write, and writes nothing', async () => {
    const queries = new PreparedQueries();
    const rows = [{ name: 'd', value: 4, extra: 'x' }] as unknown as { name: string; value: number }[];
    await expect(insertRows(db, queries, 'counters', ['name', 'value'], rows)).rejects.toThrow(
      /columns not listed: extra/,
    );
    expect(raw.prepare("SELECT count(*) AS n FROM counters WHERE name = 'd'").get()).toEqual({ n: 0 });
    await insertRows(db, queries, 'counters', ['name', 'value'], [{ name: 'd', value: 4 }]);
    expect(raw.prepare("SELECT value FROM counters WHERE name = 'd'").get()).toEqual({ value: 4 });
  });
});
