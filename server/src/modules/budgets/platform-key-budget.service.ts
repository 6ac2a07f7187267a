import {
  BUDGET_THRESHOLD_PERCENTS,
  PROVIDERS,
  budgetPeriodStart,
  formatMicroUsd,
  type AdminWorkspaceFilter,
  type BudgetThresholdPercent,
  type ProviderId,
} from '@byok/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
import { AppError, badInput, ensurePresent, notFound } from '../../errors';
import type { Logger } from '../../logging/logger';
import type { AuditService } from '../audit/audit.service';
import { isUuid } from '../../validation/uuid';
import type { WorkspaceCondition } from '../workspaces/workspace-directory.service';

/** What the API shows of one cap (SPEC §7 `PlatformKeyBudget`). */
export interface PlatformKeyBudgetView {
  workspaceId: string | null;
  /** null = no cap. */
  monthlyLimitMicroUsd: number | null;
  spentMicroUsd: number;
  periodStart: Date;
  /** True when the workspace has no override and the default applies. */
  inherited: boolean;
}

/** A cap crossing, handed to the events (R14) inside the transaction that recorded the spend. */
export interface BudgetThresholdCrossing {
  workspaceId: string;
  thresholdPercent: BudgetThresholdPercent;
  monthlyLimitMicroUsd: number;
  spentMicroUsd: number;
  periodStart: Date;
}

export interface BudgetEventSink {
  budgetThresholdCrossed(manager: EntityManager, crossing: BudgetThresholdCrossing): Promise<void>;
}

/** A platform-key request let through; `settle` records what it really cost (and releases its reservation). */
export interface BudgetAdmission {
  settle(actualCostMicroUsd: number): Promise<void>;
}

export const DEFAULT_SCOPE = 'DEFAULT';
/** Upper bound accepted for a cap: far above any real month, well inside bigint and a double's exact integers. */
const MAX_LIMIT_MICRO_USD = 1e15;

interface CapRow {
  own_exists: boolean;
  own_limit: string | null;
  default_limit: string | null;
}

const toNumber = (value: string | number | null): number | null => (value === null ? null : Number(value));
const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * Platform-key caps (R13). Every AI path that is about to spend the platform's key calls `admit` first and
 * `settle` afterwards. State lives in Postgres, so every process shares it:
 *
 * - `admit` locks the workspace's spend row for this UTC month and lets the request in only while
 *   spent + reserved (requests in flight) < cap, then reserves the request's estimated cost (its input plus
 *   maxTokens of output at list price). A cap of 0 therefore refuses every platform-key request.
 * - `settle` removes the reservation and adds the actual cost in one transaction.
 *
 * Overshoot bound: a request is admitted only while spent + reserved < cap, so the spend can pass the cap
 * only by requests already admitted when it got there — the requests in flight at that moment. Because each
 * reservation is an upper bound of its request's cost (output is capped by maxTokens), in practice that is at
 * most the last admitted request's cost. A reservation left by a process that died mid-request expires after
 * twice the completion timeout.
 */
export class PlatformKeyBudgetService {
  private events: BudgetEventSink | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly reservationTtlMs: number,
    /** Injectable for tests of the month boundary. */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Set once at wiring time (the events module depends on more than budgets do). */
  connectEvents(events: BudgetEventSink): void {
    this.events = events;
  }

  currentPeriodStart(): Date {
    return budgetPeriodStart(this.clock());
  }

  // ---------------------------------------------------------------------------------------------------------
  // The AI paths

