import { isProviderId, type KeySource, type ProviderId } from '@byok/shared';
import type { DataSource } from 'typeorm';
import type { UsageLedger } from './usage-ledger';
import type { UsageRange } from './usage-range';

export interface UsageTotals {
  requests: number;
  /** Requests that ended with an error code (cancellations are counted separately). */
  failures: number;
  cancelled: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
}

export interface ProviderUsage extends UsageTotals {
  provider: ProviderId;
  keySource: KeySource;
}

export interface UsageBreakdown {
  total: UsageTotals;
  onGlobalKey: UsageTotals;
  onWorkspaceKey: UsageTotals;
  /** One entry per provider × key source that had requests. */
  byProvider: ProviderUsage[];
}

export interface UsageDay {
  /** UTC day, YYYY-MM-DD. */
  date: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  globalCostMicroUsd: number;
  workspaceCostMicroUsd: number;
}

export interface WorkspaceUsage extends UsageBreakdown {
  workspaceId: string;
  workspaceName: string;
}

const emptyTotals = (): UsageTotals => ({ requests: 0, failures: 0, cancelled: 0, inputTokens: 0, outputTokens: 0, costMicroUsd: 0 });

const add = (into: UsageTotals, row: UsageTotals): void => {
  into.requests += row.requests;
  into.failures += row.failures;
  into.cancelled += row.cancelled;
  into.inputTokens += row.inputTokens;
  into.outputTokens += row.outputTokens;
  into.costMicroUsd += row.costMicroUsd;
};

// Sums come back from Postgres as bigint strings; totals fit a double exactly far beyond any real ledger.
const AGGREGATES = `
  count(*)::bigint AS requests,
  count(*) FILTER (WHERE outcome NOT IN ('OK', 'CANCELLED'))::bigint AS failures,
  count(*) FILTER (WHERE outcome = 'CANCELLED')::bigint AS cancelled,
  coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
  coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
  coalesce(sum(cost_micro_usd), 0)::bigint AS cost_micro_usd`;

interface AggregateRow {
  provider: string;
  key_source: string;
  requests: string;
  failures: string;
  cancelled: string;
  input_tokens: string;
  output_tokens: string;
  cost_micro_usd: string;
}

const toProviderUsage = (row: AggregateRow): ProviderUsage | null => {
  if (!isProviderId(row.provider) || !['WORKSPACE', 'GLOBAL', 'NONE'].includes(row.key_source)) return null;
  return {
    provider: row.provider,
    keySource: row.key_source as KeySource,
    requests: Number(row.requests),
    failures: Number(row.failures),
    cancelled: Number(row.cancelled),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costMicroUsd: Number(row.cost_micro_usd),
  };
};

function breakdown(rows: ProviderUsage[]): UsageBreakdown {
  const result: UsageBreakdown = { total: emptyTotals(), onGlobalKey: emptyTotals(), onWorkspaceKey: emptyTotals(), byProvider: rows };
  for (const row of rows) {
    add(result.total, row);
    if (row.keySource === 'GLOBAL') add(result.onGlobalKey, row);
    if (row.keySource === 'WORKSPACE') add(result.onWorkspaceKey, row);
  }
  return result;
}

// A literal filter (not `$3 IS NULL OR …`) so the per-workspace query keeps using the (workspace_id, occurred_at) index.
const workspaceFilter = (workspaceId: string | null): string => (workspaceId ? 'AND workspace_id = $3' : '');
const parameters = (range: UsageRange, workspaceId: string | null): unknown[] => (workspaceId ? [range.from, range.to, workspaceId] : [range.from, range.to]);

