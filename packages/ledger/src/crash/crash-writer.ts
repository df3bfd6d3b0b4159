/**
 * The crash test's child program: a till that does nothing but sell. It opens the ledger named on the command
 * line, enrols the terminal if needed, and records sales in a loop until it is killed. Run the compiled file:
 *
 *   node dist/crash/crash-writer.js <ledger.sqlite> [--ack-before-commit] [--delay-ms N] [--max-sales N]
 *
 * Everything it says goes to stdout as one JSON object per line (see `WriterLine` in crash-harness.ts), each
 * written with a blocking `writeSync` before the next step, so a line the parent read really left this process
 * before the step that follows it:
 *   ready  the ledger is open and the terminal enrolled
 *   begin  `record()` is about to be called for this event id
 *   ack    the sale is acknowledged to the cashier: this is the promise the crash test holds the ledger to
 *
 * The loop is `begin, record, ack, pause`. With `--ack-before-commit` it is the broken `ack, pause, begin,
 * record`: the pause then sits between the acknowledgement and the commit, which is what makes the negative
 * control fail every run instead of now and then.
 */
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createUuidV7Generator, EVENT_VERSIONS } from '@tillwright/protocol';
import type { EventDraft } from '../journal.js';
import { Ledger } from '../ledger.js';
import { payloadAt, saleDraft } from '../test-support.js';
import type { WriterLine } from './crash-harness.js';

const IDENTITY = { orgId: 'O1', storeId: 'S1', terminalId: 'T1', epoch: 1 } as const;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'ack-before-commit': { type: 'boolean', default: false },
    'delay-ms': { type: 'string', default: '0' },
    'max-sales': { type: 'string' },
  },
});
const path = positionals[0];
const delayMs = Number(values['delay-ms']);
const maxSales = values['max-sales'] === undefined ? Number.POSITIVE_INFINITY : Number(values['max-sales']);
if (!path || !(delayMs >= 0) || !(maxSales >= 0)) {
  process.stderr.write(
    'usage: crash-writer <ledger.sqlite> [--ack-before-commit] [--delay-ms N] [--max-sales N]\n',
  );
  process.exit(2);
}
const ackBeforeCommit = values['ack-before-commit'];

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread without burning a core (the parent and the child share two). */
function pause(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

/** One line, fully written to fd 1 before returning; a line shorter than PIPE_BUF reaches a pipe whole. */
function emit(line: WriterLine): void {
  const bytes = Buffer.from(`${JSON.stringify(line)}\n`);
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(1, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      pause(1);
    }
  }
}

const ledger = Ledger.open(path);
if (!ledger.journal.identity()) ledger.journal.setIdentity(IDENTITY);
const epoch = ledger.journal.identity()?.epoch ?? IDENTITY.epoch;
emit({ kind: 'ready', pid: process.pid, lastSeq: ledger.journal.lastSeq(epoch) });

const nextId = createUuidV7Generator();
for (let sale = 0; sale < maxSales; sale++) {
  // Minted before the commit, as the till does when "Pay" is pressed.
  const eventId = nextId();
  const v1 = saleDraft(eventId, 100 + (sale % 900));
  // At the latest version, so the ledger numbers each sale; every fourth follows a sign-in, so counts and seqs differ.
  const draft = {
    ...v1,
    schema: EVENT_VERSIONS.sale.latest,
    payload: payloadAt('sale', EVENT_VERSIONS.sale.latest, v1.payload),
    occurredAt: new Date().toISOString(),
  } as EventDraft;
  if (sale % 4 === 3) {
    ledger.journal.record({
      eventId: nextId(),
      type: 'employee-signed-in',
      schema: 1,
      occurredAt: draft.occurredAt,
      payload: { employeeId: 'cashier-7', method: 'number' },
    });
  }
  if (ackBeforeCommit) {
    emit({ kind: 'ack', eventId, seq: null });
    pause(delayMs);
    emit({ kind: 'begin', eventId });
    ledger.journal.record(draft);
  } else {
    emit({ kind: 'begin', eventId });
    const { event, created } = ledger.journal.record(draft);
    if (!created) throw new Error(`fresh event id ${eventId} was already in the journal`);
    emit({ kind: 'ack', eventId, seq: event.seq });
    pause(delayMs);
  }
}
ledger.close();
