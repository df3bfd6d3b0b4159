import { z } from 'zod';
import {
  CashMovementPayloadV1,
  ManagerApprovalPayloadV1,
  NoSalePayloadV1,
  PriceOverridePayloadV1,
  ReturnPayloadV1,
  ShiftClosePayloadV1,
  ShiftOpenPayloadV1,
  VoidPayloadV1,
} from './business-payloads.js';
import { type EventType, eventOf, type PayloadOf, SalePayloadV1, SalePayloadV2 } from './events.js';

/**
 * Versioned events (docs/protocol.md, "Versions"). Every event declares in `schema` the version of its type's
 * payload. What is hashed, signed, stored and sent is always the event as it was written; readers validate it
 * against the version it declares and then upcast it, in memory only, to the latest version of its type.
 */

interface TypeVersions {
  /** The newest version this code knows. */
  readonly latest: number;
  /** Every version ever written, each with its payload schema. */
  readonly versions: { readonly [version: number]: z.ZodType };
  /** vN → vN+1, for every version below `latest`. */
  readonly upcast: { readonly [version: number]: (payload: never) => unknown };
}

const once = (payload: z.ZodType) => ({ latest: 1, versions: { 1: payload }, upcast: {} }) as const;

/** For each event type: every version's payload schema, the upcasters between them, and the latest version. */
export const EVENT_VERSIONS = {
  sale: {
    latest: 2,
    versions: { 1: SalePayloadV1, 2: SalePayloadV2 },
    upcast: {
      // v1 tills had no time zone: they cut everything in UTC, so UTC is what the sale meant, not a guess.
      1: (payload: SalePayloadV1): SalePayloadV2 => ({ ...payload, timeZone: 'UTC' }),
    },
  },
  return: once(ReturnPayloadV1),
  void: once(VoidPayloadV1),
  'no-sale': once(NoSalePayloadV1),
  'shift-open': once(ShiftOpenPayloadV1),
  'shift-close': once(ShiftClosePayloadV1),
  'cash-drop': once(CashMovementPayloadV1),
  'paid-in': once(CashMovementPayloadV1),
  'paid-out': once(CashMovementPayloadV1),
  'price-override': once(PriceOverridePayloadV1),
  'manager-approval': once(ManagerApprovalPayloadV1),
} as const satisfies { readonly [T in EventType]: TypeVersions };

export type LatestVersion<T extends EventType> = (typeof EVENT_VERSIONS)[T]['latest'];

/** Which versions of each type a reader knows, or a server accepts: `{sale: [1, 2], return: [1], …}`. */
export const EventVersionSet = z.record(
  z.string().min(1).max(40),
  z.array(z.number().int().positive()).max(100),
);
export type EventVersionSet = z.infer<typeof EventVersionSet>;

const EVENT_TYPES = Object.keys(EVENT_VERSIONS) as EventType[];

/** Every version of every type this code reads (and a server running it accepts). */
export const KNOWN_EVENT_VERSIONS: EventVersionSet = Object.freeze(
  Object.fromEntries(
    EVENT_TYPES.map((type) => [type, Object.keys(EVENT_VERSIONS[type].versions).map(Number)]),
  ),
);

/**
 * What a till writes before it has ever heard which versions its server accepts: version 1 of every type, which
 * every server since versions were introduced (#13) accepts, and every server before it too.
 */
export const SAFE_EVENT_VERSION = 1;

/**
 * The version of `type` a till writes: the newest it knows that the server announced it accepts; version 1 while it
 * has never heard (`accepts` null) or the server lists no version of `type` it knows.
 */
export function versionToWrite(type: EventType, accepts: EventVersionSet | null): number {
  const known = KNOWN_EVENT_VERSIONS[type] ?? [];
  const accepted = accepts?.[type] ?? [];
  const common = known.filter((version) => accepted.includes(version));
  return common.length > 0 ? Math.max(...common) : SAFE_EVENT_VERSION;
}

export const SaleEventV1 = eventOf('sale', 1, SalePayloadV1);
export type SaleEventV1 = z.infer<typeof SaleEventV1>;
export const SaleEventV2 = eventOf('sale', 2, SalePayloadV2);
export type SaleEventV2 = z.infer<typeof SaleEventV2>;
/** A sale as it was written, at any version. */
export const SaleEvent = z.discriminatedUnion('schema', [SaleEventV1, SaleEventV2]);
export type SaleEvent = z.infer<typeof SaleEvent>;

