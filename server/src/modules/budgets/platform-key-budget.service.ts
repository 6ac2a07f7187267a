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
import { AppError, badInput, ensurePresent } from '../../errors';
import type { Logger } from '../../logging/logger';
import { isUuid } from '../../validation/uuid';
import type { WorkspaceCondition } from '../workspaces/workspace-directory.service';
import { DEFAULT_SCOPE, type PolicyDefinition, type WorkspacePolicies } from '../policies/workspace-policies';

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

/** What a reservation keeps of its request, so that one left by a dead process can still be billed (R20). */
export interface ReservedRequest {
  requestId: string;
  occurredAt: Date;
  userId: string | null;
  model: string;
  reservation: { inputTokens: number; outputTokens: number };
}

/**
 * Bills every reservation past its time-to-live (its process died mid-request, R20): one ledger row each (outcome
 * UNKNOWN, key source GLOBAL, its estimate as cost, marked estimated; idempotent on the request id) and its amount
 * added to the month's spend, so the cap counts it. One statement: a reservation is billed once, whoever sweeps.
 */
async function billOrphanedReservations(manager: Pick<EntityManager, 'query'>, workspaceId?: string): Promise<number> {
  const [row] = (await manager.query(
    `WITH expired AS (
       DELETE FROM platform_key_reservations WHERE expires_at <= now() AND ($1::uuid IS NULL OR workspace_id = $1::uuid) RETURNING *
     ), ledger AS (
       INSERT INTO usage_records (request_id, occurred_at, workspace_id, user_id, provider, model, key_source, input_tokens, output_tokens,
                                  cost_micro_usd, outcome, latency_ms, streamed, estimated)
       SELECT coalesce(request_id, gen_random_uuid()), coalesce(occurred_at, expires_at), workspace_id, user_id, coalesce(provider, 'UNKNOWN'),
              coalesce(model, 'unknown'), 'GLOBAL', coalesce(input_tokens, 0), coalesce(output_tokens, 0), amount_micro_usd, 'UNKNOWN', 0, false, true
         FROM expired
       ON CONFLICT (request_id, occurred_at) DO NOTHING
     ), spend AS (
       INSERT INTO platform_key_spend (workspace_id, period_start, spent_micro_usd)
       SELECT workspace_id, period_start, sum(amount_micro_usd) FROM expired GROUP BY workspace_id, period_start
       ON CONFLICT (workspace_id, period_start)
       DO UPDATE SET spent_micro_usd = platform_key_spend.spent_micro_usd + EXCLUDED.spent_micro_usd, updated_at = now()
     )
     SELECT count(*)::int AS billed FROM expired`,
    [workspaceId ?? null],
  )) as Array<{ billed: number }>;
  return row?.billed ?? 0;
}

/** A platform-key request let through; `settle` records what it really cost (and releases its reservation). */
export interface BudgetAdmission {
  settle(actualCostMicroUsd: number): Promise<void>;
}

/** Upper bound accepted for a cap: far above any real month, well inside bigint and a double's exact integers. */
const MAX_LIMIT_MICRO_USD = 1e15;

const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** R13's cap on the workspace policy shape: micro-dollars a month on the platform's keys; null = no cap; default none. */
const PLATFORM_KEY_CAP: PolicyDefinition<number | null> = {
  name: 'PLATFORM_KEY_BUDGET',
  auditAction: 'PLATFORM_KEY_BUDGET_SET',
  fallback: () => null,
  validate(limit) {
    if (limit !== null && (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT_MICRO_USD)) {
      throw badInput(
        `monthlyLimitMicroUsd must be a whole number of micro-dollars from 0 to ${MAX_LIMIT_MICRO_USD} (or null for no cap)`,
        'monthlyLimitMicroUsd',
      );
    }
  },
  decode: toNumber,
  auditDetails: ({ scope, next, previous }) => ({
    scope,
    monthlyLimitMicroUsd: next ? next.value : null,
    inherited: next === null,
    previousMonthlyLimitMicroUsd: previous ? previous.value : null,
    hadOverride: scope === 'WORKSPACE' ? previous !== null : undefined,
  }),
};

