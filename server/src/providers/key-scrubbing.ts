import { ProviderError, type CompletionRequest, type ProviderAdapter, type ProviderCallOptions, type StreamEvent } from './provider-adapter';

/** The shortest piece of a key that counts as a leak. */
const MIN_KEY_FRAGMENT = 8;
const REDACTED = '[REDACTED]';

/**
 * The spellings a provider (or anything between us and it) may echo a key in: raw, URL-encoded (either hex
 * case) and base64/base64url. Base64 is taken at each of the three byte alignments, so the base64 of any piece
 * of the key shares its whole groups with one of them. Matching is case-sensitive except through the two hex
 * cases listed. A key without its prefix is a piece of the key itself.
 */
export function keySpellings(apiKey: string): string[] {
  const urlEncoded = encodeURIComponent(apiKey);
  // Every byte percent-encoded (some proxies and loggers do that), in both hex cases.
  const everyByte = [...Buffer.from(apiKey, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const spellings = [apiKey, urlEncoded, urlEncoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()), everyByte, everyByte.toLowerCase()];
  for (let offset = 0; offset < 3; offset += 1) {
    const bytes = Buffer.from(apiKey.slice(offset), 'utf8');
    spellings.push(bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url'));
  }
  return spellings.filter((spelling) => spelling.length >= MIN_KEY_FRAGMENT);
}

/** A rolling hash of `MIN_KEY_FRAGMENT` UTF-16 code units: the hash of `text[index, index + 8)`, updated in O(1). */
const HASH_BASE = 0x01000193;
/** HASH_BASE ** (MIN_KEY_FRAGMENT - 1), mod 2^32: what the character leaving the window contributed. */
const HASH_OUT = Array.from({ length: MIN_KEY_FRAGMENT - 1 }).reduce<number>((power) => Math.imul(power, HASH_BASE), 1);

function windowHash(text: string, start: number): number {
  let hash = 0;
  for (let index = start; index < start + MIN_KEY_FRAGMENT; index += 1) hash = (Math.imul(hash, HASH_BASE) + text.charCodeAt(index)) | 0;
  return hash;
}

/** Removes every piece of one key from text: made once per key (a request), then used on each piece of text. */
export interface KeyScrubber {
  /** The text with every run that shares `MIN_KEY_FRAGMENT` or more characters with a spelling of the key replaced. */
  text(text: string): string;
}

const NO_KEY: KeyScrubber = { text: (text) => text };

/**
 * A scrubber for one key. The key's windows (every `MIN_KEY_FRAGMENT` characters of every spelling) are hashed
 * once; the text is scanned with a rolling hash, and only a hash hit costs a string comparison, so text without a
 * fragment — nearly all of it — is read once without allocating. Keeps no copy of the key beyond its own lifetime.
 */
export function keyScrubber(apiKey: string): KeyScrubber {
  if (apiKey.length < MIN_KEY_FRAGMENT) return NO_KEY;
  // Each window is found by its rolling hash in an open-addressed table of (hash, where it starts: spelling and
  // offset); no piece of the key is copied, and a candidate is confirmed by comparing the text with the spelling in
  // place. Built per request in a few microseconds, no Map or string per window.
  const spellings = [...new Set(keySpellings(apiKey))];
  const count = spellings.reduce((total, spelling) => total + spelling.length - MIN_KEY_FRAGMENT + 1, 0);
  let capacity = 16;
  while (capacity < count * 4) capacity *= 2;
  const mask = capacity - 1;
  const hashes = new Int32Array(capacity);
  const starts = new Int32Array(capacity).fill(-1);
  spellings.forEach((spelling, which) => {
    let hash = windowHash(spelling, 0);
    for (let index = 0; ; index += 1) {
      let slot = hash & mask;
      while (starts[slot] !== -1) slot = (slot + 1) & mask;
      hashes[slot] = hash;
      starts[slot] = which * 65536 + index;
      const next = index + MIN_KEY_FRAGMENT;
      if (next >= spelling.length) break;
      hash = (Math.imul(hash - Math.imul(spelling.charCodeAt(index), HASH_OUT), HASH_BASE) + spelling.charCodeAt(next)) | 0;
    }
  });
  const isWindow = (text: string, index: number, hash: number): boolean => {
    for (let slot = hash & mask; starts[slot] !== -1; slot = (slot + 1) & mask) {
      if (hashes[slot] !== hash) continue;
      const packed = starts[slot] as number;
      const spelling = spellings[Math.floor(packed / 65536)] as string;
      const offset = packed % 65536;
      let same = true;
      for (let k = 0; k < MIN_KEY_FRAGMENT && same; k += 1) same = text.charCodeAt(index + k) === spelling.charCodeAt(offset + k);
      if (same) return true;
    }
    return false;
  };
  return {
    text(text: string): string {
      if (text.length < MIN_KEY_FRAGMENT) return text;
      let covered: Uint8Array | null = null;
      let hash = windowHash(text, 0);
      for (let index = 0; ; index += 1) {
        if (isWindow(text, index, hash)) (covered ??= new Uint8Array(text.length)).fill(1, index, index + MIN_KEY_FRAGMENT);
        const next = index + MIN_KEY_FRAGMENT;
        if (next >= text.length) break;
        hash = (Math.imul(hash - Math.imul(text.charCodeAt(index), HASH_OUT), HASH_BASE) + text.charCodeAt(next)) | 0;
      }
      if (covered === null) return text;
      let result = '';
      let start = 0;
      for (let index = 0; index < text.length; index += 1) {
        if (!covered[index]) continue;
        if (index === 0 || !covered[index - 1]) {
          result += `${text.slice(start, index)}${REDACTED}`;
        }
        start = index + 1;
      }
      return result + text.slice(start);
    },
  };
}

/**
 * Replaces every run of text that shares `MIN_KEY_FRAGMENT` or more consecutive characters with any spelling
 * of the key (with or without its prefix, raw, URL-encoded or base64) by a marker. Provider text (errors,
 * stored `lastError`, log fields, and every byte the gateway relays) passes through this before it is kept,
 * logged or returned. To scrub many pieces of text with one key, make a `keyScrubber` once.
 */
export function scrubKeyFragments(text: string, apiKey: string): string {
  if (apiKey.length < MIN_KEY_FRAGMENT || text.length < MIN_KEY_FRAGMENT) return text;
  return keyScrubber(apiKey).text(text);
}

const scrubError = (error: unknown, apiKey: string): unknown => {
  if (error instanceof ProviderError) {
    const scrubbed = scrubKeyFragments(error.message, apiKey);
    return scrubbed === error.message ? error : new ProviderError(error.kind, scrubbed, error.status, error.retryAfterSeconds);
  }
  if (error instanceof Error && error.message !== scrubKeyFragments(error.message, apiKey)) {
    return new Error(scrubKeyFragments(error.message, apiKey));
  }
  return error;
};

/**
 * Every adapter is wrapped in this (providers/index.ts), so no provider's text reaches the rest of the server
 * with a piece of the key it was called with: error messages and answer text alike.
 */
export function withKeyScrubbing(adapter: ProviderAdapter): ProviderAdapter {
  return {
    // The gateway's pass-through answers are the provider's own bytes, unchanged (SPEC §6).
    passthrough: adapter.passthrough,
    async listModels(options: ProviderCallOptions): Promise<string[]> {
      try {
        return await adapter.listModels(options);
      } catch (error) {
        throw scrubError(error, options.apiKey);
      }
    },
    async complete(request: CompletionRequest, options: ProviderCallOptions) {
      try {
        const result = await adapter.complete(request, options);
        return { ...result, text: scrubKeyFragments(result.text, options.apiKey) };
      } catch (error) {
        throw scrubError(error, options.apiKey);
      }
    },
    async *stream(request: CompletionRequest, options: ProviderCallOptions): AsyncIterable<StreamEvent> {
      try {
        for await (const event of adapter.stream(request, options)) {
          if (event.type === 'delta') yield { ...event, text: scrubKeyFragments(event.text, options.apiKey) };
          else if (event.type === 'done') yield { ...event, result: { ...event.result, text: scrubKeyFragments(event.result.text, options.apiKey) } };
          else yield event;
        }
      } catch (error) {
        throw scrubError(error, options.apiKey);
      }
    },
  };
}
