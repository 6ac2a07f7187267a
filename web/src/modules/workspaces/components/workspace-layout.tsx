import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { Outlet, useParams } from 'react-router';
import { ErrorNotice, Loading } from '../../../components/notice';
import { WorkspaceDocument } from '../../../generated/graphql';
import { useViewer } from '../../auth/hooks/use-viewer';
import { NoticesBanner } from '../../cost-control/components/notices-banner';
import { CurrentWorkspaceContext, type CurrentWorkspace } from '../hooks/use-current-workspace';

/** Resolves `:workspaceId` once and shares it with every workspace page. */
export function WorkspaceLayout() {
  const { workspaceId = '' } = useParams();
  const { viewer } = useViewer();
  const { data, loading, error } = useQuery(WorkspaceDocument, { variables: { id: workspaceId } });

  const current = useMemo<CurrentWorkspace | null>(() => {
    const workspace = data?.workspace;
    if (!workspace) return null;
    const isOwner = workspace.viewerRole === 'OWNER';
    return { workspace, isOwner, canSeeKeys: isOwner || Boolean(viewer?.isAdmin) };
  }, [data, viewer]);

  if (loading && !data) return <Loading label="Opening workspace…" />;
  if (!current)
    return (
      <ErrorNotice
        error={error}
        display={error ? undefined : { code: 'NOT_FOUND', title: "This workspace doesn't exist or you can't see it", detail: '', whoCanFix: null }}
      />
    );
  return (
    <CurrentWorkspaceContext.Provider value={current}>
      {/* Key-health and cap notices are the owner's to act on (members get none). */}
      {current.isOwner ? <NoticesBanner workspaceId={current.workspace.id} /> : null}
      <Outlet />
    </CurrentWorkspaceContext.Provider>
  );
}
