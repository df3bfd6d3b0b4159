import { type Kysely, sql, type Transaction } from 'kysely';
import { writeAudit } from './audit.js';
import { storeIdTaken, storeNotFound } from './conflicts.js';
import type { Dialect } from './dialect.js';
import { kyselyFeedTx } from './feed-tx.js';
import type { PreparedQueries } from './prepared.js';
import { toTerminal } from './rows.js';
import type { Database } from './schema.js';
import type { AuditActor, AuditStamp } from './types.js';

const TERMINAL_COLUMNS = [
  'terminal_id',
  'org_id',
  'store_id',
  'name',
  'public_key',
  'epoch',
  'acked_seq',
  'acked_hash',
  'last_seen_at',
  'revoked_at',
] as const;

/**
 * Orgs, their stores and their terminals' roster (reads, enrolment codes, revocation), on either dialect. Writes
 * that are audited take the caller's transaction, so the change and its audit row commit together.
 */
export function orgQueries(db: Kysely<Database>, dialect: Dialect, queries: PreparedQueries) {
  /** Text in SQLite's byte order (BINARY) on both: PostgreSQL sorts `COLLATE "C"`, whatever the database locale. */
  const byteOrder = (column: 'org_id' | 'terminal_id') =>
    dialect === 'postgres' ? sql`${sql.ref(column)} COLLATE "C"` : sql.ref(column);

  return {
    async createOrg(orgId: string, name: string) {
      await db
        .insertInto('orgs')
        .values({ org_id: orgId, name })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    async orgIds() {
      return (await db.selectFrom('orgs').select('org_id').orderBy(byteOrder('org_id')).execute()).map(
        (row) => row.org_id,
      );
    },

    async createStore(orgId: string, storeId: string, name: string) {
      const written = await db
        .insertInto('stores')
        .values({ store_id: storeId, org_id: orgId, name })
        .onConflict((oc) =>
          oc
            .column('store_id')
            .doUpdateSet((eb) => ({ name: eb.ref('excluded.name') }))
            .where('stores.org_id', '=', (eb) => eb.ref('excluded.org_id')),
        )
        .returning('store_id')
        .executeTakeFirst();
      if (!written) throw storeIdTaken(storeId);
    },

    async issueEnrolmentCode(
      trx: Transaction<Database>,
      code: { orgId: string; storeId: string; codeHash: string; expiresAt: string },
      audit?: AuditStamp,
    ) {
      const { orgId, storeId, codeHash, expiresAt } = code;
      if (!(await kyselyFeedTx(trx, dialect).storeExists(orgId, storeId))) throw storeNotFound(storeId);
      await trx
        .insertInto('enrolment_codes')
        .values({ code_hash: codeHash, org_id: orgId, store_id: storeId, expires_at: expiresAt })
        .onConflict((oc) =>
          oc.column('code_hash').doUpdateSet((eb) => ({ expires_at: eb.ref('excluded.expires_at') })),
        )
        .execute();
      // Never the code, nor its hash: the row says a code was issued for the store, and until when.
      if (audit) {
        await writeAudit(trx, orgId, audit.at, {
          actor: audit.actor,
          action: 'enrolment-code.issue',
          target: `store:${storeId}`,
          detail: { storeId, expiresAt },
        });
      }
    },

    async terminal(terminalId: string) {
      const { rows } = await queries.execute(db, 'terminal', [terminalId], (p) =>
        db.selectFrom('terminals').select(TERMINAL_COLUMNS).where('terminal_id', '=', p(0)),
      );
      const row = rows[0];
      return row ? toTerminal(row) : null;
    },

    async terminals(orgId: string) {
      return (
        await db
          .selectFrom('terminals')
          .select(TERMINAL_COLUMNS)
          .where('org_id', '=', orgId)
          .orderBy(byteOrder('terminal_id'))
          .execute()
      ).map(toTerminal);
    },

    async revokeTerminal(
      trx: Transaction<Database>,
      terminal: { orgId: string; terminalId: string; now: string },
      actor?: AuditActor,
    ) {
      const { orgId, terminalId, now } = terminal;
      const result = await trx
        .updateTable('terminals')
        .set({ revoked_at: now })
        .where('org_id', '=', orgId)
        .where('terminal_id', '=', terminalId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      const revoked = result.numUpdatedRows === 1n;
      if (revoked && actor) {
        await writeAudit(trx, orgId, now, {
          actor,
          action: 'terminal.revoke',
          target: terminalId,
          detail: {},
        });
      }
      return revoked;
    },
  };
}
