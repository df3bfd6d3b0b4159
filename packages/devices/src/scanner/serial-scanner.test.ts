/**
 * One suite, two bindings (design §9.7): the serial scanner against a REAL pty pair made by socat (real
 * serialport, real kernel tty) and against the in-memory line. The test holds the far end and plays the
 * scanner: it writes bytes, and unplugs/replugs the device.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScanFramingInput } from '../discovery/config.js';
import { hotplugOnSerialPath } from '../discovery/serial-watch.js';
import { type BackoffPolicy, fullJitterBackoff } from '../model/backoff.js';
import type { DeviceErrorEvent } from '../model/types.js';
import { seededRandom } from '../testing/bytes.js';
import { MemoryLine } from '../transport/memory.js';
import { PtyPair, socatAvailable } from '../transport/pty-pair.js';
import { SerialTransport } from '../transport/serial.js';
import type { ScanData } from './scan-data.js';
import type { ScannerDevice } from './scanner.js';
import { createSerialScanner } from './serial-scanner.js';

interface Rig {
  scanner(framing?: ScanFramingInput, reconnect?: BackoffPolicy): ScannerDevice;
  /** Write bytes from the far (scanner hardware) end. */
  send(bytes: string): Promise<void>;
  unplug(): Promise<void>;
  plugBack(): Promise<void>;
  dispose(): Promise<void>;
  /** The scanner's device path, when it has one (a pty link). */
  path?: string;
}

const backoff = () => fullJitterBackoff({ baseMs: 20, capMs: 200, random: seededRandom(7) });

function memoryRig(): Rig {
  const line = new MemoryLine();
  return {
    scanner: (framing, reconnect) =>
      createSerialScanner({
        transport: line.transport,
        framing: framing ?? {},
        backoff: reconnect ?? backoff(),
      }),
    send: async (text) => line.send(text),
    unplug: async () => line.unplug(),
    plugBack: async () => line.plug(),
    dispose: async () => {},
  };
}

