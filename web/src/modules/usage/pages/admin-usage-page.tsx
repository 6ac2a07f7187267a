import { useQuery } from '@apollo/client/react';
import { formatMicroUsd } from '@byok/shared';
import { Link } from 'react-router';
import { BarChart } from '../../../components/bar-chart';
import { EmptyState, ErrorNotice, Loading } from '../../../components/notice';
import { PageHeader } from '../../../components/page-header';
import { UsageReportDocument } from '../../../generated/graphql';
import { formatNumber } from '../../../lib/format';
import { PeriodPicker } from '../components/period-picker';
import { ProviderUsageTable } from '../components/provider-usage-table';
import { StatTiles } from '../components/stat-tiles';
import { SPEND_SERIES } from '../components/usage-chart';
import { usePeriod } from '../hooks/use-period';

const CHART_WORKSPACES = 12;

function shorten(name: string): string {
  return name.length > 14 ? `${name.slice(0, 13)}…` : name;
}

export function AdminUsagePage() {
  const { period, from, to, valid, choosePreset, setRange } = usePeriod();
  const { data, loading, error } = useQuery(UsageReportDocument, { variables: { from, to }, skip: !valid });
  const rows = data?.usageReport ?? [];
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const sorted = [...rows]
    .filter((row) => row.totals.requests > 0)
    .sort((a, b) => b.totals.costMicroUsd - a.totals.costMicroUsd || b.totals.requests - a.totals.requests);

  return (
    <>
      <PageHeader
        title="Usage"
        description="What the platform pays with its own keys, and what moved to workspaces' own keys. Costs are estimates from the providers' list prices."
        actions={<PeriodPicker period={period} valid={valid} onPreset={choosePreset} onRange={setRange} />}
      />
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNotice error={error} /> : null}
      {data ? (
        <>
          <StatTiles
            items={[
              { label: 'Paid with platform keys', value: formatMicroUsd(sum((row) => row.onGlobalKey.costMicroUsd)) },
              {
                label: 'Moved to workspaces’ own keys',
                value: formatMicroUsd(sum((row) => row.onWorkspaceKey.costMicroUsd)),
                hint: 'not billed to the platform',
              },
              { label: 'Requests', value: formatNumber(sum((row) => row.totals.requests)) },
              { label: 'Workspaces using AI', value: formatNumber(sorted.length) },
            ]}
          />
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
          <section className="card">
            <h2 className="card-title">By provider</h2>
            <ProviderUsageTable rows={rows.flatMap((row) => row.byProvider)} />
          </section>
          <section className="card">
            <h2 className="card-title">By workspace</h2>
            {sorted.length === 0 ? (
              <EmptyState title="No AI requests in this period" />
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Workspace</th>
                      <th scope="col" className="num">
                        Requests
                      </th>
                      <th scope="col" className="num">
                        Failed
                      </th>
                      <th scope="col" className="num">
                        Platform keys
                      </th>
                      <th scope="col" className="num">
                        Own keys
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {sorted.map((row) => (
                      <tr key={row.workspaceId}>
                        <td>
                          <Link to={`/admin/workspaces/${row.workspaceId}`}>{row.workspaceName}</Link>
                        </td>
                        <td className="num">{formatNumber(row.totals.requests)}</td>
                        <td className="num">{formatNumber(row.totals.failures)}</td>
                        <td className="num">{formatMicroUsd(row.onGlobalKey.costMicroUsd)}</td>
                        <td className="num">{formatMicroUsd(row.onWorkspaceKey.costMicroUsd)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      ) : null}
    </>
  );
}
