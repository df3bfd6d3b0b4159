import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

/**
 * A placeholder for the value at `index` of a prepared query's arguments. Kysely binds it as an ordinary parameter;
 * the compiled query keeps where it went, and each execution puts the argument there.
 */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * Hands the builder the placeholder for argument `index`. Typed `never` so it fits any column's value; it is only
 * ever a bound parameter, never read.
 */
export type SlotOf = (index: number) => never;

const slot: SlotOf = (index) => new Slot(index) as never;

interface Entry {
  sql: string;
  query: CompiledQuery['query'];
  /** For each bound parameter of the SQL, the index of the argument that goes there. */
  slots: readonly number[];
}

/** Past this many shapes (IN lists and multi-row inserts vary by length) the cache starts again rather than grow. */
const QUERY_CACHE_SIZE = 256;

/**
 * Queries built and compiled once per shape, then executed with new arguments: a store's hot path (a push makes a
 * dozen statements) otherwise pays Kysely's builder and compiler on every statement, which on SQLite cost about as
 * much as running the statement (BENCHMARKS.md, decision 0010). The query is still written once, with the builder, for both
 * dialects; only its compilation is kept. Executed through the given Kysely instance or transaction, so it runs on
 * the transaction's connection like any other query.
 *
 * Every bound value must come from `p`, and the key must name everything else that shapes the query (e.g. an IN
 * list's length). A value written into the builder directly would be compiled in and reused on every later call,
 * so compiling refuses a query that binds anything but placeholders.
 */
export class PreparedQueries {
  private readonly entries = new Map<string, Entry>();

  async execute<R>(
    executor: Kysely<Database>,
    key: string,
    args: readonly unknown[],
    build: (p: SlotOf) => Compilable<R>,
  ): Promise<QueryResult<R>> {
    let entry = this.entries.get(key);
    if (!entry) {
      const compiled = build(slot).compile();
      const slots = compiled.parameters.map((value) => {
        if (!(value instanceof Slot)) {
          throw new Error(
            `prepared query ${key} binds a value that is not a placeholder: it would be reused`,
          );
        }
        return value.index;
      });
      entry = { sql: compiled.sql, query: compiled.query, slots };
      if (this.entries.size >= QUERY_CACHE_SIZE) this.entries.clear();
      this.entries.set(key, entry);
    }
    const parameters = entry.slots.map((index) => args[index]);
    const compiled: CompiledQuery<R> = {
      sql: entry.sql,
      query: entry.query,
      parameters,
      queryId: { queryId: key },
    };
    return executor.executeQuery(compiled);
  }
}
