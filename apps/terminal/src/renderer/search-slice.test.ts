import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CatalogSearchParams, type ProductView } from '../contract/methods.js';
import { RpcCallError } from '../contract/wire.js';
import { shownResults } from './search-slice.js';
import { pen, sessionOf, setup } from './test-host.js';

const pencil: ProductView = { ...pen, productId: 'pencil', sku: 'PENCIL', name: 'Pencil HB', barcode: null };
const paper: ProductView = { ...pen, productId: 'paper', sku: 'PAPER', name: 'Paper A4', barcode: null };

/** A host whose search answers wait until the test releases them, in any order. */
function slowSearchHost() {
  const pending = new Map<string, (products: ProductView[]) => void>();
  const answer = (method: string, params: Record<string, unknown>) => {
    if (method !== 'catalog.search') return null;
    return new Promise((resolve) => pending.set(String(params.text), (products) => resolve({ products })));
  };
  const release = (text: string, products: ProductView[]) => pending.get(text)?.(products);
  return { answer, release, pending };
}

describe('name search in the till store', () => {
  it('asks the host for what is typed from the first letter and shows that answer', async () => {
    const { store, host } = await setup((method) =>
      method === 'catalog.search' ? { products: [paper, pencil] } : null,
    );
    store.getState().setSearchText('p');
    await store.getState().runSearch();
    expect(shownResults(store.getState().search)).toEqual([paper, pencil]);
    expect(host.calls.filter((call) => call.method === 'catalog.search').map((call) => call.params)).toEqual([
      { text: 'p', limit: 12 },
    ]);
  });

  it('cuts long text at 60 characters without splitting an emoji, so the host takes what it is sent', async () => {
    const { store, host } = await setup((method) => (method === 'catalog.search' ? { products: [] } : null));
    // 59 letters and an emoji: 60 characters, 61 UTF-16 units; then more.
    store.getState().setSearchText(`${'a'.repeat(59)}😀😀b`);
    expect(store.getState().search.text).toBe(`${'a'.repeat(59)}😀`);
    store.getState().setSearchText(`${'a'.repeat(60)}😀`);
    expect(store.getState().search.text).toBe('a'.repeat(60));
    store.getState().setSearchText('😀'.repeat(61));
    await store.getState().runSearch();
    const sent = host.calls.filter((call) => call.method === 'catalog.search').map((call) => call.params);
    expect(sent).toEqual([{ text: '😀'.repeat(60), limit: 12 }]);
    expect(CatalogSearchParams.safeParse(sent[0]).success).toBe(true);
    expect(store.getState().search.error).toBeNull();
  });

  it('drops a stale answer: the list shows the answer for the text in the box, never an older one', async () => {
    const slow = slowSearchHost();
    const { store } = await setup(slow.answer);
    store.getState().setSearchText('p');
    const first = store.getState().runSearch();
    store.getState().setSearchText('pe');
    const second = store.getState().runSearch();
    slow.release('pe', [pencil]);
    await second;
    slow.release('p', [paper, pencil]);
    await first;
    expect(store.getState().search).toMatchObject({ text: 'pe', resultsFor: 'pe' });
    expect(shownResults(store.getState().search)).toEqual([pencil]);
    // While the box shows text the host has not answered yet, no list is shown (not the previous one).
    store.getState().setSearchText('pen');
    expect(shownResults(store.getState().search)).toEqual([]);
  });

  it('moves the highlight with the arrows (wrapping) and adds the highlighted product with Enter, clearing the box', async () => {
    const { store } = await setup((method) =>
      method === 'catalog.search' ? { products: [paper, pencil] } : null,
    );
    store.getState().setSearchText('p');
    await store.getState().runSearch();
    store.getState().moveSearchSelection(1);
    expect(store.getState().search.selected).toBe(1);
    store.getState().moveSearchSelection(1);
    expect(store.getState().search.selected).toBe(0);
    store.getState().moveSearchSelection(-1);
    await store.getState().chooseSearchResult();
    expect(store.getState().cart.lines).toMatchObject([{ productId: 'pencil', barcode: null, quantity: 1 }]);
    expect(store.getState().search.text).toBe('');
  });

  it('adds a row touched, whichever is highlighted', async () => {
    const { store } = await setup((method) =>
      method === 'catalog.search' ? { products: [paper, pencil] } : null,
    );
    store.getState().setSearchText('pa');
    await store.getState().runSearch();
    await store.getState().chooseSearchResult(0);
    expect(store.getState().cart.lines.map((line) => line.productId)).toEqual(['paper']);
  });

  it('clears the box and the list on Esc, leaving the cart alone', async () => {
    const { store } = await setup((method) => (method === 'catalog.search' ? { products: [paper] } : null));
    store.getState().addProduct(pen);
    store.getState().setSearchText('pa');
    await store.getState().runSearch();
    store.getState().clearSearch();
    expect(store.getState().search).toMatchObject({ text: '', results: [] });
    expect(store.getState().cart.lines.map((line) => line.productId)).toEqual(['pen']);
  });

  it('looks up a barcode typed into the box when no name matches, and says when it is unknown', async () => {
    const { store } = await setup((method) => (method === 'catalog.search' ? { products: [] } : null));
    store.getState().addProduct(pen);
    const before = store.getState().cart;
    store.getState().setSearchText('5901234123457');
    await store.getState().runSearch();
    await store.getState().chooseSearchResult();
    expect(store.getState().notice?.text).toBe('No product with barcode 5901234123457 — search by name (F2)');
    expect(store.getState().cart).toBe(before);
  });

  it('does not search for nobody: signed out, the box asks the host nothing', async () => {
    const { store, host } = await setup(() => ({ products: [pen] }), { session: sessionOf('signed-out') });
    store.getState().setSearchText('pen');
    await store.getState().runSearch();
    expect(host.calls.some((call) => call.method === 'catalog.search')).toBe(false);
    expect(shownResults(store.getState().search)).toEqual([]);
  });

  it('says what was wrong when the host refuses the text, and shows no list', async () => {
    const { store } = await setup((method) => {
      if (method === 'catalog.search') {
        throw new RpcCallError({ code: 'invalid_params', message: 'catalog.search: text', retryable: false });
      }
      return null;
    });
    store.getState().setSearchText('pen');
    await store.getState().runSearch();
    expect(store.getState().search.error).toBe('Letters and digits only, at most 60');
    expect(shownResults(store.getState().search)).toEqual([]);
  });
});
