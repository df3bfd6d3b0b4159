import {
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodParams,
  type MethodResult,
  methods,
} from '../contract/methods.js';
import { type RendererBridge, RpcCallError, RpcError, type RpcEventMessage } from '../contract/wire.js';

/**
 * Typed calls and events over whichever bridge carries the contract. Results are validated on arrival; a refusal
 * always arrives as this bundle's RpcCallError, with its code and any `approval`, whatever the bridge threw.
 */
export class RpcClient {
  constructor(private readonly bridge: RendererBridge) {}

  async call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    let raw: unknown;
    try {
      raw = await this.bridge.call(method, params);
    } catch (thrown) {
      throw asRpcCallError(thrown);
    }
    return methods[method].result.parse(raw) as MethodResult<M>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.bridge.on((message: RpcEventMessage) => {
      if (message.event === event) listener(message.payload as EventPayload<E>);
    });
  }
}

/**
 * A refusal as this bundle's RpcCallError. Electron's preload is a bundle of its own (another RpcCallError class),
 * and its context bridge copies only an Error's message across: it rejects with the plain refusal instead, which is
 * copied whole. Anything that is no refusal passes through as it came.
 */
export function asRpcCallError(thrown: unknown): unknown {
  if (thrown instanceof RpcCallError) return thrown;
  const refusal = RpcError.safeParse(
    thrown instanceof Error ? (thrown as { error?: unknown }).error : thrown,
  );
  return refusal.success ? new RpcCallError(refusal.data) : thrown;
}

export { RpcCallError };
