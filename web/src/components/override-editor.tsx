import { useId, type HTMLAttributes, type ReactNode } from 'react';
import type { OverrideEditorState } from '../hooks/use-override-editor';
import { ErrorNotice, SuccessNotice } from './notice';

interface OverrideEditorProps {
  editor: OverrideEditorState;
  /** What is in force now, in words (the "Default" badge follows it when `inherited`). */
  summary: ReactNode;
  summaryTestId?: string;
  /** True when a workspace follows the platform's default: the badge shows, and there is nothing to go back from. */
  inherited: boolean;
  /** A workspace's override (can go back to the default) rather than the default itself. */
  workspace: boolean;
  label: string;
  hint: ReactNode;
  placeholder?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  saveLabel: string;
  className?: string;
  testId?: string;
}

/**
 * One per-workspace policy's editor (a cap, a rate limit, the platform key's models): what is in force and whether
 * it is the platform's default, an input, Save and, for a workspace's own value, "Use the default".
 */
export function OverrideEditor({
  editor,
  summary,
  summaryTestId,
  inherited,
  workspace,
  label,
  hint,
  placeholder,
  inputMode,
  saveLabel,
  className,
  testId,
}: OverrideEditorProps) {
  const id = useId();
  const describedBy = editor.inputError ? `${id}-hint ${id}-error` : `${id}-hint`;
  return (
    <form className={className} onSubmit={(event) => void editor.submit(event)} noValidate data-testid={testId} aria-busy={editor.saving || undefined}>
      <p data-testid={summaryTestId}>
        {summary} {workspace && inherited ? <span className="badge badge-muted">Default</span> : null}
      </p>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <input
            id={id}
            inputMode={inputMode}
            value={editor.text}
            onChange={(event) => editor.setText(event.target.value)}
            placeholder={placeholder}
            aria-describedby={describedBy}
            aria-invalid={editor.inputError ? true : undefined}
            disabled={editor.saving}
          />
          <p className="field-hint" id={`${id}-hint`}>
            {hint}
          </p>
          {editor.inputError ? (
            <p className="field-error" id={`${id}-error`}>
              {editor.inputError}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button button-primary" disabled={editor.saving}>
          {editor.saving ? 'Saving…' : saveLabel}
        </button>
        {workspace && !inherited ? (
          <button type="button" className="button" disabled={editor.saving} onClick={() => void editor.backToDefault()}>
            Use the default
          </button>
        ) : null}
      </div>
      {editor.error ? <ErrorNotice error={editor.error} /> : null}
      {editor.message ? <SuccessNotice>{editor.message}</SuccessNotice> : null}
    </form>
  );
}
