import { findCardNumbers, maskCardNumbers, maskCardNumbersInJson } from '@tillwright/commerce';
import { type EventEnvelope, freeTextOf, type JournalEvent } from '@tillwright/protocol';

/**
 * One quarantine issue per free-text field of a valid event that holds a card number (the fields its type declares
 * in PAYLOAD_TEXT_FIELDS); none when there is none. An issue names the field and the last four digits only.
 */
export function cardNumberIssues(event: JournalEvent): string[] {
  return freeTextOf(event.type, event.payload).flatMap(({ path, text }) => {
    const found = findCardNumbers(text);
    if (found.length === 0) return [];
    const endings = found.map((finding) => finding.lastFour).join(', ');
    return [
      `${path}: looks like a card number ending ${endings}; card numbers are never kept, so the event is ` +
        'quarantined with it masked',
    ];
  });
}

/**
 * What quarantine keeps of an event, whatever put it there: every string and key of the payload, the type and the
 * time with card numbers masked, and the issues too (a schema's message can quote an unknown key). Masked, the body
 * no longer matches its hash; the row keeps the hash the till sent, which is what the chain and replays are checked
 * against, so the till is acknowledged and goes on (docs/security.md, "Card data").
 */
export function withoutCardNumbers<T extends { envelope: EventEnvelope; issues: string[] }>(row: T): T {
  const { envelope, issues } = row;
  return {
    ...row,
    envelope: {
      ...envelope,
      type: maskCardNumbers(envelope.type),
      occurredAt: maskCardNumbers(envelope.occurredAt),
      payload: maskCardNumbersInJson(envelope.payload),
    },
    issues: issues.map(maskCardNumbers),
  };
}
