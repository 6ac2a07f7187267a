import { useQuery } from '@apollo/client/react';
import { formatMicroUsd } from '@byok/shared';
import { ErrorNotice, Loading } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { WorkspaceBudgetCard } from '../../cost-control/components/workspace-budget-card';
import { WorkspaceUsageDocument } from '../../../generated/graphql';
import { formatNumber } from '../../../lib/format';
import { useCurrentWorkspace } from '../../workspaces/hooks/use-current-workspace';
import { PeriodPicker } from '../components/period-picker';
import { ProviderUsageTable } from '../components/provider-usage-table';
import { StatTiles } from '../components/stat-tiles';
import { ExportCsvLink, FailuresTable, ModelUsageTable, UserUsageTable } from '../components/usage-breakdowns';
import { UsageChart } from '../components/usage-chart';
import '../usage.css';
import { usePeriod } from '../hooks/use-period';

export function WorkspaceUsagePage() {
  const { workspace, canSeeKeys } = useCurrentWorkspace();
  const { period, from, to, valid, choosePreset, setRange } = usePeriod();
  const { data, loading, error } = useQuery(WorkspaceUsageDocument, { variables: { id: workspace.id, from, to }, skip: !valid || !canSeeKeys });

  if (!canSeeKeys) {
    return (
      <>
        <PageHeader title="Usage" />
        <ErrorNotice display={{ code: 'FORBIDDEN', title: "Only the workspace owner can see this workspace's usage", detail: '', whoCanFix: null }} />
      </>
    );
  }
  const usage = data?.workspace?.usage;

  return (
    <>
      <PageHeader
        title="Usage"
        description={`AI requests made in ${workspace.name}, and which key paid for them. Costs are estimates from the providers' list prices.`}
        actions={
          <>
            <PeriodPicker period={period} valid={valid} onPreset={choosePreset} onRange={setRange} />
            {valid ? <ExportCsvLink from={from} to={to} workspaceId={workspace.id} /> : null}
          </>
        }
      />
      <WorkspaceBudgetCard workspaceId={workspace.id} visible={canSeeKeys} />
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {usage ? (
        <>
          <StatTiles
            items={[
              {
                label: 'Requests',
                value: formatNumber(usage.totals.requests),
                hint: usage.totals.failures > 0 ? `${formatNumber(usage.totals.failures)} failed` : undefined,
              },
              { label: 'Paid with this workspace’s keys', value: formatMicroUsd(usage.onWorkspaceKey.costMicroUsd), hint: 'billed to your provider account' },
              { label: 'Paid by the platform', value: formatMicroUsd(usage.onGlobalKey.costMicroUsd) },
              { label: 'Tokens in / out', value: `${formatNumber(usage.totals.inputTokens)} / ${formatNumber(usage.totals.outputTokens)}` },
            ]}
          />
          <section className="card">
            <UsageChart title="Estimated spend per day" days={usage.daily} />
          </section>
          <section className="card">
            <h2 className="card-title">By provider</h2>
            <ProviderUsageTable rows={usage.byProvider} />
          </section>
          <section className="card">
            <h2 className="card-title">By model</h2>
            <ModelUsageTable rows={usage.byModel} />
          </section>
          <section className="card">
            <h2 className="card-title">By user</h2>
            <UserUsageTable rows={usage.byUser} />
          </section>
          <section className="card">
            <h2 className="card-title">Failures by outcome</h2>
            <FailuresTable rows={usage.byOutcome} totalRequests={usage.totals.requests} />
          </section>
        </>
      ) : null}
    </>
  );
}
