import { isKeySource, isProviderId, type KeySource, type ProviderId } from '@byok/shared';
import type { DataSource } from 'typeorm';
import type { UsageLedger } from './usage-ledger';
import type { UsageRange } from './usage-range';
import { addTotals, emptyTotals, totalsOf, USAGE_MEASURE_NAMES, USAGE_MEASURES, type UsageMeasureColumns, type UsageTotals } from './usage-measures';
import { daysOf, groupedUsage, Parameters, type UsageDimension } from './usage-source';

/** Counts and sums over a set of requests: one per measure of USAGE_MEASURES (usage-measures.ts). */
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

/** Usage of one model (any key source). */
export interface ModelUsage extends UsageTotals {
  provider: ProviderId;
  model: string;
}

/** Usage of one user; `userId` null for requests made without a user. */
export interface UserUsage extends UsageTotals {
  userId: string | null;
  name: string | null;
  email: string | null;
}

/** Requests that ended with one outcome ('OK', 'CANCELLED' or an error code). */
export interface OutcomeUsage extends UsageTotals {
  outcome: string;
}

/** One line of the CSV export: a UTC day × workspace × user × provider × key source × model × outcome, with every measure. */
export interface UsageExportRow extends UsageTotals {
  date: string;
  workspaceId: string;
  /** Null for requests made without a user. */
  userId: string | null;
  /** The user's current email (null without a user, or for a deleted account). */
  userEmail: string | null;
  provider: string;
  keySource: string;
  model: string;
  outcome: string;
}

type AggregateRow = UsageMeasureColumns;

const toProviderUsage = (row: AggregateRow & { provider: string; key_source: string }): ProviderUsage | null => {
  if (!isProviderId(row.provider) || !isKeySource(row.key_source)) return null;
  return { provider: row.provider, keySource: row.key_source, ...totalsOf(row) };
};

function breakdown(rows: ProviderUsage[]): UsageBreakdown {
  const result: UsageBreakdown = { total: emptyTotals(), onGlobalKey: emptyTotals(), onWorkspaceKey: emptyTotals(), byProvider: rows };
  for (const row of rows) {
    addTotals(result.total, row);
    if (row.keySource === 'GLOBAL') addTotals(result.onGlobalKey, row);
    if (row.keySource === 'WORKSPACE') addTotals(result.onWorkspaceKey, row);
  }
  return result;
}

/**
 * Reads usage (R11, SPEC §8). Whole UTC days come from the rollups the database keeps (see the migration
 * UsageRollupsAndPartitions), the partial days at a window's edges with the raw ledger (see splitRange), so every total equals
 * the sum over the raw rows of the window. Every workspace query filters by its id.
 */
