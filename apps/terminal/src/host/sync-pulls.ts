import type { Ledger } from '@tillwright/ledger';
import { type RequestSigner, type ServerClient, ServerFailure } from './server-client.js';

/**
 * Catalog, configuration and return authorisations, each after its own cursor. A `must_refetch` (the server was
 * restored behind the cursor) starts that pull once more from 0; the catalog keeps its products meanwhile.
 */
export async function pullCatalogAndFeed(
  server: ServerClient,
  ledger: Ledger,
  signer: RequestSigner,
  log: (message: string) => void = () => {},
) {
  await pullPages(
    () => server.pullCatalog(signer, ledger.catalog.cursor()),
    (page) => {
      if (page.products.length > 0) ledger.catalog.applyBatch(page.products, page.version);
    },
    () => ledger.catalog.restartCursor(),
  );
  // Upgraded since it skipped feed items: read them again (docs/protocol.md, "Versions").
  if (ledger.feed.rereadAfterUpgrade())
    log('this till was upgraded since it skipped feed items; reading them again');
  await pullPages(
    () => server.pullFeed(signer, ledger.feed.cursor()),
    (page) => {
      for (const item of ledger.feed.apply(page.items, page.nextAfter).skipped) {
        log(
          `skipped feed item ${item.kind} version ${item.schema} at ${item.version}: ${item.reason}; ` +
            'sync goes on without it, and an upgraded till reads it again',
        );
      }
    },
    () => ledger.feed.reset(),
  );
}

async function pullPages<P extends { hasMore: boolean }>(
  pull: () => Promise<P>,
  apply: (page: P) => void,
  restart: () => void,
): Promise<void> {
  let restarted = false;
  for (;;) {
    let page: P;
    try {
      page = await pull();
    } catch (error) {
      if (error instanceof ServerFailure && error.code === 'must_refetch' && !restarted) {
        restarted = true;
        restart();
        continue;
      }
      throw error;
    }
    apply(page);
    if (!page.hasMore) return;
  }
}
