import { usePageTitle } from '../../../lib/page-title';
import type { ReactNode } from 'react';

export function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  usePageTitle(title);
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          byok
        </p>
        <h1>{title}</h1>
        {children}
        <p className="auth-footer">{footer}</p>
      </div>
    </main>
  );
}
