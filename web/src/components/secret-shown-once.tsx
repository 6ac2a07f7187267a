import type { ReactNode } from 'react';
import { CopyButton } from './copy-button';

/**
 * A secret the server returns exactly once (an API token, a webhook signing secret): shown with a copy button
 * until the reader says it is stored. The caller keeps the value in component state only, never in storage.
 */
export function SecretShownOnce({
  title,
  value,
  testId,
  copyLabel = 'Copy',
  onHide,
  children,
}: {
  title: ReactNode;
  value: string;
  testId: string;
  copyLabel?: string;
  onHide: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="notice notice-success created-token" role="status">
      <p className="notice-title">{title}</p>
      <div className="token-row">
        <code className="token-value" data-testid={testId}>
          {value}
        </code>
        <CopyButton value={value} label={copyLabel} />
      </div>
      {children}
      <button type="button" className="button button-small" onClick={onHide}>
        I have stored it — hide
      </button>
    </div>
  );
}