export class UsageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: UsageLedger,
  ) {}

  private async grouped<Row>(range: UsageRange, workspaceId: string | null, dimensions: readonly UsageDimension[]): Promise<Array<Row & AggregateRow>> {
    // Rows still in the in-process buffer belong in the answer (read-your-own-requests).
    await this.ledger.flush();
    const parameters = new Parameters();
    const sql = groupedUsage(range, workspaceId, dimensions, parameters);
    return this.dataSource.query(sql, parameters.values);
  }

  /** Totals for one workspace, or for the whole platform when `workspaceId` is null (admin). */
  async summary(workspaceId: string | null, range: UsageRange): Promise<UsageBreakdown> {
    const rows = await this.grouped<{ provider: string; key_source: string }>(range, workspaceId, ['provider', 'key_source']);
    return breakdown(rows.map(toProviderUsage).filter((row): row is ProviderUsage => row !== null));
  }

  /** One entry per UTC day of the range, zero-filled, for charts; the whole platform when `workspaceId` is null. */
  async daily(workspaceId: string | null, range: UsageRange): Promise<UsageDay[]> {
    const rows = await this.grouped<{ day: string | Date; key_source: string }>(range, workspaceId, ['day', 'key_source']);
    const byDay = new Map<string, UsageDay>();
    for (const date of daysOf(range)) {
      byDay.set(date, { date, requests: 0, inputTokens: 0, outputTokens: 0, globalCostMicroUsd: 0, workspaceCostMicroUsd: 0 });
    }
    for (const row of rows) {
      const day = byDay.get(dateOf(row.day));
      if (!day) continue;
      const totals = totalsOf(row);
      day.requests += totals.requests;
      day.inputTokens += totals.inputTokens;
      day.outputTokens += totals.outputTokens;
      if (row.key_source === 'GLOBAL') day.globalCostMicroUsd += totals.costMicroUsd;
      if (row.key_source === 'WORKSPACE') day.workspaceCostMicroUsd += totals.costMicroUsd;
    }
    return [...byDay.values()];
  }

  /** By provider and model, most expensive first. */
  async byModel(workspaceId: string | null, range: UsageRange): Promise<ModelUsage[]> {
    const rows = await this.grouped<{ provider: string; model: string }>(range, workspaceId, ['provider', 'model']);
    return rows.flatMap((row) => (isProviderId(row.provider) ? [{ provider: row.provider, model: row.model, ...totalsOf(row) }] : [])).sort(byCostThenRequests);
  }

  /** By user (who made the requests), most expensive first. */
  async byUser(workspaceId: string | null, range: UsageRange): Promise<UserUsage[]> {
    const rows = await this.grouped<{ user_id: string | null }>(range, workspaceId, ['user_id']);
    const ids = rows.flatMap((row) => (row.user_id ? [row.user_id] : []));
    const users: Array<{ id: string; name: string; email: string }> =
      ids.length > 0 ? await this.dataSource.query(`SELECT id, name, email FROM users WHERE id = ANY($1::uuid[])`, [ids]) : [];
    const byId = new Map(users.map((user) => [user.id, user]));
    return rows
      .map((row) => {
        const user = row.user_id ? byId.get(row.user_id) : undefined;
        return { userId: row.user_id, name: user?.name ?? null, email: user?.email ?? null, ...totalsOf(row) };
      })
      .sort(byCostThenRequests);
  }

  /** By outcome ('OK', 'CANCELLED', error codes), most frequent first. */
  async byOutcome(workspaceId: string | null, range: UsageRange): Promise<OutcomeUsage[]> {
    const rows = await this.grouped<{ outcome: string }>(range, workspaceId, ['outcome']);
    return rows.map((row) => ({ outcome: row.outcome, ...totalsOf(row) })).sort((a, b) => b.requests - a.requests || a.outcome.localeCompare(b.outcome));
  }

  /**
   * Admin report: for every workspace, what the platform paid (global keys) and what moved to the
   * workspace's own keys. Workspaces without requests in the range are listed with zeros.
   * Ordered by total cost, highest first.
   */
  async report(range: UsageRange): Promise<WorkspaceUsage[]> {
    await this.ledger.flush();
    const parameters = new Parameters();
    const grouped = groupedUsage(range, null, ['workspace_id', 'provider', 'key_source'], parameters);
    const measures = USAGE_MEASURE_NAMES.map((name) => `per_workspace.${USAGE_MEASURES[name].column}`).join(', ');
    const rows: Array<AggregateRow & { workspace_id: string; workspace_name: string; provider: string | null; key_source: string }> =
      await this.dataSource.query(
        `SELECT workspaces.id AS workspace_id, workspaces.name AS workspace_name, per_workspace.provider, per_workspace.key_source, ${measures}
           FROM workspaces
           LEFT JOIN (${grouped}) AS per_workspace ON per_workspace.workspace_id = workspaces.id
          ORDER BY workspaces.name, workspaces.id, per_workspace.provider, per_workspace.key_source`,
        parameters.values,
      );
    const byWorkspace = new Map<string, { name: string; rows: ProviderUsage[] }>();
    for (const row of rows) {
      const entry = byWorkspace.get(row.workspace_id) ?? { name: row.workspace_name, rows: [] };
      byWorkspace.set(row.workspace_id, entry);
      const usage = row.provider === null ? null : toProviderUsage({ ...row, provider: row.provider });
      if (usage) entry.rows.push(usage);
    }
    return [...byWorkspace.entries()]
      .map(([workspaceId, entry]) => ({ workspaceId, workspaceName: entry.name, ...breakdown(entry.rows) }))
      .sort((a, b) => b.total.costMicroUsd - a.total.costMicroUsd || b.total.requests - a.total.requests);
  }

  /**
   * The export's rows (day × workspace × user × provider × key source × model × outcome) for one workspace, or
   * all when `workspaceId` is null, one UTC day per query so the caller can stream them without holding the
   * window. No rollup keeps users and models together, so each day is read from the raw ledger.
   */
  async *exportRows(workspaceId: string | null, range: UsageRange): AsyncGenerator<UsageExportRow[]> {
    await this.ledger.flush();
    const dimensions: UsageDimension[] = ['day', 'workspace_id', 'user_id', 'provider', 'key_source', 'model', 'outcome'];
    for (const date of daysOf(range)) {
      const dayStart = new Date(`${date}T00:00:00.000Z`);
      const dayEnd = new Date(dayStart.getTime() + 24 * 3600 * 1000);
      const window = { from: dayStart < range.from ? range.from : dayStart, to: dayEnd > range.to ? range.to : dayEnd };
      const parameters = new Parameters();
      type ExportRow = AggregateRow & {
        day: string | Date;
        workspace_id: string;
        user_id: string | null;
        user_email: string | null;
        provider: string;
        key_source: string;
        model: string;
        outcome: string;
      };
      const rows: ExportRow[] = await this.dataSource.query(
        `SELECT grouped.*, users.email AS user_email
           FROM (${groupedUsage(window, workspaceId, dimensions, parameters)}) AS grouped
           LEFT JOIN users ON users.id = grouped.user_id
          ORDER BY ${dimensions.map((dimension) => `grouped.${dimension}`).join(', ')}`,
        parameters.values,
      );
      if (rows.length === 0) continue;
      yield rows.map((row) => ({
        date: dateOf(row.day),
        workspaceId: row.workspace_id,
        userId: row.user_id,
        userEmail: row.user_email,
        provider: row.provider,
        keySource: row.key_source,
        model: row.model,
        outcome: row.outcome,
        ...totalsOf(row),
      }));
    }
  }
}

const byCostThenRequests = (a: UsageTotals, b: UsageTotals): number => b.costMicroUsd - a.costMicroUsd || b.requests - a.requests;

/** Days come back as YYYY-MM-DD text (to_char); a Date is read as its UTC day. */
function dateOf(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
