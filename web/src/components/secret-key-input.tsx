import { useId, useState, type ReactNode } from 'react';

interface SecretKeyInputProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  hint?: ReactNode;
  autoFocus?: boolean;
}

/**
 * A password-style input for a provider key. It starts empty every time (never pre-filled: the API has no
 * way to return a saved key), is excluded from autofill and spell-check, and its value is cleared by the
 * owner component as soon as it has been sent. "Show" reveals what was pasted (to check it) and starts
 * hidden again on every mount.
 */
export function SecretKeyInput({ label, value, onChange, error, hint, autoFocus }: SecretKeyInputProps) {
  const id = useId();
  const [visible, setVisible] = useState(false);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="secret-input">
        <input
          id={id}
          type={visible ? 'text' : 'password'}
          name="api-key"
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          data-1p-ignore
          data-lpignore="true"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          autoFocus={autoFocus}
        />
        <button type="button" className="button secret-input-toggle" aria-pressed={visible} aria-controls={id} onClick={() => setVisible((shown) => !shown)}>
          {visible ? 'Hide' : 'Show'}
        </button>
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert" data-error-code="INVALID_KEY_FORMAT">
          {error}
        </p>
      ) : null}
    </div>
  );
}
