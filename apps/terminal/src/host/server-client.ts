import {
  CatalogPullResponse,
  EnrolResponse,
  ErrorEnvelope,
  type JournalEvent,
  PushBatchResponse,
} from '@tillwright/protocol';
import type { z } from 'zod';

export type ServerFailureKind = 'transient' | 'permanent' | 'conflict';

/** A failed exchange with the sync server, classed so each class has one handling. */
export class ServerFailure extends Error {
  override readonly name = 'ServerFailure';
  constructor(
    readonly kind: ServerFailureKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** The terminal's HTTP client for the sync server; every answer is validated before it is used. */
export class ServerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 15_000,
  ) {}

  enrol(code: string, terminalName: string): Promise<EnrolResponse> {
    return this.request('POST', '/v1/enrol', null, { code, terminalName }, EnrolResponse);
  }

  pushBatch(token: string, epoch: number, events: JournalEvent[]) {
    return this.request('POST', '/v1/journal/batches', token, { epoch, events }, PushBatchResponse);
  }

  pullCatalog(token: string, after: number) {
    return this.request('GET', `/v1/catalog?after=${after}`, token, undefined, CatalogPullResponse);
  }

  private async request<T extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    token: string | null,
    body: unknown,
    schema: T,
  ): Promise<z.infer<T>> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
      throw new ServerFailure('transient', 'unreachable', `the sync server cannot be reached (${reason})`);
    }
    const text = await response.text().catch(() => '');
    const json = safeJson(text);
    if (response.ok) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      throw new ServerFailure(
        'transient',
        'bad_answer',
        `the sync server answered ${path} with an unexpected body`,
      );
    }
    const envelope = ErrorEnvelope.safeParse(json);
    const error = envelope.success
      ? envelope.data.error
      : { code: `http_${response.status}`, message: text.slice(0, 200), retryable: response.status >= 500 };
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ServerFailure(
      classify(response.status, error.retryable),
      error.code,
      error.message,
      error.details ?? {},
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
    );
  }
}

function classify(status: number, retryable: boolean): ServerFailureKind {
  if (status === 409) return 'conflict';
  if (status === 429 || status >= 500 || retryable) return 'transient';
  return 'permanent';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
