import { getProvider, type ProviderId } from '../providers/index.js';
import { findKeyPrefix } from './key-prefix.js';

const ELLIPSIS = '\u2026';
const VISIBLE_TAIL = 4;
// Below prefix + 8 characters the last 4 would be too large a share of the secret.
const MIN_HIDDEN_FOR_TAIL = 8;
const FALLBACK_PREFIX_LENGTH = 3;

/** The longest known display prefix (`maskPrefixes`, else `keyPrefixes`) that the key starts with. */
export function findMaskPrefix(provider: ProviderId, key: string): string | undefined {
  const definition = getProvider(provider);
  let match = findKeyPrefix(provider, key);
  for (const prefix of definition.maskPrefixes ?? []) {
    if (key.startsWith(prefix) && prefix.length > (match?.length ?? 0)) match = prefix;
  }
  return match;
}

/**
 * Display form of a key: its most specific known prefix (else the first 3 characters) + '…' + the last 4,
 * e.g. 'sk-proj-…1234', 'sk-ant-api03-…wxyz'. Computed when a key is saved; stored masks are not recomputed.
 */
export function maskKey(provider: ProviderId, key: string): string {
  const longPrefix = findMaskPrefix(provider, key);
  // A known long prefix that leaves too little after it falls back to the short one, so the tail still shows.
  const knownPrefix =
    longPrefix !== undefined && key.length >= longPrefix.length + MIN_HIDDEN_FOR_TAIL ? longPrefix : (findKeyPrefix(provider, key) ?? longPrefix);
  // A provider whose keys have no prefix (Mistral) shows nothing of the start: all of it is secret.
  const prefix = knownPrefix ?? (getProvider(provider).keyPrefixes.length === 0 ? '' : key.slice(0, FALLBACK_PREFIX_LENGTH));
  if (key.length < prefix.length + MIN_HIDDEN_FOR_TAIL) {
    // An unrecognised start is part of the secret, so a short key shows nothing of it.
    return knownPrefix === undefined ? ELLIPSIS : `${knownPrefix}${ELLIPSIS}`;
  }
  return `${prefix}${ELLIPSIS}${key.slice(-VISIBLE_TAIL)}`;
}
