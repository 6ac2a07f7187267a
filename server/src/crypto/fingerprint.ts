import { hash } from 'node:crypto';
import { fingerprintFromSha256 } from '@byok/shared';

/**
 * The key fingerprint of SPEC §3 (shared's `fingerprintKey`), hashed natively: it is checked on every AI request
 * after the key is opened, where shared's portable SHA-256 cost about 3% of the gateway's CPU.
 */
export function fingerprintKey(key: string): string {
  return fingerprintFromSha256(hash('sha256', key, 'hex'));
}
