import { sha256Hex } from './sha256.js';

const FINGERPRINT_HEX_LENGTH = 12;

/** A key's fingerprint from the hex SHA-256 of its UTF-8 bytes: 'fp:' + the first 12 hex characters. */
export function fingerprintFromSha256(hexDigest: string): string {
  return `fp:${hexDigest.slice(0, FINGERPRINT_HEX_LENGTH)}`;
}

/**
 * Stable short id of a key ('fp:' + 12 hex of its SHA-256), to tell keys apart unrevealed. Pure TypeScript for
 * any runtime; the server computes the same value with its native hash (server/src/crypto/fingerprint.ts).
 */
export function fingerprintKey(key: string): string {
  return fingerprintFromSha256(sha256Hex(key));
}
