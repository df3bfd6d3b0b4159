/** An error the server answers with: HTTP status, stable code, words a person can act on, and whether to retry. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const unauthorized = (message = 'a valid terminal or HQ credential is required') =>
  new ApiError(401, 'unauthorized', message, false);
