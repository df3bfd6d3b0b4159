import { z } from 'zod';
import { canonicalJson } from './canonical.js';
import {
  DEFAULT_TERMINAL_CONFIG,
  FeedItem,
  type TerminalConfig,
  TerminalConfigDocument,
  type TerminalConfigV1,
  type TerminalConfigV2,
  type TerminalConfigV3,
  type TerminalConfigV4,
  type TerminalConfigV5,
  TerminalConfigV6,
} from './feed.js';

/**
 * The tolerant feed (docs/protocol.md, "Versions"): a till reads each feed item on its own, and skips and reports an
 * item whose kind, version, or configuration document version it does not know, instead of failing its whole pull.
 */

/** The versions of each feed item kind this code reads (and a server running it serves). */
export const FEED_ITEM_VERSIONS: { readonly [kind: string]: readonly number[] } = Object.freeze({
  config: [1],
  'return-authorisation': [1],
  employee: [1],
});

/** The versions of the terminal configuration document this code reads (and a server running it serves). */
export const CONFIG_DOCUMENT_VERSIONS: readonly number[] = Object.freeze([1, 2, 3, 4, 5, 6]);

/** What a reader knows of the feed, in one string: a till upgraded since it last skipped an item reads it again. */
export const FEED_READER = JSON.stringify({ items: FEED_ITEM_VERSIONS, config: CONFIG_DOCUMENT_VERSIONS });

/** A configuration document of any known version, as the latest version. */
export function upcastTerminalConfig(document: TerminalConfigDocument): TerminalConfig {
  if (document.schema === 6) return document;
  // Version 5 had no quick keys, custom lines, embedded-barcode rules or promotions: the till sold without them.
  const { quickKeys, customLines, barcodeRegion, promotions } = DEFAULT_TERMINAL_CONFIG;
  const v6 = {
    quickKeys: [...quickKeys],
    customLines: { ...customLines },
    barcodeRegion,
    promotions: [...promotions],
  };
  if (document.schema === 5) return { ...document, schema: 6, ...v6 };
  // Version 4 had no legal details: the receipt header prints without them, as it did.
  if (document.schema === 4) return { ...document, schema: 6, ...v6 };
  // Version 3 had no shifts: the over/short alert reads as its default.
  const v4 = { overShortAlert: DEFAULT_TERMINAL_CONFIG.overShortAlert };
  if (document.schema === 3) return { ...document, schema: 6, ...v4, ...v6 };
  // Version 2 had no employees: its tills knew no roles, auto-lock or PIN lockout; they read as the defaults.
  const { roles, autoLockSeconds, pinLockout } = DEFAULT_TERMINAL_CONFIG;
  const v3 = { roles: structuredClone(roles), autoLockSeconds, pinLockout: { ...pinLockout } };
  if (document.schema === 2) return { ...document, schema: 6, ...v3, ...v4, ...v6 };
  // Version 1 had no time zone: its terminals cut everything in UTC, days at midnight.
  return { ...document, schema: 6, timeZone: 'UTC', businessDayStartHour: 0, ...v3, ...v4, ...v6 };
}

/**
 * The document a server stores for a configuration: the lowest version that says all of it, HQ's own settings
 * included (a version 2 document only once HQ sets a time zone other than UTC or a business day that does not start
 * at midnight, a version 3 one only once HQ sets roles, auto-lock or PIN lockout other than the defaults, a version 4
 * one only once HQ sets an over/short alert other than 500, a version 5 one only once HQ sets a store name, address or
 * tax id, a version 6 one only once HQ sets quick keys, custom lines, a barcode region or promotions). HQ's over/short check reads it back.
 */
export function configDocumentToStore(config: TerminalConfig): TerminalConfigDocument {
  // Anything but the latest version is stored as given (a test stores a version no till knows, to be skipped).
  if ((config.schema as number) !== 6) return config;
  const { quickKeys, customLines, barcodeRegion, promotions, ...v5 } = config;
  const defaults = DEFAULT_TERMINAL_CONFIG;
  if (
    canonicalJson({ quickKeys, customLines, barcodeRegion, promotions }) !==
    canonicalJson({
      quickKeys: defaults.quickKeys,
      customLines: defaults.customLines,
      barcodeRegion: defaults.barcodeRegion,
      promotions: defaults.promotions,
    })
  ) {
    return config;
  }
  const { storeName, storeAddress, taxId, ...v4 } = v5;
  if (storeName !== undefined || storeAddress !== undefined || taxId !== undefined)
    return { ...v5, schema: 5 } satisfies TerminalConfigV5;
  const { overShortAlert, ...v3 } = v4;
  if (overShortAlert !== defaults.overShortAlert) return { ...v4, schema: 4 } satisfies TerminalConfigV4;
  const { roles, autoLockSeconds, pinLockout, ...v2 } = v3;
  if (
    canonicalJson({ roles, autoLockSeconds, pinLockout }) !==
    canonicalJson({
      roles: defaults.roles,
      autoLockSeconds: defaults.autoLockSeconds,
      pinLockout: defaults.pinLockout,
    })
  ) {
    return { ...v3, schema: 3 } satisfies TerminalConfigV3;
  }
  if (v2.timeZone !== 'UTC' || v2.businessDayStartHour !== 0)
    return { ...v2, schema: 2 } satisfies TerminalConfigV2;
  const { timeZone: _utc, businessDayStartHour: _midnight, ...rest } = v2;
  return { ...rest, schema: 1 } satisfies TerminalConfigV1;
}

