import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R14: key-health and cost events, and the in-app notices they leave for whoever can act. An event row is
 * what webhooks deliver (the outbox comes with the webhooks); notices are dismissed per user.
 */
export class KeyHealthEvents1796200000001 implements MigrationInterface {
  name = 'KeyHealthEvents1796200000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "events" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "type" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "workspace_id" uuid NULL,
        "provider" text NULL,
        "data" jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(`CREATE INDEX "events_created_idx" ON "events" ("created_at")`);
    await queryRunner.query(`
      CREATE TABLE "notices" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "event_id" uuid NULL REFERENCES "events" ("id") ON DELETE CASCADE,
        "audience" text NOT NULL CHECK ("audience" IN ('WORKSPACE_OWNER', 'ADMINS', 'KEY_OWNERS', 'OWNERS')),
        "workspace_id" uuid NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "provider" text NULL,
        "type" text NOT NULL,
        "severity" text NOT NULL,
        "message" text NOT NULL,
        "key_fingerprint" text NULL,
        "expires_at" timestamptz NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "notices_workspace_idx" ON "notices" ("workspace_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "notices_audience_idx" ON "notices" ("audience", "created_at")`);
    await queryRunner.query(`
      CREATE TABLE "notice_dismissals" (
        "notice_id" uuid NOT NULL REFERENCES "notices" ("id") ON DELETE CASCADE,
        "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "dismissed_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("notice_id", "user_id")
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notice_dismissals"`);
    await queryRunner.query(`DROP TABLE "notices"`);
    await queryRunner.query(`DROP TABLE "events"`);
  }
}
