import { type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from 'react';

/** The data-testid names of one use of the form: sign-in and approval each name their own. */
export interface CredentialIds {
  number: string;
  pin: string;
  submit: string;
  error: string;
}

export interface CredentialsFormProps {
  ids: CredentialIds;
  numberLabel: string;
  submitLabel: string;
  /** The employee number when it is known already (the locked employee, or a name picked): only the PIN is asked. */
  fixedNumber: string | null;
  busy: boolean;
  error: string | null;
  /** True when the credentials went through; on false the PIN is cleared for another try. */
  onSubmit(number: string, pin: string): Promise<boolean>;
  /** Esc: the approval dialog cancels; without it, Esc clears the form. */
  onCancel?: () => void;
  onEdit?: () => void;
  /** Extra buttons under the keypad (Cancel, Sign in as someone else…). */
  children?: ReactNode;
}

type Field = 'number' | 'pin';
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'back', '0', 'clear'] as const;
const MAX = { number: 10, pin: 8 };

/**
 * An employee number and a PIN, typed on the keyboard or on the on-screen keypad (large targets, for touch): the
 * keypad types into whichever of the two fields was last focused. Enter moves from the number to the PIN, then
 * submits; Esc clears (or cancels, in a dialog that can be cancelled). The PIN is masked.
 */
export function CredentialsForm(props: CredentialsFormProps) {
  const { ids, fixedNumber, busy, error } = props;
  const [number, setNumber] = useState('');
  const [pin, setPin] = useState('');
  const [target, setTarget] = useState<Field>(fixedNumber ? 'pin' : 'number');
  const numberRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const refs = { number: numberRef, pin: pinRef };
  const setters = { number: setNumber, pin: setPin };

  // A number fixed or cleared from outside: start again, at the field that is asked for.
  useEffect(() => {
    setNumber('');
    setPin('');
    const first = fixedNumber ? pinRef : numberRef;
    first.current?.focus();
    setTarget(fixedNumber ? 'pin' : 'number');
  }, [fixedNumber]);

  const edit = (field: Field, value: string) => {
    setters[field](value.replace(/\D/g, '').slice(0, MAX[field]));
    props.onEdit?.();
  };
  const clear = () => {
    setNumber('');
    setPin('');
    props.onEdit?.();
    (fixedNumber ? pinRef : numberRef).current?.focus();
  };
  const submit = async () => {
    // Read from the fields: a key replayed into one just now (the scanner guard) may not have re-rendered yet.
    const typedNumber = fixedNumber ?? numberRef.current?.value ?? number;
    const typedPin = pinRef.current?.value ?? pin;
    if (!fixedNumber && typedNumber && !typedPin) return pinRef.current?.focus();
    if (busy) return;
    if (!(await props.onSubmit(typedNumber, typedPin))) {
      setPin('');
      pinRef.current?.focus();
    }
  };
  const press = (key: (typeof KEYS)[number]) => {
    const value = target === 'number' ? number : pin;
    if (key === 'clear') return edit(target, '');
    edit(target, key === 'back' ? value.slice(0, -1) : value + key);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (props.onCancel) props.onCancel();
      else clear();
    }
  };

  const field = (name: Field, label: string, hidden: boolean) => (
    <label className={`credential${target === name ? ' active' : ''}`} hidden={hidden}>
      {label}
      <input
        ref={refs[name]}
        data-testid={ids[name]}
        type={name === 'pin' ? 'password' : 'text'}
        inputMode="numeric"
        autoComplete="off"
        value={name === 'pin' ? pin : number}
        disabled={busy}
        onFocus={() => setTarget(name)}
        onChange={(event) => edit(name, event.target.value)}
      />
    </label>
  );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Enter and Esc for the fields inside, which get them first
    <div className="credentials" onKeyDown={onKeyDown}>
      {field('number', props.numberLabel, fixedNumber !== null)}
      {field('pin', 'PIN', false)}
      {error && (
        <p className="error" role="alert" data-testid={ids.error}>
          {error}
        </p>
      )}
      <div className="pin-pad" data-testid="pin-pad">
        {KEYS.map((key) => (
          <button
            key={key}
            type="button"
            tabIndex={-1}
            data-testid={`key-${key}`}
            aria-label={key === 'back' ? 'Delete last digit' : key === 'clear' ? 'Clear field' : key}
            disabled={busy}
            // Keeps focus (and the on-screen keyboard, if any) on the field the keypad types into.
            onPointerDown={(event) => event.preventDefault()}
            onClick={() => press(key)}
          >
            {key === 'back' ? '⌫' : key === 'clear' ? 'Clear' : key}
          </button>
        ))}
      </div>
      <div className="credential-actions">
        <button
          type="button"
          className="primary"
          data-testid={ids.submit}
          disabled={busy}
          onClick={() => void submit()}
        >
          {busy ? 'Checking…' : props.submitLabel} <kbd>Enter</kbd>
        </button>
        {props.children}
      </div>
    </div>
  );
}
