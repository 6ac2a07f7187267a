import type { SecretBox } from './secret-box';

/** Anything that runs one SQL statement (the app's DataSource). */
interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** The tables whose rows hold a sealed secret and name the encryption key that sealed it (`encryption_key_id`). */
export type SealedTable = 'provider_keys' | 'webhooks';

export interface SealedRowCounts {
  total: number;
  /** Sealed by an encryption key this server is not configured with: they cannot be opened here. */
  missingEncryptionKey: number;
  /** Sealed by another key than the current one: what a rotation has left to do. */
  notOnCurrentKey: number;
}

/** Counts only, from one grouped query on `encryption_key_id` (no secret is read): readiness, start-up and rotation. */
export async function sealedRowCounts(db: SqlRunner, table: SealedTable, secretBox: SecretBox): Promise<SealedRowCounts> {
  const rows = (await db.query(`SELECT encryption_key_id, count(*)::int AS count FROM ${table} GROUP BY encryption_key_id`)) as Array<{
    encryption_key_id: string;
    count: number;
  }>;
  const configured = new Set(secretBox.keyIds);
  const counts: SealedRowCounts = { total: 0, missingEncryptionKey: 0, notOnCurrentKey: 0 };
  for (const row of rows) {
    const count = Number(row.count);
    counts.total += count;
    if (!configured.has(row.encryption_key_id)) counts.missingEncryptionKey += count;
    if (row.encryption_key_id !== secretBox.currentKeyId) counts.notOnCurrentKey += count;
  }
  return counts;
}