/** SQL for the cap in force for the workspace `alias.id`: its override, else the default, else none. */
const capSql = (alias: string): string => `(SELECT (p.value #>> '{}')::bigint FROM workspace_policies p
   WHERE p.policy = '${PLATFORM_KEY_CAP.name}' AND p.subject = '' AND p.scope_key IN (${alias}.id::text, '${DEFAULT_SCOPE}')
   ORDER BY p.scope_key = '${DEFAULT_SCOPE}' LIMIT 1)`;
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
    private readonly policies: WorkspacePolicies,
    private readonly logger: Logger,
    private readonly reservationTtlMs: number,
    /** Injectable for tests of the month boundary. */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Set once at wiring time (the events module depends on more than budgets do). */
  connectEvents(events: BudgetEventSink): void {
    this.events = events;
  }

  /** Bills the reservations of every workspace whose process died (R20); run now and then by the app. */
  async billOrphanedReservations(): Promise<number> {
    return billOrphanedReservations(this.dataSource.manager);
  }

  currentPeriodStart(): Date {
    return budgetPeriodStart(this.clock());
  }

  // ---------------------------------------------------------------------------------------------------------
  // The AI paths

  /** Lets a platform-key request through or fails it with BUDGET_EXCEEDED. Never called for own-key requests. */
  async admit(
    requestedWorkspaceId: string,
    provider: ProviderId,
    estimatedCostMicroUsd: number,
    options: { outputMultiplier?: number; request?: ReservedRequest } = {},
  ): Promise<BudgetAdmission> {
    // Several answers in one request (`n`): its whole reservation must fit under the cap, or one request could
    // spend many times what is left (R20).
    const wholeMustFit = (options.outputMultiplier ?? 1) > 1;
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
      const committed = spent + Number(reserved?.reserved ?? 0);
      if (committed >= limit || (wholeMustFit && committed + estimate > limit)) {
        return { admitted: false as const, spent, multiplied: committed < limit ? estimate : null };
      }
      const [reservation] = (await manager.query(
        `INSERT INTO platform_key_reservations
           (workspace_id, period_start, amount_micro_usd, expires_at, request_id, occurred_at, user_id, provider, model, input_tokens, output_tokens)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision), $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          workspaceId,
          isoDate(period),
          estimate,
          this.reservationTtlMs / 1000,
          options.request?.requestId ?? null,
          options.request?.occurredAt ?? null,
          options.request?.userId ?? null,
          provider,
          options.request?.model ?? null,
          options.request?.reservation.inputTokens ?? null,
          options.request?.reservation.outputTokens ?? null,
        ],
      )) as Array<{ id: string }>;
      return { admitted: true as const, reservationId: ensurePresent(reservation, 'the inserted reservation').id };
    });
    if (!decision.admitted) {
      if (decision.multiplied !== null) {
        throw new AppError(
          'BUDGET_EXCEEDED',
          `This request asks for ${options.outputMultiplier} answers, which could cost up to ${formatMicroUsd(decision.multiplied)} on the platform's ${PROVIDERS[provider].label} key: more than is left of this workspace's monthly limit of ${formatMicroUsd(limit)}. Ask for fewer answers or a lower max_tokens.`,
          { provider, keySource: 'GLOBAL', monthlyLimitMicroUsd: limit, spentMicroUsd: decision.spent, reservationMicroUsd: decision.multiplied },
        );
      }
      throw await this.exceeded(workspaceId, provider, limit, decision.spent, period);
    }
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
        // Also bills reservations abandoned by a process that died (R20), so the table stays small.
        await billOrphanedReservations(manager, workspaceId);
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
  async effectiveLimit(workspaceId: string, manager?: EntityManager): Promise<number | null> {
    return (await this.policies.effective(PLATFORM_KEY_CAP, workspaceId, '', manager)).value;
  }

  /** `Workspace.platformKeyBudget` for several workspaces at once: the caps in one query, the spend in another. */
  async forWorkspaces(workspaceIds: readonly string[]): Promise<Map<string, PlatformKeyBudgetView>> {
    const ids = [...new Set(workspaceIds.map((id) => id.toLowerCase()))].filter(isUuid);
    const period = this.currentPeriodStart();
    const [caps, spend] = await Promise.all([
      this.policies.forWorkspaces(PLATFORM_KEY_CAP, workspaceIds),
      this.dataSource.query(
        `SELECT workspace_id::text AS workspace_id, spent_micro_usd FROM platform_key_spend WHERE workspace_id = ANY($1::uuid[]) AND period_start = $2`,
        [ids, isoDate(period)],
      ) as Promise<Array<{ workspace_id: string; spent_micro_usd: string }>>,
    ]);
    const spentById = new Map(spend.map((row) => [row.workspace_id, Number(row.spent_micro_usd)]));
    const result = new Map<string, PlatformKeyBudgetView>();
    for (const workspaceId of workspaceIds) {
      const cap = ensurePresent(caps.get(workspaceId), 'the cap forWorkspaces returns for every id');
      result.set(workspaceId, {
        workspaceId,
        monthlyLimitMicroUsd: cap.value,
        spentMicroUsd: spentById.get(workspaceId.toLowerCase()) ?? 0,
        periodStart: period,
        inherited: cap.inherited,
      });
    }
    return result;
  }

  /** The default cap, with what every workspace together spent on the platform's keys this month. */
  async defaultBudget(): Promise<PlatformKeyBudgetView> {
    const period = this.currentPeriodStart();
    const [limit, [row]] = await Promise.all([
      this.policies.defaultOf(PLATFORM_KEY_CAP),
      this.dataSource.query(`SELECT coalesce(sum(spent_micro_usd), 0) AS spent FROM platform_key_spend WHERE period_start = $1`, [isoDate(period)]) as Promise<
        Array<{ spent: string }>
      >,
    ]);
    return { workspaceId: null, monthlyLimitMicroUsd: limit, spentMicroUsd: Number(row?.spent ?? 0), periodStart: period, inherited: false };
  }

  /**
   * Admin: sets the default cap (workspaceId null) or a workspace's override. `limit` null = no cap;
   * `useDefault` removes a workspace's override so the default applies again. Audited (R10).
   */
  async setBudget(viewer: Viewer, workspaceId: string | null, limit: number | null, useDefault: boolean): Promise<PlatformKeyBudgetView> {
    if (useDefault && workspaceId === null) throw badInput('useDefault applies to a workspace; the default itself has nothing to fall back to', 'useDefault');
    if (useDefault && limit !== null) throw badInput('Either set a limit or use the default, not both', 'useDefault');
    await this.policies.set(viewer, PLATFORM_KEY_CAP, workspaceId, '', useDefault ? 'INHERIT' : { value: limit });
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
    const cap = capSql(alias);
    return `EXISTS (
      SELECT 1 FROM platform_key_spend s
       WHERE s.workspace_id = ${alias}.id AND s.period_start = :periodStart
         AND ${cap} > 0 AND s.spent_micro_usd * 100 >= :percent * ${cap})`;
  }
}
