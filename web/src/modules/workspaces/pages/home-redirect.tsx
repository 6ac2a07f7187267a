import { Navigate } from 'react-router';
import { EmptyState, ErrorNotice, Loading } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { useViewer } from '../../auth/hooks/use-viewer';
import { CreateWorkspaceButton } from '../components/create-workspace-button';
import { useWorkspaces } from '../hooks/use-workspaces';

/** `/`: open the first workspace, or the admin area for an admin without one. */
export function HomeRedirect() {
  const { viewer } = useViewer();
  const { workspaces, loading, error } = useWorkspaces();
  if (loading) return <Loading />;
  if (error) return <ErrorNotice error={error} />;
  if (workspaces.length > 0) return <Navigate to={`/w/${workspaces[0].id}/playground`} replace />;
  if (viewer?.isAdmin) return <Navigate to="/admin/integrations" replace />;
  return (
    <>
      <PageHeader title="Welcome" />
      <EmptyState title="You are not in a workspace yet">
        <p>Ask a workspace owner to add you by email, or create your own.</p>
        <CreateWorkspaceButton />
      </EmptyState>
    </>
  );
}
