import { useMutation, useQuery } from '@apollo/client/react';
import { formatMicroUsd, PROVIDER_IDS, getProvider } from '@byok/shared';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { SourceBadge } from '../../../components/badges';
import { KeyHealthNotice } from '../../../components/key-health-notice';
import { ErrorNotice, Loading, SuccessNotice } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { WorkspaceBudgetAdmin } from '../../cost-control/components/workspace-budget-card';
import { WorkspaceRateLimitAdmin } from '../../rate-limits/components/workspace-rate-limit-admin';
import { WorkspacePlatformKeyModelsAdmin } from '../../platform-key-models/components/platform-key-models-admin';
import { AdminWorkspaceDocument, AuditEventsDocument, VerifyWorkspaceKeyDocument, WorkspaceUsageDocument } from '../../../generated/graphql';
import type { DisplayError } from '../../../lib/errors';
import { formatNumber } from '../../../lib/format';
import { ReaderContext } from '../../../lib/reader';
import { asProvider, describeSource } from '../../../lib/providers';
import { AuditTable } from '../../audit/components/audit-table';
import { StoredKeyFacts } from '../../provider-keys/components/stored-key-facts';
import { PeriodPicker } from '../../usage/components/period-picker';
import { ProviderUsageTable } from '../../usage/components/provider-usage-table';
import { StatTiles } from '../../usage/components/stat-tiles';
import { UsageChart } from '../../usage/components/usage-chart';
import { usePeriod } from '../../usage/hooks/use-period';

export function AdminWorkspaceDetailPage() {
  const { workspaceId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(AdminWorkspaceDocument, { variables: { id: workspaceId } });
  const { period, from, to, valid, choosePreset, setRange } = usePeriod();
  const usage = useQuery(WorkspaceUsageDocument, { variables: { id: workspaceId, from, to }, skip: !valid });
  const audit = useQuery(AuditEventsDocument, { variables: { workspaceId, first: 20 } });
  const [verifyKey, verifyState] = useMutation(VerifyWorkspaceKeyDocument);
  const [message, setMessage] = useState<string | null>(null);
  // A rejected or unchecked key is not a success: it is shown in error style.
  const [problem, setProblem] = useState<DisplayError | null>(null);
  const workspace = data?.workspace;

  const verify = async (providerId: (typeof PROVIDER_IDS)[number]) => {
    setMessage(null);
    setProblem(null);
    const result = await verifyKey({ variables: { workspaceId, provider: asProvider(providerId) } }).catch(() => null);
    if (result?.data) {
      const label = getProvider(providerId).label;
      const checked = result.data.verifyWorkspaceKey;
      const ownerName = workspace?.members.find((member) => member.role === 'OWNER')?.user.name;
      if (checked.status === 'VALID') setMessage(`${label}: the key is valid.`);
      else
        setProblem({
          code: checked.status === 'INVALID' ? 'KEY_REJECTED' : 'PROVIDER_UNAVAILABLE',
          title: checked.status === 'INVALID' ? `${label} rejected this workspace's key` : `${label} could not be reached to check the key`,
          detail: checked.lastError ?? '',
          whoCanFix:
            checked.status === 'INVALID' ? `Only the workspace's owner${ownerName ? ` (${ownerName})` : ''} can replace it.` : 'Try Verify again in a moment.',
        });
      await refetch();
      await audit.refetch();
    }
  };

  if (loading && !data) return <Loading />;
  if (!workspace)
    return <ErrorNotice error={error} display={error ? undefined : { code: 'NOT_FOUND', title: 'Workspace not found', detail: '', whoCanFix: null }} />;
  const owner = workspace.members.find((member) => member.role === 'OWNER');
  // Key-health notices speak to the admin: what only the owner can do is said as such, with the owner's name.
  const reader = { reader: { role: 'ADMIN' as const, ownerName: owner?.user.name ?? null }, apiKeysPath: `/admin/workspaces/${workspace.id}` };
  const summary = usage.data?.workspace?.usage;

  return (
    <ReaderContext.Provider value={reader}>
      <p className="breadcrumb">
        <Link to="/admin/workspaces">← All workspaces</Link>
      </p>
      <PageHeader
        title={workspace.name}
        description={`Owner: ${owner ? `${owner.user.name} (${owner.user.email})` : 'none'} · ${workspace.members.length} people`}
      />
      <WorkspaceBudgetAdmin workspaceId={workspace.id} />
      <WorkspaceRateLimitAdmin workspaceId={workspace.id} />
      <WorkspacePlatformKeyModelsAdmin workspaceId={workspace.id} />
      {message ? <SuccessNotice>{message}</SuccessNotice> : null}
      {problem ? <ErrorNotice display={problem} /> : null}
      {verifyState.error ? <ErrorNotice error={verifyState.error} title="Verification failed" /> : null}
      <div className="card-grid">
        {PROVIDER_IDS.map((providerId) => {
          const entry = workspace.providers.find((item) => item.provider === providerId);
          if (!entry) return null;
          return (
            <section key={providerId} className="card" data-provider={providerId}>
              <div className="card-header">
                <h2 className="card-title">{getProvider(providerId).label}</h2>
                <SourceBadge source={entry.source} status={entry.sourceKeyStatus} />
              </div>
              {entry.source !== 'NONE' ? <p>{describeSource(entry)}.</p> : null}
              <KeyHealthNotice entry={{ ...entry, provider: providerId }} />
              {entry.customKey ? (
                <>
                  <StoredKeyFacts storedKey={entry.customKey} />
                  <button type="button" className="button" onClick={() => void verify(providerId)} disabled={verifyState.loading}>
                    Verify key
                  </button>
                </>
              ) : (
                <p className="muted">No key of its own.</p>
              )}
            </section>
          );
        })}
      </div>
      <section className="card">
        <div className="card-header">
          <h2 className="card-title">Usage</h2>
          <PeriodPicker period={period} valid={valid} onPreset={choosePreset} onRange={setRange} />
        </div>
        {usage.loading && !usage.data ? <Loading /> : null}
        {usage.error ? <ErrorNotice error={usage.error} /> : null}
        {summary ? (
          <>
            <StatTiles
              items={[
                { label: 'Requests', value: formatNumber(summary.totals.requests) },
                { label: 'Paid with platform keys', value: formatMicroUsd(summary.onGlobalKey.costMicroUsd) },
                { label: 'Paid with its own keys', value: formatMicroUsd(summary.onWorkspaceKey.costMicroUsd) },
              ]}
            />
            <UsageChart title="Estimated spend per day" days={summary.daily} />
            <ProviderUsageTable rows={summary.byProvider} />
          </>
        ) : null}
      </section>
      <section className="card">
        <h2 className="card-title">Recent changes</h2>
        {audit.loading && !audit.data ? <Loading /> : null}
        {audit.error ? <ErrorNotice error={audit.error} /> : null}
        {audit.data ? <AuditTable events={audit.data.auditEvents.edges.map((edge) => edge.node)} /> : null}
      </section>
    </ReaderContext.Provider>
  );
}