  /** Lets a platform-key request through or fails it with BUDGET_EXCEEDED. Never called for own-key requests. */
  async admit(requestedWorkspaceId: string, provider: ProviderId, estimatedCostMicroUsd: number): Promise<BudgetAdmission> {
    // Ids are compared as text in platform_key_budgets: always the canonical lower-case form.
    const workspaceId = requestedWorkspaceId.toLowerCase();
    const period = this.currentPeriodStart();
    const limit = await this.effectiveLimit(workspaceId);
    if (limit === null) return { settle: (cost) => this.settle(workspaceId, period, null, cost) };

    const estimate = Math.max(0, Math.round(estimatedCostMicroUsd));
    const decision = await this.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO platform_key_spend (workspace_id, period_start) VALUES ($1, $2) ON CONFLICT (workspace_id, period_start) DO NOTHING`, [
        workspaceId,
        isoDate(period),
      ]);
      // The row lock serialises admissions of one workspace across processes: the check and the reservation are atomic.
      const [spend] = (await manager.query(`SELECT spent_micro_usd FROM platform_key_spend WHERE workspace_id = $1 AND period_start = $2 FOR UPDATE`, [
        workspaceId,
        isoDate(period),
      ])) as Array<{ spent_micro_usd: string }>;
      const [reserved] = (await manager.query(
        `SELECT coalesce(sum(amount_micro_usd), 0)::bigint AS reserved FROM platform_key_reservations
          WHERE workspace_id = $1 AND period_start = $2 AND expires_at > now()`,
        [workspaceId, isoDate(period)],
      )) as Array<{ reserved: string }>;
      const spent = Number(spend?.spent_micro_usd ?? 0);
      if (spent + Number(reserved?.reserved ?? 0) >= limit) return { admitted: false as const, spent };
      const [reservation] = (await manager.query(
        `INSERT INTO platform_key_reservations (workspace_id, period_start, amount_micro_usd, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision)) RETURNING id`,
        [workspaceId, isoDate(period), estimate, this.reservationTtlMs / 1000],
      )) as Array<{ id: string }>;
      return { admitted: true as const, reservationId: ensurePresent(reservation, 'the inserted reservation').id };
    });
    if (!decision.admitted) throw await this.exceeded(workspaceId, provider, limit, decision.spent, period);
    const { reservationId } = decision;
    return { settle: (cost) => this.settle(workspaceId, period, reservationId, cost) };
  }

  /** Adds the actual cost and releases the reservation; a failure here is logged, never turned into the request's error. */
  private async settle(workspaceId: string, period: Date, reservationId: string | null, costMicroUsd: number): Promise<void> {
    const cost = Math.max(0, Math.round(costMicroUsd));
    if (reservationId === null && cost === 0) return;
    try {
      if (reservationId === null) {
        // No cap applied at admission: one statement, no thresholds to watch.
        await this.dataSource.query(
          `INSERT INTO platform_key_spend (workspace_id, period_start, spent_micro_usd) VALUES ($1, $2, $3)
           ON CONFLICT (workspace_id, period_start)
           DO UPDATE SET spent_micro_usd = platform_key_spend.spent_micro_usd + EXCLUDED.spent_micro_usd, updated_at = now()`,
          [workspaceId, isoDate(period), cost],
        );
        return;
      }
      await this.dataSource.transaction(async (manager) => {
        await manager.query(`DELETE FROM platform_key_reservations WHERE id = $1`, [reservationId]);
        // Also sweeps reservations abandoned by a process that died, so the table stays small.
        await manager.query(`DELETE FROM platform_key_reservations WHERE workspace_id = $1 AND expires_at <= now()`, [workspaceId]);
        if (cost === 0) return;
        const [row] = (await manager.query(
          `INSERT INTO platform_key_spend (workspace_id, period_start, spent_micro_usd) VALUES ($1, $2, $3)
           ON CONFLICT (workspace_id, period_start)
           DO UPDATE SET spent_micro_usd = platform_key_spend.spent_micro_usd + EXCLUDED.spent_micro_usd, updated_at = now()
           RETURNING spent_micro_usd, thresholds_notified`,
          [workspaceId, isoDate(period), cost],
        )) as Array<{ spent_micro_usd: string; thresholds_notified: number[] }>;
        const spend = ensurePresent(row, 'the upserted spend row');
        await this.checkThresholds(manager, workspaceId, period, Number(spend.spent_micro_usd), spend.thresholds_notified);
      });
    } catch (error) {
      this.logger.error('could not record platform-key spend', { workspaceId, error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  /** Fires each threshold (80%, 100%) once per workspace and month, inside the spend's transaction (row locked). */
  private async checkThresholds(manager: EntityManager, workspaceId: string, period: Date, spent: number, notified: number[]): Promise<void> {
    const limit = await this.effectiveLimit(workspaceId, manager);
    if (limit === null || limit === 0) return;
    const crossed = BUDGET_THRESHOLD_PERCENTS.filter((percent) => !notified.includes(percent) && spent * 100 >= limit * percent);
    if (crossed.length === 0) return;
    await manager.query(
      `UPDATE platform_key_spend SET thresholds_notified = thresholds_notified || $3::integer[] WHERE workspace_id = $1 AND period_start = $2`,
      [workspaceId, isoDate(period), crossed],
    );
    for (const thresholdPercent of crossed) {
      await this.events?.budgetThresholdCrossed(manager, {
        workspaceId,
        thresholdPercent,
        monthlyLimitMicroUsd: limit,
        spentMicroUsd: spent,
        periodStart: period,
      });
    }
  }

  private async exceeded(workspaceId: string, provider: ProviderId, limit: number, spent: number, period: Date): Promise<AppError> {
    const label = PROVIDERS[provider].label;
    const rows = (await this.dataSource.query(`SELECT byok_enabled FROM provider_settings WHERE provider = $1`, [provider])) as Array<{
      byok_enabled: boolean;
    }>;
    const byokEnabled = rows[0]?.byok_enabled === true;
    const remedy = byokEnabled
      ? `The workspace owner can add the workspace's own ${label} key in API keys, or ask a platform admin to raise the limit.`
      : `Ask a platform admin to raise the limit.`;
    const what =
      limit === 0
        ? `This workspace may not use the platform's ${label} key (its monthly limit is $0).`
        : `This workspace has reached its monthly limit of ${formatMicroUsd(limit)} on the platform's keys (${formatMicroUsd(spent)} spent since ${isoDate(period)}, requests in progress included).`;
    return new AppError('BUDGET_EXCEEDED', `${what} ${remedy}`, {
      provider,
      keySource: 'GLOBAL',
      monthlyLimitMicroUsd: limit,
      spentMicroUsd: spent,
      periodStart: period.toISOString(),
      byokEnabled,
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Reading and setting caps

  /** The cap in force for a workspace: its override if it has one (null there = explicitly no cap), else the default. */
  async effectiveLimit(workspaceId: string, manager: EntityManager = this.dataSource.manager): Promise<number | null> {
    const [row] = (await manager.query(
      `SELECT EXISTS (SELECT 1 FROM platform_key_budgets WHERE scope_key = $1) AS own_exists,
              (SELECT monthly_limit_micro_usd FROM platform_key_budgets WHERE scope_key = $1) AS own_limit,
              (SELECT monthly_limit_micro_usd FROM platform_key_budgets WHERE scope_key = '${DEFAULT_SCOPE}') AS default_limit`,
      [workspaceId],
    )) as CapRow[];
    const caps = ensurePresent(row, 'the caps row (a SELECT without FROM returns one)');
    return toNumber(caps.own_exists ? caps.own_limit : caps.default_limit);
  }

  /** `Workspace.platformKeyBudget` for several workspaces at once: one query. */
  async forWorkspaces(workspaceIds: readonly string[]): Promise<Map<string, PlatformKeyBudgetView>> {
    const ids = [...new Set(workspaceIds)].filter(isUuid);
    const period = this.currentPeriodStart();
    const rows = (await this.dataSource.query(
      `SELECT w.id::text AS workspace_id,
              b.scope_key IS NOT NULL AS own_exists,
              b.monthly_limit_micro_usd AS own_limit,
              d.monthly_limit_micro_usd AS default_limit,
              coalesce(s.spent_micro_usd, 0) AS spent
         FROM unnest($1::uuid[]) AS w(id)
         LEFT JOIN platform_key_budgets b ON b.scope_key = w.id::text
         LEFT JOIN platform_key_budgets d ON d.scope_key = '${DEFAULT_SCOPE}'
         LEFT JOIN platform_key_spend s ON s.workspace_id = w.id AND s.period_start = $2`,
      [ids, isoDate(period)],
    )) as Array<CapRow & { workspace_id: string; spent: string }>;
    const byId = new Map(rows.map((row) => [row.workspace_id, row]));
    const result = new Map<string, PlatformKeyBudgetView>();
    for (const workspaceId of workspaceIds) {
      const row = byId.get(workspaceId.toLowerCase());
      result.set(workspaceId, {
        workspaceId,
        monthlyLimitMicroUsd: row ? toNumber(row.own_exists ? row.own_limit : row.default_limit) : null,
        spentMicroUsd: row ? Number(row.spent) : 0,
        periodStart: period,
        inherited: row ? !row.own_exists : true,
      });
    }
    return result;
  }

  /** The default cap, with what every workspace together spent on the platform's keys this month. */
  async defaultBudget(): Promise<PlatformKeyBudgetView> {
    const period = this.currentPeriodStart();
    const [row] = (await this.dataSource.query(
      `SELECT (SELECT monthly_limit_micro_usd FROM platform_key_budgets WHERE scope_key = '${DEFAULT_SCOPE}') AS default_limit,
              (SELECT coalesce(sum(spent_micro_usd), 0) FROM platform_key_spend WHERE period_start = $1) AS spent`,
      [isoDate(period)],
    )) as Array<{ default_limit: string | null; spent: string }>;
    const totals = ensurePresent(row, 'the default budget row (a SELECT without FROM returns one)');
    return {
      workspaceId: null,
      monthlyLimitMicroUsd: toNumber(totals.default_limit),
      spentMicroUsd: Number(totals.spent),
      periodStart: period,
      inherited: false,
    };
  }

  /**
   * Admin: sets the default cap (workspaceId null) or a workspace's override. `limit` null = no cap;
   * `useDefault` removes a workspace's override so the default applies again. Audited (R10).
   */
  async setBudget(viewer: Viewer, workspaceId: string | null, limit: number | null, useDefault: boolean): Promise<PlatformKeyBudgetView> {
    if (limit !== null && (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT_MICRO_USD)) {
      throw badInput(
        `monthlyLimitMicroUsd must be a whole number of micro-dollars from 0 to ${MAX_LIMIT_MICRO_USD} (or null for no cap)`,
        'monthlyLimitMicroUsd',
      );
    }
    if (useDefault && workspaceId === null) throw badInput('useDefault applies to a workspace; the default itself has nothing to fall back to', 'useDefault');
    if (useDefault && limit !== null) throw badInput('Either set a limit or use the default, not both', 'useDefault');
    if (workspaceId !== null) {
      const exists = isUuid(workspaceId) && (await this.dataSource.query(`SELECT 1 FROM workspaces WHERE id = $1`, [workspaceId])).length > 0;
      if (!exists) throw notFound('Workspace');
      workspaceId = workspaceId.toLowerCase();
    }
    const scopeKey = workspaceId ?? DEFAULT_SCOPE;
    await this.dataSource.transaction(async (manager) => {
      const [previous] = (await manager.query(`SELECT monthly_limit_micro_usd FROM platform_key_budgets WHERE scope_key = $1 FOR UPDATE`, [
        scopeKey,
      ])) as Array<{
        monthly_limit_micro_usd: string | null;
      }>;
      if (useDefault) {
        await manager.query(`DELETE FROM platform_key_budgets WHERE scope_key = $1`, [scopeKey]);
      } else {
        await manager.query(
          `INSERT INTO platform_key_budgets (scope_key, workspace_id, monthly_limit_micro_usd, updated_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (scope_key) DO UPDATE SET monthly_limit_micro_usd = EXCLUDED.monthly_limit_micro_usd, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [scopeKey, workspaceId, limit, viewer.userId],
        );
      }
      await this.audit.record(manager, {
        action: 'PLATFORM_KEY_BUDGET_SET',
        actor: viewer,
        workspaceId,
        details: {
          scope: workspaceId ? 'WORKSPACE' : 'DEFAULT',
          monthlyLimitMicroUsd: useDefault ? null : limit,
          inherited: useDefault,
          previousMonthlyLimitMicroUsd: previous ? toNumber(previous.monthly_limit_micro_usd) : null,
          hadOverride: workspaceId ? previous !== undefined : undefined,
        },
      });
    });
    if (workspaceId === null) return this.defaultBudget();
    return ensurePresent((await this.forWorkspaces([workspaceId])).get(workspaceId), 'the budget forWorkspaces returns for every id');
  }

  /** Admin → Workspaces filters: spend at 80% of a positive cap or more this month; or a workspace key that is INVALID or UNREADABLE. */
  adminFilter(filter: AdminWorkspaceFilter): WorkspaceCondition {
    if (filter === 'BROKEN_KEY') {
      return {
        sql: `EXISTS (SELECT 1 FROM provider_keys k WHERE k.scope = 'WORKSPACE' AND k.workspace_id = workspace.id AND k.status IN ('INVALID', 'UNREADABLE'))`,
        parameters: {},
      };
    }
    return { sql: this.overCapSql('workspace'), parameters: { periodStart: isoDate(this.currentPeriodStart()), percent: 80 } };
  }

  /** Workspaces whose platform-key spend this month is at least `percent` of a positive cap (Admin → Workspaces filter). */
  private overCapSql(alias: string): string {
    return `EXISTS (
      SELECT 1 FROM platform_key_spend s
        LEFT JOIN platform_key_budgets b ON b.scope_key = ${alias}.id::text
        LEFT JOIN platform_key_budgets d ON d.scope_key = '${DEFAULT_SCOPE}'
       WHERE s.workspace_id = ${alias}.id AND s.period_start = :periodStart
         AND CASE WHEN b.scope_key IS NOT NULL THEN b.monthly_limit_micro_usd ELSE d.monthly_limit_micro_usd END > 0
         AND s.spent_micro_usd * 100 >= :percent * CASE WHEN b.scope_key IS NOT NULL THEN b.monthly_limit_micro_usd ELSE d.monthly_limit_micro_usd END)`;
  }
}
