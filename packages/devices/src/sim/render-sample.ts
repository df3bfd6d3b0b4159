#!/usr/bin/env node
/**
 * Renders the sample sale receipt the way the printer emulator sees it: layout → ESC/POS bytes (80 mm profile)
 * → decoder → PNG. `node dist/sim/render-sample.js [out.png] [--58mm]`; by default it writes
 * packages/devices/docs/sample-receipt.png (the picture in the README).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saleReceiptLayout } from '@tillwright/receipts';
import { sampleSale } from '@tillwright/receipts/samples';
import { decodeEscPos } from '../printer/escpos-decoder.js';
import { encodeReceipt } from '../printer/escpos-encoder.js';
import { decoderCodePages, PROFILE_58MM, PROFILE_80MM, type PrinterProfile } from '../printer/profiles.js';
import { renderReceiptPng } from './receipt-png.js';

export const DEFAULT_SAMPLE_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../docs/sample-receipt.png',
);

/** The sample sale receipt as PNG bytes, through the real encoder and decoder. */
export function renderSampleReceipt(profile: PrinterProfile = PROFILE_80MM): Uint8Array {
  const bytes = encodeReceipt(saleReceiptLayout(sampleSale(), { columns: profile.columns }), profile);
  const decoded = decodeEscPos(bytes, { codePages: decoderCodePages(profile) });
  const receipt = decoded.receipts[0];
  if (receipt === undefined || decoded.errors.length > 0) {
    throw new Error(
      `sample receipt did not decode cleanly: ${decoded.errors.map((e) => e.message).join('; ')}`,
    );
  }
  return renderReceiptPng(receipt, { dotsPerLine: profile.dotsPerLine, columns: profile.columns });
}

export function writeSampleReceipt(path: string = DEFAULT_SAMPLE_PATH, profile?: PrinterProfile): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderSampleReceipt(profile));
  return path;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = args.find((arg) => !arg.startsWith('--'));
  const profile = args.includes('--58mm') ? PROFILE_58MM : PROFILE_80MM;
  const path = writeSampleReceipt(out === undefined ? DEFAULT_SAMPLE_PATH : resolve(out), profile);
  process.stdout.write(`wrote ${path}\n`);
}
