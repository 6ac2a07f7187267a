import { useId } from 'react';

/** An accessible on/off switch (a real button with role="switch"). */
export function Switch({
  label,
  description,
  checked,
  onChange,
}: {
  label: string;
  description?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="switch-row">
      <button
        type="button"
        role="switch"
        id={id}
        aria-checked={checked}
        aria-describedby={description ? `${id}-description` : undefined}
        className={checked ? 'switch switch-on' : 'switch'}
        onClick={() => onChange(!checked)}
      >
        <span className="switch-thumb" aria-hidden="true" />
      </button>
      <div>
        <label htmlFor={id} className="switch-label">
          {label} <span className="switch-state">{checked ? 'On' : 'Off'}</span>
        </label>
        {description ? (
          <p id={`${id}-description`} className="muted">
            {description}
          </p>
        ) : null}
      </div>
    </div>
  );
}
