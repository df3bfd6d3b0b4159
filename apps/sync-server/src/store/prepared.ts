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
  /** The compiled parameters, with each placeholder's argument index where it stood. */
  parameters: readonly unknown[];
  slots: readonly { at: number; index: number }[];
}

/** Past this many shapes (IN lists and multi-row inserts vary by length) the cache starts again rather than grow. */
const QUERY_CACHE_SIZE = 256;

/**
 * Queries built and compiled once per shape, then executed with new arguments: a store's hot path (a push makes a
 * dozen statements) otherwise pays Kysely's builder and compiler on every statement, which on SQLite cost more than
 * the statement itself (BENCHMARKS.md, decision 0010). The query is still written once, with the builder, for both
 * dialects; only its compilation is kept. Executed through the given Kysely instance or transaction, so it runs on
 * the transaction's connection like any other query.
 *
 * Every value that varies between calls must come from `p` (the key must name everything else that shapes the
 * query, e.g. an IN list's length): a value written into the builder directly is compiled in and reused.
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
      const slots: { at: number; index: number }[] = [];
      compiled.parameters.forEach((value, at) => {
        if (value instanceof Slot) slots.push({ at, index: value.index });
      });
      entry = { sql: compiled.sql, query: compiled.query, parameters: compiled.parameters, slots };
      if (this.entries.size >= QUERY_CACHE_SIZE) this.entries.clear();
      this.entries.set(key, entry);
    }
    const parameters = entry.parameters.slice();
    for (const { at, index } of entry.slots) parameters[at] = args[index];
    const compiled: CompiledQuery<R> = {
      sql: entry.sql,
      query: entry.query,
      parameters,
      queryId: { queryId: key },
    };
    return executor.executeQuery(compiled);
  }
}
