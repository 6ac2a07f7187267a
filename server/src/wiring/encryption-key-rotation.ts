import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { rotateEncryptionKeys, type RotationOptions, type RotationReport } from '../crypto/rotate-encryption-keys';
import type { SecretBox } from '../crypto/secret-box';
import type { Logger } from '../logging/logger';
import { AuditService } from '../modules/audit/audit.service';
import { EnvironmentKeys } from '../modules/provider-keys/environment-keys';
import { KeyStore } from '../modules/provider-keys/key-store';
import { KeyVerifier } from '../modules/provider-keys/key-verification';
import { WebhooksService } from '../modules/webhooks/webhooks.service';

export interface RotationDependencies {
  config: AppConfig;
  logger: Logger;
  dataSource: DataSource;
  secretBox: SecretBox;
}

/**
 * What `rotate-keys` runs (R9): the key store re-seals the provider keys, the webhooks service its signing
 * secrets — each kind by the code that seals it — then the rows still on an older key are counted. Only the two
 * services rotation needs are built (no events, no background work).
 */
export function createEncryptionKeyRotation({ config, logger, dataSource, secretBox }: RotationDependencies) {
  const audit = new AuditService();
  const keyStore = new KeyStore(dataSource, secretBox, logger, audit, new KeyVerifier(config, logger), new EnvironmentKeys(config));
  const webhooks = new WebhooksService(dataSource, secretBox, audit, () => config.webhooks.allowPrivateNetworks);
  return (options: RotationOptions = {}): Promise<RotationReport> =>
    rotateEncryptionKeys(
      secretBox.currentKeyId,
      [
        { rotate: (step) => keyStore.rotateToCurrentEncryptionKey(step), countRemaining: () => keyStore.countKeysNotOnCurrentEncryptionKey() },
        { rotate: (step) => webhooks.rotateSecretsToCurrentEncryptionKey(step), countRemaining: () => webhooks.countSecretsNotOnCurrentEncryptionKey() },
      ],
      options,
    );
}
