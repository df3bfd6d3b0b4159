import { z } from 'zod';
import type { ReturnPayloadV1 } from './business-payloads.js';
import { EmployeeDisplayName, EmployeeId, EmployeeNumber, PinHash, RoleId } from './employees.js';
import { DEFAULT_ROLES, Role } from './permissions.js';
import { IanaTimeZone, Identifier, IsoTimestamp, NonNegativeMinorUnits, UuidV7 } from './primitives.js';
import { printableName } from './printable.js';
import { PromotionsV1 } from './promotions.js';

/**
 * The terminal feed: what HQ decides and terminals must know, offline included. Terminal configuration, return
 * authorisations and employees, pulled after a cursor (`GET /v1/feed?after=N`), each item with a version from one server-wide
 * counter, assigned in commit order.
 */

/** The latest version of the terminal configuration document (feed-versions.ts reads every version). */
export const TERMINAL_CONFIG_SCHEMA_VERSION = 6 as const;
export const FEED_PAGE_DEFAULT = 500;
export const FEED_PAGE_MAX = 1000;

/** Printable text and line breaks only: a receipt footer must never carry printer control bytes (ESC, GS…). */
const PrintableText = z
  .string()
  .max(240)
  .regex(/^(?:\n|\P{Cc})*$/u, 'printable text and line breaks only');

/** The fields of configuration version 1; every version since has them too. */
const configFieldsV1 = {
  /**
   * A cross-store return while the server cannot be reached and no return authorisation for it is held: `refuse`
   * (the default, the only real guarantee against a double return), or allow it under a manager's override, up to
   * `offlineReturnLimit`, which HQ then sees as an exception when the return syncs.
   */
  offlineCrossStoreReturns: z.enum(['refuse', 'manager-override']).default('refuse'),
  /** Largest refund, in minor units of the store's currency, one offline manager override may allow. 0: none. */
  offlineReturnLimit: NonNegativeMinorUnits.default(0),
  /** Seconds the cash drawer may stay open before the terminal warns the cashier. */
  drawerOpenAlertSeconds: z.number().int().min(5).max(3600).default(60),
  /** Printed under every receipt: up to 240 printable characters, line breaks allowed. */
  receiptFooter: PrintableText.default(''),
  /** Minutes the oldest unacknowledged journal event may wait before the terminal shows a sync alert. */
  syncAlertAfterMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
};

/**
 * A terminal's configuration, as HQ sets it for the whole org or for one store. Every field has a default, so a
 * document may leave out what it does not change; the stored and delivered document always has every field. A new
 * field or meaning is a new `schema` version. Version 1 must say so (`schema: 1`); a document without `schema` is
 * the latest version.
 */
export const TerminalConfigV1 = z.strictObject({ schema: z.literal(1), ...configFieldsV1 });
export type TerminalConfigV1 = z.infer<typeof TerminalConfigV1>;

/** The fields version 2 added: the store's clock. */
const configFieldsV2 = {
  timeZone: IanaTimeZone.default('UTC'),
  businessDayStartHour: z.number().int().min(0).max(23).default(0),
};

/**
 * Version 2: version 1 and the store's clock: its IANA time zone (`UTC` when HQ sets none) and the local hour its
 * business day starts at (0, midnight, unless the store trades past midnight). Version 1 documents read as UTC and 0,
 * which is how version 1 terminals cut their days.
 */
export const TerminalConfigV2 = z.strictObject({
  schema: z.literal(2),
  ...configFieldsV1,
  ...configFieldsV2,
});
export type TerminalConfigV2 = z.infer<typeof TerminalConfigV2>;

/** The roles of an org or store: at least one, each under its id. */
export const Roles = z
  .record(RoleId, Role)
  .refine((roles) => Object.keys(roles).length >= 1, 'at least one role')
  .refine((roles) => Object.keys(roles).length <= 50, 'at most 50 roles');
export type Roles = z.infer<typeof Roles>;

