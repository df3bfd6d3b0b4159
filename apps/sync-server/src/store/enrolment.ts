import { GENESIS_HASH } from '@tillwright/protocol';
import type { Kysely } from 'kysely';
import { enrolmentCodeInvalid, nextTerminalId } from './conflicts.js';
import type { Dialect } from './dialect.js';
import type { PreparedQueries } from './prepared.js';
import type { Database } from './schema.js';
import type { TerminalPrincipal } from './types.js';

/**
 * A terminal's enrolment and its request nonces, on either dialect: each one transaction. On PostgreSQL the rows
 * that concurrent requests contend for are locked (the code, the store, expired nonces); SQLite has one writer.
 */
export function enrolmentQueries(db: Kysely<Database>, dialect: Dialect, queries: PreparedQueries) {
  return {
    enrolTerminal(input: { codeHash: string; terminalName: string; publicKey: string; now: string }) {
      const pg = dialect === 'postgres';
      return db.transaction().execute(async (trx): Promise<TerminalPrincipal> => {
        // PostgreSQL: two enrolments with one code queue here (FOR UPDATE), and the second then sees it used.
        const code = await trx
          .selectFrom('enrolment_codes')
          .select(['org_id', 'store_id', 'expires_at', 'used_at'])
          .where('code_hash', '=', input.codeHash)
          .$if(pg, (q) => q.forUpdate())
          .executeTakeFirst();
        if (!code || code.used_at !== null || code.expires_at <= input.now) throw enrolmentCodeInvalid();
        // Enrolments of one store queue on the store row, so two never count the same number of terminals. NO KEY
        // UPDATE does not conflict with the KEY SHARE locks that foreign key checks take on the row.
        if (pg) {
          await trx
            .selectFrom('stores')
            .select('store_id')
            .where('store_id', '=', code.store_id)
            .forNoKeyUpdate()
            .execute();
        }
        const { n } = await trx
          .selectFrom('terminals')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('store_id', '=', code.store_id)
          .executeTakeFirstOrThrow();
        const terminalId = nextTerminalId(code.store_id, Number(n));
        await trx
          .updateTable('enrolment_codes')
          .set({ used_at: input.now })
          .where('code_hash', '=', input.codeHash)
          .execute();
        await trx
          .insertInto('terminals')
          .values({
            terminal_id: terminalId,
            org_id: code.org_id,
            store_id: code.store_id,
            name: input.terminalName,
            public_key: input.publicKey,
            epoch: 1,
            acked_hash: GENESIS_HASH,
          })
          .execute();
        return { orgId: code.org_id, storeId: code.store_id, terminalId, epoch: 1 };
      });
    },

    /**
     * Two statements, each its own commit: nothing needs them together, and on SQLite a transaction around them
     * cost more than the two writes (ingest bench, BENCHMARKS.md).
     */
    async useNonce(terminalId: string, nonce: string, expiresAt: string, now: string) {
      // Both compiled once (prepared.ts): every push makes them.
      await queries.execute(db, 'useNonce:delete', [now], (p) =>
        db
          .deleteFrom('request_nonces')
          .where('expires_at', '<', p(0))
          // PostgreSQL: only rows no other request is deleting (SKIP LOCKED), so concurrent requests never wait on
          // (or deadlock over) each other's clean-up; what one skips, the other deletes. SQLite has one writer.
          .$if(dialect === 'postgres', (q) =>
            q.where(({ eb, refTuple, selectFrom }) =>
              eb(
                refTuple('terminal_id', 'nonce'),
                'in',
                selectFrom('request_nonces')
                  .select(['terminal_id', 'nonce'])
                  .where('expires_at', '<', p(0))
                  .forUpdate()
                  .skipLocked()
                  .$asTuple('terminal_id', 'nonce'),
              ),
            ),
          ),
      );
      // A concurrent insert of the same nonce makes this one wait for it to commit, then do nothing: one wins.
      const { rows } = await queries.execute(db, 'useNonce:insert', [terminalId, nonce, expiresAt], (p) =>
        db
          .insertInto('request_nonces')
          .values({ terminal_id: p(0), nonce: p(1), expires_at: p(2) })
          .onConflict((oc) => oc.doNothing())
          .returning('nonce'),
      );
      return rows.length > 0;
    },
  };
}
