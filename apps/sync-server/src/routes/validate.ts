import type { z } from 'zod';
import { ApiError } from '../errors.js';

/** Parses a value at the edge; a refusal names every field that is wrong. */
export function parseOrRefuse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError(400, 'invalid_request', `the ${what} is not valid`, false, {
      issues: result.error.issues
        .slice(0, 20)
        .map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return result.data;
}
