import { describe, expect, it } from 'vitest';
import {
  asbFrameBytes,
  decodeAsbFrame,
  decodePrinterStatus,
  isRealtimeStatusByte,
  type SimulatedPrinterState,
  StatusStreamParser,
  statusReplyByte,
} from './escpos-status.js';

const READY: SimulatedPrinterState = {
  paperOut: false,
  paperNearEnd: false,
  coverOpen: false,
  drawerSensorHigh: false,
};

describe('DLE EOT status bytes', () => {
  it('a ready printer answers 0x12 to every request', () => {
    expect([1, 2, 3, 4].map((n) => statusReplyByte(n as 1 | 2 | 3 | 4, READY))).toEqual([
      0x12, 0x12, 0x12, 0x12,
    ]);
  });

  it('paper out: offline (n=1 bit 3), stopped at paper end (n=2 bit 5), paper end (n=4 = 0x72)', () => {
    const state = { ...READY, paperOut: true };
    expect(statusReplyByte(1, state)).toBe(0x1a);
    expect(statusReplyByte(2, state)).toBe(0x32);
    expect(statusReplyByte(4, state)).toBe(0x72);
  });

  it('near end sets n=4 bits 2–3 only; cover open sets n=2 bit 2 and makes the printer offline', () => {
    expect(statusReplyByte(4, { ...READY, paperNearEnd: true })).toBe(0x1e);
    expect(statusReplyByte(2, { ...READY, coverOpen: true })).toBe(0x16);
    expect(statusReplyByte(1, { ...READY, coverOpen: true })).toBe(0x1a);
  });

  it('the drawer sensor is n=1 bit 2', () => {
    expect(statusReplyByte(1, { ...READY, drawerSensorHigh: true })).toBe(0x16);
  });

  it('recognises status replies by their fixed bits', () => {
    for (const b of [0x12, 0x16, 0x1a, 0x1e, 0x32, 0x72, 0x7e]) expect(isRealtimeStatusByte(b)).toBe(true);
    for (const b of [0x00, 0x10, 0x13, 0x92, 0xff, 0x41]) expect(isRealtimeStatusByte(b)).toBe(false);
  });

  it('decodes DLE EOT 1 alone, and with DLE EOT 2 and 4', () => {
    expect(decodePrinterStatus(0x16)).toEqual({ online: true, drawerSensorHigh: true, bytes: [0x16] });
    expect(decodePrinterStatus(0x1a, 0x32, 0x72)).toEqual({
      online: false,
      drawerSensorHigh: false,
      coverOpen: false,
      paper: 'empty',
      bytes: [0x1a, 0x32, 0x72],
    });
    expect(decodePrinterStatus(0x12, 0x12, 0x1e).paper).toBe('near-end');
    expect(decodePrinterStatus(0x1a, 0x16, 0x12)).toMatchObject({
      online: false,
      coverOpen: true,
      paper: 'ok',
    });
  });
});

describe('ASB frames and the status stream', () => {
  it('the emulator frame for paper out + cover open decodes back', () => {
    const frame = asbFrameBytes({
      paperOut: true,
      paperNearEnd: true,
      coverOpen: true,
      drawerSensorHigh: true,
    });
    expect([...frame]).toEqual([0x3c, 0x00, 0x0f, 0x00]);
    expect(decodeAsbFrame([...frame])).toEqual({
      online: false,
      drawerSensorHigh: true,
      coverOpen: true,
      paper: 'empty',
      error: false,
      bytes: [0x3c, 0x00, 0x0f, 0x00],
    });
  });

  it('splits DLE EOT replies from ASB frames, across chunk boundaries', () => {
    const parser = new StatusStreamParser();
    const items = [
      ...parser.push(Uint8Array.of(0x12, 0x10, 0x00)),
      ...parser.push(Uint8Array.of(0x03, 0x00, 0x72, 0xff)),
    ];
    expect(items).toEqual([
      { type: 'reply', byte: 0x12 },
      { type: 'asb', status: expect.objectContaining({ paper: 'near-end', online: true }) },
      { type: 'reply', byte: 0x72 },
      { type: 'other', byte: 0xff },
    ]);
  });
});
