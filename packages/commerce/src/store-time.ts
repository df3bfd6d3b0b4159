/**
 * Store-local time: what a store's wall clock reads at an instant, its business day, and back again, in an IANA
 * time zone, on Node's built-in Intl (full ICU), with no library. The rules, written out in
 * docs/decisions/0011-store-time.md:
 * - an instant is epoch milliseconds, a `Date` or an ISO 8601 string with a zone designator (`Z` or an offset);
 * - a business day `YYYY-MM-DD` runs from `dayStartHour`:00 local on that date until `dayStartHour`:00 local on
 *   the next date, half-open [start, end); so it lasts 23 h or 25 h across a DST change;
 * - a wall-clock time that does not exist (the spring-forward gap) is shifted forward by the length of the gap
 *   (02:30 in Berlin on 29 Mar 2026 is 03:30 CEST); one that exists twice (the fall-back overlap) is the earlier
 *   instant (02:30 in Berlin on 25 Oct 2026 is 02:30 CEST). This is Temporal's `disambiguation: 'compatible'`,
 *   as in RFC 5545.
 */

/** An instant: epoch milliseconds, a Date, or an ISO 8601 date-time with `Z` or an offset. */
export type Instant = number | string | Date;

/** What the store's wall clock reads: month 1–12, hour 0–23, weekday 0 = Sunday … 6 = Saturday. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
  /** The zone's offset from UTC at that instant, in minutes (Berlin in summer: 120; New York in winter: −300). */
  offsetMinutes: number;
}

/** A wall-clock reading to turn into an instant; missing time fields are zero. */
export interface LocalDateTimeInput {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

export interface BusinessDayOptions {
  /** The local hour (0–23) at which a business day starts, for stores open past midnight; default 0. */
  dayStartHour?: number;
}

/** A business day's instants, half-open: `start` belongs to the day, `end` is the next day's start. */
export interface BusinessDayBounds {
  day: string;
  start: number;
  end: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    try {
      cached = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(
        `unknown time zone ${JSON.stringify(timeZone)}: give an IANA name such as Europe/Berlin`,
      );
    }
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** Whether `timeZone` is an IANA zone name this runtime knows (`UTC`, `Europe/Berlin`, `Asia/Kathmandu`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Epoch milliseconds of an instant. An ISO string must name its zone: a bare local time is refused. */
export function toEpochMs(at: Instant): number {
  if (typeof at === 'number') {
    if (!Number.isFinite(at)) throw new RangeError(`not an instant: ${at}`);
    return at;
  }
  if (at instanceof Date) return toEpochMs(at.getTime());
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(at) || Number.isNaN(Date.parse(at))) {
    throw new RangeError(`not an instant with a zone: ${JSON.stringify(at)}`);
  }
  return Date.parse(at);
}

/** The wall-clock reading as if it were UTC, in epoch milliseconds: the arithmetic form of a local time. */
function wallMs(epochMs: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(epochMs)) parts[part.type] = part.value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const millisecond = ((epochMs % 1000) + 1000) % 1000;
  const date = new Date(0);
  date.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  date.setUTCHours(Number(parts.hour) % 24, Number(parts.minute), Number(parts.second), millisecond);
  return date.getTime();
}

function wallOf(local: LocalDateTimeInput): number {
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour ?? 0, local.minute ?? 0, local.second ?? 0, local.millisecond ?? 0);
  return date.getTime();
}

/** The zone's offset from UTC at an instant, in minutes. */
export function offsetMinutesAt(at: Instant, timeZone: string): number {
  const ms = toEpochMs(at);
  return (wallMs(ms, timeZone) - ms) / 60_000;
}

/** What the store's clock reads at an instant. */
export function localDateTime(at: Instant, timeZone: string): LocalDateTime {
  const ms = toEpochMs(at);
  const wall = new Date(wallMs(ms, timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    millisecond: wall.getUTCMilliseconds(),
    weekday: wall.getUTCDay(),
    offsetMinutes: (wall.getTime() - ms) / 60_000,
  };
}

/**
 * The instant at which the store's clock reads `local`. A reading in a spring-forward gap is shifted forward by
 * the gap (Berlin 29 Mar 2026 02:30 → 03:30 CEST); a reading in a fall-back overlap is the earlier instant (Berlin
 * 25 Oct 2026 02:30 → 02:30 CEST, 00:30Z). Assumes at most one offset change within a day either side, true of
 * every zone in the database since 1900.
 */
export function localToInstant(local: LocalDateTimeInput, timeZone: string): number {
  const wall = wallOf(local);
  const before = wallMs(wall - DAY_MS, timeZone) - (wall - DAY_MS);
  const after = wallMs(wall + DAY_MS, timeZone) - (wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter((ms) => wallMs(ms, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: read the wall time with the offset in force before the change, which lands as far past the gap's
  // end as the reading is past its start.
  return wall - before;
}

/** ISO 8601 with the store's offset, e.g. `2026-03-29T03:30:00+02:00`: what a receipt prints as local time. */
export function formatLocalIso(at: Instant, timeZone: string): string {
  const local = localDateTime(at, timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const sign = local.offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(local.offsetMinutes);
  return (
    `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:` +
    `${pad(local.second)}${sign}${pad(Math.floor(offset / 60))}:${pad(Math.round(offset % 60))}`
  );
}

function dayStartHourOf(options: BusinessDayOptions | undefined): number {
  const hour = options?.dayStartHour ?? 0;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new RangeError(`a business day starts at a whole hour 0–23, not ${hour}`);
  }
  return hour;
}

function parseDay(day: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const parsed = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : null;
  if (
    !parsed ||
    parsed.month < 1 ||
    parsed.month > 12 ||
    new Date(wallOf(parsed)).getUTCDate() !== parsed.day
  ) {
    throw new RangeError(`not a business day YYYY-MM-DD: ${JSON.stringify(day)}`);
  }
  return parsed;
}

function dayOfWall(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}

/** The calendar day `days` after (or before, when negative) a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  return dayOfWall(wallOf(parseDay(day)) + days * DAY_MS);
}

/** The instants a business day runs between: [start, end), `end` being the next business day's start. */
export function businessDayBounds(
  day: string,
  timeZone: string,
  options?: BusinessDayOptions,
): BusinessDayBounds {
  const hour = dayStartHourOf(options);
  const date = parseDay(day);
  const next = parseDay(addDays(day, 1));
  return {
    day,
    start: localToInstant({ ...date, hour }, timeZone),
    end: localToInstant({ ...next, hour }, timeZone),
  };
}

/**
 * The business day an instant belongs to: the one whose [start, end) holds it. With a day start of 04:00, a sale
 * at 01:30 local on the 5th belongs to the 4th.
 */
export function businessDay(at: Instant, timeZone: string, options?: BusinessDayOptions): string {
  const ms = toEpochMs(at);
  const hour = dayStartHourOf(options);
  // The wall clock less the start hour names the day, except where a DST change moves the clock across the day
  // start: the bounds, which define the day, settle it.
  const guess = dayOfWall(wallMs(ms, timeZone) - hour * HOUR_MS);
  const bounds = businessDayBounds(guess, timeZone, options);
  if (ms < bounds.start) return addDays(guess, -1);
  if (ms >= bounds.end) return addDays(guess, 1);
  return guess;
}
