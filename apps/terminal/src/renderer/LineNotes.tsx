import type { CartLine } from './cart-db.js';
import { weightWords } from './line-entry-slice.js';

/** Under a cart line's name: its weight and price per kg/lb, a keyed price, and the age check's mark. */
export function LineNotes({ line, currency }: { line: CartLine; currency: string }) {
  return (
    <>
      {line.measure && (
        <div className="line-note" data-testid="line-weight">
          {weightWords(line, currency)}
        </div>
      )}
      {line.enteredPrice !== undefined && !line.measure && (
        <div className="line-note" data-testid="line-price-keyed">
          price keyed
        </div>
      )}
      {line.ageCheck && (
        <div className="line-note age-checked" data-testid="line-age-checked">
          ✓ Age {line.ageCheck.minimumAge}+ checked
          {line.ageCheck.method === 'id-checked' ? ' (ID)' : ' (clearly over age)'}
        </div>
      )}
    </>
  );
}
