import { formatMinorUnits } from '@tillwright/commerce';

/** A time on the till's screen: the time of day today, the date and time on an earlier day. */
export function whenInWords(iso: string, withSeconds = true): string {
  const at = new Date(iso);
  const today = new Date().toDateString() === at.toDateString();
  const time = at.toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });
  return today ? time : `${at.toLocaleDateString()} ${time}`;
}

/** How long ago, for a cashier: seconds under a minute, then minutes, then hours. */
export function ageInWords(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** "a no-sale" → "A no-sale": the host's words for what is asked, at the start of a sentence. */
export const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What became of a slip or report sent to the printer, to follow "Slip …" or "Z report …". */
export function printedInWords(outcome: string): string {
  switch (outcome) {
    case 'confirmed':
      return 'printed';
    case 'sent-unconfirmed':
      return 'sent to the printer (it did not confirm: check it came out)';
    case 'partial':
      return 'only partly printed: check the printer and paper, then print again';
    case 'not-sent':
      return 'not printed: the printer cannot be reached (check it is on and connected)';
    default:
      return 'not printed: no printer on this till';
  }
}

export function money(amount: number, currency: string): string {
  return `${currency} ${formatMinorUnits(amount, currency)}`;
}

/** Counted less expected, as a person says it: "short 12.50", "over 1.00", "exact". */
export function overShortInWords(amount: number, currency: string): string {
  if (amount === 0) return 'exact';
  return `${amount < 0 ? 'short' : 'over'} ${formatMinorUnits(Math.abs(amount), currency)}`;
}