/** After this many wrong PINs in a row an employee is locked out on that till, for `lockMinutes`. */
export const PinLockout = z.strictObject({
  attempts: z.number().int().min(1).max(20).default(5),
  /** 0: until someone with `unlockEmployees` unlocks them. */
  lockMinutes: z.number().int().min(0).max(1440).default(15),
});
export type PinLockout = z.infer<typeof PinLockout>;

/** The fields version 3 added: employees' roles and how the till locks (issue #15). */
const configFieldsV3 = {
  /** The roles employees are given (`RoleId` → role); the till checks their permissions, never their names. */
  roles: Roles.default(() => structuredClone(DEFAULT_ROLES) as Roles),
  /** Seconds without input before the till locks and asks for a PIN again; 0: never. */
  autoLockSeconds: z.number().int().min(0).max(3600).default(300),
  pinLockout: PinLockout.default(() => ({ attempts: 5, lockMinutes: 15 })),
};

/**
 * Version 3: version 2 and employees (issue #15): the roles with their permissions, the auto-lock, and the PIN
 * lockout. Version 1 and 2 documents read with the defaults (`DEFAULT_ROLES`, 300 s, 5 attempts and 15 minutes).
 */
export const TerminalConfigV3 = z.strictObject({
  schema: z.literal(3),
  ...configFieldsV1,
  ...configFieldsV2,
  ...configFieldsV3,
});
export type TerminalConfigV3 = z.infer<typeof TerminalConfigV3>;

/** The fields version 4 added: shifts and cash (issue #16). */
const configFieldsV4 = {
  /**
   * Minor units of the store currency: HQ raises the exception `over_short` when a closed shift's cash over/short is
   * beyond this in absolute value. 0: any difference.
   */
  overShortAlert: NonNegativeMinorUnits.default(500),
};

/** Version 4: version 3 and the over/short alert threshold (issue #16). Older documents read with the default, 500. */
export const TerminalConfigV4 = z.strictObject({
  schema: z.literal(4),
  ...configFieldsV1,
  ...configFieldsV2,
  ...configFieldsV3,
  ...configFieldsV4,
});
export type TerminalConfigV4 = z.infer<typeof TerminalConfigV4>;

/**
 * The fields version 5 added: what the law asks a sale receipt to say of the store (issue #17). Each optional: a
 * till without them prints its store header as before.
 */
const configFieldsV5 = {
  /** The trading name printed at the top of every receipt. */
  storeName: printableName(60).optional(),
  /** The store's address, one printed line each. */
  storeAddress: z.array(printableName(60)).min(1).max(6).optional(),
  /** The VAT or tax registration number printed under the address. */
  taxId: printableName(40).optional(),
};

/**
 * Version 5: version 4 and the store's legal details for receipts (issue #17). Older documents read without them.
 * A document without `schema` is this version.
 */
export const TerminalConfigV5 = z.strictObject({
  schema: z.literal(5),
  ...configFieldsV1,
  ...configFieldsV2,
  ...configFieldsV3,
  ...configFieldsV4,
  ...configFieldsV5,
});
export type TerminalConfigV5 = z.infer<typeof TerminalConfigV5>;

/** A key of the till's quick-key grid: an item without a barcode (bread, a coffee) one touch away. */
export const QuickKey = z.strictObject({
  /** What the key says: short, it shares the screen with the others. */
  label: printableName(24),
  productId: Identifier,
});
export type QuickKey = z.infer<typeof QuickKey>;

/** Lines with no product: the cashier keys a description and an amount (a repair, a deposit). */
export const CustomLines = z.strictObject({
  allowed: z.boolean().default(false),
  /** The largest amount one custom line may have, in minor units of the store's currency (tax as prices say). */
  maxAmount: NonNegativeMinorUnits.default(0),
  /** The tax category the line is taxed in (one of the jurisdiction's, e.g. `standard`). */
  taxCategory: Identifier.default('standard'),
});
export type CustomLines = z.infer<typeof CustomLines>;

