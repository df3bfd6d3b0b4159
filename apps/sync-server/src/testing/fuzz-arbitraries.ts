import fc from 'fast-check';
import { BODY_ROUTES, type Json, type Kind } from './fuzz-harness.js';

// Arbitraries

export const jsonValue = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;

export function isKind(value: Json, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

export const withoutKey = (value: Record<string, Json>, key: string) =>
  Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));

/** An object the strict schema with these fields must refuse: a required field gone, an unknown one, a wrong type. */
export function invalidObject(
  base: () => Record<string, Json>,
  fields: Record<string, { kind: Kind; optional?: boolean }>,
): fc.Arbitrary<{ what: string; value: Json }> {
  const keys = Object.keys(fields);
  const required = keys.filter((key) => !fields[key]!.optional);
  return fc.oneof(
    fc.constantFrom(...required).map((key) => ({ what: `without ${key}`, value: withoutKey(base(), key) })),
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 16 }).filter((key) => !keys.includes(key)),
        jsonValue,
      )
      .map(([key, extra]) => ({ what: `extra ${key}`, value: { ...base(), [key]: extra } })),
    fc.constantFrom(...keys).chain((key) =>
      jsonValue
        .filter((value) => !isKind(value, fields[key]!.kind))
        .map((value) => ({
          what: `${key} = ${JSON.stringify(value)}`,
          value: { ...base(), [key]: value },
        })),
    ),
    jsonValue.filter((value) => !isKind(value, 'object')).map((value) => ({ what: 'not an object', value })),
  );
}

/** Every path to a node inside a JSON value. */
export function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value))
    return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...pathsOf(item, [...prefix, key]),
    ]);
  }
  return [];
}

/** A copy of `root` with the node at `path` deleted, replaced, or given an extra member. */
export function mutateAt(
  root: Json,
  path: (string | number)[],
  op: 'delete' | 'replace' | 'extra',
  value: Json,
  key: string,
): Json {
  const copy = structuredClone(root);
  let parent = copy as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (op === 'replace') {
    parent[last] = value;
  } else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target) && !(key in target)) {
      target[key] = value;
    } else {
      parent[last] = { [key]: value };
    }
  }
  return copy;
}

/** A batch changed anywhere (every field is covered by its event's hash, or by the schema): never acceptable. */
export const mutatedBatch = fc
  .record({
    pick: fc.nat(),
    op: fc.constantFrom('delete', 'replace', 'extra') as fc.Arbitrary<'delete' | 'replace' | 'extra'>,
    value: jsonValue,
    key: fc.string({ minLength: 1, maxLength: 12 }),
  })
  .map(({ pick, op, value, key }) => {
    const base = BODY_ROUTES[1]!.base();
    const paths = pathsOf(base);
    const path = paths[pick % paths.length]!;
    // Dropping the second of two events leaves a valid batch of one: replace it instead.
    const change = op === 'delete' && path.length === 2 && path[0] === 'events' ? 'replace' : op;
    const text = JSON.stringify(mutateAt(base, path, change, value, key));
    return { what: `${change} ${path.join('.')}`, text, same: text === JSON.stringify(base) };
  })
  .filter(({ same }) => !same);

/** A value that is valid JSON but not a plain value the server can work with, described (it is rendered later). */
export const hostileValue = fc.oneof(
  fc.record({ kind: fc.constant('overflowing number' as const), n: fc.integer({ min: 309, max: 5000 }) }),
  fc.record({ kind: fc.constant('negative overflow' as const), n: fc.integer({ min: 309, max: 5000 }) }),
  fc.record({ kind: fc.constant('nested arrays' as const), n: fc.integer({ min: 65, max: 60_000 }) }),
  fc.record({ kind: fc.constant('nested objects' as const), n: fc.integer({ min: 65, max: 30_000 }) }),
);

export function renderHostile({ kind, n }: { kind: string; n: number }): string {
  switch (kind) {
    case 'overflowing number':
      return `1e${n}`;
    case 'negative overflow':
      return `-1e${n}`;
    case 'nested arrays':
      return `${'['.repeat(n)}${']'.repeat(n)}`;
    default:
      return `${'{"a":'.repeat(n)}0${'}'.repeat(n)}`;
  }
}

export const PLACEHOLDER = '\u0000hostile\u0000';

/** A printable string the query string cannot read as a non-negative integer. */
export const notACount = fc.oneof(
  fc.integer({ min: -1_000_000_000, max: -1 }).map(String),
  fc.integer().map((n) => `${n}.5`),
  fc.stringMatching(/^[a-z]{1,8}$/),
  fc.constantFrom('Infinity', '-Infinity', 'NaN', '1e400', '0x', '--1', '1,5', '%ZZ', '1%00'),
);

export const badQuery = fc.oneof(
  notACount.map((v) => `?after=${v}`),
  notACount.map((v) => `?limit=${v}`),
  fc.constantFrom(
    '?limit=0',
    '?limit=1001',
    '?limit=99999999',
    '?after=1&after=2',
    '?after[]=1',
    '?after[a]=1',
  ),
  fc
    .tuple(
      fc.stringMatching(/^[a-z_]{1,10}$/).filter((key) => key !== 'after' && key !== 'limit'),
      fc.stringMatching(/^[a-z0-9]{0,10}$/),
    )
    .map(([key, value]) => `?${key}=${value}`),
);

// ---------------------------------------------------------------------------------------------------------------
