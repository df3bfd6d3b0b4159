import { z } from 'zod';

/** A name people read (an employee's, a role's): 1 to `max` printable characters, no control characters. */
export const printableName = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^\P{Cc}+$/u, 'printable characters only, no control characters');
