import type { CompiledQuery, Kysely } from 'kysely';
import type { Dialect } from './dialect.js';

/** One step of a migration: a Kysely schema or query builder, or raw SQL text where the dialects truly differ. */
export type MigrationStep = { compile(): CompiledQuery } | string;

/**
 * A migration builds SQL for the schema as it stood at its version, not today's `Database`, so it gets an untyped
 * Kysely (as Kysely's own migrations do); it only compiles, never executes.
 */
// biome-ignore lint/suspicious/noExplicitAny: the schema a migration sees is the one of its version, not today's
export type MigrationDb = Kysely<any>;

export interface Migration {
  version: number;
  what: string;
  steps(db: MigrationDb, dialect: Dialect): MigrationStep[];
}

/** Column types that differ: counts, seqs, offsets and versions are BIGINT on PostgreSQL; times TIMESTAMPTZ there. */
export function columnTypes(dialect: Dialect) {
  return dialect === 'postgres'
    ? ({ int: 'bigint', time: 'timestamptz' } as const)
    : ({ int: 'integer', time: 'text' } as const);
}
