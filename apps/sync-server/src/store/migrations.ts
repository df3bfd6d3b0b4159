import { sql } from 'kysely';
import type { Dialect } from './dialect.js';
import {
  type Migration,
  type MigrationDb,
  type MigrationStep,
  columnTypes as types,
} from './migration-kit.js';
import { SHIFTS_MIGRATION } from './migrations-shifts.js';

export type { Migration, MigrationDb, MigrationStep } from './migration-kit.js';

/** The unique key that makes an event id one event within its org; ingest reads its name off a violation. */
export const EVENT_ID_CONSTRAINT = 'events_org_event_id_key';

/**
 * The server's one migration history, for both dialects, forward only. Versions 1 to 3 are the history the two
 * hand-written schemas had before the query layer (sqlite-schema.ts and postgres-schema.ts at 61b9c13): each
 * version makes, per dialect, the same tables, keys and indexes those did, and is recorded the same way (SQLite
 * `user_version`, PostgreSQL `schema_migrations`), so a database made by that code is recognised by its recorded
 * version and migrates on from there (fixtures/, migrate-forward.test.ts). Version 4 brings the SQLite schema to
 * PostgreSQL's shape, so each store method is written once; version 5 keeps every catalog listing (priced history); version 6 records when each event happened;
 * version 7 adds employees, their feed kind (SQLite rebuilds `feed_items` to change its CHECK) and the audit log;
 * version 8 deletes superseded employee feed entries (one per store and employee, with the only hash); version 9
 * gives manager approvals an `approval_id` column, indexed, for the approval checks of ingest; version 10 brings
 * shifts (migrations-shifts.ts).
 * Dialect branches are only where SQL differs: column types, SQLite's rowid and PostgreSQL's identity, the events
 * rebuild SQLite needs to drop a UNIQUE, and SQLite's JSON extraction in version 4.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    what: 'orgs, stores, terminals, staff, events, quarantine, exceptions, alerts, catalog, counters',
    steps(db, dialect) {
      const t = types(dialect);
      const pg = dialect === 'postgres';
      const steps: MigrationStep[] = [
        db.schema
          .createTable('orgs')
          .addColumn('org_id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull()),
        db.schema
          .createTable('stores')
          .addColumn('store_id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.org_id'))
          .addColumn('name', 'text', (c) => c.notNull()),
        db.schema
          .createTable('enrolment_codes')
          .addColumn('code_hash', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull().references('stores.store_id'))
          .addColumn('expires_at', t.time, (c) => c.notNull())
          .addColumn('used_at', t.time),
        db.schema
          .createTable('terminals')
          .addColumn('terminal_id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull().references('stores.store_id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('public_key', 'text', (c) => c.notNull())
          .addColumn('epoch', t.int, (c) => c.notNull())
          .addColumn('acked_seq', t.int, (c) => c.notNull().defaultTo(0))
          .addColumn('acked_hash', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', t.time)
          .addColumn('revoked_at', t.time),
        db.schema
          .createTable('request_nonces')
          .addColumn('terminal_id', 'text', (c) => c.notNull())
          .addColumn('nonce', 'text', (c) => c.notNull())
          .addColumn('expires_at', t.time, (c) => c.notNull())
          .addPrimaryKeyConstraint('request_nonces_pkey', ['terminal_id', 'nonce']),
        db.schema.createIndex('request_nonces_by_expiry').on('request_nonces').column('expires_at'),
        db.schema
          .createTable('staff')
          .addColumn('staff_id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.org_id'))
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('viewer', 'admin')`)),
        db.schema
          .createTable('staff_sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.staff_id'))
          .addColumn('expires_at', t.time, (c) => c.notNull()),
        db.schema
          .createTable('events')
          // SQLite: INTEGER PRIMARY KEY is the rowid. PostgreSQL: numbered from a counter row (commit order).
          .addColumn('stream_offset', t.int, (c) => c.primaryKey())
          .addColumn('event_id', 'text', (c) => c.notNull().unique())
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('terminal_id', 'text', (c) => c.notNull())
          .addColumn('epoch', t.int, (c) => c.notNull())
          .addColumn('seq', t.int, (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .$call((table) => (pg ? table.addColumn('original_sale_id', 'text') : table))
          .addColumn('received_at', t.time, (c) => c.notNull())
          .addUniqueConstraint('events_terminal_id_epoch_seq_key', ['terminal_id', 'epoch', 'seq']),
        db.schema.createIndex('events_by_org').on('events').columns(['org_id', 'stream_offset']),
        pg
          ? "CREATE INDEX events_returns_by_sale ON events (org_id, original_sale_id) WHERE type = 'return'"
          : `CREATE INDEX events_returns_by_sale ON events (org_id, json_extract(body, '$.payload.originalSaleId'))
               WHERE type = 'return'`,
        db.schema
          .createTable('quarantine')
          .addColumn('terminal_id', 'text', (c) => c.notNull())
          .addColumn('epoch', t.int, (c) => c.notNull())
          .addColumn('seq', t.int, (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('issues', 'text', (c) => c.notNull())
          .addColumn('received_at', t.time, (c) => c.notNull())
          .addPrimaryKeyConstraint('quarantine_pkey', ['terminal_id', 'epoch', 'seq']),
        db.schema
          .createTable('business_exceptions')
          .addColumn('id', t.int, (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('terminal_id', 'text', (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull()),
        db.schema
          .createIndex('business_exceptions_by_org')
          .on('business_exceptions')
          .columns(['org_id', 'id']),
        db.schema
          .createTable('alerts')
          .addColumn('id', t.int, (c) => (pg ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey()))
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('terminal_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull()),
        db.schema
          .createTable('catalog_products')
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('product_id', 'text', (c) => c.notNull())
          .addColumn('version', t.int, (c) => c.notNull().unique())
          .addColumn('body', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('catalog_products_pkey', ['org_id', 'product_id']),
        db.schema
          .createIndex('catalog_products_by_version')
          .on('catalog_products')
          .columns(['org_id', 'version']),
        db.schema
          .createTable('counters')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', t.int, (c) => c.notNull()),
        db.insertInto('counters').values(
          (pg ? ['catalog_version', 'stream_offset', 'exception_id'] : ['catalog_version']).map((name) => ({
            name,
            value: 0,
          })),
        ),
      ];
      if (pg) {
        steps.push(
          db.schema.createIndex('terminals_by_org').on('terminals').columns(['org_id', 'terminal_id']),
          db.schema.createIndex('terminals_by_store').on('terminals').column('store_id'),
          db.schema
            .createIndex('quarantine_by_org')
            .on('quarantine')
            .columns(['org_id', 'received_at', 'seq']),
        );
      }
      return steps;
    },
  },
  {
    version: 2,
    what: 'the terminal feed and return authorisations (store/feed.ts)',
    steps(db, dialect) {
      const t = types(dialect);
      return [
        db.schema
          .createTable('feed_items')
          .addColumn('version', t.int, (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.org_id'))
          .addColumn('store_id', 'text', (c) => c.references('stores.store_id'))
          .addColumn('kind', 'text', (c) =>
            c.notNull().check(sql`kind IN ('config', 'return-authorisation')`),
          )
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull()),
        db.schema.createIndex('feed_items_by_org').on('feed_items').columns(['org_id', 'version']),
        "CREATE INDEX feed_items_config ON feed_items (org_id, store_id, version) WHERE kind = 'config'",
        db.schema
          .createTable('return_authorisations')
          .addColumn('authorisation_id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.org_id'))
          .addColumn('original_sale_id', 'text', (c) => c.notNull())
          .addColumn('store_id', 'text', (c) => c.notNull().references('stores.store_id'))
          .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('active', 'cancelled')`))
          .addColumn('expires_at', t.time, (c) => c.notNull())
          .addColumn('request_digest', 'text', (c) => c.notNull())
          .addColumn('version', t.int, (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull()),
        db.schema
          .createIndex('return_authorisations_by_sale')
          .on('return_authorisations')
          .columns(['org_id', 'original_sale_id']),
        db.insertInto('counters').values({ name: 'feed_version', value: 0 }),
      ];
    },
  },
  {
    version: 3,
    what: 'event ids unique within an org, no longer across the server (decision 0008)',
    steps(_db, dialect) {
      if (dialect === 'postgres') {
        return [
          'ALTER TABLE events DROP CONSTRAINT events_event_id_key',
          `ALTER TABLE events ADD CONSTRAINT ${EVENT_ID_CONSTRAINT} UNIQUE (org_id, event_id)`,
        ];
      }
      // SQLite cannot drop a column's UNIQUE, so the table is rebuilt (inside the migration's transaction), keeping
      // every row and its stream offset; nothing references events, and the indexes are made again under their names.
      return [
        `CREATE TABLE events_v3 (
          stream_offset INTEGER PRIMARY KEY,
          event_id TEXT NOT NULL,
          org_id TEXT NOT NULL,
          store_id TEXT NOT NULL,
          terminal_id TEXT NOT NULL,
          epoch INTEGER NOT NULL,
          seq INTEGER NOT NULL,
          type TEXT NOT NULL,
          hash TEXT NOT NULL,
          body TEXT NOT NULL,
          received_at TEXT NOT NULL,
          UNIQUE (terminal_id, epoch, seq),
          UNIQUE (org_id, event_id)
        )`,
        `INSERT INTO events_v3 (stream_offset, event_id, org_id, store_id, terminal_id, epoch, seq, type, hash, body,
                               received_at)
          SELECT stream_offset, event_id, org_id, store_id, terminal_id, epoch, seq, type, hash, body, received_at
            FROM events ORDER BY stream_offset`,
        'DROP TABLE events',
        'ALTER TABLE events_v3 RENAME TO events',
        'CREATE INDEX events_by_org ON events (org_id, stream_offset)',
        `CREATE INDEX events_returns_by_sale ON events (org_id, json_extract(body, '$.payload.originalSaleId'))
          WHERE type = 'return'`,
      ];
    },
  },
  {
    version: 4,
    what: 'one shape for both dialects: counters for offsets and exception ids, a return sale id column, indexes',
    steps(db, dialect) {
      const steps: MigrationStep[] = [];
      if (dialect === 'sqlite') {
        // PostgreSQL has had the column since version 1; SQLite indexed the JSON instead.
        steps.push(
          'ALTER TABLE events ADD COLUMN original_sale_id TEXT',
          `UPDATE events SET original_sale_id = json_extract(body, '$.payload.originalSaleId') WHERE type = 'return'`,
          'DROP INDEX events_returns_by_sale',
          "CREATE INDEX events_returns_by_sale ON events (org_id, original_sale_id) WHERE type = 'return'",
        );
      }
      // Stream offsets and exception ids come from counter rows on both dialects now (PostgreSQL's since version 1),
      // continuing after the highest number stored: an old SQLite database's next offset is its old rowid's next.
      for (const [name, table, column] of [
        ['stream_offset', 'events', 'stream_offset'],
        ['exception_id', 'business_exceptions', 'id'],
      ] as const) {
        steps.push({
          compile: () =>
            sql`INSERT INTO counters (name, value)
                  SELECT ${name}, coalesce(max(${sql.ref(column)}), 0) FROM ${sql.table(table)} WHERE true
                ON CONFLICT (name) DO NOTHING`.compile(db),
        });
      }
      steps.push(
        db.schema
          .createIndex('terminals_by_org')
          .ifNotExists()
          .on('terminals')
          .columns(['org_id', 'terminal_id']),
        db.schema.createIndex('terminals_by_store').ifNotExists().on('terminals').column('store_id'),
        db.schema
          .createIndex('quarantine_by_org')
          .ifNotExists()
          .on('quarantine')
          .columns(['org_id', 'received_at', 'seq']),
      );
      return steps;
    },
  },
  {
    version: 5,
    what: 'priced history: every catalog listing kept, never overwritten',
    steps(db, dialect) {
      return [
        db.schema
          .createTable('catalog_product_versions')
          .addColumn('org_id', 'text', (c) => c.notNull())
          .addColumn('product_id', 'text', (c) => c.notNull())
          .addColumn('version', types(dialect).int, (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('catalog_product_versions_pkey', ['org_id', 'product_id', 'version']),
        // What existed before the history began: each product's current listing (earlier ones were overwritten).
        db
          .insertInto('catalog_product_versions')
          .columns(['org_id', 'product_id', 'version', 'body'])
          .expression(db.selectFrom('catalog_products').select(['org_id', 'product_id', 'version', 'body'])),
      ];
    },
  },
  {
    version: 6,
    what: 'when each event happened, indexed per store: business days cut in the store zone (hq-reads.ts)',
    steps(db, dialect) {
      const t = types(dialect);
      return [
        db.schema.alterTable('events').addColumn('occurred_at', t.time),
        // Normalised to UTC with milliseconds, so text comparison on SQLite is time order (tills write either form).
        dialect === 'postgres'
          ? "UPDATE events SET occurred_at = (body::jsonb ->> 'occurredAt')::timestamptz"
          : "UPDATE events SET occurred_at = strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(body, '$.occurredAt'))",
        db.schema
          .createIndex('events_by_store_time')
          .on('events')
          .columns(['org_id', 'store_id', 'occurred_at']),
      ];
    },
  },
  {
    version: 7,
    what: 'employees and their feed entries, and the audit log of admin actions (issue #15)',
    steps(db, dialect) {
      const t = types(dialect);
      const kinds = "kind IN ('config', 'return-authorisation', 'employee')";
      return [
        ...(dialect === 'postgres'
          ? [
              'ALTER TABLE feed_items DROP CONSTRAINT feed_items_kind_check',
              `ALTER TABLE feed_items ADD CONSTRAINT feed_items_kind_check CHECK (${kinds})`,
            ]
          : // SQLite cannot change a CHECK, so the table is rebuilt keeping every row (as events in version 3).
            [
              `CREATE TABLE feed_items_v7 (
                version INTEGER PRIMARY KEY,
                org_id TEXT NOT NULL REFERENCES orgs (org_id),
                store_id TEXT REFERENCES stores (store_id),
                kind TEXT NOT NULL CHECK (${kinds}),
                body TEXT NOT NULL,
                created_at TEXT NOT NULL
              )`,
              `INSERT INTO feed_items_v7 (version, org_id, store_id, kind, body, created_at)
                SELECT version, org_id, store_id, kind, body, created_at FROM feed_items ORDER BY version`,
              'DROP TABLE feed_items',
              'ALTER TABLE feed_items_v7 RENAME TO feed_items',
              'CREATE INDEX feed_items_by_org ON feed_items (org_id, version)',
              "CREATE INDEX feed_items_config ON feed_items (org_id, store_id, version) WHERE kind = 'config'",
            ]),
        db.schema
          .createTable('employees')
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.org_id'))
          .addColumn('employee_id', 'text', (c) => c.notNull())
          .addColumn('number', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('role_id', 'text', (c) => c.notNull())
          .addColumn('store_ids', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull().check(sql`active IN (0, 1)`))
          .addColumn('pin_hash', 'text', (c) => c.notNull())
          .addColumn('pin_changed_at', t.time, (c) => c.notNull())
          .addColumn('request_digest', 'text', (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull())
          .addColumn('updated_at', t.time, (c) => c.notNull())
          .addColumn('version', t.int, (c) => c.notNull())
          .addPrimaryKeyConstraint('employees_pkey', ['org_id', 'employee_id'])
          .addUniqueConstraint('employees_org_number_key', ['org_id', 'number']),
        db.schema
          .createTable('audit_log')
          // From the `audit_id` counter inside the audited transaction: commit order, so paging by id skips nothing.
          .addColumn('id', t.int, (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.org_id'))
          .addColumn('at', t.time, (c) => c.notNull())
          .addColumn('actor_staff_id', 'text', (c) => c.notNull())
          .addColumn('actor_username', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull()),
        db.schema.createIndex('audit_log_by_org').on('audit_log').columns(['org_id', 'id']),
        db.insertInto('counters').values({ name: 'audit_id', value: 0 }),
      ];
    },
  },
  {
    version: 8,
    what: 'one employee entry per store and employee: older entries, and the hashes they held, deleted',
    steps(_db, dialect) {
      // Since version 8 every employee write deletes the entries it supersedes (employees.ts); these are the ones
      // written before, which kept an old PIN's hash, or a hash at a store the employee left, in every pull from 0.
      const employeeOf = (table: string) =>
        dialect === 'postgres'
          ? `(${table}.body::jsonb #>> '{employee,employeeId}')`
          : `json_extract(${table}.body, '$.employee.employeeId')`;
      return [
        `DELETE FROM feed_items
          WHERE kind = 'employee'
            AND EXISTS (SELECT 1 FROM feed_items AS later
                         WHERE later.kind = 'employee' AND later.org_id = feed_items.org_id
                           AND later.store_id = feed_items.store_id AND later.version > feed_items.version
                           AND ${employeeOf('later')} = ${employeeOf('feed_items')})`,
      ];
    },
  },
  {
    version: 9,
    what: 'manager approvals found by their approvalId: the actions that link one are checked against it',
    steps(db, dialect) {
      return [
        db.schema.alterTable('events').addColumn('approval_id', 'text'),
        dialect === 'postgres'
          ? "UPDATE events SET approval_id = body::jsonb #>> '{payload,approvalId}' WHERE type = 'manager-approval'"
          : "UPDATE events SET approval_id = json_extract(body, '$.payload.approvalId') WHERE type = 'manager-approval'",
        "CREATE INDEX events_approvals ON events (org_id, terminal_id, approval_id) WHERE type = 'manager-approval'",
      ];
    },
  },
  SHIFTS_MIGRATION,
];

/** The newest version this server knows. */
export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Each step as SQL text and parameters, ready for the dialect's runner. */
export function compileSteps(migration: Migration, db: MigrationDb, dialect: Dialect) {
  return migration
    .steps(db, dialect)
    .map((step) => (typeof step === 'string' ? { sql: step, parameters: [] } : step.compile()));
}
