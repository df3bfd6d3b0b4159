import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '@tillwright/ledger';
import type { CatalogProduct } from '@tillwright/protocol';
import { createUuidV7Generator } from '@tillwright/protocol';

export const CATALOG: CatalogProduct[] = [
  {
    productId: 'pen',
    sku: 'PEN',
    name: 'Ballpoint pen',
    barcodes: ['4006381333931'],
    currency: 'EUR',
    price: 250,
    taxCategory: 'standard',
    tags: ['stationery'],
    active: true,
    version: 1,
  },
  {
    productId: 'book',
    sku: 'NB-A5',
    name: 'Notebook A5',
    barcodes: ['5901234123457'],
    currency: 'EUR',
    price: 499,
    taxCategory: 'reduced',
    tags: ['stationery'],
    active: true,
    version: 2,
  },
];

/** An enrolled ledger with a small catalog in a fresh folder, and a deterministic sale-id source. */
export function enrolledLedger(options: { maxSizeBytes?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tillwright-host-'));
  const ledger = Ledger.open(join(dir, 'ledger.sqlite'), options);
  ledger.journal.setIdentity({ orgId: 'O', storeId: 'S1', terminalId: 'S1-T01', epoch: 1 });
  ledger.catalog.applyBatch(CATALOG, 2);
  let tick = 1_764_064_800_000;
  const nextSaleId = createUuidV7Generator(
    () => tick++,
    (bytes) => bytes.fill(3),
  );
  return {
    dir,
    ledger,
    nextSaleId,
    cleanup: () => {
      ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const FIXED_NOW = () => new Date('2026-11-25T12:00:00.000Z');
