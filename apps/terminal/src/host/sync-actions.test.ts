import { generateTerminalKeyPair } from '@tillwright/protocol/signing';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialFile } from './credentials.js';
import { ServerClient } from './server-client.js';
import { SyncActions } from './sync-actions.js';
import { SyncClient } from './sync-client.js';
import {
  cleanUpTills,
  journalEvents,
  STAFF,
  type StaffMember,
  saleServiceFor,
  staffedTill,
} from './test-support.js';

afterEach(cleanUpTills);

/** A staffed, enrolled till whose server does not answer, with the member signed in. */
async function till(member: StaffMember) {
  const t = await staffedTill(member);
  const identity = t.ledger.journal.identity()!;
  const credentials = new CredentialFile(t.dir);
  credentials.write({ ...identity, privateKeyPem: generateTerminalKeyPair().privateKeyPem });
  const sync = new SyncClient({
    ledger: t.ledger,
    server: new ServerClient('http://127.0.0.1:9'),
    credentials,
    enrolment: { code: null, terminalName: 'Till 1' },
    now: t.clock.now,
    random: () => 0.5,
    onStatus: () => {},
    log: () => {},
  });
  return { ...t, actions: new SyncActions({ ...t, sync, terminalId: () => identity.terminalId }) };
}

const manager = { number: STAFF.manager.number, pin: STAFF.manager.pin };

describe("the manager's sync actions", () => {
  it('need permission syncActions: a supervisor is asked for approval, and a manager approval is journaled first', async () => {
    const t = await till(STAFF.supervisor);
    await expect(t.actions.retry({})).rejects.toMatchObject({
      code: 'approval_required',
      approval: {
        request: { permission: 'syncActions' },
        what: 'a sync action',
        requestedBy: 'Sam Supervisor',
      },
    });
    await expect(t.actions.retry({ approval: manager })).resolves.toMatchObject({ alert: null });
    expect(journalEvents(t.ledger).at(-1)).toMatchObject({
      type: 'manager-approval',
      payload: { employeeId: 'emp-sam', approverId: 'emp-morgan', action: 'sync-retry', subject: 'S1-T01' },
    });
  });

  it('refuse a new epoch while a sale has not reached HQ, saying why and what to do, before asking for a PIN', async () => {
    const t = await till(STAFF.cashier);
    t.ledger.journal.record({
      eventId: '019ab000-0000-7000-8000-000000000001',
      type: 'no-sale',
      occurredAt: t.clock.now().toISOString(),
      schema: 2,
      payload: { reason: 'till check', employeeId: 'emp-alex', approvalId: null },
    });
    const before = t.ledger.journal.count();
    await expect(t.actions.startNewEpoch({})).rejects.toMatchObject({
      code: 'unsynced_events',
      message: expect.stringMatching(
        /^1 sale or other event has not reached HQ yet, .*Bring the till online .* then start the new epoch/,
      ),
    });
    expect(t.ledger.journal.count()).toBe(before);
    expect(t.ledger.journal.identity()?.epoch).toBe(1);
  });

  it('move to a new epoch with only sign-ins unsent (a fenced till), the approval the first event of the new epoch', async () => {
    const t = await till(STAFF.cashier);
    await expect(t.actions.startNewEpoch({})).rejects.toMatchObject({ code: 'approval_required' });
    const status = await t.actions.startNewEpoch({ approval: manager });
    expect(t.ledger.journal.identity()?.epoch).toBe(2);
    expect(status.pending).toBe(1);
    expect(t.ledger.journal.bySeq(1, 1)).toMatchObject({ type: 'employee-signed-in' });
    expect(t.ledger.journal.bySeq(2, 1)).toMatchObject({
      type: 'manager-approval',
      payload: { employeeId: 'emp-alex', approverId: 'emp-morgan', action: 'sync-new-epoch' },
    });
  });

  it('move to a new epoch with training mode turned on and off unsent, but not with a training sale unsent', async () => {
    const t = await till(STAFF.manager);
    await t.training.set({ on: true });
    await t.training.set({ on: false });
    expect(journalEvents(t.ledger).map((e) => e.type)).toEqual([
      'employee-signed-in',
      'training-mode',
      'training-mode',
    ]);
    // Left behind in epoch 1, so not pending: the new epoch holds nothing yet.
    await expect(t.actions.startNewEpoch({})).resolves.toMatchObject({ pending: 0 });
    expect(t.ledger.journal.identity()?.epoch).toBe(2);

    // A training sale is a sale's record (what was rung up, by whom): it must reach HQ first.
    await t.training.set({ on: true });
    await saleServiceFor(t).complete({
      saleId: t.nextSaleId(),
      currency: 'EUR',
      lines: [{ lineId: 'l1', productId: 'pen', barcode: '4006381333931', quantity: 1 }],
      tenders: [{ kind: 'cash', tendered: 250 }],
    });
    expect(journalEvents(t.ledger).at(-1)?.type).toBe('training-sale');
    await expect(t.actions.startNewEpoch({})).rejects.toMatchObject({ code: 'unsynced_events' });
    expect(t.ledger.journal.identity()?.epoch).toBe(2);
  });

  it('refuse with nobody signed in, writing nothing', async () => {
    const t = await till(STAFF.manager);
    t.session.signOut();
    const before = t.ledger.journal.count();
    await expect(t.actions.retry({ approval: manager })).rejects.toMatchObject({ code: 'not_signed_in' });
    await expect(t.actions.startNewEpoch({ approval: manager })).rejects.toMatchObject({
      code: 'not_signed_in',
    });
    expect(t.ledger.journal.count()).toBe(before);
  });
});
