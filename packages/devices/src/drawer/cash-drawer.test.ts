/**
 * The cash drawer over real bytes: a standalone serial drawer and a printer-wired drawer on REAL pty pairs made
 * by socat (real serialport, real kernel tty, the simulator holding the far end), and the same device over the
 * in-memory line with a fake clock for the timing rules (kick confirmation, drawer left open).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceError } from '../errors.js';
import { FakeClock } from '../model/clock.js';
import { decodeEscPos } from '../printer/escpos-decoder.js';
import { PROFILE_58MM, PROFILE_80MM } from '../printer/profiles.js';
import { MemoryLine } from '../transport/memory.js';
import { PtyPair, socatAvailable } from '../transport/pty-pair.js';
import { SerialTransport } from '../transport/serial.js';
import type { ByteTransport } from '../transport/transport.js';
import { CashDrawer, type DrawerOpening, type DrawerStatusEvent } from './cash-drawer.js';
import { DrawerSimulator } from './drawer-simulator.js';
import { type DrawerState, PrinterDrawerLink, SerialDrawerLink, type SerialDrawerStatus } from './links.js';

const STATUS: SerialDrawerStatus = { request: Uint8Array.of(0x05), openMask: 0x01, openWhen: 'set' };

function drawerEvents(drawer: CashDrawer): DrawerStatusEvent[] {
  const events: DrawerStatusEvent[] = [];
  drawer.on('status', (event) => {
    if (event.kind.startsWith('drawer')) events.push(event as DrawerStatusEvent);
  });
  return events;
}

async function enable(drawer: CashDrawer): Promise<void> {
  await drawer.open();
  await drawer.claim();
  await drawer.enable();
}

/** Counts write attempts, successful or not (the transport's own `written` only holds what got through). */
function counting(transport: ByteTransport): ByteTransport & { attempts: Uint8Array[] } {
  const attempts: Uint8Array[] = [];
  return {
    kind: transport.kind,
    attempts,
    open: () => transport.open(),
    close: () => transport.close(),
    onData: (fn) => transport.onData(fn),
    onClose: (fn) => transport.onClose(fn),
    write: (bytes) => {
      attempts.push(Uint8Array.from(bytes));
      return transport.write(bytes);
    },
  };
}

