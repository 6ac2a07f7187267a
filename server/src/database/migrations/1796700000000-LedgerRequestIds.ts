import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R19: exactly one row per request. `usage_records.request_id` is made by byok (the request's x-byok-request-id) and
 * unique with the partition key, so the ledger's INSERT … ON CONFLICT DO NOTHING skips a row whose earlier write
 * committed but whose acknowledgement was lost. Rows written before (and imports that name none) get a random id.
 * `estimated` marks a row whose figures are byok's estimate (a cancelled stream, an unpriced model, an orphaned
 * reservation) rather than the provider's count. Reservations carry their request's description (R20).
 */
export class LedgerRequestIds1796700000000 implements MigrationInterface {
  name = 'LedgerRequestIds1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "usage_records" ADD COLUMN "request_id" uuid NOT NULL DEFAULT gen_random_uuid()`);
    await queryRunner.query(`ALTER TABLE "usage_records" ADD COLUMN "estimated" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`CREATE UNIQUE INDEX "usage_records_request_idx" ON "usage_records" ("request_id", "occurred_at")`);
    // R20: a reservation carries what its request would have been billed as, so one a dead process left behind
    // becomes a ledger row (outcome UNKNOWN, its estimate) instead of vanishing.
    await queryRunner.query(`
      ALTER TABLE "platform_key_reservations"
        ADD COLUMN "request_id" uuid NULL,
        ADD COLUMN "occurred_at" timestamptz NULL,
        ADD COLUMN "user_id" uuid NULL,
        ADD COLUMN "provider" text NULL,
        ADD COLUMN "model" text NULL,
        ADD COLUMN "input_tokens" integer NULL,
        ADD COLUMN "output_tokens" integer NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "platform_key_reservations" DROP COLUMN "request_id", DROP COLUMN "occurred_at", DROP COLUMN "user_id",
        DROP COLUMN "provider", DROP COLUMN "model", DROP COLUMN "input_tokens", DROP COLUMN "output_tokens"`);
    await queryRunner.query(`DROP INDEX "usage_records_request_idx"`);
    await queryRunner.query(`ALTER TABLE "usage_records" DROP COLUMN "estimated"`);
    await queryRunner.query(`ALTER TABLE "usage_records" DROP COLUMN "request_id"`);
  }
}
