import { z } from 'zod';
import { isUuidV7 } from './ids.js';

/** An amount in the currency's minor units (cents, öre, yen). Never a float. */
export const MinorUnits = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
export const NonNegativeMinorUnits = MinorUnits.min(0);
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');
export const UuidV7 = z.string().refine(isUuidV7, 'a lower-case UUIDv7');
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest in lower-case hex');
export const Identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : -');
export const IsoTimestamp = z.iso.datetime({ offset: false });
export const Barcode = z.string().regex(/^[0-9A-Za-z]{1,48}$/, 'a barcode of 1 to 48 letters and digits');

const SUPPORTED_TIME_ZONES: ReadonlySet<string> = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
/** An IANA area/location name spelt the way the database spells it: each part starts with a capital. */
const CANONICAL_SPELLING = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)+$/;

/**
 * True for an IANA time zone name this runtime's `Intl` knows, spelt case-sensitively as the database spells it:
 * every name of `Intl.supportedValuesOf('timeZone')`, `UTC`, and the database's other names for those zones
 * (`Asia/Kolkata`, `Etc/UTC`). `europe/berlin`, `utc` and offsets such as `+01:00` are refused, so one zone is not
 * stored under many spellings.
 */
export function isIanaTimeZone(name: string): boolean {
  if (SUPPORTED_TIME_ZONES.has(name)) return true;
  if (!CANONICAL_SPELLING.test(name)) return false;
  try {
    return SUPPORTED_TIME_ZONES.has(
      new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone,
    );
  } catch {
    return false;
  }
}

/** A store's time zone: an IANA name (`Europe/Berlin`), see `isIanaTimeZone`. */
export const IanaTimeZone = z
  .string()
  .max(64)
  .refine(isIanaTimeZone, 'an IANA time zone name such as Europe/Berlin');
