import type { LatestJournalEvent } from '@tillwright/protocol';
import type { BusinessException, OverShortData } from './types.js';

/**
 * The `over_short` exception of a shift close (decision 0015): when the cash counted differs from the cash expected
 * by more than `threshold` (the store's `overShortAlert`, minor units) either way; with 0, any difference. At or
 * under it, none. Only cash: the other tenders' figures come from the payment side, not from a count of a drawer.
 */
export function overShortException(event: LatestJournalEvent, threshold: number): BusinessException | null {
  if (event.type !== 'shift-close') return null;
  const overShort = event.payload.overShort
    .filter((entry) => entry.kind === 'cash')
    .reduce((sum, entry) => sum + entry.amount, 0);
  if (Math.abs(overShort) <= threshold) return null;
  const data: OverShortData = {
    shiftId: event.payload.shiftId,
    terminalId: event.terminalId,
    employeeId: event.payload.employeeId,
    overShort,
    threshold,
  };
  const how = overShort < 0 ? `short by ${-overShort}` : `over by ${overShort}`;
  return {
    kind: 'over_short',
    detail:
      `shift ${data.shiftId} on till ${data.terminalId}, closed by ${data.employeeId}: cash ${how} ` +
      `(minor units), beyond the store's alert threshold of ${threshold}`,
    data: { ...data },
  };
}
