import { once } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { realtimeDrawerKickBytes, statusRequestBytes } from '../printer/escpos-commands.js';
import { emulatorFixture } from '../testing/emulator-fixture.js';
import { startPrinterEmulator } from './printer-emulator.js';

const { defer, emulator } = emulatorFixture();

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port });
  defer(() => {
    socket.destroy();
  });
  await once(socket, 'connect');
  return socket;
}

/** Write `bytes` and collect exactly `count` reply bytes. */
async function ask(socket: net.Socket, bytes: Uint8Array, count: number): Promise<number[]> {
  const reply: number[] = [];
  const done = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      reply.push(...chunk);
      if (reply.length >= count) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
  });
  socket.write(bytes);
  await done;
  return reply;
}

const ALL_STATUS = Uint8Array.from([
  ...statusRequestBytes(1),
  ...statusRequestBytes(2),
  ...statusRequestBytes(4),
]);

describe('printer emulator', () => {
  it('listens on a free loopback port by default', async () => {
    const emu = await emulator();
    expect(emu.host).toBe('127.0.0.1');
    expect(emu.port).toBeGreaterThan(0);
  });

  it('answers DLE EOT 1, 2 and 4 from its state, on the same connection', async () => {
    const emu = await emulator();
    const requests: unknown[] = [];
    emu.on('status-request', (kind, reply) => requests.push([kind, reply]));
    const socket = await connect(emu.port);

    expect(await ask(socket, ALL_STATUS, 3)).toEqual([0x12, 0x12, 0x12]);
    emu.setPaperOut(true);
    emu.setDrawerOpen(true);
    expect(await ask(socket, ALL_STATUS, 3)).toEqual([0x1e, 0x32, 0x72]);
    emu.setPaperOut(false);
    emu.setPaperNearEnd(true);
    emu.setCoverOpen(true);
    expect(await ask(socket, ALL_STATUS, 3)).toEqual([0x1e, 0x16, 0x1e]);
    expect(requests.slice(0, 3)).toEqual([
      [1, 0x12],
      [2, 0x12],
      [4, 0x12],
    ]);
  });

  it('a real-time kick (DLE DC4 1) counts and opens the drawer until it is closed', async () => {
    const emu = await emulator();
    const socket = await connect(emu.port);
    const kicked = once(emu, 'drawer-kick');
    socket.write(realtimeDrawerKickBytes(1));
    expect(await kicked).toEqual([{ pin: 1, realtime: true }]);
    expect(emu.drawerKicks).toBe(1);
    expect(emu.drawerOpen).toBe(true);
    emu.setDrawerOpen(false);
    expect(await ask(socket, statusRequestBytes(1), 1)).toEqual([0x12]);
  });

  it('keeps receipts from every connection and reports undecodable bytes', async () => {
    const emu = await emulator();
    const errors: string[] = [];
    emu.on('decode-error', (error) => errors.push(error.code));
    for (const text of ['one', 'two']) {
      const socket = await connect(emu.port);
      const received = once(emu, 'receipt');
      socket.write(`${text}\n\u001dV\u0001`);
      await received;
      socket.end();
    }
    const socket = await connect(emu.port);
    const failed = once(emu, 'decode-error');
    socket.write('\u001bz');
    await failed;
    expect(emu.receipts.map((r) => r.text)).toEqual(['one', 'two']);
    expect(errors).toEqual(['unknown_command']);
    expect(emu.decodeErrors[0]?.code).toBe('unknown_command');
  });

  it('a connection that ends without a cut still yields what was printed', async () => {
    const emu = await emulator();
    const socket = await connect(emu.port);
    const received = once(emu, 'receipt');
    socket.end('no cut here\n');
    const [receipt] = await received;
    expect(receipt).toMatchObject({ text: 'no cut here', cut: false });
  });

  it('stays silent on status when answerStatus is false', async () => {
    const emu = await emulator({ answerStatus: false });
    const socket = await connect(emu.port);
    const asked = once(emu, 'status-request');
    let answered = false;
    socket.on('data', () => {
      answered = true;
    });
    socket.write(statusRequestBytes(1));
    expect(await asked).toEqual([1, undefined]);
    // Round trip another request to be sure nothing was written back in between.
    const second = once(emu, 'status-request');
    socket.write(statusRequestBytes(4));
    await second;
    expect(answered).toBe(false);
  });

  it('close() destroys open connections and resolves once the server is closed; it is idempotent', async () => {
    const emu = await startPrinterEmulator();
    const socket = await connect(emu.port);
    const socketClosed = once(socket, 'close');
    await emu.close();
    await socketClosed;
    await emu.close();
    await expect(connect(emu.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('fails to start on a port that is taken', async () => {
    const emu = await emulator();
    await expect(startPrinterEmulator({ port: emu.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
