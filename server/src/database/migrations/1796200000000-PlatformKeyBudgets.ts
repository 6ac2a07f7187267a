import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R13: monthly caps on platform-key spend. `platform_key_budgets` holds the default (scope_key 'DEFAULT') and
 * per-workspace overrides; `platform_key_spend` one counter per (workspace, UTC month); reservations are the
 * requests in flight, counted against the cap until they settle (or expire, if a process died mid-request).
 */
export class PlatformKeyBudgets1796200000000 implements MigrationInterface {
  name = 'PlatformKeyBudgets1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
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
      CREATE TABLE "platform_key_spend" (
        "workspace_id" uuid NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "period_start" date NOT NULL,
        "spent_micro_usd" bigint NOT NULL DEFAULT 0,
        "thresholds_notified" integer[] NOT NULL DEFAULT '{}',
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("workspace_id", "period_start")
      )`);
    await queryRunner.query(`CREATE INDEX "platform_key_spend_period_idx" ON "platform_key_spend" ("period_start")`);
    await queryRunner.query(`
      CREATE TABLE "platform_key_reservations" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "period_start" date NOT NULL,
        "amount_micro_usd" bigint NOT NULL,
        "expires_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "platform_key_reservations_workspace_idx" ON "platform_key_reservations" ("workspace_id", "period_start")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "platform_key_reservations"`);
    await queryRunner.query(`DROP TABLE "platform_key_spend"`);
    await queryRunner.query(`DROP TABLE "platform_key_budgets"`);
  }
}
