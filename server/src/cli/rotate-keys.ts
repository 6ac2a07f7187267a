// `pnpm --filter @byok/server rotate-keys [--batch-size N]`: re-encrypts every stored provider key (and webhook
// signing secret) with BYOK_ENCRYPTION_KEY, reading older rows with BYOK_PREVIOUS_ENCRYPTION_KEYS. Safe while
// servers run. The key store and the webhooks service do the re-sealing (wiring/encryption-key-rotation.ts).
import 'reflect-metadata';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/config';
import { loadSecretBox } from '../crypto/encryption-keys';
import { createDataSource } from '../wiring/create-data-source';
import { createEncryptionKeyRotation } from '../wiring/encryption-key-rotation';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../database/embedded-postgres';
import { createLogger } from '../logging/logger';

function batchSizeFrom(argv: string[]): number {
  const index = argv.indexOf('--batch-size');
  if (index === -1) return 50;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 10000) throw new Error('--batch-size must be a whole number between 1 and 10000');
  return value;
}

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.encryptionKeys.value.length === 0) {
    process.stderr.write('Set BYOK_ENCRYPTION_KEY (the new key) and BYOK_PREVIOUS_ENCRYPTION_KEYS (the old ones) first.\n');
    return 78;
  }
  const batchSize = batchSizeFrom(process.argv.slice(2));
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn', (line) => process.stderr.write(`${line}\n`));
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl?.value ?? null;
  if (!url) {
    // The embedded database is single-process: the server must be stopped while this runs.
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pgdata'));
    url = embedded.url;
  }
  const dataSource = createDataSource(url, { poolSize: 2, applicationName: 'byok-rotate-keys' });
  await dataSource.initialize();
  try {
    const rotate = createEncryptionKeyRotation({ config, logger, dataSource, secretBox: loadSecretBox(config, logger) });
    const report = await rotate({ batchSize, logger });
    process.stdout.write(
      `Current encryption key: ${report.currentKeyId}\n` +
        `  re-encrypted:               ${report.rotated}\n` +
        `  changed meanwhile (skipped): ${report.skippedChangedConcurrently}\n` +
        `  could not be decrypted:     ${report.failed}\n` +
        `  still on an older key:      ${report.remaining}\n` +
        (report.remaining === 0
          ? 'Every stored key uses the current encryption key: the old keys can be removed from BYOK_PREVIOUS_ENCRYPTION_KEYS.\n'
          : 'Some keys still use an older encryption key: keep BYOK_PREVIOUS_ENCRYPTION_KEYS and look at the errors above.\n'),
    );
    return report.failed > 0 || report.remaining > 0 ? 1 : 0;
  } finally {
    await dataSource.destroy();
    if (embedded) await embedded.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      error instanceof ConfigError ? `${error.message}\n` : `rotate-keys failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
