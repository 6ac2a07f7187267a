import { formatMicroUsd } from '@byok/shared';
import { EmptyState } from '../../../components/notice';
import type { ModelUsageFieldsFragment, OutcomeUsageFieldsFragment, UserUsageFieldsFragment } from '../../../generated/graphql';
import { formatNumber } from '../../../lib/format';
import { providerLabel } from '../../../lib/providers';

// Columns marked "secondary" give way at phone width (usage.css); the name, requests and cost always stay.

/** Requests, failures, tokens and estimated cost per model, most expensive first (as the server orders them). */
export function ModelUsageTable({ rows }: { rows: ModelUsageFieldsFragment[] }) {
  if (rows.length === 0) return <EmptyState title="No AI requests in this period" />;
  return (
    <div className="table-wrap">
      <table className="table usage-table" data-testid="usage-by-model">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num secondary">
              Failed
            </th>
            <th scope="col" className="num secondary">
              Tokens in / out
            </th>
            <th scope="col" className="num">
              Estimated cost
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.provider}:${row.model}`}>
              <td>
                <code>{row.model}</code> <span className="muted">{providerLabel(row.provider)}</span>
              </td>
              <td className="num">{formatNumber(row.requests)}</td>
              <td className="num secondary">{formatNumber(row.failures)}</td>
              <td className="num secondary">
                {formatNumber(row.inputTokens)} / {formatNumber(row.outputTokens)}
              </td>
              <td className="num">{formatMicroUsd(row.costMicroUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The same per user (who made the requests). */
export function UserUsageTable({ rows }: { rows: UserUsageFieldsFragment[] }) {
  if (rows.length === 0) return <EmptyState title="No AI requests in this period" />;
  return (
    <div className="table-wrap">
      <table className="table usage-table" data-testid="usage-by-user">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num secondary">
              Failed
            </th>
            <th scope="col" className="num secondary">
              Tokens in / out
            </th>
            <th scope="col" className="num">
              Estimated cost
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.userId ?? 'none'}>
              <td className="usage-name">
                {row.userId === null ? (
                  <span className="muted">No user (API)</span>
                ) : (
                  <>
                    {row.name ?? 'Deleted account'} {row.email ? <span className="muted">{row.email}</span> : null}
                  </>
                )}
              </td>
              <td className="num">{formatNumber(row.requests)}</td>
              <td className="num secondary">{formatNumber(row.failures)}</td>
              <td className="num secondary">
                {formatNumber(row.inputTokens)} / {formatNumber(row.outputTokens)}
              </td>
              <td className="num">{formatMicroUsd(row.costMicroUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const OUTCOME_LABEL: Record<string, string> = { CANCELLED: 'Cancelled by the client' };

/** Requests that did not end OK, by outcome (error code or cancellation), most frequent first. */
export function FailuresTable({ rows, totalRequests }: { rows: OutcomeUsageFieldsFragment[]; totalRequests: number }) {
  const failed = rows.filter((row) => row.outcome !== 'OK');
  if (failed.length === 0) return <EmptyState title="No failed requests in this period" />;
  return (
    <div className="table-wrap">
      <table className="table usage-table" data-testid="usage-failures">
        <thead>
          <tr>
            <th scope="col">Outcome</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num secondary">
              Share of all
            </th>
            <th scope="col" className="num">
              Estimated cost
            </th>
          </tr>
        </thead>
        <tbody>
          {failed.map((row) => (
            <tr key={row.outcome}>
              <td>
                <code>{row.outcome}</code>
                {OUTCOME_LABEL[row.outcome] ? <span className="muted"> {OUTCOME_LABEL[row.outcome]}</span> : null}
              </td>
              <td className="num">{formatNumber(row.requests)}</td>
              <td className="num secondary">{totalRequests > 0 ? `${((row.requests / totalRequests) * 100).toFixed(1)} %` : '—'}</td>
              <td className="num">{formatMicroUsd(row.costMicroUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
