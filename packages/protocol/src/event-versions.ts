import { z } from 'zod';
import {
  CashMovementPayloadV1,
  CashMovementPayloadV2,
  EmployeeLockedOutPayloadV1,
  EmployeeSignedInPayloadV1,
  EmployeeSignedOutPayloadV1,
  EmployeeUnlockedPayloadV1,
  ManagerApprovalPayloadV1,
  ManagerApprovalPayloadV2,
  ManagerApprovalPayloadV3,
  NoSalePayloadV1,
  NoSalePayloadV2,
  PriceOverridePayloadV1,
  PriceOverridePayloadV2,
  ReturnPayloadV1,
  ReturnPayloadV2,
  ShiftClosePayloadV1,
  ShiftClosePayloadV2,
  ShiftOpenPayloadV1,
  ShiftOpenPayloadV2,
  VoidPayloadV1,
  VoidPayloadV2,
} from './business-payloads.js';
import {
  type EventType,
  eventOf,
  type PayloadOf,
  ReturnPayloadV3,
  receiptNumber,
  SalePayloadV1,
  SalePayloadV2,
  SalePayloadV3,
  SalePayloadV4,
  SalePayloadV5,
  SalePayloadV6,
} from './events.js';
import {
  cashMovementCasts,
  MANAGER_APPROVAL_CASTS,
  NO_SALE_CASTS,
  PRICE_OVERRIDE_CASTS,
  RETURN_CASTS,
  SALE_CASTS,
  SHIFT_CLOSE_CASTS,
  SHIFT_OPEN_CASTS,
  VOID_CASTS,
} from './payload-casts.js';
import {
  NoSalePayloadV3,
  ShiftClosePayloadV3,
  ShiftOpenPayloadV3,
  TrainingModePayloadV1,
  VoidPayloadV3,
} from './shift-payloads.js';

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
  /** vN+1 → vN, for every version below `latest`: what a till writes for a server that takes nothing newer. */
  readonly downcast: { readonly [version: number]: (payload: never) => unknown };
  /**
   * A type newer than versions themselves (#13): not every server takes its v1, so a till writes it only to a
   * server that announced it (`versionToWrite` is null otherwise).
   */
  readonly announcedOnly?: true;
}

/** A type written at version 1 only, so far. */
const once = (payload: z.ZodType) =>
  ({ latest: 1, versions: { 1: payload }, upcast: {}, downcast: {} }) as const;
/** A type of the employee events (#15): version 1 only, written only to a server that announced it. */
const announced = (payload: z.ZodType) => ({ ...once(payload), announcedOnly: true }) as const;
/** A type at version 2: v1 and the version that records the employee, with the steps between them. */
const twice = <V1 extends z.ZodType, V2 extends z.ZodType>(
  v1: V1,
  v2: V2,
  casts: {
    up: { 1: (payload: z.infer<V1>) => z.infer<V2> };
    down: { 1: (payload: z.infer<V2>) => z.infer<V1> };
  },
) => ({ latest: 2, versions: { 1: v1, 2: v2 }, upcast: casts.up, downcast: casts.down }) as const;

/** A type at version 3: `twice`, and the version shifts brought (issue #16). */
const thrice = <V1 extends z.ZodType, V2 extends z.ZodType, V3 extends z.ZodType>(
  v1: V1,
  v2: V2,
  v3: V3,
  casts: {
    up: { 1: (payload: z.infer<V1>) => z.infer<V2>; 2: (payload: z.infer<V2>) => z.infer<V3> };
    down: { 1: (payload: z.infer<V2>) => z.infer<V1>; 2: (payload: z.infer<V3>) => z.infer<V2> };
  },
) => ({ latest: 3, versions: { 1: v1, 2: v2, 3: v3 }, upcast: casts.up, downcast: casts.down }) as const;

