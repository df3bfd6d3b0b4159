import type { CatalogEntry } from '@tillwright/ledger';
import { canonicalJson, type TerminalConfig } from '@tillwright/protocol';
import type { CartConfigView, CustomLinesView, ProductView, QuickKeysView } from '../contract/methods.js';

export interface CartConfigDeps {
  /** HQ's terminal configuration in force (the ledger's feed). */
  config: () => TerminalConfig;
  /** A product this till sells now (active in its catalog), or null. */
  findProduct: (productId: string) => CatalogEntry | null;
  view: (product: CatalogEntry) => ProductView;
  currency: string;
  /** What the screen shows changed: pushed to the renderer as `cart.config`. */
  onChange: (view: CartConfigView) => void;
}

/**
 * The sale screen's quick keys and custom-line rules, read from HQ's configuration and the till's catalog at each
 * use. `publish` (after every sync round) pushes them only when they differ from what was last pushed.
 */
export class CartConfig {
  private published: string | null = null;

  constructor(private readonly deps: CartConfigDeps) {}

  /** The configured keys in order; a key whose product this till does not sell (unknown, inactive) is left out. */
  quickKeys(): QuickKeysView {
    const configured = this.deps.config().quickKeys;
    const keys = configured.flatMap(({ label, productId }) => {
      const product = this.deps.findProduct(productId);
      return product && product.currency === this.deps.currency
        ? [{ label, product: this.deps.view(product) }]
        : [];
    });
    return { keys, leftOut: configured.length - keys.length };
  }

  customLines(): CustomLinesView {
    const { allowed, maxAmount } = this.deps.config().customLines;
    return { allowed: allowed && maxAmount > 0, maxAmount, currency: this.deps.currency };
  }

  view(): CartConfigView {
    return { quickKeys: this.quickKeys(), customLines: this.customLines() };
  }

  publish(): void {
    const view = this.view();
    const key = canonicalJson(view);
    if (key === this.published) return;
    this.published = key;
    this.deps.onChange(view);
  }
}
