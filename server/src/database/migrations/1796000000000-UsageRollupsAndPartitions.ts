import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SPEC §8: usage reports answer from aggregates kept by the database itself.
 *
 * - `usage_records` becomes a table partitioned by month (UTC) with a DEFAULT partition, so an insert never
 *   fails for lack of a partition; `usage_records_ensure_partition(date)` creates a month's partition and
 *   moves any of its rows out of the DEFAULT partition first.
 * - Four rollup tables hold per-UTC-day counters (requests, input/output tokens, cost):
 *     usage_daily           (workspace, day, provider, key source, model, outcome) — the canonical rollup
 *     usage_daily_users     (workspace, day, user, provider, key source)           — by user
 *     usage_daily_workspaces (workspace, day, provider, key source)                — per-workspace reports
 *     usage_daily_platform  (day, provider, key source, model, outcome)            — platform-wide reports
 * - Postgres keeps them: statement-level AFTER INSERT/UPDATE/DELETE triggers with transition tables turn
 *   each statement on `usage_records` into ONE aggregate INSERT into `usage_rollup_deltas` (signed counts,
 *   no index, no conflicts: cheap on the write path), whoever wrote it (the ledger, an import, a backfill).
 *   `usage_rollups_compact()` folds the deltas into the rollups in one atomic statement; the server runs it
 *   every few seconds, and readers add the deltas still pending, so answers are exact either way.
 *   Dropping a whole partition (retention) and TRUNCATE fire no row triggers: the rollups keep that history.
 * - Existing rows are copied into the partitioned table through the trigger, which backfills the rollups.
 */

// Rows with no user (e.g. an API call without one) are kept under this id in the rollups.
const NO_USER_ID = '00000000-0000-0000-0000-000000000000';

const FAILURE = `outcome NOT IN ('OK', 'CANCELLED')`;

/** The trigger's one statement: the changed rows (`source`, with a `sign` column) summed into deltas. */
function deltaStatement(source: string): string {
  return `
    INSERT INTO usage_rollup_deltas (day, workspace_id, user_id, provider, key_source, model, outcome, requests, input_tokens, output_tokens, cost_micro_usd)
    SELECT (occurred_at AT TIME ZONE 'UTC')::date, workspace_id, coalesce(user_id, '${NO_USER_ID}'::uuid), provider, key_source, model, outcome,
           sum(sign), sum(sign * input_tokens), sum(sign * output_tokens), sum(sign * cost_micro_usd)
      FROM (${source}) AS changed
     GROUP BY 1, 2, 3, 4, 5, 6, 7;`;
}

const COLUMNS = `occurred_at, workspace_id, user_id, provider, key_source, model, outcome, input_tokens, output_tokens, cost_micro_usd`;

