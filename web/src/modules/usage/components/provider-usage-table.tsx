import type { ProviderUsageFieldsFragment } from '../../../generated/graphql';
import { PROVIDER_LIST } from '../../../lib/providers';
import { costColumn, requestsColumn, tokensColumn, UsageTable } from './usage-table';

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
  return (
    <UsageTable
      rows={ordered}
      testId="usage-by-provider"
      rowKey={(row) => `${row.provider}:${row.keySource}`}
      columns={[
        { header: 'Provider', cell: (row) => PROVIDER_LIST.find((provider) => provider.id === row.provider)?.label ?? row.provider },
        { header: 'Paid by', cell: (row) => SOURCE_LABEL[row.keySource] },
        requestsColumn(),
        tokensColumn(),
        costColumn(),
      ]}
    />
  );
}
