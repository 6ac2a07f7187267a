import type { Logger } from '../logging/logger';

/** What re-sealing one kind of sealed secret did (counts only). */
export interface RotationCounts {
  /** Rows re-encrypted with the current key. */
  rotated: number;
  /** Rows replaced or removed while being rotated: the concurrent write won, and it is already on the current key. */
  skippedChangedConcurrently: number;
  /** Rows that could not be opened (tampered, or sealed with a key that is not configured). */
  failed: number;
}

export interface RotationReport extends RotationCounts {
  /** Rows still not on the current key after the run (should be 0 before removing an old key). */
  remaining: number;
  currentKeyId: string;
}

export interface RotationOptions {
  /** Rows per batch (default 50). */
  batchSize?: number;
  logger?: Logger;
}

/**
 * One kind of sealed secret, rotated by the code that seals it (provider keys: the key store; webhook signing
 * secrets: the webhooks service). This file only orchestrates: it reads no sealed row itself.
 */
export interface SealedSecrets {
  /** Re-seals every row not on the current encryption key; counts only, never a secret nor what sealed it. */
  rotate(options: RotationOptions): Promise<RotationCounts>;
  /** Rows still sealed by another encryption key than the current one. */
  countRemaining(): Promise<number>;
}

/**
 * Re-encrypts every stored secret not sealed with the current encryption key (R9), while servers keep serving:
 * they hold the old and the new key, so either seal opens. Each kind is rotated in turn, then what is still
 * on an older key is counted. Reports counts only — never a key, never a sealed value.
 */
export async function rotateEncryptionKeys(currentKeyId: string, kinds: readonly SealedSecrets[], options: RotationOptions = {}): Promise<RotationReport> {
  const report: RotationReport = { rotated: 0, skippedChangedConcurrently: 0, failed: 0, remaining: 0, currentKeyId };
  for (const kind of kinds) {
    const counts = await kind.rotate(options);
    report.rotated += counts.rotated;
    report.skippedChangedConcurrently += counts.skippedChangedConcurrently;
    report.failed += counts.failed;
  }
  for (const kind of kinds) report.remaining += await kind.countRemaining();
  options.logger?.info('rotation finished', { ...report });
  return report;
}
