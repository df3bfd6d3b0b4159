import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerError } from './errors.js';
import type { EventDraft } from './journal.js';
import { Ledger } from './ledger.js';
import { freshLedger, saleDraft, salePayload } from './test-support.js';

const AT = '2026-11-25T10:00:00.000Z';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function setup() {
  const fixture = freshLedger();
  cleanup = fixture.cleanup;
  return fixture;
}

describe('journal', () => {
  it('opens in WAL mode with synchronous=FULL', () => {
    const { path } = setup();
    const probe = new Database(path, { readonly: true });
    expect(probe.pragma('journal_mode', { simple: true })).toBe('wal');
    probe.close();
  });

  it('assigns gapless seqs and chains each event to the one before', () => {
    const { ledger, nextId } = setup();
    const events = [1, 2, 3].map(() => ledger.journal.record(saleDraft(nextId())).event);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(ledger.journal.verify(1)).toBeNull();
  });

  it('records the same id with the same content once and returns the original', () => {
    const { ledger, nextId } = setup();
    const id = nextId();
    const first = ledger.journal.record(saleDraft(id));
    const again = ledger.journal.record({ ...saleDraft(id), occurredAt: '2026-11-25T10:00:05.000Z' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ event: first.event, created: false });
    expect(ledger.journal.count()).toBe(1);
  });

  it('refuses the same id with different content as a conflict and writes nothing', () => {
    const { ledger, nextId } = setup();
    const id = nextId();
    ledger.journal.record(saleDraft(id, 250));
    const attempt = () => ledger.journal.record(saleDraft(id, 999));
    expect(attempt).toThrow(LedgerError);
    expect(attempt).toThrow(/already recorded with different content/);
    expect(ledger.journal.count()).toBe(1);
  });

  it("keeps a Pay request's digest with its sale, in the sale's transaction: once, and none for a refusal", () => {
    const { ledger, nextId } = setup();
    const paid = nextId();
    const digest = 'a'.repeat(64);
    ledger.journal.record(saleDraft(paid, 250), { requestDigest: digest });
    // A retry of the same sale keeps the first request's digest.
    ledger.journal.record(saleDraft(paid, 250), { requestDigest: 'b'.repeat(64) });
    expect(ledger.journal.payRequestDigest(paid)).toBe(digest);
    // A sale refused writes no digest either.
    const refused = nextId();
    expect(() => ledger.journal.record(saleDraft(refused, -5), { requestDigest: digest })).toThrow(
      LedgerError,
    );
    expect(ledger.journal.payRequestDigest(refused)).toBeNull();
    // Recorded without one (before migration 13, or not a Pay): none.
    const plain = nextId();
    ledger.journal.record(saleDraft(plain));
    expect(ledger.journal.payRequestDigest(plain)).toBeNull();
  });

  it('refuses to sell before enrolment, with nothing written', () => {
    const { dir, nextId } = setup();
    const unenrolled = Ledger.open(`${dir}/other.sqlite`);
    try {
      expect(() => unenrolled.journal.record(saleDraft(nextId()))).toThrow(
        expect.objectContaining({ code: 'not_enrolled' }),
      );
      expect(unenrolled.journal.count()).toBe(0);
    } finally {
      unenrolled.close();
    }
  });

  it('is append-only: updates and deletes are refused by the database itself', () => {
    const { ledger, path, nextId } = setup();
    ledger.journal.record(saleDraft(nextId()));
    const raw = new Database(path);
    try {
      expect(() => raw.prepare("UPDATE journal SET body = '{}'").run()).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM journal').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
  });

  it('keeps committed events across close and reopen', () => {
    const { ledger, path, nextId } = setup();
    const { event } = ledger.journal.record(saleDraft(nextId()));
    ledger.close();
    const reopened = Ledger.open(path);
    try {
      expect(reopened.journal.get(event.eventId)).toEqual(event);
      expect(reopened.journal.verify(1)).toBeNull();
    } finally {
      reopened.close();
    }
  });

  it('detects an event altered behind its back', () => {
    const { ledger, path, nextId } = setup();
    for (let i = 0; i < 3; i++) ledger.journal.record(saleDraft(nextId()));
    ledger.close();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER journal_is_append_only_update');
    raw
      .prepare('UPDATE journal SET body = replace(body, \'"total":250\', \'"total":1\') WHERE seq = 2')
      .run();
    raw.close();
    const reopened = Ledger.open(path);
    try {
      expect(reopened.journal.verify(1)).toMatchObject({ seq: 2, reason: 'hash_mismatch' });
    } finally {
      reopened.close();
    }
  });
});

describe('the read-only handle', () => {
  it('reads beside the writer but cannot write', async () => {
    const { ledger, path, nextId } = setup();
    ledger.journal.record(saleDraft(nextId()));
    const { LedgerReader } = await import('./ledger.js');
    const reader = LedgerReader.open(path);
    try {
      expect(reader.journal.count()).toBe(1);
      expect('record' in reader.journal).toBe(false);
      const raw = (reader as unknown as { db: Database.Database }).db;
      expect(() => raw.prepare('DELETE FROM catalog_products').run()).toThrow(/readonly/);
    } finally {
      reader.close();
    }
  });
});

describe('event versions in the journal', () => {
  it('records a sale at the version asked (v1 when none is), and reads both as the latest version', () => {
    const { ledger, nextId } = setup();
    const v1 = ledger.journal.record(saleDraft(nextId())).event;
    const v2 = ledger.journal.record({
      ...saleDraft(nextId()),
      schema: 2,
      payload: { ...salePayload(), timeZone: 'Europe/Berlin' },
    }).event;
    expect([v1.schema, v2.schema]).toEqual([1, 2]);
    expect(ledger.journal.get(v1.eventId)).toEqual(v1);
    expect(ledger.journal.read(v1.eventId)).toMatchObject({ schema: 6, payload: { timeZone: 'UTC' } });
    expect(ledger.journal.read(v2.eventId)).toMatchObject({
      schema: 6,
      payload: { timeZone: 'Europe/Berlin' },
    });
    expect(ledger.projections.findSale({ saleId: v1.eventId })?.payload.timeZone).toBe('UTC');
    expect(ledger.journal.verify(1)).toBeNull();
  });

  it('records a sale v3 with its employee, and refuses a new event that names nobody (employee_missing)', () => {
    const { ledger, nextId } = setup();
    const latest = { ...salePayload(), approvals: [], timeZone: 'Europe/Berlin' };
    const sale = ledger.journal.record({
      ...saleDraft(nextId()),
      schema: 3,
      payload: { ...latest, employeeId: 'e-7' },
    });
    expect(sale.event).toMatchObject({ schema: 3, payload: { employeeId: 'e-7' } });
    const nobody = (schema: number, type: EventDraft['type'], payload: unknown) => () =>
      ledger.journal.record({ eventId: nextId(), type, occurredAt: AT, schema, payload } as EventDraft);
    const refused = expect.objectContaining({
      name: 'LedgerError',
      code: 'employee_missing',
      retryable: false,
    });
    expect(nobody(3, 'sale', { ...latest, employeeId: null })).toThrow(refused);
    expect(nobody(3, 'sale', { ...latest, employeeId: null })).toThrow(/sign an employee in first/);
    expect(
      nobody(2, 'void', {
        voidedEventId: sale.event.eventId,
        reason: 'twice',
        employeeId: null,
        approvalId: null,
      }),
    ).toThrow(refused);
    const approval = {
      approvalId: nextId(),
      employeeId: null,
      approverId: 'mgr-1',
      permission: 'postVoid',
      action: 'void',
      subject: 'sale',
      reason: null,
    };
    expect(nobody(2, 'manager-approval', approval)).toThrow(refused);
    expect(ledger.journal.count()).toBe(1);
    // A version from before employees has no such field: what a till writes for a server that takes nothing newer.
    expect(ledger.journal.record({ ...saleDraft(nextId()), schema: 2, payload: latest }).created).toBe(true);
  });

  it('refuses a payload that is not of the version it claims, and a version it does not know', () => {
    const { ledger, nextId } = setup();
    const zoned = { ...salePayload(), timeZone: 'Europe/Berlin' };
    expect(() => ledger.journal.record({ ...saleDraft(nextId()), payload: zoned })).toThrow(/not valid/);
    expect(() => ledger.journal.record({ ...saleDraft(nextId()), schema: 2 })).toThrow(/not valid/);
    expect(() => ledger.journal.record({ ...saleDraft(nextId()), schema: 7 })).toThrow(
      /version 7 is not known/,
    );
    expect(ledger.journal.count()).toBe(0);
  });
});
