/** Forward-only migrations of the embedded SQLite store. Not yet released, so version 1 is still being shaped. */
export const SQLITE_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE orgs (org_id TEXT PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE stores (
        store_id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs (org_id),
        name TEXT NOT NULL
      );
      CREATE TABLE enrolment_codes (
        code_hash TEXT PRIMARY KEY,
        org_id TEXT NOT NULL,
        store_id TEXT NOT NULL REFERENCES stores (store_id),
        expires_at TEXT NOT NULL,
        used_at TEXT
      );
      CREATE TABLE terminals (
        terminal_id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL,
        store_id TEXT NOT NULL REFERENCES stores (store_id),
        name TEXT NOT NULL,
        public_key TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        acked_seq INTEGER NOT NULL DEFAULT 0,
        acked_hash TEXT NOT NULL,
        last_seen_at TEXT,
        revoked_at TEXT
      );
      CREATE TABLE request_nonces (
        terminal_id TEXT NOT NULL,
        nonce TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (terminal_id, nonce)
      );
      CREATE INDEX request_nonces_by_expiry ON request_nonces (expires_at);
      CREATE TABLE staff (
        staff_id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs (org_id),
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'admin'))
      );
      CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff (staff_id),
        expires_at TEXT NOT NULL
      );
      CREATE TABLE events (
        stream_offset INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        hash TEXT NOT NULL,
        body TEXT NOT NULL,
        received_at TEXT NOT NULL,
        UNIQUE (terminal_id, epoch, seq)
      );
      CREATE INDEX events_by_org ON events (org_id, stream_offset);
      CREATE INDEX events_returns_by_sale ON events (org_id, json_extract(body, '$.payload.originalSaleId'))
        WHERE type = 'return';
      CREATE TABLE quarantine (
        terminal_id TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        org_id TEXT NOT NULL,
        type TEXT NOT NULL,
        hash TEXT NOT NULL,
        body TEXT NOT NULL,
        issues TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (terminal_id, epoch, seq)
      );
      CREATE TABLE business_exceptions (
        id INTEGER PRIMARY KEY,
        org_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX business_exceptions_by_org ON business_exceptions (org_id, id);
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        org_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE catalog_products (
        org_id TEXT NOT NULL,
        product_id TEXT NOT NULL,
        version INTEGER NOT NULL UNIQUE,
        body TEXT NOT NULL,
        PRIMARY KEY (org_id, product_id)
      );
      CREATE INDEX catalog_products_by_version ON catalog_products (org_id, version);
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO counters (name, value) VALUES ('catalog_version', 0);
    `,
  },
  {
    // The terminal feed (store/feed.ts): every item with a version from one server-wide counter; return
    // authorisations as they now stand, with the digest of the request that issued them (idempotency).
    version: 2,
    sql: `
      CREATE TABLE feed_items (
        version INTEGER PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs (org_id),
        store_id TEXT REFERENCES stores (store_id),
        kind TEXT NOT NULL CHECK (kind IN ('config', 'return-authorisation')),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX feed_items_by_org ON feed_items (org_id, version);
      CREATE INDEX feed_items_config ON feed_items (org_id, store_id, version) WHERE kind = 'config';
      CREATE TABLE return_authorisations (
        authorisation_id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs (org_id),
        original_sale_id TEXT NOT NULL,
        store_id TEXT NOT NULL REFERENCES stores (store_id),
        status TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
        expires_at TEXT NOT NULL,
        request_digest TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX return_authorisations_by_sale ON return_authorisations (org_id, original_sale_id);
      INSERT INTO counters (name, value) VALUES ('feed_version', 0);
    `,
  },
  {
    // Event ids are unique within an org, no longer across the server (decision 0008). SQLite cannot drop a
    // column's UNIQUE, so the table is rebuilt (inside the migration's transaction), keeping every row and its
    // stream offset; nothing references events, and the indexes are made again under their names.
    version: 3,
    sql: `
      CREATE TABLE events_v3 (
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
      );
      INSERT INTO events_v3 (stream_offset, event_id, org_id, store_id, terminal_id, epoch, seq, type, hash, body,
                             received_at)
        SELECT stream_offset, event_id, org_id, store_id, terminal_id, epoch, seq, type, hash, body, received_at
          FROM events ORDER BY stream_offset;
      DROP TABLE events;
      ALTER TABLE events_v3 RENAME TO events;
      CREATE INDEX events_by_org ON events (org_id, stream_offset);
      CREATE INDEX events_returns_by_sale ON events (org_id, json_extract(body, '$.payload.originalSaleId'))
        WHERE type = 'return';
    `,
  },
];
