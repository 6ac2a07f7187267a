import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { Outlet, useParams } from 'react-router';
import { ErrorNotice, Loading } from '../../../components/notice';
import { WorkspaceDocument } from '../../../generated/graphql';
import { readerRoleOf } from '@byok/shared';
import { ReaderContext, type ReaderContextValue } from '../../../lib/reader';
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
    const ownerName = workspace.members.find((member) => member.role === 'OWNER')?.user.name ?? null;
    return { workspace, isOwner, ownerName, canSeeKeys: isOwner || Boolean(viewer?.isAdmin) };
  }, [data, viewer]);
  const reader = useMemo<ReaderContextValue | null>(
    () =>
      current
        ? {
            reader: { role: readerRoleOf(current.workspace.viewerRole, Boolean(viewer?.isAdmin)), ownerName: current.ownerName },
            apiKeysPath: `/w/${current.workspace.id}/settings/api-keys`,
          }
        : null,
    [current, viewer],
  );

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
      <ReaderContext.Provider value={reader}>
        {/* Key-health and cap notices are the owner's to act on (members get none). */}
        {current.isOwner ? <NoticesBanner workspaceId={current.workspace.id} /> : null}
        <Outlet />
      </ReaderContext.Provider>
    </CurrentWorkspaceContext.Provider>
  );
}
