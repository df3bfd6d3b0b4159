import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createUuidV7Generator,
  type EventType,
  type PayloadOf,
  payloadForVersion,
  type SalePayloadV1,
  upcastPayload,
  type WrittenPayloadOf,
} from '@tillwright/protocol';
import { sampleSalePayload } from '@tillwright/protocol/testing';
import type { EventDraft } from './journal.js';
import { Ledger } from './ledger.js';

/** A fresh ledger in a fresh folder, enrolled as terminal T1 of store S1, plus a deterministic id source. */
export function freshLedger(): {
  ledger: Ledger;
  path: string;
  dir: string;
  nextId: () => string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'tillwright-ledger-'));
  const path = join(dir, 'ledger.sqlite');
  const ledger = Ledger.open(path);
  ledger.journal.setIdentity({ orgId: 'O1', storeId: 'S1', terminalId: 'T1', epoch: 1 });
  let tick = 1_764_000_000_000;
  const nextId = createUuidV7Generator(
    () => tick++,
    (bytes) => bytes.fill(0x5a),
  );
  return {
    ledger,
    path,
    dir,
    nextId,
    cleanup: () => {
      ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function salePayload(total = 250): SalePayloadV1 {
  return sampleSalePayload(total);
}

export function saleDraft(eventId: string, total = 250): Extract<EventDraft, { type: 'sale' }> {
  return { eventId, type: 'sale', occurredAt: '2026-11-25T10:00:00.000Z', payload: salePayload(total) };
}

/**
 * A v1 payload of `type` as a till writes it at `version`: lifted to the latest version, done by `employeeId` where
 * the upcast names nobody, and lowered to `version` (`payloadForVersion`), as for a server that takes nothing newer.
 */
export function payloadAt<T extends EventType>(
  type: T,
  version: number,
  v1: unknown,
  employeeId = 'cashier-7',
): WrittenPayloadOf<T> {
  const latest = upcastPayload(type, 1, v1).payload as PayloadOf<T> & { employeeId?: string | null };
  return payloadForVersion(type, version, latest.employeeId === null ? { ...latest, employeeId } : latest);
}
