import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUuidV7Generator } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerError } from './errors.js';
import { Ledger } from './ledger.js';
import { saleDraft } from './test-support.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

let tick = 1_764_000_000_000;
const nextId = createUuidV7Generator(
  () => tick++,
  (bytes) => bytes.fill(9),
);

function enrolled(path: string, options = {}) {
  const ledger = Ledger.open(path, options);
  cleanups.push(() => ledger.close());
  ledger.journal.setIdentity({ orgId: 'O', storeId: 'S', terminalId: 'T', epoch: 1 });
  return ledger;
}

/** Records until the first failure and returns it, with how many sales made it. */
function recordUntilFailure(ledger: Ledger, limit = 100_000): { error: LedgerError; recorded: number } {
  for (let recorded = 0; recorded < limit; recorded++) {
    try {
      ledger.journal.record(saleDraft(nextId()));
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      return { error, recorded };
    }
  }
  throw new Error(`no failure after ${limit} sales`);
}

/** A real tmpfs of `size`, where the kernel itself says "no space left". Needs root (CI and this machine are). */
function tinyDisk(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tillwright-tinyfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  cleanups.push(() => {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

const isRoot = process.getuid?.() === 0;

describe('a sale that cannot be committed', () => {
  it('fails with a typed, retryable error and leaves no partial row when the ledger reaches its size quota', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillwright-quota-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const ledger = enrolled(join(dir, 'ledger.sqlite'), { maxSizeBytes: 256 * 1024 });
    const { error, recorded } = recordUntilFailure(ledger);
    expect(error).toMatchObject({ code: 'write_failed', retryable: true });
    expect(error.message).toMatch(/nothing was recorded/);
    expect(error.details).toMatchObject({ sqliteCode: 'SQLITE_FULL' });
    expect(ledger.journal.count()).toBe(recorded);
    expect(ledger.journal.lastSeq(1)).toBe(recorded);
    expect(ledger.journal.verify(1)).toBeNull();
  });

  it.runIf(isRoot)('fails the same way when the disk itself is full, and recovers once space is back', () => {
    const disk = tinyDisk('600k');
    const ledger = enrolled(join(disk, 'ledger.sqlite'));
    const { error, recorded } = recordUntilFailure(ledger);
    expect(error.code).toBe('write_failed');
    expect(ledger.journal.count()).toBe(recorded);
    expect(ledger.journal.verify(1)).toBeNull();
    execFileSync('mount', ['-o', 'remount,size=4m', disk]);
    const after = ledger.journal.record(saleDraft(nextId()));
    expect(after.event.seq).toBe(recorded + 1);
  });

  it.runIf(isRoot)('refuses to open on a read-only file system, saying so, and changes nothing', () => {
    const disk = tinyDisk('4m');
    mkdirSync(join(disk, 'data'));
    const path = join(disk, 'data', 'ledger.sqlite');
    const ledger = Ledger.open(path);
    ledger.journal.setIdentity({ orgId: 'O', storeId: 'S', terminalId: 'T', epoch: 1 });
    ledger.journal.record(saleDraft(nextId()));
    ledger.close();
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    cleanups.push(() => execFileSync('mount', ['-o', 'remount,rw', disk]));
    expect(() => Ledger.open(path)).toThrow(
      expect.objectContaining({
        code: 'write_failed',
        message: expect.stringMatching(/cannot be written.*check the disk is writable/),
      }),
    );
  });
});

describe('a refused event', () => {
  it('is validated against its type before anything is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillwright-invalid-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const ledger = enrolled(join(dir, 'ledger.sqlite'));
    const bad = { ...saleDraft(nextId()), payload: { ...saleDraft(nextId()).payload, total: 12.5 } };
    expect(() => ledger.journal.record(bad)).toThrow(expect.objectContaining({ code: 'invalid_event' }));
    const noSale = {
      eventId: nextId(),
      type: 'no-sale' as const,
      occurredAt: '2026-11-25T10:00:00.000Z',
      payload: { reason: '' },
    };
    expect(() => ledger.journal.record(noSale as never)).toThrow(/not valid/);
    expect(ledger.journal.count()).toBe(0);
  });
});
