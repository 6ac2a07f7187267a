import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorNotice, Loading } from '../../../components/notice';
import { useViewer } from '../hooks/use-viewer';

/** Renders its children for a signed-in user; otherwise sends them to sign in and back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { viewer, loading, error } = useViewer();
  const location = useLocation();
  if (loading) return <Loading label="Checking your session…" />;
  if (error && !viewer) {
    return (
      <main className="auth-page">
        <ErrorNotice error={error} />
      </main>
    );
  }
  if (!viewer) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

export function RequireAdmin({ children }: { children: ReactNode }) {
  const { viewer } = useViewer();
  if (!viewer?.isAdmin) {
    return <ErrorNotice display={{ code: 'FORBIDDEN', title: 'Only platform admins can open this page', detail: '', whoCanFix: null }} />;
  }
  return <>{children}</>;
}