/** For each event type: every version's payload schema, the steps between them (payload-casts.ts), the latest. */
export const EVENT_VERSIONS = {
  sale: {
    latest: 6,
    versions: {
      1: SalePayloadV1,
      2: SalePayloadV2,
      3: SalePayloadV3,
      4: SalePayloadV4,
      5: SalePayloadV5,
      6: SalePayloadV6,
    },
    upcast: SALE_CASTS.up,
    downcast: SALE_CASTS.down,
  },
  return: thrice(ReturnPayloadV1, ReturnPayloadV2, ReturnPayloadV3, RETURN_CASTS),
  void: thrice(VoidPayloadV1, VoidPayloadV2, VoidPayloadV3, VOID_CASTS),
  'no-sale': thrice(NoSalePayloadV1, NoSalePayloadV2, NoSalePayloadV3, NO_SALE_CASTS),
  'shift-open': thrice(ShiftOpenPayloadV1, ShiftOpenPayloadV2, ShiftOpenPayloadV3, SHIFT_OPEN_CASTS),
  'shift-close': thrice(ShiftClosePayloadV1, ShiftClosePayloadV2, ShiftClosePayloadV3, SHIFT_CLOSE_CASTS),
  'cash-drop': twice(CashMovementPayloadV1, CashMovementPayloadV2, cashMovementCasts('cash-drop')),
  'paid-in': twice(CashMovementPayloadV1, CashMovementPayloadV2, cashMovementCasts('paid-in')),
  'paid-out': twice(CashMovementPayloadV1, CashMovementPayloadV2, cashMovementCasts('paid-out')),
  'price-override': twice(PriceOverridePayloadV1, PriceOverridePayloadV2, PRICE_OVERRIDE_CASTS),
  // Not `thrice`: a v1 approval upcasts to the read type (`ManagerApprovalPayload`, nobody asking), not to v2's.
  'manager-approval': {
    latest: 3,
    versions: { 1: ManagerApprovalPayloadV1, 2: ManagerApprovalPayloadV2, 3: ManagerApprovalPayloadV3 },
    upcast: MANAGER_APPROVAL_CASTS.up,
    downcast: MANAGER_APPROVAL_CASTS.down,
  },
  'employee-signed-in': announced(EmployeeSignedInPayloadV1),
  'employee-signed-out': announced(EmployeeSignedOutPayloadV1),
  'employee-locked-out': announced(EmployeeLockedOutPayloadV1),
  'employee-unlocked': announced(EmployeeUnlockedPayloadV1),
  // v2 (issue #17) is v1 and the receipt number, the same step as the sale's v4 to v5; v3 the sale's v5 to v6.
  'training-sale': {
    latest: 3,
    versions: { 1: SalePayloadV4, 2: SalePayloadV5, 3: SalePayloadV6 },
    upcast: { 1: SALE_CASTS.up[4], 2: SALE_CASTS.up[5] },
    downcast: { 1: SALE_CASTS.down[4], 2: SALE_CASTS.down[5] },
    announcedOnly: true,
  },
  'training-mode': announced(TrainingModePayloadV1),
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
 * every server since versions were introduced (#13) accepts, and every server before it too (but for the types
 * added since, `announcedOnly`, which a till writes only to a server that announced them).
 */
export const SAFE_EVENT_VERSION = 1;

/** The types a till writes only to a server that announced them: those added after versions (#13). */
export type AnnouncedOnlyEventType = {
  [T in EventType]: (typeof EVENT_VERSIONS)[T] extends { announcedOnly: true } ? T : never;
}[EventType];

/**
 * The version of `type` a till writes: the newest it knows that the server announced it accepts; version 1 while it
 * has never heard (`accepts` null) or the server lists no version of `type` it knows. For a type added after
 * versions (`AnnouncedOnlyEventType`: the employee events), null in those cases: such a server would not take it,
 * so the till does not write it. A server that announces only older versions gets those, without the employee:
 * build the payload with `payloadForVersion`.
 */
export function versionToWrite(
  type: Exclude<EventType, AnnouncedOnlyEventType>,
  accepts: EventVersionSet | null,
): number;
export function versionToWrite(type: EventType, accepts: EventVersionSet | null): number | null;
export function versionToWrite(type: EventType, accepts: EventVersionSet | null): number | null {
  const known = KNOWN_EVENT_VERSIONS[type] ?? [];
  const accepted = accepts?.[type] ?? [];
  const common = known.filter((version) => accepted.includes(version));
  if (common.length > 0) return Math.max(...common);
  const versions: TypeVersions = EVENT_VERSIONS[type];
  return versions.announcedOnly ? null : SAFE_EVENT_VERSION;
}

/**
 * The payload a till writes at `version`, built from the payload of the type's latest version: lowered one version
 * at a time (payload-casts.ts), dropping what each newer version added (the employee, approval links) and keeping
 * everything else. The result validates against `version`'s schema whenever the latest payload validates against
 * the latest. Throws a `DowncastError` where `version` needs what the payload lacks (a v1 void or cash movement
 * names its approver: keep `approvedBy` beside `approvalId` to be able to write v1), a RangeError for a version this
 * code does not know.
 */
export function payloadForVersion<T extends EventType>(
  type: T,
  version: number,
  latest: PayloadOf<T>,
): WrittenPayloadOf<T> {
  const versions: TypeVersions = EVENT_VERSIONS[type];
  knownVersion(type, version);
  let current: unknown = latest;
  for (let step = versions.latest - 1; step >= version; step -= 1) {
    current = (versions.downcast[step] as (payload: unknown) => unknown)(current);
  }
  return current as WrittenPayloadOf<T>;
}

function knownVersion(type: EventType, version: number): void {
  const { latest } = EVENT_VERSIONS[type];
  if (!Number.isInteger(version) || version < 1 || version > latest) {
    throw new RangeError(`${type} version ${version} is not known here (1 to ${latest})`);
  }
}

/** Each version of a type written at two so far, as the event that carries it. */
const twoVersions = <T extends string, P1 extends z.ZodType, P2 extends z.ZodType>(type: T, v1: P1, v2: P2) =>
  z.discriminatedUnion('schema', [eventOf(type, 1, v1), eventOf(type, 2, v2)]);
/** Each version of a type written at three so far, as the event that carries it. */
const threeVersions = <T extends string, P1 extends z.ZodType, P2 extends z.ZodType, P3 extends z.ZodType>(
  type: T,
  v1: P1,
  v2: P2,
  v3: P3,
) => z.discriminatedUnion('schema', [eventOf(type, 1, v1), eventOf(type, 2, v2), eventOf(type, 3, v3)]);

export const SaleEventV1 = eventOf('sale', 1, SalePayloadV1);
export type SaleEventV1 = z.infer<typeof SaleEventV1>;
export const SaleEventV2 = eventOf('sale', 2, SalePayloadV2);
export type SaleEventV2 = z.infer<typeof SaleEventV2>;
export const SaleEventV3 = eventOf('sale', 3, SalePayloadV3);
export type SaleEventV3 = z.infer<typeof SaleEventV3>;
export const SaleEventV4 = eventOf('sale', 4, SalePayloadV4);
export type SaleEventV4 = z.infer<typeof SaleEventV4>;
export const SaleEventV5 = eventOf('sale', 5, SalePayloadV5);
export type SaleEventV5 = z.infer<typeof SaleEventV5>;
export const SaleEventV6 = eventOf('sale', 6, SalePayloadV6);
export type SaleEventV6 = z.infer<typeof SaleEventV6>;
/** A sale as it was written, at any version. */
export const SaleEvent = z.discriminatedUnion('schema', [
  SaleEventV1,
  SaleEventV2,
  SaleEventV3,
  SaleEventV4,
  SaleEventV5,
  SaleEventV6,
]);
export type SaleEvent = z.infer<typeof SaleEvent>;

/** An event as written (any known version of any type): what is hashed, signed, stored and streamed. */
export const JournalEvent = z.discriminatedUnion('type', [
  SaleEvent,
  threeVersions('return', ReturnPayloadV1, ReturnPayloadV2, ReturnPayloadV3),
  threeVersions('void', VoidPayloadV1, VoidPayloadV2, VoidPayloadV3),
  threeVersions('no-sale', NoSalePayloadV1, NoSalePayloadV2, NoSalePayloadV3),
  threeVersions('shift-open', ShiftOpenPayloadV1, ShiftOpenPayloadV2, ShiftOpenPayloadV3),
  threeVersions('shift-close', ShiftClosePayloadV1, ShiftClosePayloadV2, ShiftClosePayloadV3),
  twoVersions('cash-drop', CashMovementPayloadV1, CashMovementPayloadV2),
  twoVersions('paid-in', CashMovementPayloadV1, CashMovementPayloadV2),
  twoVersions('paid-out', CashMovementPayloadV1, CashMovementPayloadV2),
  twoVersions('price-override', PriceOverridePayloadV1, PriceOverridePayloadV2),
  threeVersions(
    'manager-approval',
    ManagerApprovalPayloadV1,
    ManagerApprovalPayloadV2,
    ManagerApprovalPayloadV3,
  ),
  eventOf('employee-signed-in', 1, EmployeeSignedInPayloadV1),
  eventOf('employee-signed-out', 1, EmployeeSignedOutPayloadV1),
  eventOf('employee-locked-out', 1, EmployeeLockedOutPayloadV1),
  eventOf('employee-unlocked', 1, EmployeeUnlockedPayloadV1),
  threeVersions('training-sale', SalePayloadV4, SalePayloadV5, SalePayloadV6),
  eventOf('training-mode', 1, TrainingModePayloadV1),
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
 * Only the payload and `schema` change; the event as written stays what is hashed and stored. An event already at
 * its latest view comes back as it is.
 */
export function upcastJournalEvent(event: JournalEvent | LatestJournalEvent): LatestJournalEvent {
  const { payload, schema } = upcastPayload(event.type, event.schema, event.payload);
  if ((event.type === 'sale' || event.type === 'training-sale') && payload !== null) {
    const sale = payload as { receiptNumber: string | null };
    // Written before v5: the number its receipt printed, from its place in the journal.
    if (sale.receiptNumber === null) {
      const number = receiptNumber(event.terminalId, event.epoch, event.seq);
      return { ...event, schema, payload: { ...sale, receiptNumber: number } } as LatestJournalEvent;
    }
  }
  return { ...event, schema, payload } as LatestJournalEvent;
}

/** Lifts a payload of `type` at `version` to the type's latest version, one step at a time. */
export function upcastPayload<T extends EventType>(
  type: T,
  version: number,
  payload: unknown,
): { schema: LatestVersion<T>; payload: PayloadOf<T> } {
  const versions: TypeVersions = EVENT_VERSIONS[type];
  knownVersion(type, version);
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