/** The fields version 6 added: what the cart sells besides scanned items (issue #17). */
const configFieldsV6 = {
  /** The quick-key grid, in screen order (rows of the screen's width). */
  quickKeys: z
    .array(QuickKey)
    .max(48)
    .refine((keys) => new Set(keys.map((key) => key.productId)).size === keys.length, {
      message: 'each product on one quick key at most',
    })
    .default([]),
  customLines: CustomLines.default(() => ({ allowed: false, maxAmount: 0, taxCategory: 'standard' })),
  /**
   * Which rules read price- and weight-embedded barcodes (EAN-13 prefixes 02 and 20–29): the store's GS1 region,
   * ISO 3166-1 alpha-2 in lower case (`de`, `se`, `gb`…). null: such barcodes are looked up as they are.
   */
  barcodeRegion: z
    .string()
    .regex(/^[a-z]{2}$/, 'a two-letter region code in lower case')
    .nullable()
    .default(null),
  /** The automatic promotions the till applies as lines are added. */
  promotions: PromotionsV1.default([]),
};

/**
 * Version 6: version 5 and the cart's extras (issue #17): quick keys, custom-amount lines, the region of the
 * embedded-barcode rules, and automatic promotions. Older documents read with none of them. A document without
 * `schema` is this version.
 */
export const TerminalConfigV6 = z.strictObject({
  schema: z.literal(6).default(6),
  ...configFieldsV1,
  ...configFieldsV2,
  ...configFieldsV3,
  ...configFieldsV4,
  ...configFieldsV5,
  ...configFieldsV6,
});
export type TerminalConfigV6 = z.infer<typeof TerminalConfigV6>;

/** The latest configuration: what a terminal works with, whatever version HQ's document was written in. */
export const TerminalConfig = TerminalConfigV6;
export type TerminalConfig = z.infer<typeof TerminalConfigV6>;

/** A configuration document as written and carried by the feed: any version this code knows. */
export const TerminalConfigDocument = z.union([
  TerminalConfigV1,
  TerminalConfigV2,
  TerminalConfigV3,
  TerminalConfigV4,
  TerminalConfigV5,
  TerminalConfigV6,
]);
export type TerminalConfigDocument = z.infer<typeof TerminalConfigDocument>;

/** What a terminal uses when HQ has set nothing. */
export const DEFAULT_TERMINAL_CONFIG: TerminalConfig = Object.freeze(TerminalConfig.parse({}));

/** A lower-case UUID of any version (HQ systems mint their own); the repo's own ids are UUIDv7. */
export const Uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a lower-case UUID');

const FeedVersion = z.number().int().positive();

export const ReturnAuthorisationLines = z
  .array(
    z.strictObject({
      lineId: Identifier,
      quantity: z.number().int().positive().max(100_000),
    }),
  )
  .min(1)
  .max(1000)
  .refine(
    (lines) => new Set(lines.map((line) => line.lineId)).size === lines.length,
    'each line at most once',
  );

/**
 * HQ's permission to return these quantities of a sale at one store, reserved on the server until it expires, is
 * cancelled or is used. A return made under it records `authorization: {kind: 'server-token', token:
 * authorisationId}`; once that return reaches the server, the reservation counts as returned instead.
 */
export const ReturnAuthorisation = z.strictObject({
  authorisationId: Uuid,
  originalSaleId: UuidV7,
  /** Where the sale was rung up (from the stored sale, not from the request). */
  originalStoreId: Identifier,
  /** The store where the return may happen. */
  storeId: Identifier,
  lines: ReturnAuthorisationLines,
  issuedAt: IsoTimestamp,
  expiresAt: IsoTimestamp,
  status: z.enum(['active', 'cancelled']),
});
export type ReturnAuthorisation = z.infer<typeof ReturnAuthorisation>;

/**
 * The version of an item's shape. Left out for version 1, so items stay readable by tills from before versions
 * (they parse items strictly); a later version of a kind always says which it is.
 */
