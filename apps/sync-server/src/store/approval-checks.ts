import type { EventEnvelope, LatestJournalEvent } from '@tillwright/protocol';
import type { BusinessException } from './types.js';

/**
 * Who a manager approval says asked and who approved (the approval as read, any version; `employeeId` null on one
 * from v1, which recorded nobody asking).
 */
export interface ApprovalRecord {
  approverId: string;
  employeeId: string | null;
}

/**
 * The approval ids an event of a push links, read off its payload as sent, before it is validated: what ingest looks
 * up once per batch. Tolerant of anything: an event that turns out invalid is quarantined and never checked.
 */
export function approvalIdsLinked(envelope: EventEnvelope): string[] {
  if (envelope.type === 'manager-approval') return [];
  const payload = (envelope.payload ?? {}) as {
    approvalId?: unknown;
    approvals?: unknown;
    authorization?: { approvalId?: unknown } | null;
  };
  const candidates = [
    payload.approvalId,
    payload.authorization?.approvalId,
    ...(Array.isArray(payload.approvals)
      ? payload.approvals.map((approval) => (approval as { approvalId?: unknown } | null)?.approvalId)
      : []),
  ];
  return candidates.filter((id): id is string => typeof id === 'string');
}

/** Each link of an event to a manager approval, with who did what it allowed, and what to call it in a detail. */
function linksOf(
  event: LatestJournalEvent,
): { approvalId: string; employeeId: string | null; what: string }[] {
  const what = `the ${event.type}`;
  switch (event.type) {
    case 'sale':
    case 'training-sale':
      return event.payload.approvals.flatMap((approval) =>
        approval.approvalId === null
          ? []
          : [
              {
                approvalId: approval.approvalId,
                employeeId: event.payload.employeeId,
                what: `the sale's ${approval.kind}${approval.lineId === null ? '' : ` of line ${approval.lineId}`}`,
              },
            ],
      );
    case 'return': {
      const { authorization, employeeId } = event.payload;
      return authorization.kind === 'manager-override' && authorization.approvalId !== null
        ? [{ approvalId: authorization.approvalId, employeeId, what: "the return's manager override" }]
        : [];
    }
    case 'void':
    case 'no-sale':
    case 'cash-drop':
    case 'paid-in':
    case 'paid-out':
    case 'price-override':
    case 'employee-unlocked':
    case 'shift-open':
    case 'shift-close':
    case 'training-mode':
      return event.payload.approvalId === null
        ? []
        : [{ approvalId: event.payload.approvalId, employeeId: event.payload.employeeId, what }];
    default:
      return [];
  }
}

/**
 * The approval checks of an event already stored (docs/protocol.md, "Who did it"): each approval it links must be a
 * manager-approval event this till stored before it (in an earlier push, or earlier in the same one), given by
 * someone other than the employee who did the action; a sale's approval must not name the sale's own employee as
 * approver; an unlock must be by the approval's approver. Each failure is a business exception: the event is a fact
 * of the till's journal, kept, and HQ looks at it. `approval` finds an approval this till stored before the event.
 */
export function approvalExceptions(
  event: LatestJournalEvent,
  approval: (approvalId: string) => ApprovalRecord | null,
): BusinessException[] {
  const found: BusinessException[] = [];
  if (event.type === 'sale' && event.payload.employeeId !== null) {
    for (const item of event.payload.approvals) {
      if (item.approvedBy !== event.payload.employeeId) continue;
      found.push({
        kind: 'self_approval',
        detail:
          `the sale's ${item.kind}${item.lineId === null ? '' : ` of line ${item.lineId}`} names as approver ` +
          `${item.approvedBy}, the employee who rang the sale up`,
      });
    }
  }
  for (const link of linksOf(event)) {
    const given = approval(link.approvalId);
    if (given === null) {
      found.push({
        kind: 'unknown_approval',
        detail: `${link.what} links approval ${link.approvalId}, which is no manager approval this till sent before it`,
      });
    } else if (link.employeeId !== null && given.approverId === link.employeeId) {
      found.push({
        kind: 'self_approval',
        detail: `${link.what} by ${link.employeeId} links approval ${link.approvalId}, which ${link.employeeId} gave`,
      });
    }
    if (
      event.type === 'employee-unlocked' &&
      given !== null &&
      given.approverId !== event.payload.unlockedBy
    ) {
      found.push({
        kind: 'unlocked_not_by_approver',
        detail:
          `${event.payload.employeeId} was unlocked by ${event.payload.unlockedBy}, but approval ` +
          `${link.approvalId} was given by ${given.approverId}`,
      });
    }
  }
  return found;
}
