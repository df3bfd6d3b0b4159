import { useState } from 'react';

/** Printable text of 1 to 120 characters, as the host takes a reason. */
export const REASON_MAX = 120;

/**
 * A reason picked from the quick ones or typed: a pick is shown pressed (not by colour alone: it is marked ✓), and
 * typing replaces it. `onChange` gets the reason in force ('' for none yet).
 */
export function ReasonPicker({
  reasons,
  question,
  disabled,
  onChange,
}: {
  reasons: string[];
  question: string;
  disabled?: boolean;
  onChange(reason: string): void;
}) {
  const [picked, setPicked] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  return (
    <fieldset className="reason-picker" disabled={disabled}>
      <legend>{question}</legend>
      <div className="reasons">
        {reasons.map((reason) => (
          <button
            key={reason}
            type="button"
            data-testid="reason-choice"
            aria-pressed={picked === reason}
            onClick={() => {
              setPicked(reason);
              setTyped('');
              onChange(reason);
            }}
          >
            {picked === reason ? '✓ ' : ''}
            {reason}
          </button>
        ))}
      </div>
      <label className="other-reason-label">
        Another reason
        <input
          className="reason-input"
          data-testid="reason-other"
          value={typed}
          maxLength={REASON_MAX}
          onChange={(event) => {
            setTyped(event.target.value);
            setPicked(null);
            onChange(event.target.value.trim());
          }}
        />
      </label>
    </fieldset>
  );
}
