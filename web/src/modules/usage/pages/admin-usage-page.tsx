import { useQuery } from '@apollo/client/react';
import { formatMicroUsd } from '@byok/shared';
import { Link } from 'react-router';
import { BarChart } from '../../../components/bar-chart';
import { EmptyState, ErrorNotice, Loading } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { PlatformUsageDocument, UsageReportDocument } from '../../../generated/graphql';
import { formatNumber } from '../../../lib/format';
import { PeriodPicker } from '../components/period-picker';
import { ProviderUsageTable } from '../components/provider-usage-table';
import { UsageTable } from '../components/usage-table';
import { StatTiles } from '../components/stat-tiles';
import { ExportCsvLink, FailuresTable, ModelUsageTable } from '../components/usage-breakdowns';
import '../usage.css';
import { PLATFORM_SPEND_SERIES, SPEND_SERIES, UsageChart } from '../components/usage-chart';
import { usePeriod } from '../hooks/use-period';

const CHART_WORKSPACES = 12;

function shorten(name: string): string {
  return name.length > 14 ? `${name.slice(0, 13)}…` : name;
}

export function AdminUsagePage() {
  const { period, from, to, valid, choosePreset, setRange } = usePeriod();
  const platform = useQuery(PlatformUsageDocument, { variables: { from, to }, skip: !valid });
  const report = useQuery(UsageReportDocument, { variables: { from, to }, skip: !valid });
  const usage = platform.data?.platformUsage;
  const rows = report.data?.usageReport ?? [];
  const sorted = [...rows]
    .filter((row) => row.totals.requests > 0)
    .sort((a, b) => b.totals.costMicroUsd - a.totals.costMicroUsd || b.totals.requests - a.totals.requests);

  return (
    <>
      <PageHeader
        title="Usage"
        description="What the platform pays with its own keys, and what moved to workspaces' own keys. Costs are estimates from the providers' list prices."
        actions={
          <>
            <PeriodPicker period={period} valid={valid} onPreset={choosePreset} onRange={setRange} />
            {valid ? <ExportCsvLink from={from} to={to} /> : null}
          </>
        }
      />
      {platform.loading && !usage ? <Loading /> : null}
      {platform.error ? <ErrorNotice error={platform.error} title="The platform's usage could not be loaded" /> : null}
      {usage ? (
        <>
          <StatTiles
            items={[
              { label: 'Paid with platform keys', value: formatMicroUsd(usage.onGlobalKey.costMicroUsd) },
              { label: 'Moved to workspaces’ own keys', value: formatMicroUsd(usage.onWorkspaceKey.costMicroUsd), hint: 'not billed to the platform' },
              {
                label: 'Requests',
                value: formatNumber(usage.totals.requests),
                hint: usage.totals.failures > 0 ? `${formatNumber(usage.totals.failures)} failed` : undefined,
              },
              { label: 'Tokens in / out', value: `${formatNumber(usage.totals.inputTokens)} / ${formatNumber(usage.totals.outputTokens)}` },
            ]}
          />
          <section className="card" data-testid="platform-usage-over-time">
            {usage.totals.requests === 0 ? (
              <EmptyState title="No AI requests in this period" />
            ) : (
              <UsageChart title="Estimated spend per day, all workspaces" days={usage.daily} series={PLATFORM_SPEND_SERIES} />
            )}
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
            <h2 className="card-title">Failures by outcome</h2>
            <FailuresTable rows={usage.byOutcome} totalRequests={usage.totals.requests} />
          </section>
        </>
      ) : null}
      {report.loading && !report.data ? <Loading label="Loading usage by workspace…" /> : null}
      {report.error ? <ErrorNotice error={report.error} title="The usage by workspace could not be loaded" /> : null}
      {report.data ? (
        <>
          <section className="card">
            {sorted.length === 0 ? (
              <EmptyState title="No AI requests in this period" />
            ) : (
              <BarChart
                title={`Estimated spend by workspace${sorted.length > CHART_WORKSPACES ? ` (top ${CHART_WORKSPACES})` : ''}`}
                categoryLabel="Workspace"
                series={SPEND_SERIES}
                points={sorted.slice(0, CHART_WORKSPACES).map((row) => ({
                  label: shorten(row.workspaceName),
                  values: { global: row.onGlobalKey.costMicroUsd, workspace: row.onWorkspaceKey.costMicroUsd },
                }))}
                formatValue={formatMicroUsd}
              />
            )}
          </section>
          <section className="card" data-testid="usage-by-workspace">
            <div className="card-header">
              <h2 className="card-title">By workspace</h2>
              <span className="muted">{`${formatNumber(sorted.length)} using AI in this period`}</span>
            </div>
            <UsageTable
              rows={sorted}
              rowKey={(row) => row.workspaceId}
              columns={[
                { header: 'Workspace', cell: (row) => <Link to={`/admin/workspaces/${row.workspaceId}`}>{row.workspaceName}</Link> },
                { header: 'Requests', numeric: true, cell: (row) => formatNumber(row.totals.requests) },
                { header: 'Failed', numeric: true, secondary: true, cell: (row) => formatNumber(row.totals.failures) },
                { header: 'Platform keys', numeric: true, cell: (row) => formatMicroUsd(row.onGlobalKey.costMicroUsd) },
                { header: 'Own keys', numeric: true, cell: (row) => formatMicroUsd(row.onWorkspaceKey.costMicroUsd) },
              ]}
            />
          </section>
        </>
      ) : null}
    </>
  );
}