describe('cash drawer over the in-memory line (fake clock)', () => {
  it('kicks through the printer: DLE DC4 where the profile has a real-time kick, ESC p otherwise', async () => {
    for (const [profile, realtime, expected] of [
      [PROFILE_80MM, true, [0x10, 0x14, 0x01, 0x00, 0x01]],
      [PROFILE_80MM, false, [0x1b, 0x70, 0x00, 0x19, 0xfa]],
      [PROFILE_58MM, true, [0x1b, 0x70, 0x00, 0x19, 0xfa]],
    ] as const) {
      const line = new MemoryLine();
      const openings: DrawerOpening[] = [];
      const drawer = new CashDrawer({
        link: new PrinterDrawerLink({ transport: line.transport(), profile, realtime }),
        sensor: null,
        clock: new FakeClock(),
        onOpening: (opening) => openings.push(opening),
      });
      await enable(drawer);
      const opening = await drawer.kick('no sale', 'k1');
      expect(opening).toMatchObject({ kickId: 'k1', reason: 'no sale', outcome: 'kicked' });
      expect(Array.from(opening.bytes ?? [])).toEqual(expected);
      expect(line.written.map((chunk) => Array.from(chunk))).toEqual([expected]);
      const decoded = decodeEscPos(line.written[0]!);
      expect(decoded.drawerKicks).toBe(1);
      expect(openings).toEqual([opening]);
      await drawer.close();
    }
  });

  it('a failed kick is reported as failed, never retryable, and exactly one kick was written', async () => {
    const clock = new FakeClock();
    const line = new MemoryLine();
    const transport = counting(line.transport());
    const drawer = new CashDrawer({
      link: new PrinterDrawerLink({ transport, profile: PROFILE_58MM }),
      clock,
    });
    const errors: DeviceError[] = [];
    drawer.on('error', (event) => errors.push(event.error));
    await enable(drawer);
    line.unplug();
    await clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve)); // the memory line reports the loss asynchronously
    expect(drawer.power).toBe('offline');
    const opening = await drawer.kick('sale T01-3-42');
    expect(opening.outcome).toBe('failed');
    expect(opening.error).toMatchObject({ code: 'E_OFFLINE', retryable: false });
    expect(opening.bytes).toBeUndefined();
    await clock.advance(60_000);
    expect(transport.attempts).toHaveLength(1);
    expect(errors.some((error) => error === opening.error)).toBe(true);
    line.plug();
    await drawer.close();
  });

  it('confirms the opening by the sensor, then reports the drawer left open after the configured time', async () => {
    const clock = new FakeClock(1_000);
    const line = new MemoryLine();
    let handClosed = false;
    // The injectable sensor source: the drawer reads open once a kick reached the line, until closed by hand.
    const sensor = {
      read: async (): Promise<DrawerState> => (line.written.length > 0 && !handClosed ? 'open' : 'closed'),
    };
    const drawer = new CashDrawer({
      link: new PrinterDrawerLink({ transport: line.transport(), profile: PROFILE_80MM }),
      sensor,
      clock,
      leftOpenAfterMs: 30_000,
      pollIntervalMs: 1_000,
    });
    const events = drawerEvents(drawer);
    await enable(drawer);
    expect(drawer.state).toBe('closed');
    const opening = await drawer.kick('sale');
    expect(opening.outcome).toBe('opened');
    expect(drawer.state).toBe('open');
    const openedAt = clock.now();
    await clock.advance(29_999);
    expect(events.filter((event) => event.kind === 'drawer-left-open')).toEqual([]);
    await clock.advance(1);
    expect(events.filter((event) => event.kind === 'drawer-left-open')).toEqual([
      { kind: 'drawer-left-open', openSince: openedAt, at: openedAt + 30_000 },
    ]);
    handClosed = true;
    await clock.advance(1_000); // next poll sees it closed
    expect(drawer.state).toBe('closed');
    await clock.advance(120_000);
    expect(events.map((event) => event.kind)).toEqual([
      'drawer', // unknown → closed at enable
      'drawer', // closed → open after the kick
      'drawer-opening',
      'drawer-left-open',
      'drawer', // open → closed
    ]);
    expect(line.written).toHaveLength(1);
    await drawer.close();
    expect(clock.pending).toBe(0);
  });

  it('no left-open event when the drawer is closed in time', async () => {
    const clock = new FakeClock();
    let state: DrawerState = 'closed';
    const drawer = new CashDrawer({
      link: new PrinterDrawerLink({ transport: new MemoryLine().transport(), profile: PROFILE_80MM }),
      sensor: { read: async () => state },
      clock,
      leftOpenAfterMs: 10_000,
      pollIntervalMs: 500,
    });
    const events = drawerEvents(drawer);
    await enable(drawer);
    state = 'open';
    await clock.advance(500);
    expect(drawer.state).toBe('open');
    await clock.advance(9_000);
    state = 'closed';
    await clock.advance(500);
    await clock.advance(60_000);
    expect(events.some((event) => event.kind === 'drawer-left-open')).toBe(false);
    await drawer.close();
  });

  it('a jammed drawer: the kick is written once and reported not-opened (DRAWER_FAILED_TO_OPEN)', async () => {
    const clock = new FakeClock();
    const line = new MemoryLine();
    const drawer = new CashDrawer({
      link: new PrinterDrawerLink({ transport: line.transport(), profile: PROFILE_80MM }),
      sensor: { read: async () => 'closed' },
      clock,
      confirmTimeoutMs: 2_000,
    });
    await enable(drawer);
    const pending = drawer.kick('sale');
    await clock.advance(2_000);
    const opening = await pending;
    expect(opening.outcome).toBe('not-opened');
    expect(opening.error).toMatchObject({
      code: 'E_EXTENDED',
      retryable: false,
      details: { extended: 'DRAWER_FAILED_TO_OPEN' },
    });
    await clock.advance(60_000);
    expect(line.written).toHaveLength(1);
    await drawer.close();
  });

  it('refuses to kick unless enabled', async () => {
    const drawer = new CashDrawer({
      link: new PrinterDrawerLink({ transport: new MemoryLine().transport(), profile: PROFILE_80MM }),
      clock: new FakeClock(),
    });
    await expect(drawer.kick('x')).rejects.toMatchObject({ code: 'E_DISABLED', retryable: false });
  });
});

