import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Ledger } from '@tillwright/ledger';

/** Why a reset was refused; nothing was moved. */
export class ResetRefused extends Error {
  override readonly name = 'ResetRefused';
  constructor(
    readonly code: 'nothing_to_reset' | 'unsynced_events',
    message: string,
  ) {
    super(message);
  }
}

const LEDGER_FILES = ['ledger.sqlite', 'ledger.sqlite-wal', 'ledger.sqlite-shm', 'credentials.json'];

/**
 * Resets a stopped till to "not enrolled" (to move it to another store, or to start over after IT reconciled a
 * fork). Refused while any event has not reached HQ. Nothing is deleted: the journal is a fiscal record, so the
 * ledger and the credential move, whole, to `archive/<time>/` in the data folder.
 */
export function resetTerminal(dataDir: string, now: Date): { archivedTo: string } {
  const ledgerPath = join(dataDir, 'ledger.sqlite');
  if (!existsSync(ledgerPath)) {
    throw new ResetRefused('nothing_to_reset', `${dataDir} holds no ledger: this till is already reset`);
  }
  const ledger = Ledger.open(ledgerPath);
  try {
    const pending = ledger.outbox.state()?.pending ?? 0;
    if (pending > 0) {
      throw new ResetRefused(
        'unsynced_events',
        `${pending} events have not reached HQ; a reset now would take them off the sync path. Start the till ` +
          'online and wait until nothing is pending.',
      );
    }
  } finally {
    ledger.close();
  }
  const archivedTo = join(dataDir, 'archive', now.toISOString().replaceAll(':', '-'));
  mkdirSync(archivedTo, { recursive: true });
  for (const file of LEDGER_FILES) {
    if (existsSync(join(dataDir, file))) renameSync(join(dataDir, file), join(archivedTo, file));
  }
  return { archivedTo };
}
