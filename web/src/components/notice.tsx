import type { ReactNode } from 'react';
import { toDisplayError, type DisplayError } from '../lib/errors';

/** An error in plain words: what happened, the server's exact message, and who can fix it. */
export function ErrorNotice({ error, display, title }: { error?: unknown; display?: DisplayError; title?: string }) {
  const shown = display ?? toDisplayError(error);
  return (
    <div className="notice notice-error" role="alert" data-error-code={shown.code ?? undefined}>
      <p className="notice-title">{title ?? shown.title}</p>
      {title ? <p>{shown.title}</p> : null}
      {shown.detail ? <p>{shown.detail}</p> : null}
      {/* The server's message sometimes already says it ("… Try again in a moment."): don't repeat it. */}
      {shown.whoCanFix && !shown.detail.toLowerCase().includes(shown.whoCanFix.toLowerCase().replace(/\.$/, '')) ? (
        <p className="notice-hint">{shown.whoCanFix}</p>
      ) : null}
    </div>
  );
}

export function SuccessNotice({ children }: { children: ReactNode }) {
  return (
    <div className="notice notice-success" role="status">
      {children}
    </div>
  );
}

/** Done, but not everything went as hoped (e.g. saved without being checked): never in the success colours. */
export function WarningNotice({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="notice notice-warn" role="status">
      <p className="notice-title">{title}</p>
      {children}
    </div>
  );
}

export function InfoNotice({ children }: { children: ReactNode }) {
  return <div className="notice notice-info">{children}</div>;
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state-title">{title}</p>
      {children ? <div>{children}</div> : null}
    </div>
  );
}
