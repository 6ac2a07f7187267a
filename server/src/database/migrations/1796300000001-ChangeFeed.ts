import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every process caches authentication, membership and key-resolution state; these triggers tell all of them
 * (LISTEN byok_changes, see src/cache/change-feed.ts) when a table behind that state changes, whoever wrote
 * it. NOTIFY is delivered on commit. Statement-level, so a bulk change is one notification; column lists
 * keep frequent harmless writes (a token's last_used_at) from flushing the caches.
 */
export class ChangeFeed1796300000001 implements MigrationInterface {
  name = 'ChangeFeed1796300000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION byok_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('byok_changes', TG_TABLE_NAME);
        RETURN NULL;
      END
      $$
    `);
    const triggers: Array<[table: string, events: string]> = [
      ['provider_settings', 'INSERT OR UPDATE OR DELETE OR TRUNCATE'],
      ['provider_keys', 'INSERT OR UPDATE OR DELETE OR TRUNCATE'],
      ['memberships', 'INSERT OR UPDATE OR DELETE OR TRUNCATE'],
      ['api_tokens', 'UPDATE OF revoked_at, workspace_id, user_id, token_hash OR DELETE OR TRUNCATE'],
      ['sessions', 'UPDATE OF expires_at, user_id, token_hash OR DELETE OR TRUNCATE'],
      ['users', 'UPDATE OF is_admin, email OR DELETE OR TRUNCATE'],
    ];
    for (const [table, events] of triggers) {
      await queryRunner.query(`CREATE TRIGGER ${table}_notify_change AFTER ${events} ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION byok_notify_change()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['users', 'sessions', 'api_tokens', 'memberships', 'provider_keys', 'provider_settings']) {
      await queryRunner.query(`DROP TRIGGER ${table}_notify_change ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION byok_notify_change()`);
  }
}