/** Reads the usage ledger (R11). Aggregation happens in SQL; every workspace query filters by its id. */
export class UsageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: UsageLedger,
  ) {}

  /** Totals for one workspace, or for the whole platform when `workspaceId` is null (admin). */
  async summary(workspaceId: string | null, range: UsageRange): Promise<UsageBreakdown> {
    // Rows still in the in-process buffer belong in the answer (read-your-own-requests).
    await this.ledger.flush();
    const rows: AggregateRow[] = await this.dataSource.query(
      `SELECT provider, key_source, ${AGGREGATES}
         FROM usage_records
        WHERE occurred_at >= $1 AND occurred_at < $2 ${workspaceFilter(workspaceId)}
        GROUP BY provider, key_source
        ORDER BY provider, key_source`,
      parameters(range, workspaceId),
    );
    return breakdown(rows.map(toProviderUsage).filter((row): row is ProviderUsage => row !== null));
  }

  /** One entry per UTC day of the range, zero-filled, for charts; the whole platform when `workspaceId` is null. */
  async daily(workspaceId: string | null, range: UsageRange): Promise<UsageDay[]> {
    await this.ledger.flush();
    const rows: Array<{
      date: string;
      requests: string;
      input_tokens: string;
      output_tokens: string;
      global_cost: string;
      workspace_cost: string;
    }> = await this.dataSource.query(
      `WITH per_day AS (
         SELECT date_trunc('day', occurred_at AT TIME ZONE 'UTC') AS day,
                count(*)::bigint AS requests,
                sum(input_tokens)::bigint AS input_tokens,
                sum(output_tokens)::bigint AS output_tokens,
                coalesce(sum(cost_micro_usd) FILTER (WHERE key_source = 'GLOBAL'), 0)::bigint AS global_cost,
                coalesce(sum(cost_micro_usd) FILTER (WHERE key_source = 'WORKSPACE'), 0)::bigint AS workspace_cost
           FROM usage_records
          WHERE occurred_at >= $1 AND occurred_at < $2 ${workspaceFilter(workspaceId)}
          GROUP BY 1
       )
       SELECT to_char(days.day, 'YYYY-MM-DD') AS date,
              coalesce(per_day.requests, 0) AS requests,
              coalesce(per_day.input_tokens, 0) AS input_tokens,
              coalesce(per_day.output_tokens, 0) AS output_tokens,
              coalesce(per_day.global_cost, 0) AS global_cost,
              coalesce(per_day.workspace_cost, 0) AS workspace_cost
         FROM generate_series(
                date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC'),
                date_trunc('day', ($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC'),
                interval '1 day'
              ) AS days(day)
         LEFT JOIN per_day ON per_day.day = days.day
        ORDER BY days.day`,
      parameters(range, workspaceId),
    );
    return rows.map((row) => ({
      date: row.date,
      requests: Number(row.requests),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      globalCostMicroUsd: Number(row.global_cost),
      workspaceCostMicroUsd: Number(row.workspace_cost),
    }));
  }

  /**
   * Admin report: for every workspace, what the platform paid (global keys) and what moved to the
   * workspace's own keys. Workspaces without requests in the range are listed with zeros.
   * Ordered by total cost, highest first.
   */
  async report(range: UsageRange): Promise<WorkspaceUsage[]> {
    await this.ledger.flush();
    const rows: Array<AggregateRow & { workspace_id: string; workspace_name: string }> = await this.dataSource.query(
      `WITH per_workspace AS (
         SELECT workspace_id, provider, key_source, ${AGGREGATES}
           FROM usage_records
          WHERE occurred_at >= $1 AND occurred_at < $2
          GROUP BY workspace_id, provider, key_source
       )
       SELECT workspaces.id AS workspace_id, workspaces.name AS workspace_name, per_workspace.provider, per_workspace.key_source,
              per_workspace.requests, per_workspace.failures, per_workspace.cancelled,
              per_workspace.input_tokens, per_workspace.output_tokens, per_workspace.cost_micro_usd
         FROM workspaces
         LEFT JOIN per_workspace ON per_workspace.workspace_id = workspaces.id
        ORDER BY workspaces.name, workspaces.id, per_workspace.provider, per_workspace.key_source`,
      [range.from, range.to],
    );
    const byWorkspace = new Map<string, { name: string; rows: ProviderUsage[] }>();
    for (const row of rows) {
      const entry = byWorkspace.get(row.workspace_id) ?? { name: row.workspace_name, rows: [] };
      byWorkspace.set(row.workspace_id, entry);
      const usage = row.provider === null ? null : toProviderUsage(row);
      if (usage) entry.rows.push(usage);
    }
    return [...byWorkspace.entries()]
      .map(([workspaceId, entry]) => ({ workspaceId, workspaceName: entry.name, ...breakdown(entry.rows) }))
      .sort((a, b) => b.total.costMicroUsd - a.total.costMicroUsd || b.total.requests - a.total.requests);
  }
}
