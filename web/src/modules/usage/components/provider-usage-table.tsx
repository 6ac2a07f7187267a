import { formatMicroUsd } from '@byok/shared';
import { EmptyState } from '../../../components/notice';
import type { ProviderUsageFieldsFragment } from '../../../generated/graphql';
import { formatNumber } from '../../../lib/format';
import { PROVIDER_LIST } from '../../../lib/providers';

const SOURCE_LABEL = { WORKSPACE: "Workspace's own key", GLOBAL: "Platform's key", NONE: 'No key (failed)' } as const;

/** Requests, tokens and estimated cost per provider and per key that paid. */
export function ProviderUsageTable({ rows }: { rows: ProviderUsageFieldsFragment[] }) {
  // Merge rows of the same provider and source (e.g. when summing several workspaces).
  const merged = new Map<string, ProviderUsageFieldsFragment>();
  for (const row of rows) {
    const key = `${row.provider}:${row.keySource}`;
    const current = merged.get(key);
    merged.set(
      key,
      current
        ? {
            ...current,
            requests: current.requests + row.requests,
            inputTokens: current.inputTokens + row.inputTokens,
            outputTokens: current.outputTokens + row.outputTokens,
            costMicroUsd: current.costMicroUsd + row.costMicroUsd,
          }
        : row,
    );
  }
  const ordered = PROVIDER_LIST.flatMap((provider) =>
    (['GLOBAL', 'WORKSPACE', 'NONE'] as const).map((source) => merged.get(`${provider.id}:${source}`)).filter((row) => row !== undefined),
  );
  if (ordered.length === 0) return <EmptyState title="No AI requests in this period" />;
  return (
    <div className="table-wrap">
      <table className="table usage-table" data-testid="usage-by-provider">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Paid by</th>
            <th scope="col" className="num">
              Requests
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
          {ordered.map((row) => (
            <tr key={`${row.provider}:${row.keySource}`}>
              <td>{PROVIDER_LIST.find((provider) => provider.id === row.provider)?.label ?? row.provider}</td>
              <td>{SOURCE_LABEL[row.keySource]}</td>
              <td className="num">{formatNumber(row.requests)}</td>
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
