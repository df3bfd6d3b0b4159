export type PadKey =
  | '0'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8'
  | '9'
  | '00'
  | '.'
  | 'back'
  | 'clear';

const COUNT_KEYS: PadKey[] = ['7', '8', '9', '4', '5', '6', '1', '2', '3', 'clear', '0', 'back'];
const AMOUNT_KEYS: PadKey[] = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '0', '00', '.', 'clear', 'back'];

const LABELS: Partial<Record<PadKey, string>> = { back: '⌫', clear: 'Clear' };
const NAMES: Partial<Record<PadKey, string>> = { back: 'Delete last digit', clear: 'Clear field' };

/**
 * The on-screen keypad for counts and amounts (large targets, for touch). It never takes focus: it types into the
 * field the cashier last focused, which keeps the keyboard working alongside it.
 */
export function NumberPad({
  amounts,
  disabled,
  onKey,
}: {
  /** With a decimal point and "00" (amounts), or digits only (counts). */
  amounts: boolean;
  disabled?: boolean;
  onKey(key: PadKey): void;
}) {
  return (
    <div className={`number-pad${amounts ? ' amounts' : ''}`} data-testid="number-pad">
      {(amounts ? AMOUNT_KEYS : COUNT_KEYS).map((key) => (
        <button
          key={key}
          type="button"
          className={LABELS[key] ? 'pad-key word' : 'pad-key'}
          tabIndex={-1}
          data-testid={`pad-${key}`}
          aria-label={NAMES[key] ?? key}
          disabled={disabled}
          onPointerDown={(event) => event.preventDefault()}
          onClick={() => onKey(key)}
        >
          {LABELS[key] ?? key}
        </button>
      ))}
    </div>
  );
}

/** A field's text after a keypad key: digits (and one point, for amounts) appended, the last removed, or cleared. */
export function applyPadKey(text: string, key: PadKey, maxLength: number): string {
  if (key === 'clear') return '';
  if (key === 'back') return text.slice(0, -1);
  if (key === '.' && text.includes('.')) return text;
  return (text + key).slice(0, maxLength);
}
