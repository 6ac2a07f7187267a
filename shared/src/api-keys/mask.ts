import type { ProviderId } from '../providers/index.js';
import { findKeyPrefix } from './key-prefix.js';

const ELLIPSIS = '\u2026';
const VISIBLE_TAIL = 4;
// Below prefix + 8 characters the last 4 would be too large a share of the secret.
const MIN_HIDDEN_FOR_TAIL = 8;
const FALLBACK_PREFIX_LENGTH = 3;

/** Display form of a key: known prefix (else first 3 characters) + '…' + last 4, e.g. 'sk-…1234'. */
export function maskKey(provider: ProviderId, key: string): string {
  const knownPrefix = findKeyPrefix(provider, key);
  const prefix = knownPrefix ?? key.slice(0, FALLBACK_PREFIX_LENGTH);
  if (key.length < prefix.length + MIN_HIDDEN_FOR_TAIL) {
    // An unrecognised start is part of the secret, so a short key shows nothing of it.
    return knownPrefix === undefined ? ELLIPSIS : `${knownPrefix}${ELLIPSIS}`;
  }
  return `${prefix}${ELLIPSIS}${key.slice(-VISIBLE_TAIL)}`;
}
