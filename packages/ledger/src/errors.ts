export type LedgerErrorCode =
  | 'conflict'
  | 'not_enrolled'
  | 'write_failed'
  | 'newer_schema'
  | 'corrupt'
  | 'unsafe_durability'
  | 'unknown_ack'
  | 'invalid_event'
  | 'card_data_refused'
  | 'employee_missing'
  | 'unsynced_events';

/** Every ledger failure: `code` for programs, `message` for people, `retryable` says whether trying again can help. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
