import { type JournalEvent, upcastJournalEvent } from '@tillwright/protocol';
import type { Kysely } from 'kysely';
import { returnsOfSale } from './event-identity.js';
import type { Database } from './schema.js';

/**
 * Quantity sold and returned so far per line of a sale, from the sale's stored body and the bodies of the org's
 * returns that name its id (of which only those naming its terminal count, see `returnsOfSale`). Both dialects read
 * the rows their own way and add up here, so they count alike.
 */
export function lineQuantities(
  saleBody: string,
  returnBodies: string[],
): Map<string, { sold: number; returned: number }> {
  const lines = new Map<string, { sold: number; returned: number }>();
  const sale = upcastJournalEvent(JSON.parse(saleBody) as JournalEvent);
  if (sale.type !== 'sale') return lines;
  for (const line of sale.payload.lines) lines.set(line.lineId, { sold: line.quantity, returned: 0 });
  for (const ret of returnsOfSale(saleBody, returnBodies)) {
    for (const line of ret.payload.lines) {
      const entry = lines.get(line.lineId) ?? { sold: 0, returned: 0 };
      entry.returned += line.quantity;
      lines.set(line.lineId, entry);
    }
  }
  return lines;
}

/** Quantity sold and returned per line of a stored sale of the org (see `lineQuantities`), or null. */
export async function saleLineQuantities(
  db: Kysely<Database>,
  orgId: string,
  saleId: string,
  terminalId?: string,
) {
  const sale = await db
    .selectFrom('events')
    .select('body')
    .where('org_id', '=', orgId)
    .where('event_id', '=', saleId)
    .$if(terminalId !== undefined, (q) => q.where('terminal_id', '=', terminalId!))
    .where('type', '=', 'sale')
    .executeTakeFirst();
  if (!sale) return null;
  return lineQuantities(sale.body, await returnBodies(db, orgId, saleId));
}

/** Bodies of the org's stored returns that name this sale id (see `returnsOfSale` for which of them count). */
export async function returnBodies(db: Kysely<Database>, orgId: string, saleId: string) {
  const rows = await db
    .selectFrom('events')
    .select('body')
    .where('org_id', '=', orgId)
    .where('type', '=', 'return')
    .where('original_sale_id', '=', saleId)
    .execute();
  return rows.map((row) => row.body);
}
