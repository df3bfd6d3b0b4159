/** The unique key that makes an event id one event within its org; ingest reads its name off a violation. */
export const EVENT_ID_CONSTRAINT = 'events_org_event_id_key';

/**
 * Forward-only, numbered migrations of the PostgreSQL store, applied in one transaction at start and recorded in
 * `schema_migrations`. The tables mirror sqlite-schema.ts one for one (same names, same keys, same uniqueness), so
 * the two dialects answer the same queries the same way. The differences are deliberate:
 * - numbers that come from clients or grow without bound (seq, epoch, offsets, versions) are BIGINT;
 * - times are TIMESTAMPTZ (SQLite keeps ISO-8601 text, which sorts the same way);
 * - JSON bodies are TEXT, not JSONB: the event hash is over canonical JSON, and JSONB would reorder keys and
 *   normalise numbers, so the exact text could not be given back;
 * - stream offsets and exception ids are not serials: they come from rows of `counters`, taken inside the ingest
 *   transaction (see `takeNumbers` in postgres-query.ts for why that makes offset order equal commit order);
 * - a return's original sale id is its own column (SQLite indexes `json_extract(body, …)` instead), so finding the
 *   returns of a sale never has to parse text as JSON inside an index.
 * Not yet released, so version 1 is still being shaped; once released, a change is a new version.
 */
export const POSTGRES_MIGRATIONS: readonly { version: number; sql: string }[] = [
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
        expires_at TIMESTAMPTZ NOT NULL,
        used_at TIMESTAMPTZ
      );
      CREATE TABLE terminals (
        terminal_id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL,
        store_id TEXT NOT NULL REFERENCES stores (store_id),
        name TEXT NOT NULL,
        public_key TEXT NOT NULL,
        epoch BIGINT NOT NULL,
        acked_seq BIGINT NOT NULL DEFAULT 0,
        acked_hash TEXT NOT NULL,
        last_seen_at TIMESTAMPTZ,
        revoked_at TIMESTAMPTZ
      );
      CREATE INDEX terminals_by_org ON terminals (org_id, terminal_id);
      CREATE INDEX terminals_by_store ON terminals (store_id);
      CREATE TABLE request_nonces (
        terminal_id TEXT NOT NULL,
        nonce TEXT NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
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
        expires_at TIMESTAMPTZ NOT NULL
      );
      CREATE TABLE events (
        stream_offset BIGINT PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        epoch BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        type TEXT NOT NULL,
        hash TEXT NOT NULL,
        body TEXT NOT NULL,
        original_sale_id TEXT,
        received_at TIMESTAMPTZ NOT NULL,
        UNIQUE (terminal_id, epoch, seq)
      );
      CREATE INDEX events_by_org ON events (org_id, stream_offset);
      CREATE INDEX events_returns_by_sale ON events (org_id, original_sale_id) WHERE type = 'return';
      CREATE TABLE quarantine (
        terminal_id TEXT NOT NULL,
        epoch BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        event_id TEXT NOT NULL,
        org_id TEXT NOT NULL,
        type TEXT NOT NULL,
        hash TEXT NOT NULL,
        body TEXT NOT NULL,
        issues TEXT NOT NULL,
        received_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (terminal_id, epoch, seq)
      );
      CREATE INDEX quarantine_by_org ON quarantine (org_id, received_at, seq);
      CREATE TABLE business_exceptions (
        id BIGINT PRIMARY KEY,
        org_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX business_exceptions_by_org ON business_exceptions (org_id, id);
      CREATE TABLE alerts (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        org_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE TABLE catalog_products (
        org_id TEXT NOT NULL,
        product_id TEXT NOT NULL,
        version BIGINT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        PRIMARY KEY (org_id, product_id)
      );
      CREATE INDEX catalog_products_by_version ON catalog_products (org_id, version);
      CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
      INSERT INTO counters (name, value) VALUES ('catalog_version', 0), ('stream_offset', 0), ('exception_id', 0);
    `,
  },
  {
    // The terminal feed (store/feed.ts), as SQLite's version 2. Feed versions come from the `feed_version`
    // counter row (commit order, see `takeNumbers`), not from a serial.
    version: 2,
    sql: `
      CREATE TABLE feed_items (
        version BIGINT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs (org_id),
        store_id TEXT REFERENCES stores (store_id),
        kind TEXT NOT NULL CHECK (kind IN ('config', 'return-authorisation')),
        body TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX feed_items_by_org ON feed_items (org_id, version);
      CREATE INDEX feed_items_config ON feed_items (org_id, store_id, version) WHERE kind = 'config';
      CREATE TABLE return_authorisations (
        authorisation_id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs (org_id),
        original_sale_id TEXT NOT NULL,
        store_id TEXT NOT NULL REFERENCES stores (store_id),
        status TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
        expires_at TIMESTAMPTZ NOT NULL,
        request_digest TEXT NOT NULL,
        version BIGINT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX return_authorisations_by_sale ON return_authorisations (org_id, original_sale_id);
      INSERT INTO counters (name, value) VALUES ('feed_version', 0);
    `,
  },
  {
    // Event ids are unique within an org, no longer across the server (decision 0008), as SQLite's version 3.
    // Building the new index locks events for as long as that takes, once, at start.
    version: 3,
    sql: `
      ALTER TABLE events DROP CONSTRAINT events_event_id_key;
      ALTER TABLE events ADD CONSTRAINT ${EVENT_ID_CONSTRAINT} UNIQUE (org_id, event_id);
    `,
  },
];
