import { z } from 'zod';

/**
 * Characters a name must not hold: control characters (Cc), format characters (Cf: zero-width spaces and joiners, a
 * byte order mark, bidirectional overrides that show a name backwards, soft hyphens), surrogates on their own (Cs:
 * half a character, which no font shows) and line or paragraph separators (Zl, Zp).
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
/** Something a person sees: a letter, digit, punctuation mark or symbol (not only spaces or combining marks). */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * A name people read (an employee's, a role's): 1 to `max` characters, at least one of them visible, none of them
 * hidden or misleading, so two names that look alike on the till are alike.
 */
export const printableName = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((name) => !HIDDEN.test(name), {
      message: 'printable characters only: no control or format characters, line breaks or half characters',
    })
    .refine((name) => VISIBLE.test(name), { message: 'at least one visible character, not only spaces' });
