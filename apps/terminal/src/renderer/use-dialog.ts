import { type RefObject, useEffect, useRef, useState } from 'react';

/**
 * A dialog over the screen: while it is shown, focus is inside it (on the first field or button, unless something
 * inside took it already), and when it closes focus goes back to where it was, so the cashier carries on exactly
 * there. Mount the dialog only while it is shown.
 */
export function useDialogFocus<T extends HTMLElement>(): RefObject<T | null> {
  const container = useRef<T | null>(null);
  // Read while rendering, before any effect inside the dialog moves focus into it.
  const [before] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  useEffect(() => {
    if (!container.current?.contains(document.activeElement)) {
      container.current
        ?.querySelector<HTMLElement>('input:not([hidden]), button:not([tabindex="-1"])')
        ?.focus();
    }
    return () => {
      // The dialog has left the page, and focus with it (to the body): back where it was, if that is still there.
      const lost = !document.activeElement || document.activeElement === document.body;
      if (lost && before?.isConnected) before.focus();
    };
  }, [before]);
  return container;
}

/** Focus the element (the button that confirms, say) each time `shown` changes: a new step of a dialog. */
export function useFocusOnShow<T extends HTMLElement>(shown: unknown): RefObject<T | null> {
  const element = useRef<T | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `shown` is the trigger, not read
  useEffect(() => {
    element.current?.focus();
  }, [shown]);
  return element;
}
