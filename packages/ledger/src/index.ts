export {
  type BusinessDayTotals,
  summariseBusinessDay,
  TENDER_KINDS,
  type TenderKind,
} from './business-day.js';
export { CatalogCache, type CatalogDocument, type CatalogEntry, CatalogReader } from './catalog.js';
export { type EmployeeLock, EmployeeLocks } from './employee-locks.js';
export { LedgerError, type LedgerErrorCode } from './errors.js';
export { FeedCache, type FeedEmployee, FeedReader, type FeedSkips } from './feed.js';
export {
  type EventDraft,
  Journal,
  JournalReader,
  type RecordResult,
  type TerminalIdentity,
} from './journal.js';
export { Ledger, LedgerReader } from './ledger.js';
export { LATEST_SCHEMA_VERSION } from './migrations.js';
export type { OpenOptions } from './open-database.js';
export { Outbox, type SyncState } from './outbox.js';
export { type ParkedSaleRecord, ParkedSales } from './parked-sales.js';
export { type PinAttemptRecord, PinAttempts } from './pin-attempts.js';
export {
  type JournalPosition,
  type OpenShift,
  type PriorReturnsView,
  Projections,
  type SaleLookup,
  type ShiftRef,
  type ShiftSale,
} from './projections.js';
export { SaleList, type SaleListEntry, type SaleListPage, type SaleListQuery } from './sale-list.js';
export { ServerContact, type ServerContactRecord } from './server-contact.js';
export { summariseShift } from './shift-report.js';
