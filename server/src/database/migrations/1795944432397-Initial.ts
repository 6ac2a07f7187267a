import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795944432397 implements MigrationInterface {
  name = 'Initial1795944432397';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" text NOT NULL,
                "name" text NOT NULL,
                "password_hash" text NOT NULL,
                "is_admin" boolean NOT NULL DEFAULT false,
                "failed_sign_ins" integer NOT NULL DEFAULT '0',
                "locked_until" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "users_email_key" ON "users" ("email")
        `);
    await queryRunner.query(`
            CREATE TABLE "api_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "name" text NOT NULL,
                "prefix" text NOT NULL,
                "token_hash" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens" ("user_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_events" (
                "id" BIGSERIAL NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "actor_user_id" uuid,
                "actor_email" text,
                "action" text NOT NULL,
                "provider" text,
                "workspace_id" uuid,
                "target_user_id" uuid,
                "fingerprint" text,
                "outcome" text NOT NULL DEFAULT 'SUCCESS',
                "details" jsonb NOT NULL DEFAULT '{}'::jsonb,
                CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_workspace_idx" ON "audit_events" ("workspace_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "token_hash" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "provider_settings" (
                "provider" text NOT NULL,
                "byok_enabled" boolean NOT NULL DEFAULT false,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_by" uuid,
                CONSTRAINT "PK_ae06bab6b4842fa2f79e1565816" PRIMARY KEY ("provider")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "workspaces" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_098656ae401f3e1a4586f47fd8e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "provider_keys" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "scope" text NOT NULL,
                "workspace_id" uuid,
                "provider" text NOT NULL,
                "ciphertext" text NOT NULL,
                "encryption_key_id" text NOT NULL,
                "masked" text NOT NULL,
                "fingerprint" text NOT NULL,
                "status" text NOT NULL DEFAULT 'UNVERIFIED',
                "last_verified_at" TIMESTAMP WITH TIME ZONE,
                "last_error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_by" uuid,
                CONSTRAINT "PK_cd3f4b00dc891e0d9dc9b049d25" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "provider_keys_encryption_key_id_idx" ON "provider_keys" ("encryption_key_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "provider_keys_workspace_key" ON "provider_keys" ("workspace_id", "provider")
            WHERE "scope" = 'WORKSPACE'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "provider_keys_global_key" ON "provider_keys" ("provider")
            WHERE "scope" = 'GLOBAL'
        `);
    await queryRunner.query(`
            CREATE TABLE "usage_records" (
                "id" BIGSERIAL NOT NULL,
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
    await queryRunner.query(`
            CREATE INDEX "usage_records_time_idx" ON "usage_records" ("occurred_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "usage_records_workspace_time_idx" ON "usage_records" ("workspace_id", "occurred_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "memberships" (
                "workspace_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "role" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b30e6ce2c364503f9840fa6440b" PRIMARY KEY ("workspace_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "memberships_user_id_idx" ON "memberships" ("user_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "memberships_one_owner_key" ON "memberships" ("workspace_id")
            WHERE "role" = 'OWNER'
        `);
    await queryRunner.query(`
            ALTER TABLE "api_tokens"
            ADD CONSTRAINT "FK_b74883f5884a42fd8496d389b25" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sessions"
            ADD CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "provider_keys"
            ADD CONSTRAINT "FK_e42aab44d0e5579a2470e0979c9" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memberships"
            ADD CONSTRAINT "FK_9b76ecf1dda18a6adec17fe71c4" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memberships"
            ADD CONSTRAINT "FK_7c1e2fdfed4f6838e0c05ae5051" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "memberships" DROP CONSTRAINT "FK_7c1e2fdfed4f6838e0c05ae5051"
        `);
    await queryRunner.query(`
            ALTER TABLE "memberships" DROP CONSTRAINT "FK_9b76ecf1dda18a6adec17fe71c4"
        `);
    await queryRunner.query(`
            ALTER TABLE "provider_keys" DROP CONSTRAINT "FK_e42aab44d0e5579a2470e0979c9"
        `);
    await queryRunner.query(`
            ALTER TABLE "sessions" DROP CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19"
        `);
    await queryRunner.query(`
            ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_b74883f5884a42fd8496d389b25"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memberships_one_owner_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memberships_user_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "memberships"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."usage_records_workspace_time_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."usage_records_time_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "usage_records"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."provider_keys_global_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."provider_keys_workspace_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."provider_keys_encryption_key_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "provider_keys"
        `);
    await queryRunner.query(`
            DROP TABLE "workspaces"
        `);
    await queryRunner.query(`
            DROP TABLE "provider_settings"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."sessions_token_hash_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."sessions_user_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "sessions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_workspace_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."api_tokens_token_hash_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."api_tokens_user_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "api_tokens"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."users_email_key"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
  }
}
