import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request-rate limits on the AI paths (issue #12): `workspace_rate_limits` holds an admin's per-workspace
 * override of RATE_LIMIT_WORKSPACE_RPM (0 = no limit for that workspace), watched by the change feed so every
 * process's cache of it is dropped on change. `request_rate_limits` is rate-limiter-flexible's Postgres store
 * (its own schema: one counter per key and window), created here rather than by the library at run time.
 */
export class RequestRateLimits1796400000000 implements MigrationInterface {
  name = 'RequestRateLimits1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
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
      CREATE TABLE "request_rate_limits" (
        "key" varchar(255) PRIMARY KEY,
        "points" integer NOT NULL DEFAULT 0,
        "expire" bigint
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "request_rate_limits"`);
    await queryRunner.query(`DROP TRIGGER workspace_rate_limits_notify_change ON "workspace_rate_limits"`);
    await queryRunner.query(`DROP TABLE "workspace_rate_limits"`);
  }
}