// Folds every pending delta into the three rollups in one statement (atomic: a reader sees the deltas or
// their effect, never both). Upserts go in key order so concurrent compactions cannot deadlock; a second
// compaction running at once waits for the first and then finds those deltas gone.
const COMPACT = `
  CREATE FUNCTION usage_rollups_compact() RETURNS bigint LANGUAGE plpgsql AS $$
  DECLARE
    folded bigint;
    had_negative boolean;
  BEGIN
    WITH moved AS (
      DELETE FROM usage_rollup_deltas RETURNING *
    ), daily AS (
      INSERT INTO usage_daily AS target (day, workspace_id, provider, key_source, model, outcome, requests, input_tokens, output_tokens, cost_micro_usd)
      SELECT day, workspace_id, provider, key_source, model, outcome, sum(requests), sum(input_tokens), sum(output_tokens), sum(cost_micro_usd)
        FROM moved GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 2, 1, 3, 4, 5, 6
      ON CONFLICT (workspace_id, day, provider, key_source, model, outcome) DO UPDATE SET
        requests = target.requests + excluded.requests,
        input_tokens = target.input_tokens + excluded.input_tokens,
        output_tokens = target.output_tokens + excluded.output_tokens,
        cost_micro_usd = target.cost_micro_usd + excluded.cost_micro_usd
    ), users AS (
      INSERT INTO usage_daily_users AS target (day, workspace_id, user_id, provider, key_source, requests, failures, cancelled, input_tokens, output_tokens, cost_micro_usd)
      SELECT day, workspace_id, user_id, provider, key_source, sum(requests),
             coalesce(sum(requests) FILTER (WHERE ${FAILURE}), 0), coalesce(sum(requests) FILTER (WHERE outcome = 'CANCELLED'), 0),
             sum(input_tokens), sum(output_tokens), sum(cost_micro_usd)
        FROM moved GROUP BY 1, 2, 3, 4, 5 ORDER BY 2, 1, 3, 4, 5
      ON CONFLICT (workspace_id, day, user_id, provider, key_source) DO UPDATE SET
        requests = target.requests + excluded.requests,
        failures = target.failures + excluded.failures,
        cancelled = target.cancelled + excluded.cancelled,
        input_tokens = target.input_tokens + excluded.input_tokens,
        output_tokens = target.output_tokens + excluded.output_tokens,
        cost_micro_usd = target.cost_micro_usd + excluded.cost_micro_usd
    ), workspaces AS (
      INSERT INTO usage_daily_workspaces AS target (day, workspace_id, provider, key_source, requests, failures, cancelled, input_tokens, output_tokens, cost_micro_usd)
      SELECT day, workspace_id, provider, key_source, sum(requests),
             coalesce(sum(requests) FILTER (WHERE ${FAILURE}), 0), coalesce(sum(requests) FILTER (WHERE outcome = 'CANCELLED'), 0),
             sum(input_tokens), sum(output_tokens), sum(cost_micro_usd)
        FROM moved GROUP BY 1, 2, 3, 4 ORDER BY 2, 1, 3, 4
      ON CONFLICT (workspace_id, day, provider, key_source) DO UPDATE SET
        requests = target.requests + excluded.requests,
        failures = target.failures + excluded.failures,
        cancelled = target.cancelled + excluded.cancelled,
        input_tokens = target.input_tokens + excluded.input_tokens,
        output_tokens = target.output_tokens + excluded.output_tokens,
        cost_micro_usd = target.cost_micro_usd + excluded.cost_micro_usd
    ), platform AS (
      INSERT INTO usage_daily_platform AS target (day, provider, key_source, model, outcome, requests, input_tokens, output_tokens, cost_micro_usd)
      SELECT day, provider, key_source, model, outcome, sum(requests), sum(input_tokens), sum(output_tokens), sum(cost_micro_usd)
        FROM moved GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (day, provider, key_source, model, outcome) DO UPDATE SET
        requests = target.requests + excluded.requests,
        input_tokens = target.input_tokens + excluded.input_tokens,
        output_tokens = target.output_tokens + excluded.output_tokens,
        cost_micro_usd = target.cost_micro_usd + excluded.cost_micro_usd
    )
    SELECT count(*), coalesce(bool_or(requests < 0), false) INTO folded, had_negative FROM moved;
    -- After a DELETE or UPDATE some groups may be back to zero requests: they go, so a rollup row always
    -- means requests (rare: the ledger itself only inserts).
    IF had_negative THEN
      DELETE FROM usage_daily WHERE requests = 0;
      DELETE FROM usage_daily_users WHERE requests = 0;
      DELETE FROM usage_daily_workspaces WHERE requests = 0;
      DELETE FROM usage_daily_platform WHERE requests = 0;
    END IF;
    RETURN folded;
  END
  $$`;

export class UsageRollupsAndPartitions1796000000000 implements MigrationInterface {
  name = 'UsageRollupsAndPartitions1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The old table keeps its sequence: ids continue where they were.
    await queryRunner.query(`ALTER SEQUENCE "usage_records_id_seq" OWNED BY NONE`);
    await queryRunner.query(`ALTER TABLE "usage_records" RENAME TO "usage_records_unpartitioned"`);
    await queryRunner.query(`DROP INDEX "usage_records_time_idx"`);
    await queryRunner.query(`DROP INDEX "usage_records_workspace_time_idx"`);
    await queryRunner.query(`
      CREATE TABLE "usage_records" (
        "id" bigint NOT NULL DEFAULT nextval('usage_records_id_seq'),
        "occurred_at" timestamptz NOT NULL DEFAULT now(),
        "workspace_id" uuid NOT NULL,
        "user_id" uuid,
        "provider" text NOT NULL,
        "model" text NOT NULL,
        "key_source" text NOT NULL,
        "input_tokens" integer NOT NULL DEFAULT 0,
        "output_tokens" integer NOT NULL DEFAULT 0,
        "cost_micro_usd" bigint NOT NULL DEFAULT 0,
        "outcome" text NOT NULL,
        "latency_ms" integer NOT NULL,
        "streamed" boolean NOT NULL DEFAULT false,
        CONSTRAINT "usage_records_pkey" PRIMARY KEY ("id", "occurred_at")
      ) PARTITION BY RANGE ("occurred_at")
    `);
    await queryRunner.query(`ALTER SEQUENCE "usage_records_id_seq" OWNED BY "usage_records"."id"`);
    await queryRunner.query(`CREATE INDEX "usage_records_time_idx" ON "usage_records" ("occurred_at")`);
    await queryRunner.query(`CREATE INDEX "usage_records_workspace_time_idx" ON "usage_records" ("workspace_id", "occurred_at")`);
    await queryRunner.query(`CREATE TABLE "usage_records_default" PARTITION OF "usage_records" DEFAULT`);

