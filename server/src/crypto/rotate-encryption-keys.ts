import type { Logger } from '../logging/logger';
import type { SecretBox } from './secret-box';

export interface RotationReport {
  /** Rows re-encrypted with the current key. */
  rotated: number;
  /** Rows replaced or removed while being rotated: the concurrent write won, and it is already on the current key. */
  skippedChangedConcurrently: number;
  /** Rows that could not be opened (tampered, or sealed with a key that is not configured). */
  failed: number;
  /** Rows still not on the current key after the run (should be 0 before removing an old key). */
  remaining: number;
  currentKeyId: string;
}

/** Anything that runs SQL outside a transaction: the app's DataSource (each statement commits on its own). */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

interface KeyRow {
  id: string;
  scope: 'GLOBAL' | 'WORKSPACE';
  workspace_id: string | null;
  provider: string;
  ciphertext: string;
}

/**
 * Re-encrypts every provider key not sealed with the current encryption key (R9), while servers keep
 * serving: they hold the old and the new key, so either ciphertext opens. Rows go in small batches, each
 * its own short statement; `WHERE ciphertext = old` makes a concurrent replace win over the rotation.
 * Reports counts only — never a key, never a ciphertext.
 */
export async function rotateEncryptionKeys(
  dataSource: SqlRunner,
  secretBox: SecretBox,
  options: { batchSize?: number; logger?: Logger } = {},
): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 50;
  const current = secretBox.currentKeyId;
  const report: RotationReport = { rotated: 0, skippedChangedConcurrently: 0, failed: 0, remaining: 0, currentKeyId: current };
  let lastId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (await dataSource.query(
      `SELECT id, scope, workspace_id, provider, ciphertext FROM provider_keys
        WHERE encryption_key_id <> $1 AND id > $2 ORDER BY id LIMIT $3`,
      [current, lastId, batchSize],
    )) as KeyRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      lastId = row.id;
      const context = { scope: row.scope, workspaceId: row.workspace_id, provider: row.provider };
      let plaintext: string;
      try {
        plaintext = secretBox.open(row.ciphertext, context);
      } catch (error) {
        report.failed += 1;
        options.logger?.error('rotation: a stored key could not be decrypted and was left as it is', {
          keyId: row.id,
          reason: error instanceof Error ? error.message : 'unknown',
        });
        continue;
      }
      const sealed = secretBox.seal(plaintext, context);
      const result = (await dataSource.query(`UPDATE provider_keys SET ciphertext = $2, encryption_key_id = $3 WHERE id = $1 AND ciphertext = $4`, [
        row.id,
        sealed.ciphertext,
        sealed.keyId,
        row.ciphertext,
      ])) as [unknown[], number];
      if (result[1] > 0) report.rotated += 1;
      else report.skippedChangedConcurrently += 1;
    }
  }
  await rotateWebhookSecrets(dataSource, secretBox, report, options.logger);
  const [{ count }] = (await dataSource.query(
    `SELECT (SELECT count(*) FROM provider_keys WHERE encryption_key_id <> $1) + (SELECT count(*) FROM webhooks WHERE encryption_key_id <> $1) AS count`,
    [current],
  )) as [{ count: string | number }];
  report.remaining = Number(count);
  options.logger?.info('rotation finished', { ...report });
  return report;
}

/** Webhook signing secrets (R15) are sealed by the same box, bound to their webhook's id: rotated the same way. */
async function rotateWebhookSecrets(dataSource: SqlRunner, secretBox: SecretBox, report: RotationReport, logger: Logger | undefined): Promise<void> {
  const rows = (await dataSource.query(`SELECT id, secret_ciphertext FROM webhooks WHERE encryption_key_id <> $1 ORDER BY id`, [
    secretBox.currentKeyId,
  ])) as Array<{
    id: string;
    secret_ciphertext: string;
  }>;
  for (const row of rows) {
    // The same binding as webhooks.service.ts's webhookSecretContext (crypto must not import the feature modules).
    const context = { scope: 'GLOBAL' as const, workspaceId: null, provider: `webhook:${row.id}` };
    let secret: string;
    try {
      secret = secretBox.open(row.secret_ciphertext, context);
    } catch (error) {
      report.failed += 1;
      logger?.error('rotation: a webhook secret could not be decrypted and was left as it is', {
        webhookId: row.id,
        reason: error instanceof Error ? error.message : 'unknown',
      });
      continue;
    }
    const sealed = secretBox.seal(secret, context);
    const result = (await dataSource.query(`UPDATE webhooks SET secret_ciphertext = $2, encryption_key_id = $3 WHERE id = $1 AND secret_ciphertext = $4`, [
      row.id,
      sealed.ciphertext,
      sealed.keyId,
      row.secret_ciphertext,
    ])) as [unknown[], number];
    if (result[1] > 0) report.rotated += 1;
    else report.skippedChangedConcurrently += 1;
  }
}
