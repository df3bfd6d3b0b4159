import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { RpcCallError } from '../contract/wire.js';
import { REPRICING_WORDS, repricing } from './cart-store.js';
import { pen, quoteAtPenPrice, setup } from './test-host.js';

type QuoteParams = Parameters<typeof quoteAtPenPrice>[0];

/** A host whose quotes wait until the test answers them, in whatever order it likes. */
function heldQuotes() {
  const pending: { params: QuoteParams; answer(): void }[] = [];
  const quote = (params: QuoteParams) =>
    new Promise((resolve) => pending.push({ params, answer: () => resolve(quoteAtPenPrice(params)) }));
  return { pending, quote };
}

describe('the total on screen (issue 17, point 7)', () => {
  it('after a rescan raised a quantity, shows no total until the host has priced two pens, and Pay waits', async () => {
    const held = heldQuotes();
    const { store, host } = await setup(() => null, { quote: held.quote });
    store.getState().addProduct(pen);
    held.pending[0]!.answer();
    await expect.poll(() => store.getState().quote?.total).toBe(250);

    store.getState().addProduct(pen);
    expect(store.getState().cart.lines).toMatchObject([{ quantity: 2 }]);
    expect(store.getState().quote).toBeNull();
    expect(repricing(store.getState())).toBe(true);
    const paid = store.getState().pay();
    await Promise.resolve();
    expect(host.calls.filter((call) => call.method === 'sale.complete')).toEqual([]);

    held.pending[1]!.answer();
    await expect.poll(() => store.getState().quote?.total).toBe(500);
    await paid;
    const [complete] = host.calls.filter((call) => call.method === 'sale.complete');
    expect(complete?.params).toMatchObject({ tenders: [{ kind: 'cash', tendered: 500 }] });
  });

  it('when the quote fails, Pay says it is re-pricing and asks the host again', async () => {
    let failing = true;
    const { store, host } = await setup(() => null, {
      quote: (params) => {
        if (failing) throw new RpcCallError({ code: 'internal', message: 'pricing broke', retryable: true });
        return quoteAtPenPrice(params);
      },
    });
    store.getState().addProduct(pen);
    await expect.poll(() => store.getState().notice?.text).toBe('pricing broke');
    failing = false;
    await store.getState().pay();
    expect(store.getState().notice?.text).toBe(REPRICING_WORDS);
    expect(host.calls.filter((call) => call.method === 'sale.complete')).toEqual([]);
    await expect.poll(() => store.getState().quote?.total).toBe(250);
  });

  it('drops a quote that answers for an older cart after the newer one', async () => {
    const held = heldQuotes();
    const { store } = await setup(() => null, { quote: held.quote });
    store.getState().addProduct(pen);
    store.getState().addProduct(pen);
    expect(held.pending.map((p) => p.params.lines[0]!.quantity)).toEqual([1, 2]);
    held.pending[1]!.answer();
    await expect.poll(() => store.getState().quote?.total).toBe(500);
    held.pending[0]!.answer();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.getState().quote?.total).toBe(500);
  });
});
