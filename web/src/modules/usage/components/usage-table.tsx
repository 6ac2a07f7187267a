import { formatMicroUsd } from '@byok/shared';
import type { ReactNode } from 'react';
import { EmptyState } from '../../../components/notice';
import { formatNumber } from '../../../lib/format';

/**
 * One column of a usage table. Numeric columns align right; "secondary" ones give way at phone width (usage.css),
 * so the name, the requests and the cost always stay on screen.
 */
export interface UsageColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
  secondary?: boolean;
  /** Class of the body cells (e.g. `usage-name`). */
  cellClassName?: string;
}

const classes = (...names: Array<string | false | undefined>): string | undefined => names.filter(Boolean).join(' ') || undefined;

// The metric columns every breakdown shares.
export const requestsColumn = <Row extends { requests: number }>(): UsageColumn<Row> => ({
  header: 'Requests',
  numeric: true,
  cell: (row) => formatNumber(row.requests),
});
export const failedColumn = <Row extends { failures: number }>(): UsageColumn<Row> => ({
  header: 'Failed',
  numeric: true,
  secondary: true,
  cell: (row) => formatNumber(row.failures),
});
export const tokensColumn = <Row extends { inputTokens: number; outputTokens: number }>(): UsageColumn<Row> => ({
  header: 'Tokens in / out',
  numeric: true,
  secondary: true,
  cell: (row) => `${formatNumber(row.inputTokens)} / ${formatNumber(row.outputTokens)}`,
});
export const costColumn = <Row extends { costMicroUsd: number }>(header = 'Estimated cost'): UsageColumn<Row> => ({
  header,
  numeric: true,
  cell: (row) => formatMicroUsd(row.costMicroUsd),
});

/** A usage breakdown: one row per model, user, provider, outcome or workspace; an empty state when there is none. */
export function UsageTable<Row>({
  rows,
  rowKey,
  columns,
  testId,
  empty = 'No AI requests in this period',
}: {
  rows: Row[];
  rowKey: (row: Row) => string;
  columns: Array<UsageColumn<Row>>;
  testId?: string;
  empty?: string;
}) {
  if (rows.length === 0) return <EmptyState title={empty} />;
  return (
    <div className="table-wrap">
      <table className="table usage-table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={classes(column.numeric && 'num', column.secondary && 'secondary')}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.header} className={classes(column.numeric && 'num', column.secondary && 'secondary', column.cellClassName)}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
