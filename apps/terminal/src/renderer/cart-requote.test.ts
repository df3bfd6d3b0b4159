import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { RpcCallError } from '../contract/wire.js';
import { repricing } from './cart-store.js';
import { pen, quoteAtPenPrice, sessionOf, setup } from './test-host.js';

type QuoteParams = Parameters<typeof quoteAtPenPrice>[0];

/** A host whose quotes are refused with `refusal` while it returns one; `quotes` counts the questions. */
function refusingQuotes() {
  const state: { refusal: RpcCallError | null; quotes: number } = { refusal: null, quotes: 0 };
  const quote = (params: QuoteParams) => {
    state.quotes += 1;
    if (state.refusal) throw state.refusal;
    return quoteAtPenPrice(params);
  };
  return { state, quote };
}

const refusal = (code: string, retryable = false) =>
  new RpcCallError({ code, message: `refused: ${code}`, retryable });

describe('a quote that failed is asked for again (issue 17, point 7)', () => {
  it('after the cashier signs in again: the refusal while signed out does not leave the cart re-pricing', async () => {
    const held = refusingQuotes();
    const { store, host } = await setup(() => null, { quote: held.quote });
    // Auto-lock signed the cashier out under the screen: the quote is refused and the store learns who is there.
    host.state.session = sessionOf('signed-out');
    held.state.refusal = refusal('not_signed_in');
    store.getState().addProduct(pen);
    await expect.poll(() => store.getState().session?.state).toBe('signed-out');
    expect(repricing(store.getState())).toBe(true);

    held.state.refusal = null;
    host.state.session = sessionOf('signed-in');
    host.emit({ event: 'session.status', payload: host.state.session });
    await expect.poll(() => store.getState().quote?.total).toBe(250);
    expect(repricing(store.getState())).toBe(false);
  });

  it('after an unlock', async () => {
    const held = refusingQuotes();
    const { store, host } = await setup(() => null, { quote: held.quote });
    host.state.session = sessionOf('locked');
    held.state.refusal = refusal('session_locked');
    store.getState().addProduct(pen);
    await expect.poll(() => store.getState().session?.state).toBe('locked');

    held.state.refusal = null;
    host.state.session = sessionOf('signed-in');
    host.emit({ event: 'session.status', payload: host.state.session });
    await expect.poll(() => store.getState().quote?.total).toBe(250);
  });

  it('after the host restarted mid-sale, once it answers again', async () => {
    const held = refusingQuotes();
    const { store } = await setup(() => null, { quote: held.quote });
    held.state.refusal = refusal('host_disconnected', true);
    store.getState().addProduct(pen);
    // The store asks who is signed in once out of contact; the host answers: back in contact, the quote is asked again.
    held.state.refusal = null;
    await expect.poll(() => store.getState().quote?.total).toBe(250);
    expect(held.state.quotes).toBe(2);
  });

  it('a bounded number of times for one cart, however often the session is pushed, while the host keeps refusing', async () => {
    const held = refusingQuotes();
    const { store, host } = await setup(() => null, { quote: held.quote });
    held.state.refusal = refusal('internal', true);
    store.getState().addProduct(pen);
    await expect.poll(() => store.getState().notice?.text).toBe('refused: internal');
    for (let push = 0; push < 6; push += 1) {
      host.emit({ event: 'session.status', payload: sessionOf('signed-in') });
      await expect.poll(() => held.state.quotes).toBe(Math.min(push + 2, 4));
    }
    expect(held.state.quotes).toBe(4);
    // A change to the cart is a new question, asked at once.
    store.getState().addProduct(pen);
    expect(held.state.quotes).toBe(5);
  });
});
