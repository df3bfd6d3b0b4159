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
        token_hash TEXT NOT NULL UNIQUE,
        epoch INTEGER NOT NULL,
        acked_seq INTEGER NOT NULL DEFAULT 0,
        acked_hash TEXT NOT NULL,
        last_seen_at TEXT,
        revoked_at TEXT
      );
      CREATE TABLE hq_tokens (token_hash TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')));
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
];
