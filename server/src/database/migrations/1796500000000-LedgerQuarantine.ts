import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Longest model name a ledger row may hold: the GraphQL and gateway rule is 100; imports get some room. */
export const MAX_STORED_MODEL_LENGTH = 200;

// Folding a delta fails only on its key (a value no rollup index can hold); this probes each group's key in a
// subtransaction that is always rolled back, and moves the groups whose key fails aside with the reason. The
// ordinary compaction then runs on the rest.
const COMPACT_ISOLATING = `
  CREATE FUNCTION usage_rollups_set_aside_unfoldable() RETURNS bigint LANGUAGE plpgsql AS $$
  DECLARE
    g record;
    moved_count bigint;
    set_aside bigint := 0;
  BEGIN
    FOR g IN SELECT DISTINCT day, workspace_id, user_id, provider, key_source, model, outcome FROM usage_rollup_deltas LOOP
      BEGIN
        INSERT INTO usage_daily (day, workspace_id, provider, key_source, model, outcome, requests, input_tokens, output_tokens, cost_micro_usd)
          VALUES (g.day, g.workspace_id, g.provider, g.key_source, g.model, g.outcome, 0, 0, 0, 0) ON CONFLICT DO NOTHING;
        INSERT INTO usage_daily_users (day, workspace_id, user_id, provider, key_source, requests, failures, cancelled, input_tokens, output_tokens, cost_micro_usd)
          VALUES (g.day, g.workspace_id, g.user_id, g.provider, g.key_source, 0, 0, 0, 0, 0, 0) ON CONFLICT DO NOTHING;
        INSERT INTO usage_daily_platform (day, provider, key_source, model, outcome, requests, input_tokens, output_tokens, cost_micro_usd)
          VALUES (g.day, g.provider, g.key_source, g.model, g.outcome, 0, 0, 0, 0) ON CONFLICT DO NOTHING;
        RAISE EXCEPTION 'byok: probe passed' USING ERRCODE = 'BY001';
      EXCEPTION
        WHEN SQLSTATE 'BY001' THEN NULL;
        WHEN OTHERS THEN
          WITH moved AS (
            DELETE FROM usage_rollup_deltas d
             WHERE d.day = g.day AND d.workspace_id = g.workspace_id AND d.user_id = g.user_id AND d.provider = g.provider
               AND d.key_source = g.key_source AND d.model = g.model AND d.outcome = g.outcome
            RETURNING d.*
          )
          INSERT INTO usage_rollup_deltas_rejected (sqlstate, reason, day, workspace_id, user_id, provider, key_source, model, outcome,
                                                    requests, input_tokens, output_tokens, cost_micro_usd)
          SELECT SQLSTATE, left(SQLERRM, 500), day, workspace_id, user_id, provider, key_source, model, outcome,
                 requests, input_tokens, output_tokens, cost_micro_usd FROM moved;
          GET DIAGNOSTICS moved_count = ROW_COUNT;
          set_aside := set_aside + moved_count;
      END;
    END LOOP;
    RETURN set_aside;
  END
  $$`;

/**
 * Issue 17: one bad row must not stop billing for everyone.
 * - `usage_records_rejected`: ledger rows the database refused, kept (as escaped JSON text, which holds anything)
 *   with the reason, so nothing is lost and they can be corrected and replayed; the ledger writes the rest.
 * - `usage_rollup_deltas_rejected` and `usage_rollups_set_aside_unfoldable()`: a delta whose key no rollup can hold
 *   is moved aside instead of stopping compaction for good.
 * - `usage_records.model` holds at most MAX_STORED_MODEL_LENGTH characters (the rollups' keys are indexed).
 */
export class LedgerQuarantine1796500000000 implements MigrationInterface {
  name = 'LedgerQuarantine1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "usage_records_rejected" (
        "id" bigserial PRIMARY KEY,
        "rejected_at" timestamptz NOT NULL DEFAULT now(),
        "sqlstate" text NOT NULL,
        "reason" text NOT NULL,
        "record" text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE "usage_rollup_deltas_rejected" (
        "id" bigserial PRIMARY KEY,
        "rejected_at" timestamptz NOT NULL DEFAULT now(),
        "sqlstate" text NOT NULL,
        "reason" text NOT NULL,
        "day" date NOT NULL,
        "workspace_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "provider" text NOT NULL,
        "key_source" text NOT NULL,
        "model" text NOT NULL,
        "outcome" text NOT NULL,
        "requests" bigint NOT NULL,
        "input_tokens" bigint NOT NULL,
        "output_tokens" bigint NOT NULL,
        "cost_micro_usd" bigint NOT NULL
      )`);
    await queryRunner.query(COMPACT_ISOLATING);
    await queryRunner.query(
      `ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_model_length" CHECK (char_length("model") <= ${MAX_STORED_MODEL_LENGTH})`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "usage_records" DROP CONSTRAINT "usage_records_model_length"`);
    await queryRunner.query(`DROP FUNCTION usage_rollups_set_aside_unfoldable()`);
    await queryRunner.query(`DROP TABLE "usage_rollup_deltas_rejected"`);
    await queryRunner.query(`DROP TABLE "usage_records_rejected"`);
  }
}
