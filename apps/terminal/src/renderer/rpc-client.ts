import {
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodParams,
  type MethodResult,
  methods,
} from '../contract/methods.js';
import { type RendererBridge, RpcCallError, type RpcEventMessage } from '../contract/wire.js';

/** Typed calls and events over whichever bridge carries the contract. Results are validated on arrival. */
export class RpcClient {
  constructor(private readonly bridge: RendererBridge) {}

  async call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    const raw = await this.bridge.call(method, params);
    return methods[method].result.parse(raw) as MethodResult<M>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.bridge.on((message: RpcEventMessage) => {
      if (message.event === event) listener(message.payload as EventPayload<E>);
    });
  }
}

export { RpcCallError };
