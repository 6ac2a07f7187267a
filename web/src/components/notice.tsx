import { ERROR_EXPLANATIONS, fixHintFor, isErrorCode, type FixHint } from '@byok/shared';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { hasGenericFixHint, toDisplayError, type DisplayError } from '../lib/errors';
import { useReader } from '../lib/reader';

const normalise = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[.!]\s*$/, '')
    .trim();

/**
 * An error in plain words: a title, what exactly happened, and who can fix it — each line saying something the
 * others do not. Inside a workspace the "who" is worded for the reader ("you" + a link for the owner, the owner's
 * name for a member).
 */
export function ErrorNotice({ error, display, title }: { error?: unknown; display?: DisplayError; title?: string }) {
  const shown = display ?? toDisplayError(error);
  const context = useReader();
  const roleHint: FixHint | null =
    context && isErrorCode(shown.code) && hasGenericFixHint(shown) ? fixHintFor(shown.fixer ?? ERROR_EXPLANATIONS[shown.code].whoCanFix, context.reader) : null;
  const hintText = roleHint?.text ?? shown.whoCanFix;
  const heading = title ?? shown.title;
  // A caller's title ("The key was not saved") plus the server's detail already say it all; the generic
  // explanation is shown only when there is no detail.
  const lines = [title && !shown.detail ? shown.title : null, shown.detail || null].filter(
    (line): line is string => line !== null && normalise(line) !== normalise(heading),
  );
  const allText = normalise([heading, ...lines].join(' '));
  // The server's message sometimes already says who can fix it ("… Try again in a moment."): don't repeat it.
  const showHint = hintText !== null && !allText.includes(normalise(hintText));
  const link = roleHint?.link === 'API_KEYS' ? context?.apiKeysPath : roleHint?.link === 'INTEGRATIONS' ? '/admin/integrations' : null;
  return (
    <div className="notice notice-error" role="alert" data-error-code={shown.code ?? undefined}>
      <p className="notice-title">{heading}</p>
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
      {showHint ? (
        <p className="notice-hint" data-testid="who-can-fix">
          {hintText}
          {link ? (
            <>
              {' '}
              <Link to={link}>{roleHint?.link === 'API_KEYS' ? 'Open API keys' : 'Open Integrations'}</Link>
            </>
          ) : null}
        </p>
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
