import { businessDay } from '@tillwright/commerce';
import type { BusinessDayTotals, LedgerReader } from '@tillwright/ledger';
import type { PricingConfig } from './pricing-config.js';

/**
 * A business day's totals on this till, cut in the store's time zone (decision 0011): `day` (`YYYY-MM-DD`), or the
 * business day the store's clock is in at `now` ("today's sales"; before the day-start hour that is yesterday).
 */
export function businessDayReport(
  ledger: LedgerReader,
  store: Pick<PricingConfig, 'timeZone' | 'dayStartHour'>,
  now: Date,
  day?: string,
): BusinessDayTotals {
  const options = { dayStartHour: store.dayStartHour };
  return ledger.projections.businessDayTotals(
    day ?? businessDay(now, store.timeZone, options),
    store.timeZone,
    options,
  );
}
