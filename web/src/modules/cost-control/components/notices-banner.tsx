import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { DismissNoticeDocument, NoticesDocument } from '../../../generated/graphql';

/**
 * Key-health and cost notices (R14) for whoever can act: the owner's, inside a workspace; the admins', on admin
 * pages. Each can be dismissed (for this person only). Nothing is shown to members, or while loading.
 */
export function NoticesBanner({ workspaceId }: { workspaceId: string | null }) {
  const { data } = useQuery(NoticesDocument, { variables: { workspaceId }, fetchPolicy: 'cache-and-network' });
  const [dismiss, dismissState] = useMutation(DismissNoticeDocument, { refetchQueries: [NoticesDocument], awaitRefetchQueries: true });
  const notices = data?.notices ?? [];
  if (notices.length === 0) return null;
  return (
    <section className="notices-banner" aria-label={workspaceId ? 'Notices for this workspace' : 'Notices for platform admins'}>
      {notices.map((notice) => {
        const fixPath =
          notice.type === 'BYOK_TOGGLED' || notice.type === 'KEY_INVALID'
            ? workspaceId
              ? `/w/${workspaceId}/settings/api-keys`
              : '/admin/integrations'
            : workspaceId
              ? `/w/${workspaceId}/settings/api-keys`
              : notice.workspaceId
                ? `/admin/workspaces/${notice.workspaceId}`
                : '/admin/workspaces';
        const fixLabel = workspaceId
          ? 'Open API keys'
          : notice.type === 'BUDGET_THRESHOLD'
            ? `Open ${notice.workspaceName ?? 'the workspace'}`
            : 'Open Integrations';
        return (
          <div
            key={notice.id}
            className={`notice notice-banner ${notice.severity === 'CRITICAL' ? 'notice-error' : notice.severity === 'WARNING' ? 'notice-warn' : 'notice-info'}`}
            role={notice.severity === 'CRITICAL' ? 'alert' : 'status'}
            data-notice-type={notice.type}
          >
            <p>{notice.message}</p>
            <div className="button-row">
              <Link to={fixPath} className="button button-small">
                {fixLabel}
              </Link>
              <button
                type="button"
                className="button button-small"
                disabled={dismissState.loading}
                onClick={() => void dismiss({ variables: { id: notice.id } }).catch(() => null)}
                aria-label={`Dismiss: ${notice.message}`}
              >
                Dismiss
              </button>
            </div>
          </div>
        );
      })}
    </section>
  );
}