/** An event as written (any known version of any type): what is hashed, signed, stored and streamed. */
export const JournalEvent = z.discriminatedUnion('type', [
  SaleEvent,
  eventOf('return', 1, ReturnPayloadV1),
  eventOf('void', 1, VoidPayloadV1),
  eventOf('no-sale', 1, NoSalePayloadV1),
  eventOf('shift-open', 1, ShiftOpenPayloadV1),
  eventOf('shift-close', 1, ShiftClosePayloadV1),
  eventOf('cash-drop', 1, CashMovementPayloadV1),
  eventOf('paid-in', 1, CashMovementPayloadV1),
  eventOf('paid-out', 1, CashMovementPayloadV1),
  eventOf('price-override', 1, PriceOverridePayloadV1),
  eventOf('manager-approval', 1, ManagerApprovalPayloadV1),
]);
export type JournalEvent = z.infer<typeof JournalEvent>;
/** An event without its hash: what the hash is computed over. Distributes over the union. */
export type UnsignedJournalEvent = JournalEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'hash'>
    : never
  : never;

type Envelope = Omit<z.infer<typeof SaleEventV1>, 'type' | 'schema' | 'payload'>;
/** An event read as the latest version of its type: an in-memory view, never hashed, stored or sent. */
export type LatestEvent<T extends EventType> = Envelope & {
  type: T;
  schema: LatestVersion<T>;
  payload: PayloadOf<T>;
};
export type LatestJournalEvent = { [T in EventType]: LatestEvent<T> }[EventType];
export type LatestSaleEvent = LatestEvent<'sale'>;

export type EventReadFailure = {
  ok: false;
  /** `event_type_unknown`, `event_version_unsupported` (newer than this reader), or `event_invalid`. */
  code: 'event_type_unknown' | 'event_version_unsupported' | 'event_invalid';
  issues: string[];
};
export type EventRead = { ok: true; written: JournalEvent; latest: LatestJournalEvent } | EventReadFailure;

const isEventType = (type: unknown): type is EventType =>
  typeof type === 'string' && Object.hasOwn(EVENT_VERSIONS, type);

/**
 * Reads an event from outside (a push, an HQ import): validates it against the version it declares and returns it as
 * written and as its type's latest version. Never throws on bad input.
 */
export function readJournalEvent(raw: unknown): EventRead {
  const { type, schema } = (raw ?? {}) as { type?: unknown; schema?: unknown };
  if (!isEventType(type)) {
    return { ok: false, code: 'event_type_unknown', issues: [`type: no event type ${JSON.stringify(type)}`] };
  }
  if (typeof schema === 'number' && Number.isInteger(schema) && schema > EVENT_VERSIONS[type].latest) {
    return {
      ok: false,
      code: 'event_version_unsupported',
      issues: [
        `schema: ${type} version ${schema} is newer than this reader (${EVENT_VERSIONS[type].latest})`,
      ],
    };
  }
  const parsed = JournalEvent.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'event_invalid',
      issues: parsed.error.issues.slice(0, 20).map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    };
  }
  return { ok: true, written: parsed.data, latest: upcastJournalEvent(parsed.data) };
}

/**
 * The latest-version view of an event already validated (one this code wrote, or stored after `readJournalEvent`).
 * Only the payload and `schema` change; the event as written stays what is hashed and stored.
 */
export function upcastJournalEvent(event: JournalEvent): LatestJournalEvent {
  const { payload, schema } = upcastPayload(event.type, event.schema, event.payload);
  return { ...event, schema, payload } as LatestJournalEvent;
}

/** Lifts a payload of `type` at `version` to the type's latest version, one step at a time. */
export function upcastPayload<T extends EventType>(
  type: T,
  version: number,
  payload: unknown,
): { schema: LatestVersion<T>; payload: PayloadOf<T> } {
  const versions: TypeVersions = EVENT_VERSIONS[type];
  if (!Number.isInteger(version) || version < 1 || version > versions.latest) {
    throw new RangeError(`${type} version ${version} is not known here (1 to ${versions.latest})`);
  }
  let current = payload;
  for (let step = version; step < versions.latest; step += 1) {
    current = (versions.upcast[step] as (payload: unknown) => unknown)(current);
  }
  return { schema: versions.latest as LatestVersion<T>, payload: current as PayloadOf<T> };
}

/** The payload schema of `type` at `version`, or null when this code does not know that version. */
export function payloadSchema(type: EventType, version: number): z.ZodType | null {
  const versions: TypeVersions = EVENT_VERSIONS[type];
  return Object.hasOwn(versions.versions, version) ? versions.versions[version]! : null;
}

/** A payload of `type` at any version this code knows: what a writer may hand the journal. */
export type WrittenPayloadOf<T extends EventType> = Extract<JournalEvent, { type: T }>['payload'];