async function ptyRig(): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'tillwright-scan-'));
  const pair = new PtyPair(join(dir, 'scanner'), join(dir, 'hardware'));
  await pair.start();
  let far: SerialTransport | undefined;
  const openFar = async () => {
    far = new SerialTransport({ path: pair.b, baudRate: 9600 });
    await far.open();
  };
  await openFar();
  return {
    path: pair.a,
    scanner: (framing, reconnect) =>
      createSerialScanner({
        path: pair.a,
        serial: { baudRate: 9600 },
        framing: framing ?? {},
        backoff: reconnect ?? backoff(),
      }),
    send: async (text) => far?.write(Uint8Array.from(Buffer.from(text, 'latin1'))),
    unplug: async () => {
      await far?.close();
      far = undefined;
      await pair.stop();
    },
    plugBack: async () => {
      await pair.start();
      await openFar();
    },
    dispose: async () => {
      await far?.close();
      await pair.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function collect(scanner: ScannerDevice) {
  const scans: ScanData[] = [];
  const errors: DeviceErrorEvent[] = [];
  scanner.on('data', (scan) => scans.push(scan));
  scanner.on('error', (event) => errors.push(event));
  return { scans, errors };
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const bindings: [string, () => Promise<Rig>, boolean][] = [
  ['memory line', async () => memoryRig(), false],
  ['socat pty pair', ptyRig, !socatAvailable()],
];

describe.each(bindings)('serial scanner over %s', (_name, makeRig, skip) => {
  let rig: Rig;
  let scanner: ScannerDevice | undefined;

  beforeEach(async () => {
    if (skip) return;
    rig = await makeRig();
  });
  afterEach(async () => {
    if (scanner && scanner.lifecycle !== 'closed') await scanner.close();
    scanner = undefined;
    await rig?.dispose();
  });

  async function enabledScanner(framing?: ScanFramingInput) {
    scanner = rig.scanner(framing);
    const seen = collect(scanner);
    await scanner.open();
    await scanner.claim();
    await scanner.enable();
    return seen;
  }

  it.skipIf(skip)(
    'delivers scans with AIM identifiers, from split writes and from several scans in one write',
    async () => {
      const { scans, errors } = await enabledScanner({ suffix: 'CRLF' });
      await rig.send(']E0400638');
      // The first half is read on its own (a split write, as the port delivers it), and is no scan yet.
      await until(() => scanner?.bytesReceived === 9);
      expect(scans).toEqual([]);
      await rig.send('1333931\r');
      await rig.send('\n]E496385074\r\n036000291452\r\n]C1010950110153000317260101\x1d10ABC123\r\n');
      await until(() => scans.length === 4);
      expect(scans.map((s) => [s.data, s.symbology, s.aim, s.source])).toEqual([
        ['4006381333931', 'EAN-13', ']E0', 'serial'],
        ['96385074', 'EAN-8', ']E4', 'serial'],
        ['036000291452', 'UPC-A', undefined, 'serial'],
        ['010950110153000317260101\x1d10ABC123', 'GS1-128', ']C1', 'serial'],
      ]);
      expect(errors).toEqual([]);
      expect(scanner?.power).toBe('online');
    },
  );

  it.skipIf(skip)('turns garbage and over-long input into typed error events and no scan', async () => {
    const { scans, errors } = await enabledScanner({ suffix: 'CR', maxLength: 20 });
    await rig.send('12\x0734\r');
    await rig.send(`${'9'.repeat(40)}\r`);
    await rig.send('96385074\r');
    await until(() => scans.length === 1);
    expect(scans.map((s) => s.data)).toEqual(['96385074']);
    expect(errors.map((e) => [e.locus, e.error.code, e.error.retryable, e.error.details.extended])).toEqual([
      ['input-data', 'E_EXTENDED', false, 'SCAN_GARBAGE'],
      ['input-data', 'E_EXTENDED', false, 'SCAN_TOO_LONG'],
    ]);
  });

  it.skipIf(skip)('drops input while disabled and delivers again after enable()', async () => {
    const { scans } = await enabledScanner();
    await scanner?.disable();
    await rig.send('11111111\r');
    // Read (and dropped) while disabled, before enable() below.
    await until(() => scanner?.bytesReceived === 9);
    await scanner?.enable();
    await rig.send('96385074\r');
    await until(() => scans.length === 1);
    expect(scans.map((s) => s.data)).toEqual(['96385074']);
  });

  it.skipIf(skip)('goes offline when unplugged and resumes delivering scans when plugged back', async () => {
    const { scans, errors } = await enabledScanner();
    const powers: string[] = [];
    scanner?.on('status', (s) => {
      if (s.kind === 'power') powers.push(s.power);
    });
    await rig.send('96385074\r');
    await until(() => scans.length === 1);

    const failed: { attempt: number; retryable: boolean }[] = [];
    scanner?.supervisor?.on('failed', (event) =>
      failed.push({ attempt: event.attempt, retryable: event.error.retryable }),
    );

    await rig.unplug();
    await until(() => scanner?.power === 'offline');
    expect(errors.map((e) => [e.locus, e.error.code, e.error.retryable])).toEqual([
      ['input', 'E_OFFLINE', true],
    ]);
    await until(() => failed.length >= 2); // a few failed attempts while gone
    expect(failed.slice(0, 2)).toEqual([
      { attempt: 0, retryable: true },
      { attempt: 1, retryable: true },
    ]);
    expect(scanner?.supervisor?.attempts).toBeGreaterThan(0);

    await rig.plugBack();
    scanner?.hotplug();
    await until(() => scanner?.power === 'online');
    await rig.send('4006381333931\r');
    await until(() => scans.length === 2);
    expect(scans.map((s) => s.data)).toEqual(['96385074', '4006381333931']);
    expect(powers).toEqual(['offline', 'online']);
    expect(scanner?.lifecycle).toBe('enabled');
  });

  it.skipIf(skip)('reconnects as soon as its path reappears, long before its backoff would', async () => {
    // A backoff of a minute: only the hot-plug signal from the path watcher can bring it back within the test.
    const slow = rig.scanner(
      undefined,
      fullJitterBackoff({ baseMs: 60_000, capMs: 60_000, random: () => 0.99 }),
    );
    scanner = slow;
    const { scans } = collect(slow);
    await slow.open();
    await slow.claim();
    await slow.enable();
    const watcher = rig.path ? hotplugOnSerialPath(slow, rig.path, { intervalMs: 20 }) : null;
    try {
      await rig.unplug();
      await until(() => slow.power === 'offline');
      await rig.plugBack();
      if (!watcher) slow.hotplug(); // the memory line has no path: plugging it back is the signal
      await until(() => slow.power === 'online');
      await rig.send('4006381333931\r');
      await until(() => scans.length === 1);
      expect(scans[0]?.data).toBe('4006381333931');
    } finally {
      watcher?.stop();
    }
  });

  it.skipIf(skip)('a second claim of the same port fails with a typed error', async () => {
    await enabledScanner();
    const other = rig.scanner();
    await other.open();
    await expect(other.claim()).rejects.toMatchObject({
      code: expect.stringMatching(/^E_(CLAIMED|NOHARDWARE)$/),
    });
    await other.close();
  });
});
