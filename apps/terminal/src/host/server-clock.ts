import type { SyncStatusView } from '../contract/methods.js';

/**
 * The sync server's clock as this till sees it: the till's own clock plus an offset measured from the server's answers.
 * The server refuses a signed request whose timestamp is more than 5 minutes off its clock (a back-office PC without
 * NTP, a till that drifted over days offline), so requests are signed with this corrected time; the till's own clock
 * stays what sales are timed by, and a large offset is shown to the manager.
 */
export class ServerClock {
  private offset: number | null;

  constructor(
    initialOffsetMs: number | null = null,
    private readonly localNow: () => number = Date.now,
  ) {
    this.offset = initialOffsetMs;
  }

  /** The server's time now, as best known (the till's time until an answer was measured). */
  now(): number {
    return this.localNow() + (this.offset ?? 0);
  }

  /** The till's own time now. */
  local(): number {
    return this.localNow();
  }

  /** Server clock minus till clock, in ms; null until an answer was measured. */
  get offsetMs(): number | null {
    return this.offset;
  }

  /**
   * An answer's `Date` header (whole seconds, so the server's time was in [date, date + 1 s) when it answered),
   * measured against the middle of the request's flight. Moves the offset only when it is off by more than the header
   * can tell, so it does not wander with the rounding.
   */
  observeDateHeader(header: string | null, sentAt: number, receivedAt: number): void {
    const date = header === null ? Number.NaN : Date.parse(header);
    if (!Number.isFinite(date)) return;
    this.observe(date + 500, sentAt, receivedAt, 1_500 + (receivedAt - sentAt) / 2);
  }

  /** The exact server time an answer carried (a clock_skew refusal says it to the millisecond). */
  observeServerTime(iso: unknown, sentAt: number, receivedAt: number): void {
    const time = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
    if (!Number.isFinite(time)) return;
    this.observe(time, sentAt, receivedAt, 250 + (receivedAt - sentAt) / 2);
  }

  private observe(serverTime: number, sentAt: number, receivedAt: number, tolerance: number): void {
    const sample = serverTime - (sentAt + receivedAt) / 2;
    if (this.offset === null || Math.abs(sample - this.offset) > tolerance) this.offset = Math.round(sample);
  }
}

/** A till clock further than this from the server's is shown to the manager (requests are signed right anyway). */
export const CLOCK_ALERT_MS = 60_000;

/** The clock as the manager should see it: the offset, and words when it is large. */
export function clockView(offsetMs: number | null): SyncStatusView['clock'] {
  if (offsetMs === null) return { offsetMs: null, alert: null };
  if (Math.abs(offsetMs) <= CLOCK_ALERT_MS) return { offsetMs, alert: null };
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const way = offsetMs < 0 ? 'ahead of' : 'behind';
  return {
    offsetMs,
    alert: `This till's clock is ${minutes} min ${way} HQ's. Sync corrects for it, but receipts and reports show the till's time: set the till's clock (or turn on network time).`,
  };
}