    // Month partitions are named usage_records_pYYYYMM and bounded at UTC midnights.
    await queryRunner.query(`
      CREATE FUNCTION usage_records_ensure_partition(month date) RETURNS boolean LANGUAGE plpgsql AS $$
      DECLARE
        first_day date := date_trunc('month', month)::date;
        lower_bound timestamptz := first_day::timestamp AT TIME ZONE 'UTC';
        upper_bound timestamptz := (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        partition_name text := 'usage_records_p' || to_char(first_day, 'YYYYMM');
      BEGIN
        IF to_regclass(partition_name) IS NOT NULL THEN
          RETURN false;
        END IF;
        -- Rows of that month already in the DEFAULT partition move into the new one (a direct move: no
        -- statement on usage_records, so the rollups do not change).
        EXECUTE format('CREATE TABLE %I (LIKE usage_records INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
        EXECUTE format(
          'WITH moved AS (DELETE FROM usage_records_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
          lower_bound, upper_bound, partition_name);
        EXECUTE format('ALTER TABLE usage_records ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', partition_name, lower_bound, upper_bound);
        RETURN true;
      END
      $$
    `);

    await queryRunner.query(`
      CREATE TABLE "usage_daily" (
        "day" date NOT NULL,
        "workspace_id" uuid NOT NULL,
        "provider" text NOT NULL,
        "key_source" text NOT NULL,
        "model" text NOT NULL,
        "outcome" text NOT NULL,
        "requests" bigint NOT NULL,
        "input_tokens" bigint NOT NULL,
        "output_tokens" bigint NOT NULL,
        "cost_micro_usd" bigint NOT NULL,
        CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("workspace_id", "day", "provider", "key_source", "model", "outcome")
      ) WITH (fillfactor = 80)
    `);
    await queryRunner.query(`CREATE INDEX "usage_daily_day_idx" ON "usage_daily" ("day")`);
    await queryRunner.query(`
      CREATE TABLE "usage_daily_users" (
        "day" date NOT NULL,
        "workspace_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "provider" text NOT NULL,
        "key_source" text NOT NULL,
        "requests" bigint NOT NULL,
        "failures" bigint NOT NULL,
        "cancelled" bigint NOT NULL,
        "input_tokens" bigint NOT NULL,
        "output_tokens" bigint NOT NULL,
        "cost_micro_usd" bigint NOT NULL,
        CONSTRAINT "usage_daily_users_pkey" PRIMARY KEY ("workspace_id", "day", "user_id", "provider", "key_source")
      ) WITH (fillfactor = 80)
    `);
    await queryRunner.query(`CREATE INDEX "usage_daily_users_day_idx" ON "usage_daily_users" ("day")`);
    await queryRunner.query(`
      CREATE TABLE "usage_daily_workspaces" (
        "day" date NOT NULL,
        "workspace_id" uuid NOT NULL,
        "provider" text NOT NULL,
        "key_source" text NOT NULL,
        "requests" bigint NOT NULL,
        "failures" bigint NOT NULL,
        "cancelled" bigint NOT NULL,
        "input_tokens" bigint NOT NULL,
        "output_tokens" bigint NOT NULL,
        "cost_micro_usd" bigint NOT NULL,
        CONSTRAINT "usage_daily_workspaces_pkey" PRIMARY KEY ("workspace_id", "day", "provider", "key_source")
      ) WITH (fillfactor = 80)
    `);
    await queryRunner.query(`CREATE INDEX "usage_daily_workspaces_day_idx" ON "usage_daily_workspaces" ("day")`);
    await queryRunner.query(`
      CREATE TABLE "usage_daily_platform" (
        "day" date NOT NULL,
        "provider" text NOT NULL,
        "key_source" text NOT NULL,
        "model" text NOT NULL,
        "outcome" text NOT NULL,
        "requests" bigint NOT NULL,
        "input_tokens" bigint NOT NULL,
        "output_tokens" bigint NOT NULL,
        "cost_micro_usd" bigint NOT NULL,
        CONSTRAINT "usage_daily_platform_pkey" PRIMARY KEY ("day", "provider", "key_source", "model", "outcome")
      ) WITH (fillfactor = 80)
    `);

