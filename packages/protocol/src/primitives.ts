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
