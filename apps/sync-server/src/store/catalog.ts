import { type CatalogProduct, canonicalJson } from '@tillwright/protocol';
import { type Kysely, sql } from 'kysely';
import { type AuditAction, writeAudit } from './audit.js';
import { inSlices, takeNumbers } from './dialect.js';
import { toCatalogPage } from './rows.js';
import type { Database } from './schema.js';

/**
 * The org's catalog, on either dialect: `catalog_products` holds each product's current listing (what tills pull),
 * `catalog_product_versions` every listing ever made, never overwritten (priced history, decision 0010).
 */
export function catalogQueries(db: Kysely<Database>) {
  return {
    /** Imports products all or nothing, each with a new catalog version; returns the last version. */
    put(
      orgId: string,
      products: readonly Omit<CatalogProduct, 'version'>[],
      audit?: { at: string; actor: AuditAction['actor'] },
    ): Promise<number> {
      return db.transaction().execute(async (trx) => {
        if (products.length === 0) return 0;
        // One number per listing, in import order, from the catalog counter (commit order, as stream offsets).
        const last = await takeNumbers(trx, 'catalog_version', products.length);
        const first = last - products.length + 1;
        const listings = products.map((product, index) => ({
          org_id: orgId,
          product_id: product.productId,
          version: first + index,
          body: canonicalJson({ ...product, version: first + index }),
        }));
        // Every listing is kept; a product listed twice is current as its last listing, as one upsert per listing
        // would leave it (one statement may not update a row twice on PostgreSQL).
        for (const slice of inSlices(listings)) {
          await trx.insertInto('catalog_product_versions').values(slice).execute();
        }
        const current = [...new Map(listings.map((listing) => [listing.product_id, listing])).values()];
        for (const slice of inSlices(current)) {
          await trx
            .insertInto('catalog_products')
            .values(slice)
            .onConflict((oc) =>
              oc.columns(['org_id', 'product_id']).doUpdateSet((eb) => ({
                version: eb.ref('excluded.version'),
                body: eb.ref('excluded.body'),
              })),
            )
            .execute();
        }
        if (audit) {
          await writeAudit(trx, orgId, audit.at, {
            actor: audit.actor,
            action: 'catalog.import',
            target: 'catalog',
            detail: {
              imported: products.length,
              products: current.length,
              firstVersion: first,
              version: last,
            },
          });
        }
        return last;
      });
    },

    async current(orgId: string, productId: string): Promise<CatalogProduct | null> {
      const row = await db
        .selectFrom('catalog_products')
        .select('body')
        .where('org_id', '=', orgId)
        .where('product_id', '=', productId)
        .executeTakeFirst();
      return row ? (JSON.parse(row.body) as CatalogProduct) : null;
    },

    /** The newest listing at or below `version`, or null. */
    async at(orgId: string, productId: string, version: number): Promise<CatalogProduct | null> {
      const row = await db
        .selectFrom('catalog_product_versions')
        .select('body')
        .where('org_id', '=', orgId)
        .where('product_id', '=', productId)
        .where('version', '<=', version)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? (JSON.parse(row.body) as CatalogProduct) : null;
    },

    async after(orgId: string, afterVersion: number, limit: number) {
      const found = await db
        .selectFrom('catalog_products')
        .select(['version', 'body'])
        .where('org_id', '=', orgId)
        .where('version', '>', afterVersion)
        .orderBy('version')
        .limit(limit + 1)
        .execute();
      return toCatalogPage(found, afterVersion, limit);
    },

    async version(orgId: string): Promise<number> {
      const row = await db
        .selectFrom('catalog_products')
        .select(sql<number>`coalesce(max(version), 0)`.as('v'))
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return Number(row?.v ?? 0);
    },
  };
}
