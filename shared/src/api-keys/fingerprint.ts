import { sha256Hex } from './sha256.js';

const FINGERPRINT_HEX_LENGTH = 12;

/** Stable short id of a key ('fp:' + 12 hex of its SHA-256), to tell keys apart unrevealed. */
export function fingerprintKey(key: string): string {
  return `fp:${sha256Hex(key).slice(0, FINGERPRINT_HEX_LENGTH)}`;
}
