/**
 * PrinterDevice over serialport against a REAL socat pty pair: the test holds the far end, decodes what the
 * printer would receive and answers DLE EOT with real status bytes. Fault: socat is killed (both ptys close)
 * while the job waits for its confirmation → partial, never confirmed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fullJitterBackoff } from '../model/backoff.js';
import { seededRandom } from '../testing/bytes.js';
import { PtyPair, socatAvailable } from '../transport/pty-pair.js';
import { SerialTransport } from '../transport/serial.js';
import { EscPosDecoder, type EscPosEvent } from './escpos-decoder.js';
import { type SimulatedPrinterState, statusReplyByte } from './escpos-status.js';
import type { PrinterStatusEvent } from './printer-status.js';
import { PROFILE_58MM } from './profiles.js';
import { createSerialPrinter } from './serial-printer.js';

const skip = !socatAvailable();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface FarEnd {
  pair: PtyPair;
  state: SimulatedPrinterState;
  received: number[];
  events: EscPosEvent[];
  /** Called for each decoded event before the default answer; return false to withhold the answer. */
  onEvent: (event: EscPosEvent) => boolean;
}

async function ptyPrinter(): Promise<FarEnd> {
  const dir = mkdtempSync(join(tmpdir(), 'tillwright-printer-'));
  const pair = new PtyPair(join(dir, 'host'), join(dir, 'printer'));
  await pair.start();
  const far = new SerialTransport({ path: pair.b, baudRate: 9600 });
  await far.open();
  const end: FarEnd = {
    pair,
    state: { paperOut: false, paperNearEnd: false, coverOpen: false, drawerSensorHigh: false },
    received: [],
    events: [],
    onEvent: () => true,
  };
  const decoder = new EscPosDecoder();
  far.onData((chunk) => {
    end.received.push(...chunk);
    for (const event of decoder.push(chunk)) {
      end.events.push(event);
      if (!end.onEvent(event)) continue;
      if (event.type === 'status-request') {
        void far.write(Uint8Array.of(statusReplyByte(event.kind, end.state))).catch(() => undefined);
      }
    }
  });
  cleanups.push(async () => {
    await far.close();
    await pair.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return end;
}

function serialPrinter(path: string, statusTimeoutMs = 2000) {
  const device = createSerialPrinter({
    path,
    serial: { baudRate: 9600 },
    profile: PROFILE_58MM, // no ASB: status by DLE EOT only
    backoff: fullJitterBackoff({ baseMs: 20, capMs: 100, random: seededRandom(5) }),
    statusTimeoutMs,
  });
  const statuses: PrinterStatusEvent[] = [];
  device.on('status', (status) => {
    if (status.kind !== 'power' && status.kind !== 'lifecycle') statuses.push(status);
  });
  device.on('error', () => undefined);
  cleanups.push(async () => {
    if (device.lifecycle !== 'closed') await device.close();
  });
  return { device, statuses };
}

describe('serial printer over a socat pty pair', () => {
  it.skipIf(skip)('writes the job bytes, reads DLE EOT answers, and reports confirmed', async () => {
    const far = await ptyPrinter();
    const { device, statuses } = serialPrinter(far.pair.a);
    await device.open();
    await device.claim();
    await device.enable();

    const bytes = Uint8Array.from(Buffer.from('\x1b@Hello pty\n\x1dV\x01', 'latin1'));
    const result = await device.print({ id: 's-1', bytes });

    expect(result).toMatchObject({ jobId: 's-1', outcome: 'confirmed', status: { online: true } });
    // On the wire: DLE EOT 1..4 (enable), the job byte for byte, then the confirming DLE EOT 1.
    expect(far.received).toEqual([
      ...[0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4],
      ...bytes,
      0x10,
      0x04,
      1,
    ]);
    expect(far.events).toContainEqual(
      expect.objectContaining({ type: 'receipt', receipt: expect.objectContaining({ text: 'Hello pty' }) }),
    );

    far.state.paperOut = true;
    await device.refreshStatus();
    expect(statuses).toContainEqual(
      expect.objectContaining({ kind: 'paper', paper: 'empty', source: 'dle-eot' }),
    );
  });

  it.skipIf(skip)('the pty closes mid-job: partial or not-sent, never confirmed', async () => {
    const far = await ptyPrinter();
    // The closed line, not the status answer's timeout, must end the job: on a busy machine noticing the close took
    // longer than the usual 2 s answer timeout, and the job came out sent-unconfirmed (true, but not this case).
    const { device } = serialPrinter(far.pair.a, 20_000);
    await device.open();
    await device.claim();
    await device.enable();

    // The "printer" loses power as the job's confirming DLE EOT 1 arrives: socat dies, both ptys close.
    let receiptSeen = false;
    far.onEvent = (event) => {
      if (event.type === 'receipt') receiptSeen = true;
      if (event.type === 'status-request' && receiptSeen) {
        void far.pair.stop();
        return false;
      }
      return true;
    };
    const result = await device.print({
      id: 's-2',
      bytes: Uint8Array.from(Buffer.from('\x1b@Lost job\n\x1dV\x01', 'latin1')),
    });
    expect(['partial', 'not-sent']).toContain(result.outcome);
    expect(result.outcome).toBe('partial');
    expect(result.error).toMatchObject({ retryable: false });
    // The job ends when its bytes are cut off; the device notices the closed line just after.
    await vi.waitFor(() => expect(device.power).toBe('offline'), { timeout: 10_000 });
  });
});
