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
