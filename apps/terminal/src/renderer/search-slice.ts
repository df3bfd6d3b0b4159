import type { ProductView } from '../contract/methods.js';
import type { TillDeps, TillGet, TillSet } from './cart-store.js';
import { RpcCallError } from './rpc-client.js';
import { isSignedIn } from './session-slice.js';

/** How many products the search list shows. */
export const SEARCH_LIMIT = 12;

/** The most the box holds, in characters (code points), as the contract counts them (catalog.search). */
export const SEARCH_MAX_CHARS = 60;

/** `text` cut at `SEARCH_MAX_CHARS` characters: never between the halves of an emoji, which the host would refuse. */
export function cutSearchText(text: string): string {
  const chars = Array.from(text);
  return chars.length > SEARCH_MAX_CHARS ? chars.slice(0, SEARCH_MAX_CHARS).join('') : text;
}

/** What a barcode typed into the search box looks like: 6 to 14 digits, nothing else. */
const TYPED_BARCODE = /^\d{6,14}$/;

export interface SearchView {
  /** What the box shows. */
  text: string;
  /** The host's answer for exactly `resultsFor`; the list is shown only while that is `text`. */
  results: ProductView[];
  resultsFor: string;
  /** The highlighted row (arrows move it, Enter adds it). */
  selected: number;
  error: string | null;
}

export interface SearchState {
  search: SearchView;
  /** The box changed: shows the text at once; `runSearch` asks the host (the screen calls it once per frame). */
  setSearchText(text: string): void;
  runSearch(): Promise<void>;
  moveSearchSelection(delta: number): void;
  /** Adds the highlighted product (or row `index`) to the cart and clears the box. A typed barcode with no match is looked up as a scan. */
  chooseSearchResult(index?: number): Promise<void>;
  clearSearch(): void;
}

export const EMPTY_SEARCH: SearchView = { text: '', results: [], resultsFor: '', selected: 0, error: null };

/** The results to show for the text in the box: none while the host's answer is for other text (stale). */
export function shownResults(search: SearchView): ProductView[] {
  return search.resultsFor === search.text.trim() ? search.results : [];
}

export function searchSlice(set: TillSet, get: TillGet, deps: TillDeps): SearchState {
  const update = (patch: Partial<SearchView>) => set((state) => ({ search: { ...state.search, ...patch } }));
  return {
    search: EMPTY_SEARCH,
    setSearchText(text) {
      update({ text: cutSearchText(text), error: null });
    },
    async runSearch() {
      const text = get().search.text.trim();
      if (text === get().search.resultsFor) return;
      if (text === '' || !isSignedIn(get().session))
        return update({ results: [], resultsFor: text, selected: 0 });
      try {
        const { products } = await deps.rpc.call('catalog.search', { text, limit: SEARCH_LIMIT });
        // An answer for text no longer in the box is dropped: the list shows the answer for the text shown.
        if (get().search.text.trim() === text) update({ results: products, resultsFor: text, selected: 0 });
      } catch (error) {
        if (get().search.text.trim() !== text) return;
        const words =
          error instanceof RpcCallError && error.code === 'invalid_params'
            ? `Letters and digits only, at most ${SEARCH_MAX_CHARS}`
            : error instanceof Error
              ? error.message
              : String(error);
        update({ results: [], resultsFor: text, selected: 0, error: words });
      }
    },
    moveSearchSelection(delta) {
      const { search } = get();
      const count = shownResults(search).length;
      if (count === 0) return;
      update({ selected: (search.selected + delta + count) % count });
    },
    async chooseSearchResult(index) {
      const { search } = get();
      const text = search.text.trim();
      const results = shownResults(search);
      const product = results[index ?? search.selected];
      if (product) {
        get().addProduct(product);
        return set({ search: EMPTY_SEARCH });
      }
      if (TYPED_BARCODE.test(text) && search.resultsFor === text) {
        set({ search: EMPTY_SEARCH });
        await get().lookupScan(text);
      }
    },
    clearSearch() {
      set({ search: EMPTY_SEARCH });
    },
  };
}
