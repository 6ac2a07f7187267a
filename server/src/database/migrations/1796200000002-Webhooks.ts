import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R15: webhook endpoints (signing secret sealed by the secret box) and a durable delivery outbox. Deliveries
 * are enqueued in the transaction of the event they carry, claimed with FOR UPDATE SKIP LOCKED plus a lease,
 * and every attempt is kept for the admins.
 */
export class Webhooks1796200000002 implements MigrationInterface {
  name = 'Webhooks1796200000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "webhooks" (
        "id" uuid PRIMARY KEY,
        "url" text NOT NULL,
        "events" text[] NOT NULL,
        "secret_ciphertext" text NOT NULL,
        "encryption_key_id" text NOT NULL,
        "created_by" uuid NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "webhook_deliveries" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "webhook_id" uuid NOT NULL REFERENCES "webhooks" ("id") ON DELETE CASCADE,
        "event_id" uuid NOT NULL,
        "event_type" text NOT NULL,
        "body" text NOT NULL,
        "status" text NOT NULL DEFAULT 'PENDING' CHECK ("status" IN ('PENDING', 'DELIVERED', 'FAILED')),
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NULL DEFAULT now(),
        "locked_until" timestamptz NULL,
        "last_response_code" integer NULL,
        "last_error" text NULL,
        "delivered_at" timestamptz NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("next_attempt_at") WHERE "status" = 'PENDING'`);
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_webhook_idx" ON "webhook_deliveries" ("webhook_id", "created_at")`);
    await queryRunner.query(`
      CREATE TABLE "webhook_delivery_attempts" (
        "id" bigserial PRIMARY KEY,
        "delivery_id" uuid NOT NULL REFERENCES "webhook_deliveries" ("id") ON DELETE CASCADE,
        "attempted_at" timestamptz NOT NULL DEFAULT now(),
        "response_code" integer NULL,
        "error" text NULL,
        "duration_ms" integer NOT NULL,
        "next_attempt_at" timestamptz NULL
      )`);
    await queryRunner.query(`CREATE INDEX "webhook_delivery_attempts_delivery_idx" ON "webhook_delivery_attempts" ("delivery_id", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_delivery_attempts"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhooks"`);
  }
}
