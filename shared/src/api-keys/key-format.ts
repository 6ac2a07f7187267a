import { getProvider, type ProviderId } from '../providers/index.js';
import { findKeyPrefix, findLookalikeProvider } from './key-prefix.js';

export type KeyFormatProblem = 'EMPTY' | 'TOO_SHORT' | 'TOO_LONG' | 'WHITESPACE' | 'WRONG_PREFIX' | 'INVALID_CHARACTERS';

export type KeyFormatResult = { ok: true } | { ok: false; problem: KeyFormatProblem; message: string };

export const KEY_MIN_LENGTH = 20;
export const KEY_MAX_LENGTH = 512;

// \s covers tabs, newlines and the Unicode space separators (incl. NBSP and BOM).
const WHITESPACE = /\s/u;
const ALLOWED_BODY = /^[A-Za-z0-9_\-.~+/=:]+$/;

// Messages are built only from constants and provider metadata, never from the key, so they
// are safe to log and display.
/** Checks a pasted key's shape before it is stored or sent anywhere. */
export function checkKeyFormat(provider: ProviderId, key: string): KeyFormatResult {
  const { label, keyPrefixes } = getProvider(provider);
  const fail = (problem: KeyFormatProblem, message: string): KeyFormatResult => ({
    ok: false,
    problem,
    message,
  });

  // A paste of only spaces is an empty paste to the user, not a whitespace problem.
  if (key.trim() === '') {
    return fail('EMPTY', `Paste your ${label} API key.`);
  }
  if (WHITESPACE.test(key)) {
    return fail('WHITESPACE', `The ${label} key contains spaces or line breaks. Copy it again without them.`);
  }
  if (key.length < KEY_MIN_LENGTH) {
    return fail('TOO_SHORT', `That is too short. ${label} keys are at least ${String(KEY_MIN_LENGTH)} characters long; copy the whole key.`);
  }
  if (key.length > KEY_MAX_LENGTH) {
    return fail('TOO_LONG', `That is too long. ${label} keys are at most ${String(KEY_MAX_LENGTH)} characters long; copy only the key.`);
  }

  const lookalike = findLookalikeProvider(provider, key);
  if (lookalike !== undefined) {
    const other = getProvider(lookalike).label;
    return fail('WRONG_PREFIX', `This looks like a key from ${other}, not from ${label}.`);
  }
  // A provider whose keys carry no prefix (Mistral) accepts any start; the lookalike check above still applies.
  const prefix = keyPrefixes.length === 0 ? '' : findKeyPrefix(provider, key);
  if (prefix === undefined) {
    return fail('WRONG_PREFIX', `${label} keys start with ${describePrefixes(keyPrefixes)}.`);
  }

  if (!ALLOWED_BODY.test(key.slice(prefix.length))) {
    return fail('INVALID_CHARACTERS', `The ${label} key contains characters that never appear in API keys. Copy it again from ${label}.`);
  }
  return { ok: true };
}

function describePrefixes(prefixes: readonly string[]): string {
  const quoted = prefixes.map((prefix) => `"${prefix}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
