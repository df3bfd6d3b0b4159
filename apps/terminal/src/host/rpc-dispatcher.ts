import {
  isMethodName,
  type MethodName,
  type MethodParams,
  type MethodResult,
  methods,
} from '../contract/methods.js';
import type { ApprovalNeeded, RpcError, RpcResponse } from '../contract/wire.js';

export type Handlers = {
  [M in MethodName]: (params: MethodParams<M>) => Promise<MethodResult<M>> | MethodResult<M>;
};

/**
 * An error a handler raises on purpose: a stable code and words the cashier or manager can act on; with code
 * `approval_required`, what approval would let the same call through (`approval`).
 */
export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly approval?: ApprovalNeeded,
  ) {
    super(message);
  }
}

function hasCode(error: unknown): error is Error & { code: string; retryable?: boolean } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * The single entry point for renderer calls: unknown methods and invalid params are refused before any handler
 * runs, so a bad message changes nothing.
 */
export function createDispatcher(handlers: Handlers, onUnexpected: (error: unknown, method: string) => void) {
  return async function dispatch(id: number, method: string, params: unknown): Promise<RpcResponse> {
    if (!isMethodName(method)) {
      return {
        id,
        ok: false,
        error: { code: 'unknown_method', message: `no method ${method}`, retryable: false },
      };
    }
    const parsed = methods[method].params.safeParse(params);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`)
        .join('; ');
      return {
        id,
        ok: false,
        error: { code: 'invalid_params', message: `${method}: ${detail}`, retryable: false },
      };
    }
    try {
      const handler = handlers[method] as (params: unknown) => Promise<unknown>;
      return { id, ok: true, result: await handler(parsed.data) };
    } catch (error) {
      return { id, ok: false, error: toRpcError(error, method, onUnexpected) };
    }
  };
}

function toRpcError(
  error: unknown,
  method: string,
  onUnexpected: (error: unknown, method: string) => void,
): RpcError {
  if (error instanceof HostError) {
    const { code, message, retryable, approval } = error;
    return approval ? { code, message, retryable, approval } : { code, message, retryable };
  }
  if (hasCode(error)) {
    return { code: error.code, message: error.message, retryable: error.retryable ?? false };
  }
  onUnexpected(error, method);
  return {
    code: 'internal',
    message: `${method} failed unexpectedly; the terminal log has the details`,
    retryable: true,
  };
}
