import type { ReactNode } from 'react';
import { usePageTitle } from '../lib/page-title';

/** The screen's one heading; it also names the browser tab ("<title> · <workspace> · byok"). */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  usePageTitle(title);
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}
