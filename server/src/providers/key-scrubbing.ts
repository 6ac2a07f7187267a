import { ProviderError, type CompletionRequest, type ProviderAdapter, type ProviderCallOptions, type StreamEvent } from './provider-adapter';

/** The shortest piece of a key that counts as a leak. */
export const MIN_KEY_FRAGMENT = 8;
const REDACTED = '[REDACTED]';

/**
 * The spellings a provider (or anything between us and it) may echo a key in: raw, URL-encoded (either hex
 * case) and base64/base64url. Base64 is taken at each of the three byte alignments, so the base64 of any piece
 * of the key shares its whole groups with one of them. Matching is case-sensitive except through the two hex
 * cases listed. A key without its prefix is a piece of the key itself.
 */
function keySpellings(apiKey: string): string[] {
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

/**
 * Replaces every run of text that shares `MIN_KEY_FRAGMENT` or more consecutive characters with any spelling
 * of the key (with or without its prefix, raw, URL-encoded or base64) by a marker. Provider text (errors,
 * stored `lastError`, log fields) passes through this before it is kept, logged or returned.
 */
export function scrubKeyFragments(text: string, apiKey: string): string {
  if (apiKey.length < MIN_KEY_FRAGMENT || text.length < MIN_KEY_FRAGMENT) return text;
  const windows = new Set<string>();
  for (const spelling of keySpellings(apiKey)) {
    for (let index = 0; index + MIN_KEY_FRAGMENT <= spelling.length; index += 1) windows.add(spelling.slice(index, index + MIN_KEY_FRAGMENT));
  }
  const covered = new Uint8Array(text.length);
  let found = false;
  for (let index = 0; index + MIN_KEY_FRAGMENT <= text.length; index += 1) {
    if (windows.has(text.slice(index, index + MIN_KEY_FRAGMENT))) {
      covered.fill(1, index, index + MIN_KEY_FRAGMENT);
      found = true;
    }
  }
  if (!found) return text;
  let result = '';
  for (let index = 0; index < text.length; index += 1) {
    if (!covered[index]) result += text[index];
    else if (index === 0 || !covered[index - 1]) result += REDACTED;
  }
  return result;
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
