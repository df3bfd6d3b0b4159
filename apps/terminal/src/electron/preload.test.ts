import { beforeEach, describe, expect, it, vi } from 'vitest';
import { methods } from '../contract/methods.js';
import type { RendererBridge } from '../contract/wire.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.js';

// The Electron binary cannot run here, so its two preload APIs are replaced by recorders; what is tested is
// what the preload hands to the page and which channel each call takes.
const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(),
  on: vi.fn(),
  removeListener: vi.fn(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: { invoke: electron.invoke, on: electron.on, removeListener: electron.removeListener },
}));

await import('./preload.js');
const exposed = () => electron.exposed.get('tillwright') as RendererBridge;

beforeEach(() => {
  electron.invoke.mockReset();
  electron.on.mockReset();
  electron.removeListener.mockReset();
});

describe('Electron preload', () => {
  it('exposes one object, window.tillwright, with exactly call and on', () => {
    expect([...electron.exposed.keys()]).toEqual(['tillwright']);
    expect(Object.keys(exposed()).sort()).toEqual(['call', 'on']);
  });

  it('forwards every method of the renderer contract over the one call channel', async () => {
    electron.invoke.mockResolvedValue({ ok: true, result: 'answer' });
    for (const method of Object.keys(methods)) {
      await expect(exposed().call(method as keyof typeof methods, {})).resolves.toBe('answer');
      expect(electron.invoke).toHaveBeenLastCalledWith(CALL_CHANNEL, method, {});
    }
    expect(electron.invoke).toHaveBeenCalledTimes(Object.keys(methods).length);
  });

  it('refuses a method outside the contract without touching IPC', async () => {
    await expect(exposed().call('fs.readFile' as keyof typeof methods, {})).rejects.toMatchObject({
      code: 'unknown_method',
    });
    expect(electron.invoke).not.toHaveBeenCalled();
  });

  it('rejects with the host refusal whole, as a plain object the context bridge copies (an Error loses all but its message)', async () => {
    const refusal = {
      code: 'approval_required',
      message: 'A no-sale needs approval',
      retryable: false,
      approval: { request: { permission: 'noSale' }, what: 'a no-sale', requestedBy: 'Alex Cashier' },
    };
    electron.invoke.mockResolvedValue({ ok: false, error: refusal });
    const thrown = await exposed()
      .call('drawer.noSale', { reason: 'Float check' })
      .catch((error: unknown) => error);
    expect(thrown).toEqual(refusal);
    expect(thrown).not.toBeInstanceOf(Error);
  });

  it('delivers host events and unsubscribes from the same channel', () => {
    const received: unknown[] = [];
    const unsubscribe = exposed().on((message) => received.push(message));
    const [channel, forward] = electron.on.mock.calls[0]!;
    expect(channel).toBe(EVENT_CHANNEL);
    forward({}, { event: 'sync.status', payload: { state: 'online' } });
    expect(received).toEqual([{ event: 'sync.status', payload: { state: 'online' } }]);
    unsubscribe();
    expect(electron.removeListener).toHaveBeenCalledWith(EVENT_CHANNEL, forward);
  });
});
