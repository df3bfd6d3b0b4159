import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResetRefused, resetTerminal } from './terminal-reset.js';
import { enrolledLedger, FIXED_NOW } from './test-support.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function tillWithOneEvent() {
  const fixture = enrolledLedger();
  cleanup = fixture.cleanup;
  const { event } = fixture.ledger.journal.record({
    eventId: fixture.nextSaleId(),
    type: 'no-sale',
    occurredAt: FIXED_NOW().toISOString(),
    payload: { reason: 'change for the float', staffId: 'cashier-1' },
  });
  return { ...fixture, event };
}

describe('resetting a till', () => {
  it('is refused while an event has not reached HQ, and moves nothing', () => {
    const { dir, ledger } = tillWithOneEvent();
    ledger.close();
    expect(() => resetTerminal(dir, FIXED_NOW())).toThrow(ResetRefused);
    expect(() => resetTerminal(dir, FIXED_NOW())).toThrow(/1 events have not reached HQ/);
    expect(existsSync(join(dir, 'ledger.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'archive'))).toBe(false);
  });

  it('archives the ledger whole, never deleting it, once everything was acknowledged', () => {
    const { dir, ledger, event } = tillWithOneEvent();
    ledger.outbox.acknowledge(1, event.seq, event.hash);
    ledger.close();
    const { archivedTo } = resetTerminal(dir, FIXED_NOW());
    expect(existsSync(join(dir, 'ledger.sqlite'))).toBe(false);
    expect(readdirSync(archivedTo)).toContain('ledger.sqlite');
    expect(() => resetTerminal(dir, FIXED_NOW())).toThrow(/already reset/);
  });
});
