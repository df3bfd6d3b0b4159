export type { CatalogEntry } from './catalog.js';
export { CatalogCache } from './catalog.js';
export { LedgerError, type LedgerErrorCode } from './errors.js';
export { type EventDraft, Journal, type RecordResult, type TerminalIdentity } from './journal.js';
export { Ledger } from './ledger.js';
export { LATEST_SCHEMA_VERSION } from './migrations.js';
export { Outbox, type SyncState } from './outbox.js';