const ItemSchemaV1 = z.literal(1).optional();

export const ConfigFeedItem = z.strictObject({
  kind: z.literal('config'),
  schema: ItemSchemaV1,
  version: FeedVersion,
  /** null: every store of the org; otherwise that store only, over the org-wide document. */
  storeId: Identifier.nullable(),
  /** The whole document. null withdraws it: a store falls back to the org-wide document, the org to defaults. */
  config: TerminalConfigDocument.nullable(),
});
export type ConfigFeedItem = z.infer<typeof ConfigFeedItem>;

export const ReturnAuthorisationFeedItem = z.strictObject({
  kind: z.literal('return-authorisation'),
  schema: ItemSchemaV1,
  version: FeedVersion,
  /** The authorisation as it stands at this version (issued, or cancelled). */
  authorisation: ReturnAuthorisation,
});
export type ReturnAuthorisationFeedItem = z.infer<typeof ReturnAuthorisationFeedItem>;

/**
 * An employee as the tills of one store know them (issue #15). The server sends one for every store concerned each
 * time the employee changes; a till only ever gets its own store's, and the latest for an employee wins.
 */
export const EmployeeFeedItem = z.strictObject({
  kind: z.literal('employee'),
  schema: ItemSchemaV1,
  version: FeedVersion,
  /** The store this entry is for. */
  storeId: Identifier,
  employee: z.strictObject({
    employeeId: EmployeeId,
    number: EmployeeNumber,
    displayName: EmployeeDisplayName,
    roleId: RoleId,
    /** False when the employee was deactivated or no longer works at this store: they cannot sign in there. */
    active: z.boolean(),
    /** The PIN's hash; null on an entry that is not active (a till has no use for it then). */
    pin: PinHash.nullable(),
  }),
});
export type EmployeeFeedItem = z.infer<typeof EmployeeFeedItem>;

export const FeedItem = z.discriminatedUnion('kind', [
  ConfigFeedItem,
  ReturnAuthorisationFeedItem,
  EmployeeFeedItem,
]);
export type FeedItem = z.infer<typeof FeedItem>;

export const FeedPullResponse = z.strictObject({
  /** In version order; only what the pulling terminal's store may see. */
  items: z.array(FeedItem),
  /** Pass as `after` on the next pull: past every item of this page (and past items for other stores). */
  nextAfter: z.number().int().nonnegative(),
  /** More items are waiting: pull again at once. */
  hasMore: z.boolean(),
});
export type FeedPullResponse = z.infer<typeof FeedPullResponse>;

/** `PUT /v1/hq/config`: a whole document for the org, or for one store with `storeId`. */
export const PutTerminalConfigRequest = z.strictObject({
  storeId: Identifier.optional(),
  /** Any version; without `schema`, the latest. */
  config: TerminalConfigDocument.nullable(),
});
export type PutTerminalConfigRequest = z.infer<typeof PutTerminalConfigRequest>;

/** `POST /v1/hq/return-authorisations`: idempotent by `authorisationId`. */
export const CreateReturnAuthorisationRequest = z.strictObject({
  authorisationId: Uuid,
  originalSaleId: UuidV7,
  /** The till that rang the sale up (on its receipt): only its sale under that id is meant, when given. */
  originalTerminalId: Identifier.optional(),
  storeId: Identifier,
  lines: ReturnAuthorisationLines,
  /** How long the reservation holds: default one day, at most 30 days. */
  validForMinutes: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 60)
    .default(24 * 60),
});
export type CreateReturnAuthorisationRequest = z.infer<typeof CreateReturnAuthorisationRequest>;

/** The authorisation a return consumes: the token of a `server-token` authorization is the authorisation id. */
export function consumedAuthorisationId(payload: Pick<ReturnPayloadV1, 'authorization'>): string | null {
  return payload.authorization.kind === 'server-token' ? payload.authorization.token : null;
}
