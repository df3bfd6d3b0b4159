import { describe, expect, it } from 'vitest';
import { type RendererBridge, RpcCallError } from '../contract/wire.js';
import { RpcClient } from './rpc-client.js';

const refusal = {
  code: 'approval_required',
  message: 'A no-sale needs approval',
  retryable: false,
  approval: { request: { permission: 'noSale' as const }, what: 'a no-sale', requestedBy: 'Alex Cashier' },
};
/** A bridge that rejects every call with `thrown`. */
const rejecting = (thrown: unknown): RendererBridge => ({
  call: async () => {
    throw thrown;
  },
  on: () => () => {},
});
const refusedWith = (thrown: unknown) =>
  new RpcClient(rejecting(thrown))
    .call('drawer.noSale', { reason: 'Float check' })
    .catch((error: unknown) => error);

describe('the renderer’s RPC client', () => {
  it('hands every refusal on as its own RpcCallError, approval included, whatever the bridge rejected with', async () => {
    // The browser bridge's own class; Electron's preload: the plain refusal (its context bridge copies no class);
    // an RpcCallError of another bundle (the preload's, were it ever passed through as it is).
    const foreign = Object.assign(new Error(refusal.message), { error: refusal });
    for (const thrown of [new RpcCallError(refusal), { ...refusal }, foreign]) {
      const error = await refusedWith(thrown);
      expect(error).toBeInstanceOf(RpcCallError);
      expect((error as RpcCallError).error).toEqual(refusal);
    }
  });

  it('passes anything that is no refusal through as it came', async () => {
    const broken = new TypeError('socket gone');
    expect(await refusedWith(broken)).toBe(broken);
    expect(await refusedWith('odd')).toBe('odd');
  });
});
