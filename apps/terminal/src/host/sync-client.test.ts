import { DEFAULT_TERMINAL_CONFIG } from '@tillwright/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialFile } from './credentials.js';
import { ServerClient } from './server-client.js';
import { SyncClient } from './sync-client.js';
import { enrolledLedger } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

const SOLD_AT = new Date('2026-11-25T12:00:00.000Z');

/** A client that is never started: status() reads only the ledger and the clock. */
function clientAt(minutesLater: number) {
  const fixture = enrolledLedger();
  cleanup = fixture.cleanup;
  fixture.ledger.journal.record({
    eventId: fixture.nextSaleId(),
    type: 'no-sale',
    occurredAt: SOLD_AT.toISOString(),
    payload: { reason: 'till check', staffId: 'cashier-1' },
  });
  const client = new SyncClient({
    ledger: fixture.ledger,
    server: new ServerClient('http://127.0.0.1:9'),
    credentials: new CredentialFile(fixture.dir),
    enrolment: { code: null, terminalName: 'Till 1' },
    now: () => new Date(SOLD_AT.getTime() + minutesLater * 60_000),
    random: () => 0.5,
    onStatus: () => {},
    log: () => {},
  });
  return { ...fixture, client };
}

describe('the sync status a manager sees', () => {
  it('turns overdue when the oldest unsent event is older than HQ allows (60 minutes by default)', () => {
    expect(DEFAULT_TERMINAL_CONFIG.syncAlertAfterMinutes).toBe(60);
    expect(clientAt(59).client.status()).toMatchObject({ pending: 1, overdue: false });
    expect(clientAt(61).client.status()).toMatchObject({ pending: 1, overdue: true });
  });

  it('follows the limit HQ sends in the terminal configuration', () => {
    const { ledger, client } = clientAt(6);
    expect(client.status().overdue).toBe(false);
    ledger.feed.apply(
      [
        {
          kind: 'config',
          version: 1,
          storeId: null,
          config: { ...DEFAULT_TERMINAL_CONFIG, syncAlertAfterMinutes: 5 },
        },
      ],
      1,
    );
    expect(client.status().overdue).toBe(true);
  });

  it('is never overdue with nothing unsent', () => {
    const { ledger, client } = clientAt(600);
    const state = ledger.outbox.state()!;
    const last = ledger.journal.bySeq(state.epoch, state.lastSeq)!;
    ledger.outbox.acknowledge(state.epoch, last.seq, last.hash);
    expect(client.status()).toMatchObject({ pending: 0, overdue: false });
  });
});
