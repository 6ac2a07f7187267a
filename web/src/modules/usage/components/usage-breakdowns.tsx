import type { ModelUsageFieldsFragment, OutcomeUsageFieldsFragment, UserUsageFieldsFragment } from '../../../generated/graphql';
import { providerLabel } from '../../../lib/providers';
import { costColumn, failedColumn, requestsColumn, tokensColumn, UsageTable } from './usage-table';

/** Requests, failures, tokens and estimated cost per model, most expensive first (as the server orders them). */
export function ModelUsageTable({ rows }: { rows: ModelUsageFieldsFragment[] }) {
  return (
    <UsageTable
      rows={rows}
      testId="usage-by-model"
      rowKey={(row) => `${row.provider}:${row.model}`}
      columns={[
        {
          header: 'Model',
          cell: (row) => (
            <>
              <code>{row.model}</code> <span className="muted">{providerLabel(row.provider)}</span>
            </>
          ),
        },
        requestsColumn(),
        failedColumn(),
        tokensColumn(),
        costColumn(),
      ]}
    />
  );
}

/** The same per user (who made the requests). */
export function UserUsageTable({ rows }: { rows: UserUsageFieldsFragment[] }) {
  return (
    <UsageTable
      rows={rows}
      testId="usage-by-user"
      rowKey={(row) => row.userId ?? 'none'}
      columns={[
        {
          header: 'User',
          cellClassName: 'usage-name',
          cell: (row) =>
            row.userId === null ? (
              <span className="muted">No user (API)</span>
            ) : (
              <>
                {row.name ?? 'Deleted account'} {row.email ? <span className="muted">{row.email}</span> : null}
              </>
            ),
        },
        requestsColumn(),
        failedColumn(),
        tokensColumn(),
        costColumn(),
      ]}
    />
  );
}

const OUTCOME_LABEL: Record<string, string> = { CANCELLED: 'Cancelled by the client' };

/** Requests that did not end OK, by outcome (error code or cancellation), most frequent first. */
export function FailuresTable({ rows, totalRequests }: { rows: OutcomeUsageFieldsFragment[]; totalRequests: number }) {
  return (
    <UsageTable
      rows={rows.filter((row) => row.outcome !== 'OK')}
      testId="usage-failures"
      empty="No failed requests in this period"
      rowKey={(row) => row.outcome}
      columns={[
        {
          header: 'Outcome',
          cell: (row) => (
            <>
              <code>{row.outcome}</code>
              {OUTCOME_LABEL[row.outcome] ? <span className="muted"> {OUTCOME_LABEL[row.outcome]}</span> : null}
            </>
          ),
        },
        requestsColumn(),
        {
          header: 'Share of all',
          numeric: true,
          secondary: true,
          cell: (row) => (totalRequests > 0 ? `${((row.requests / totalRequests) * 100).toFixed(1)} %` : '—'),
        },
        costColumn(),
      ]}
    />
  );
}

/**
 * Downloads the period's usage as CSV (one line per UTC day × workspace × provider × key source × model ×
 * outcome), streamed by the server; the session cookie authenticates the plain link.
 */
export function ExportCsvLink({ from, to, workspaceId }: { from: string; to: string; workspaceId?: string }) {
  const query = new URLSearchParams({ from, to, ...(workspaceId ? { workspaceId } : {}) });
  return (
    <a className="button button-small" href={`/api/v1/usage/export.csv?${query.toString()}`} download data-testid="usage-export">
      Export CSV
    </a>
  );
}