/**
 * The document a server serves its tills for a configuration: the lowest version that says the same to a till, so a
 * till that knows only version 1 keeps reading every configuration that needs nothing newer. HQ's settings no till
 * reads (the over/short alert, version 4) never raise the version: a till from before version 4 skips a version 4
 * document, and with it the roles, auto-lock and time zone it carries.
 */
export function configDocumentToServe(config: TerminalConfig): TerminalConfigDocument {
  return configDocumentToStore({ ...config, overShortAlert: DEFAULT_TERMINAL_CONFIG.overShortAlert });
}

export type ConfigRead =
  | { ok: true; config: TerminalConfig }
  | { ok: false; schema: number | null; reason: string };

/** Reads a configuration document of any version as the latest; an unknown version or an invalid one is refused. */
export function readTerminalConfig(raw: unknown): ConfigRead {
  const schema = (raw as { schema?: unknown } | null)?.schema;
  const declared = typeof schema === 'number' ? schema : null;
  if (declared !== null && !CONFIG_DOCUMENT_VERSIONS.includes(declared)) {
    return { ok: false, schema: declared, reason: `configuration version ${declared} is not known here` };
  }
  const parsed = (declared === null ? TerminalConfigV6 : TerminalConfigDocument).safeParse(raw);
  if (!parsed.success) {
    return { ok: false, schema: declared, reason: `invalid configuration: ${firstIssue(parsed.error)}` };
  }
  return { ok: true, config: upcastTerminalConfig(parsed.data) };
}

/** A feed item a till could not read: what it was, where it sat in the feed, and why it was skipped. */
export const SkippedFeedItem = z.strictObject({
  kind: z.string(),
  /** The item's version, or, for a configuration document of an unknown version, the document's. */
  schema: z.number(),
  /** Its place in the feed (the server-wide counter); 0 when the item did not carry one. */
  version: z.number().int().nonnegative(),
  reason: z.string(),
});
export type SkippedFeedItem = z.infer<typeof SkippedFeedItem>;

export type FeedItemRead = { ok: true; item: FeedItem } | { ok: false; skipped: SkippedFeedItem };

/**
 * Reads one feed item on its own. A known kind and version that validates is returned as sent (its configuration
 * document, if any, still as written: read it with `readTerminalConfig`); anything else is a skip with its reason.
 */
export function readFeedItem(raw: unknown): FeedItemRead {
  const fields = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const kind = typeof fields.kind === 'string' ? fields.kind.slice(0, 40) : '(none)';
  const schema = fields.schema === undefined ? 1 : typeof fields.schema === 'number' ? fields.schema : 0;
  const version =
    typeof fields.version === 'number' && Number.isSafeInteger(fields.version) && fields.version > 0
      ? fields.version
      : 0;
  const skip = (reason: string, as = schema): FeedItemRead => ({
    ok: false,
    skipped: { kind, schema: as, version, reason },
  });
  const versions = Object.hasOwn(FEED_ITEM_VERSIONS, kind) ? FEED_ITEM_VERSIONS[kind]! : null;
  if (versions === null) return skip(`feed item kind ${kind} is not known here`);
  if (!versions.includes(schema)) return skip(`${kind} version ${schema} is not known here`);
  if (kind === 'config' && fields.config !== null && fields.config !== undefined) {
    const config = readTerminalConfig(fields.config);
    if (!config.ok) return skip(config.reason, config.schema ?? schema);
  }
  const parsed = FeedItem.safeParse(raw);
  if (!parsed.success) return skip(`invalid ${kind} item: ${firstIssue(parsed.error)}`);
  return { ok: true, item: parsed.data };
}

/**
 * A feed page as a till reads it: the page itself must be well formed (or the pull fails and is retried), each item
 * is read on its own with `readFeedItem`.
 */
export const TolerantFeedPage = z.object({
  items: z.array(z.unknown()),
  nextAfter: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type TolerantFeedPage = z.infer<typeof TolerantFeedPage>;

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(item)'}: ${issue.message}` : 'unknown';
}
