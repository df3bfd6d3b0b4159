/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `undefined` members dropped.
 * Hashes are computed over this form so the terminal and the server agree byte for byte.
 * Non-finite numbers and non-plain values are refused rather than silently changed.
 */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
}

export function canonicalJson(value: unknown): string {
  try {
    return write(value);
  } catch (error) {
    if (error instanceof PathedError)
      throw new CanonicalJsonError(`${error.problem} at $${error.path.reverse().join('')}`);
    throw error;
  }
}

/** Carries where a bad value sits; the path is only built while unwinding from a failure, never on success. */
class PathedError extends Error {
  readonly path: string[] = [];
  constructor(readonly problem: string) {
    super(problem);
  }
}

function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new PathedError('non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += within(`[${i}]`, () => write(value[i]));
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new PathedError('non-plain object');
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (i > 0) out += ',';
        out += `${JSON.stringify(key)}:${within(`.${key}`, () => write(record[key]))}`;
      }
      return `${out}}`;
    }
    default:
      throw new PathedError(`unsupported ${typeof value}`);
  }
}

function within(segment: string, run: () => string): string {
  try {
    return run();
  } catch (error) {
    if (error instanceof PathedError) error.path.push(segment);
    throw error;
  }
}
