import { PermissionRequest } from '@tillwright/protocol';
import { z } from 'zod';
import type { EventName, EventPayload, MethodName } from './methods.js';

/**
 * What an `approval_required` refusal asks for: the missing permission (with the percent or amount asked), in words
 * for the prompt ("a no-sale"), and who asked. The same call again with `approval` (another employee's number and
 * PIN) is the answer.
 */
export const ApprovalNeeded = z.strictObject({
  request: PermissionRequest,
  what: z.string(),
  requestedBy: z.string(),
});
export type ApprovalNeeded = z.infer<typeof ApprovalNeeded>;

/** The one error shape that crosses the renderer boundary. */
export const RpcError = z.strictObject({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  /** Only with code `approval_required`. */
  approval: ApprovalNeeded.optional(),
});
export type RpcError = z.infer<typeof RpcError>;

export const RpcRequest = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  params: z.unknown(),
});
export type RpcRequest = z.infer<typeof RpcRequest>;

export type RpcResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: RpcError };

export interface RpcEventMessage<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}

export type HostToRenderer = ({ kind: 'response' } & RpcResponse) | ({ kind: 'event' } & RpcEventMessage);

/** What the Electron preload exposes as `window.tillwright`, and what the WebSocket client implements too. */
export interface RendererBridge {
  call(method: MethodName, params: unknown): Promise<unknown>;
  on(listener: (message: RpcEventMessage) => void): () => void;
}

export class RpcCallError extends Error {
  override readonly name = 'RpcCallError';
  constructor(readonly error: RpcError) {
    super(error.message);
  }
  get code(): string {
    return this.error.code;
  }
}
