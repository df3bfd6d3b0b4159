import { useEffect, useRef } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { TillState } from './cart-store.js';
import { overlayOpen } from './overlay.js';
import { shownResults } from './search-slice.js';
import { money } from './words.js';

/**
 * Name search as the cashier types (F2 focuses it): the list follows the text, one host call per animation frame
 * at most, and shows only the answer for the text in the box. Arrows move the highlight, Enter adds it to the
 * cart, Esc clears the box and leaves it; rows are 48 px for touch. A scanner's keys never land here: the wedge
 * input holds keys aimed at a text field until it knows they are a person's.
 */
export function SearchBox({ store, state }: { store: StoreApi<TillState>; state: TillState }) {
  const input = useRef<HTMLInputElement>(null);
  const frame = useRef<number | null>(null);
  const { search } = state;
  const results = shownResults(search);
  const listId = 'search-results';

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'F2') return;
      event.preventDefault();
      if (overlayOpen(store.getState())) return;
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    };
  }, [store]);

  const onChange = (text: string) => {
    store.getState().setSearchText(text);
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      void store.getState().runSearch();
    });
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    const actions = store.getState();
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      actions.moveSearchSelection(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void actions.chooseSearchResult();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (actions.search.text === '') input.current?.blur();
      else actions.clearSearch();
    }
  };

  return (
    <div className="search">
      <label htmlFor="search-box">
        Search <kbd>F2</kbd>
      </label>
      <input
        id="search-box"
        ref={input}
        type="search"
        className="search-input"
        data-testid="search-box"
        placeholder="Name or SKU"
        autoComplete="off"
        spellCheck={false}
        aria-controls={listId}
        value={search.text}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {search.error && (
        <p className="error" role="alert">
          {search.error}
        </p>
      )}
      {results.length > 0 && (
        <section className="search-results" id={listId} aria-label="Search results">
          {results.map((product, index) => (
            <button
              type="button"
              key={product.productId}
              id={`search-result-${index}`}
              aria-current={index === search.selected}
              data-testid="search-result"
              className={index === search.selected ? 'search-result selected' : 'search-result'}
              // Keep focus in the box, so the next letter, the arrows or Enter still work after a touch.
              onPointerDown={(event) => event.preventDefault()}
              onClick={() => void store.getState().chooseSearchResult(index)}
            >
              <span className="name">{product.name}</span>
              <span className="sku">{product.sku}</span>
              <span className="num">{money(product.unitPrice, product.currency)}</span>
            </button>
          ))}
        </section>
      )}
      {results.length === 0 && search.text.trim() !== '' && search.resultsFor === search.text.trim() && (
        <p className="search-none" data-testid="search-none">
          Nothing matches “{search.text.trim()}”
        </p>
      )}
    </div>
  );
}