describe.skipIf(!socatAvailable())('cash drawer over real pty pairs', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  async function rig(): Promise<PtyPair> {
    const dir = mkdtempSync(join(tmpdir(), 'tillwright-drawer-'));
    const pair = new PtyPair(join(dir, 'host'), join(dir, 'drawer'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    await pair.start();
    cleanups.push(() => pair.stop());
    return pair;
  }

  async function simulator(pair: PtyPair, options: ConstructorParameters<typeof DrawerSimulator>[1]) {
    const sim = new DrawerSimulator(new SerialTransport({ path: pair.b }), options);
    await sim.start();
    cleanups.push(() => sim.stop());
    return sim;
  }

  async function device(options: ConstructorParameters<typeof CashDrawer>[0]): Promise<CashDrawer> {
    const drawer = new CashDrawer({
      confirmTimeoutMs: 1_500,
      confirmPollMs: 20,
      pollIntervalMs: 0,
      ...options,
    });
    await enable(drawer);
    cleanups.push(() => drawer.close());
    return drawer;
  }

  it('standalone serial drawer: kick byte, opening confirmed by the status byte, closing pushed by the drawer', async () => {
    const pair = await rig();
    const sim = await simulator(pair, { wiring: 'serial', status: STATUS });
    const drawer = await device({
      link: new SerialDrawerLink({ transport: new SerialTransport({ path: pair.a }), status: STATUS }),
    });
    const events = drawerEvents(drawer);
    expect(drawer.state).toBe('closed');
    const opening = await drawer.kick('no sale');
    expect(opening.outcome).toBe('opened');
    expect(Array.from(opening.bytes ?? [])).toEqual([0x07]);
    expect(sim.kicks).toBe(1);
    const closed = new Promise<void>((resolve) =>
      drawer.on('status', (event) => {
        if (event.kind === 'drawer' && event.state === 'closed') resolve();
      }),
    );
    await sim.setOpen(false);
    await closed;
    expect(
      events
        .filter((event) => event.kind === 'drawer')
        .map((event) => event.kind === 'drawer' && event.state),
    ).toEqual(['open', 'closed']);
  });

  it('a jammed serial drawer: reported not-opened, and exactly one kick reached the drawer', async () => {
    const pair = await rig();
    const sim = await simulator(pair, { wiring: 'serial', status: STATUS, jammed: true });
    const drawer = await device({
      link: new SerialDrawerLink({ transport: new SerialTransport({ path: pair.a }), status: STATUS }),
      confirmTimeoutMs: 300,
    });
    const opening = await drawer.kick('sale');
    expect(opening.outcome).toBe('not-opened');
    expect(opening.error?.retryable).toBe(false);
    // A status round trip after the kick: the tty delivers in order, so every byte the drawer wrote before this
    // request has reached the simulator when its answer is back. (That no kick is ever retried later is the fake
    // clock's test above, over a minute.)
    expect(await drawer.refresh()).toBe('closed');
    expect(sim.kicks).toBe(1);
    expect(drawer.state).toBe('closed');
  });

  it('a serial drawer without a sensor: the kick is written and reported unconfirmed', async () => {
    const pair = await rig();
    const sim = await simulator(pair, { wiring: 'serial', kickBytes: Uint8Array.of(0x1b, 0x70) });
    const drawer = await device({
      link: new SerialDrawerLink({
        transport: new SerialTransport({ path: pair.a }),
        kickBytes: Uint8Array.of(0x1b, 0x70),
      }),
    });
    const kicked = new Promise((resolve) => sim.once('kick', resolve));
    expect((await drawer.kick('no sale')).outcome).toBe('kicked');
    await kicked;
    expect(sim.kicks).toBe(1);
    expect(drawer.hasSensor).toBe(false);
  });

  it('printer-wired drawer (80 mm): real-time kick, sensor through DLE EOT 1', async () => {
    const pair = await rig();
    const sim = await simulator(pair, { wiring: 'printer' });
    const kicks: { realtime?: boolean }[] = [];
    sim.on('kick', (info) => kicks.push(info));
    const drawer = await device({
      link: new PrinterDrawerLink({
        transport: new SerialTransport({ path: pair.a }),
        profile: PROFILE_80MM,
      }),
    });
    expect(drawer.state).toBe('closed');
    const opening = await drawer.kick('sale');
    expect(opening.outcome).toBe('opened');
    expect(kicks).toEqual([{ count: 1, realtime: true }]);
    await sim.setOpen(false);
    expect(await drawer.refresh()).toBe('closed');
  });

  it('printer-wired drawer (58 mm, no sensor): ESC p, unconfirmed', async () => {
    const pair = await rig();
    const sim = await simulator(pair, { wiring: 'printer' });
    const kicked = new Promise<{ realtime?: boolean }>((resolve) => sim.once('kick', resolve));
    const drawer = await device({
      link: new PrinterDrawerLink({
        transport: new SerialTransport({ path: pair.a }),
        profile: PROFILE_58MM,
      }),
    });
    expect((await drawer.kick('sale')).outcome).toBe('kicked');
    expect(await kicked).toEqual({ count: 1, realtime: false });
  });
});
