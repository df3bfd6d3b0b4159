import type { CatalogProduct } from '@tillwright/protocol';

/**
 * A product as a till that parses catalog product schema `version` sees it (`CATALOG_PRODUCT_VERSIONS`). Version 1
 * (tills from before issue #17) knows no `measure`, `openPrice` or `minimumAge` and refuses unknown fields: a
 * product sold by the unit goes without them, and one that needs them (weighed, open-price, age-restricted) is
 * served inactive, so that till cannot sell it at a wrong price or without the age check.
 */
export function productForSchema(product: CatalogProduct, version: number): CatalogProduct {
  if (version >= 2) return product;
  const { measure, openPrice, minimumAge, ...v1 } = product;
  const needsV2 =
    (measure !== undefined && measure !== 'unit') || openPrice !== undefined || minimumAge !== undefined;
  return needsV2 ? { ...v1, active: false } : v1;
}
