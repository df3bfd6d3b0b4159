import type { Ledger } from '@tillwright/ledger';
import type { JournalWriter } from './journal-writer.js';
import type { LineContext } from './sale-lines.js';

/** The first sale and training-sale versions whose lines carry a weight, a keyed price and an age check. */
const DETAILED_SALE = 6;
const DETAILED_TRAINING_SALE = 3;

/**
 * What `resolveLine` checks a weighed, keyed-price or age-checked line against, read from the till's ledger now: the
 * store's barcode rules, its employees, and whether the server takes sales whose lines can record them.
 */
export function lineChecks(
  ledger: Ledger,
  now: Date,
  writer: Pick<JournalWriter, 'version'>,
): Omit<LineContext, 'currency' | 'findProduct' | 'customLines' | 'jurisdiction'> {
  const training = writer.version('training-sale');
  return {
    now,
    barcodeRegion: ledger.feed.config().barcodeRegion,
    findByBarcode: (barcode) => ledger.catalog.findByBarcode(barcode),
    isStoreEmployee: (employeeId) => ledger.feed.employee(employeeId)?.active === true,
    recordsLineDetails:
      (writer.version('sale') ?? 0) >= DETAILED_SALE &&
      (training === null || training >= DETAILED_TRAINING_SALE),
  };
}
