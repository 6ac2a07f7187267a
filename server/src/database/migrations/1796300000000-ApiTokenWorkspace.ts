import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SPEC §6: an API token may be bound to one workspace, so gateway clients (the official SDKs) need nothing
 * but the token. Deleting the workspace deletes its tokens.
 */
export class ApiTokenWorkspace1796300000000 implements MigrationInterface {
  name = 'ApiTokenWorkspace1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_tokens" ADD "workspace_id" uuid`);
    await queryRunner.query(`CREATE INDEX "api_tokens_workspace_id_idx" ON "api_tokens" ("workspace_id")`);
    await queryRunner.query(`
      ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_api_tokens_workspace_id" FOREIGN KEY ("workspace_id")
      REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_api_tokens_workspace_id"`);
    await queryRunner.query(`DROP INDEX "public"."api_tokens_workspace_id_idx"`);
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP COLUMN "workspace_id"`);
  }
}