    // Written by the triggers: one aggregate INSERT per statement, no index, no conflict handling.
    await queryRunner.query(`
      CREATE TABLE "usage_rollup_deltas" (
        "day" date NOT NULL,
        "workspace_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "provider" text NOT NULL,
        "key_source" text NOT NULL,
        "model" text NOT NULL,
        "outcome" text NOT NULL,
        "requests" bigint NOT NULL,
        "input_tokens" bigint NOT NULL,
        "output_tokens" bigint NOT NULL,
        "cost_micro_usd" bigint NOT NULL
      ) WITH (autovacuum_vacuum_threshold = 5000, autovacuum_vacuum_scale_factor = 0)
    `);
    await queryRunner.query(COMPACT);
    await queryRunner.query(`
      CREATE FUNCTION usage_records_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${deltaStatement(`SELECT 1 AS sign, ${COLUMNS} FROM new_rows`)}
        RETURN NULL;
      END
      $$
    `);
    await queryRunner.query(`
      CREATE FUNCTION usage_records_rollup_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${deltaStatement(`SELECT -1 AS sign, ${COLUMNS} FROM old_rows`)}
        RETURN NULL;
      END
      $$
    `);
    await queryRunner.query(`
      CREATE FUNCTION usage_records_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${deltaStatement(`SELECT 1 AS sign, ${COLUMNS} FROM new_rows UNION ALL SELECT -1 AS sign, ${COLUMNS} FROM old_rows`)}
        RETURN NULL;
      END
      $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER usage_records_rollup_insert AFTER INSERT ON "usage_records"
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_records_rollup_insert()
    `);
    await queryRunner.query(`
      CREATE TRIGGER usage_records_rollup_delete AFTER DELETE ON "usage_records"
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_records_rollup_delete()
    `);
    await queryRunner.query(`
      CREATE TRIGGER usage_records_rollup_update AFTER UPDATE ON "usage_records"
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usage_records_rollup_update()
    `);

    // A partition for every month that has rows, then this month and the next two; the copy goes through
    // the trigger, which backfills the rollups.
    await queryRunner.query(`
      SELECT usage_records_ensure_partition(month)
        FROM (SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS month FROM usage_records_unpartitioned
              UNION SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => ahead))::date FROM generate_series(0, 2) AS ahead) AS months
       ORDER BY month
    `);
    await queryRunner.query(`INSERT INTO "usage_records" SELECT * FROM "usage_records_unpartitioned"`);
    await queryRunner.query(`DROP TABLE "usage_records_unpartitioned"`);
    await queryRunner.query(`SELECT usage_rollups_compact()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER SEQUENCE "usage_records_id_seq" OWNED BY NONE`);
    await queryRunner.query(`ALTER TABLE "usage_records" RENAME TO "usage_records_partitioned"`);
    await queryRunner.query(`DROP INDEX "usage_records_time_idx"`);
    await queryRunner.query(`DROP INDEX "usage_records_workspace_time_idx"`);
    await queryRunner.query(`
      CREATE TABLE "usage_records" (
        "id" bigint NOT NULL DEFAULT nextval('usage_records_id_seq'),
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "workspace_id" uuid NOT NULL,
        "user_id" uuid,
        "provider" text NOT NULL,
        "model" text NOT NULL,
        "key_source" text NOT NULL,
        "input_tokens" integer NOT NULL DEFAULT '0',
        "output_tokens" integer NOT NULL DEFAULT '0',
        "cost_micro_usd" bigint NOT NULL DEFAULT '0',
        "outcome" text NOT NULL,
        "latency_ms" integer NOT NULL,
        "streamed" boolean NOT NULL DEFAULT false,
        CONSTRAINT "PK_e511cf9f7dc53851569f87467a5" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`INSERT INTO "usage_records" SELECT * FROM "usage_records_partitioned"`);
    await queryRunner.query(`ALTER SEQUENCE "usage_records_id_seq" OWNED BY "usage_records"."id"`);
    await queryRunner.query(`CREATE INDEX "usage_records_time_idx" ON "usage_records" ("occurred_at")`);
    await queryRunner.query(`CREATE INDEX "usage_records_workspace_time_idx" ON "usage_records" ("workspace_id", "occurred_at")`);
    await queryRunner.query(`DROP TABLE "usage_records_partitioned"`);
    await queryRunner.query(`DROP FUNCTION usage_records_rollup_insert()`);
    await queryRunner.query(`DROP FUNCTION usage_records_rollup_delete()`);
    await queryRunner.query(`DROP FUNCTION usage_records_rollup_update()`);
    await queryRunner.query(`DROP FUNCTION usage_records_ensure_partition(date)`);
    await queryRunner.query(`DROP FUNCTION usage_rollups_compact()`);
    await queryRunner.query(`DROP TABLE "usage_rollup_deltas"`);
    await queryRunner.query(`DROP TABLE "usage_daily_platform"`);
    await queryRunner.query(`DROP TABLE "usage_daily_users"`);
    await queryRunner.query(`DROP TABLE "usage_daily_workspaces"`);
    await queryRunner.query(`DROP TABLE "usage_daily"`);
  }
}
