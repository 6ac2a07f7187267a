import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import { SecretBox } from './secret-box';

const DEV_KEY_FILE = 'encryption-key';

/**
 * Builds the secret box from configuration. Without BYOK_ENCRYPTION_KEY (development only; config
 * refuses production) a key is generated once into the data folder, readable by the owner only.
 */
export function loadSecretBox(config: AppConfig, logger: Logger): SecretBox {
  const configured = config.encryptionKeys.value;
  if (configured.length > 0) return new SecretBox(configured.map((key) => Buffer.from(key, 'base64')));
  const file = path.join(config.dataDir, DEV_KEY_FILE);
  let key: Buffer;
  if (fs.existsSync(file)) {
    key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  } else {
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    key = randomBytes(32);
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  logger.warn('BYOK_ENCRYPTION_KEY is not set: using a development key generated in the data folder. Set BYOK_ENCRYPTION_KEY in production.', { file });
  return new SecretBox([key]);
}
