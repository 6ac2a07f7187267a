import { useQuery } from '@apollo/client/react';
import { PROVIDER_IDS } from '@byok/shared';
import { ErrorNotice, Loading } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { WorkspaceBudgetCard } from '../../cost-control/components/workspace-budget-card';
import { WorkspaceProvidersDocument } from '../../../generated/graphql';
import { unexpectedErrors } from '../../../lib/errors';
import { useCurrentWorkspace } from '../../workspaces/hooks/use-current-workspace';
import { WorkspaceKeyCard } from '../components/workspace-key-card';

export function ApiKeysPage() {
  const { workspace, isOwner } = useCurrentWorkspace();
  // Members get customKey: null plus a FORBIDDEN error for it (R6); the rest of the answer is still good.
  const { data, loading, error } = useQuery(WorkspaceProvidersDocument, { variables: { id: workspace.id }, errorPolicy: 'all' });
  const shownError = unexpectedErrors(error);
  const providers = data?.workspace?.providers ?? [];

  return (
    <>
      <PageHeader
        title="API keys"
        description={
          isOwner
            ? `Use ${workspace.name}'s own provider keys, so its AI usage is billed to your provider account. Keys are write-only: once saved, only a mask is shown.`
            : `Which key pays for ${workspace.name}'s AI requests. Only the workspace owner manages keys.`
        }
      />{' '}
      <WorkspaceBudgetCard workspaceId={workspace.id} visible={isOwner} />
      {loading && !data ? <Loading /> : null}
      {shownError ? <ErrorNotice error={shownError} /> : null}
      <div className="card-grid">
        {PROVIDER_IDS.map((providerId) => {
          const entry = providers.find((item) => item.provider === providerId);
          return entry ? <WorkspaceKeyCard key={providerId} workspaceId={workspace.id} providerId={providerId} entry={entry} canManage={isOwner} /> : null;
        })}
      </div>
    </>
  );
}
