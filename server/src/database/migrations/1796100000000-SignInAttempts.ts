import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in attempts reserved before the password check, one row per throttle key (an account at one client
 * address, and a client address across accounts). A fixed window: `attempts` counts reservations until
 * `reset_at`, when the next attempt starts a new window.
 */
export class SignInAttempts1796100000000 implements MigrationInterface {
  name = 'SignInAttempts1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "sign_in_attempts" (
        "key" text PRIMARY KEY,
        "attempts" integer NOT NULL,
        "reset_at" timestamptz NOT NULL
      )
    `);
    await queryRunner.query(`CREATE INDEX "sign_in_attempts_reset_at" ON "sign_in_attempts" ("reset_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sign_in_attempts"`);
  }
}
