import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One shape for every per-workspace policy (issue 18): a platform default plus per-workspace overrides, stored in
 * `workspace_policies` — one row per (policy, subject, scope), where the subject is a provider for per-provider
 * policies ('' otherwise), the scope 'DEFAULT' or a workspace id, and `value` the policy's JSON (JSON null is a
 * set value too: "no cap", "all models"). No row for a workspace means it inherits the default. Watched by the
 * change feed, so every process's cache of it is emptied on change. The caps' and rate limits' own tables move in.
 */
export class WorkspacePolicies1796600000000 implements MigrationInterface {
  name = 'WorkspacePolicies1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "workspace_policies" (
        "policy" text NOT NULL,
        "subject" text NOT NULL DEFAULT '',
        "scope_key" text NOT NULL,
        "workspace_id" uuid NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "value" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" uuid NULL,
        PRIMARY KEY ("policy", "subject", "scope_key"),
        CONSTRAINT "workspace_policies_scope_check" CHECK (("scope_key" = 'DEFAULT') = ("workspace_id" IS NULL)),
        CONSTRAINT "workspace_policies_scope_id_check" CHECK ("workspace_id" IS NULL OR "scope_key" = "workspace_id"::text)
      )`);
    await queryRunner.query(`CREATE INDEX "workspace_policies_workspace_idx" ON "workspace_policies" ("workspace_id")`);
    await queryRunner.query(
      `CREATE TRIGGER workspace_policies_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "workspace_policies" FOR EACH STATEMENT EXECUTE FUNCTION byok_notify_change()`,
    );
    await queryRunner.query(`
      INSERT INTO workspace_policies (policy, subject, scope_key, workspace_id, value, updated_at, updated_by)
      SELECT 'PLATFORM_KEY_BUDGET', '', scope_key, workspace_id, to_jsonb(monthly_limit_micro_usd), updated_at, updated_by FROM platform_key_budgets`);
    await queryRunner.query(`
      INSERT INTO workspace_policies (policy, subject, scope_key, workspace_id, value, updated_at, updated_by)
      SELECT 'REQUEST_RATE_LIMIT', '', workspace_id::text, workspace_id, to_jsonb(requests_per_minute), updated_at, updated_by FROM workspace_rate_limits`);
    await queryRunner.query(`DROP TABLE "platform_key_budgets"`);
    await queryRunner.query(`DROP TABLE "workspace_rate_limits"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "platform_key_budgets" (
        "scope_key" text PRIMARY KEY,
        "workspace_id" uuid NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "monthly_limit_micro_usd" bigint NULL CHECK ("monthly_limit_micro_usd" >= 0),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" uuid NULL,
        CONSTRAINT "platform_key_budgets_scope_check" CHECK (("scope_key" = 'DEFAULT') = ("workspace_id" IS NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE "workspace_rate_limits" (
        "workspace_id" uuid PRIMARY KEY REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "requests_per_minute" integer NOT NULL CHECK ("requests_per_minute" >= 0),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" uuid NULL
      )`);
    await queryRunner.query(
      `CREATE TRIGGER workspace_rate_limits_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "workspace_rate_limits" FOR EACH STATEMENT EXECUTE FUNCTION byok_notify_change()`,
    );
    await queryRunner.query(`
      INSERT INTO platform_key_budgets (scope_key, workspace_id, monthly_limit_micro_usd, updated_at, updated_by)
      SELECT scope_key, workspace_id, (value #>> '{}')::bigint, updated_at, updated_by FROM workspace_policies WHERE policy = 'PLATFORM_KEY_BUDGET'`);
    await queryRunner.query(`
      INSERT INTO workspace_rate_limits (workspace_id, requests_per_minute, updated_at, updated_by)
      SELECT workspace_id, (value #>> '{}')::integer, updated_at, updated_by FROM workspace_policies
       WHERE policy = 'REQUEST_RATE_LIMIT' AND workspace_id IS NOT NULL`);
    await queryRunner.query(`DROP TABLE "workspace_policies"`);
  }
}
