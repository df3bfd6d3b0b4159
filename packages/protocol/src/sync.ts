import { z } from 'zod';
import { EventVersionSet, JournalEvent } from './event-versions.js';
import { Barcode, CurrencyCode, Identifier, NonNegativeMinorUnits, Sha256Hex, UuidV7 } from './primitives.js';

export const API_PREFIX = '/v1';
export const MAX_BATCH_EVENTS = 100;
export const MAX_BATCH_BYTES = 256 * 1024;

/** Every error the server returns has this shape; `code` is stable and machine-readable. */
export const ErrorEnvelope = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    retryable: z.boolean(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

export const EnrolRequest = z.strictObject({
  code: z.string().min(6).max(64),
  terminalName: z.string().min(1).max(80),
  /** The terminal's Ed25519 public key, SPKI DER in base64; its private key never leaves the terminal. */
  publicKey: z.string().min(40).max(200),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.strictObject({
  orgId: Identifier,
  storeId: Identifier,
  terminalId: Identifier,
  epoch: z.number().int().positive(),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

/**
 * An event as the server first reads it: the envelope it needs to place and chain the event is strict, the payload
 * is not yet judged. A well-chained event whose payload fails its schema is quarantined and acknowledged, so one
 * poison event never blocks a till; only an undecodable envelope refuses the batch.
 */
export const EventEnvelope = z.strictObject({
  schema: z.number().int().positive(),
  eventId: UuidV7,
  type: z.string().min(1).max(40),
  terminalId: Identifier,
  storeId: Identifier,
  epoch: z.number().int().positive(),
  seq: z.number().int().positive(),
  occurredAt: z.string().min(1).max(40),
  payload: z.unknown(),
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export const PushBatchRequest = z.strictObject({
  epoch: z.number().int().positive(),
  events: z.array(EventEnvelope).min(1).max(MAX_BATCH_EVENTS),
});
export type PushBatchRequest = z.infer<typeof PushBatchRequest>;

export const PushBatchResponse = z.strictObject({
  ackedSeq: z.number().int().nonnegative(),
  ackedHash: Sha256Hex,
});
export type PushBatchResponse = z.infer<typeof PushBatchResponse>;

/** What the server holds for the calling terminal: how a terminal finds out that it, or the server, was restored. */
export const TerminalSyncState = z.strictObject({
  terminalId: Identifier,
  epoch: z.number().int().positive(),
  ackedSeq: z.number().int().nonnegative(),
  ackedHash: Sha256Hex,
});
export type TerminalSyncState = z.infer<typeof TerminalSyncState>;

/**
 * `GET /v1/terminal/versions`: what the server accepts and serves. A till writes each event type at the newest
 * version it knows that `events` lists (docs/protocol.md, "Versions"). An open object: a later server may add fields,
 * and a till ignores what it does not know.
 */
export const ProtocolVersions = z.object({
  /** Every version of every event type the server accepts: `{sale: [1, 2], return: [1], …}`. */
  events: EventVersionSet,
  /** The versions of each feed item kind the server can serve. */
  feed: EventVersionSet,
  /** The versions of the terminal configuration document the server can serve. */
  config: z.array(z.number().int().positive()),
});
export type ProtocolVersions = z.infer<typeof ProtocolVersions>;

/**
 * A terminal moving to a new epoch. `fromEpoch` is the epoch the server is expected to hold, so a retried request
 * (its answer lost) gets the same answer instead of a second bump.
 */
export const NewEpochRequest = z.strictObject({
  fromEpoch: z.number().int().positive(),
  toEpoch: z.number().int().positive(),
  reason: z.enum(['restored', 'manual']),
  /** The terminal's last seq in `fromEpoch`, for the alert HQ gets. */
  localLastSeq: z.number().int().nonnegative(),
});
export type NewEpochRequest = z.infer<typeof NewEpochRequest>;

export const CatalogProduct = z.strictObject({
  productId: Identifier,
  sku: Identifier,
  name: z.string().min(1).max(200),
  barcodes: z.array(Barcode).max(20),
  currency: CurrencyCode,
  price: NonNegativeMinorUnits,
  taxCategory: Identifier,
  tags: z.array(Identifier).max(20),
  active: z.boolean(),
  version: z.number().int().positive(),
  /**
   * How it is sold (issue #17): by the unit, or weighed, `price` then being per kilogram (`kg`) or per pound (`lb`).
   * Absent on products from before: by the unit.
   */
  measure: z.enum(['unit', 'kg', 'lb']).optional(),
  /**
   * An open-price item: the cashier keys the price, between `min` and `max` (minor units, tax as prices say);
   * `price` is then only a suggestion (0: none).
   */
  openPrice: z
    .strictObject({ min: NonNegativeMinorUnits, max: NonNegativeMinorUnits })
    .refine((limits) => limits.min <= limits.max, { message: 'min must not exceed max' })
    .optional(),
  /** Sold only to customers at least this old: the till asks the cashier to check before the line is added. */
  minimumAge: z.number().int().min(1).max(99).optional(),
});
export type CatalogProduct = z.infer<typeof CatalogProduct>;

/**
 * The versions of a catalog product's shape (the catalog pull's `productSchema`): 1 before issue #17; 2 adds how it
 * is sold (`measure`, `openPrice`, `minimumAge`). A till from before 2 parses products strictly: a server serves it
 * a product that needs version 2 as inactive, so that till cannot sell it at a wrong price or unchecked.
 */
export const CATALOG_PRODUCT_VERSIONS: readonly number[] = Object.freeze([1, 2]);

export const HqSessionRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export const HqSessionResponse = z.strictObject({
  token: z.string(),
  role: z.enum(['viewer', 'admin']),
  orgId: Identifier,
  expiresAt: z.string(),
});
/** NIST SP 800-63B asks at least 8; HQ accounts see every store's sales, so 12. */
export const HqNewPassword = z.string().min(12, 'a password needs at least 12 characters').max(256);
export const HqPasswordChangeRequest = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: HqNewPassword,
});
export const HqPasswordChangeResponse = z.strictObject({
  passwordChanged: z.literal(true),
  /** Every session of the user ended, the caller's too; this one replaces it. */
  session: HqSessionResponse,
});
export const HqPasswordResetRequest = z.strictObject({ newPassword: HqNewPassword });

export const CatalogPullResponse = z.strictObject({
  /** The highest catalog version included; pass it as `after` on the next pull. */
  version: z.number().int().nonnegative(),
  products: z.array(CatalogProduct),
  hasMore: z.boolean(),
});
export type CatalogPullResponse = z.infer<typeof CatalogPullResponse>;

export const HqStreamItem = z.strictObject({
  /** Position in commit order; consumers resume after it and dedupe by event id. */
  offset: z.number().int().positive(),
  orgId: Identifier,
  storeId: Identifier,
  terminalId: Identifier,
  event: JournalEvent,
});
export type HqStreamItem = z.infer<typeof HqStreamItem>;

export const HqEventsPage = z.strictObject({
  items: z.array(HqStreamItem),
  nextOffset: z.number().int().nonnegative(),
});
export type HqEventsPage = z.infer<typeof HqEventsPage>;
