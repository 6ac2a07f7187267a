import { checkKeyFormat, type KeyStatus, type ProviderId, PROVIDERS } from '@byok/shared';
import type { AppConfig } from '../../config/config';
import { AppError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { PROVIDER_ADAPTERS } from '../../providers';
import { ProviderError, type ProviderAdapters } from '../../providers/provider-adapter';
import { scrubKeyFragments } from '../../providers/key-scrubbing';
import { sanitizeProviderMessage } from '../../providers/provider-http';

/** What a live check said about a key (R7). Messages are sanitized: no key, no key-like text. */
export type Verification =
  | { outcome: 'VALID' }
  | { outcome: 'REJECTED'; message: string; httpStatus: number | null }
  | { outcome: 'UNVERIFIED'; message: string; httpStatus: number | null };

/** The status a key gets from a verification: only a definite rejection makes it INVALID. */
export const statusAfter = (verification: Verification): KeyStatus =>
  verification.outcome === 'VALID' ? 'VALID' : verification.outcome === 'REJECTED' ? 'INVALID' : 'UNVERIFIED';

/** The `lastError` a key gets from a verification (sanitized message; null when valid). */
export const errorAfter = (verification: Verification): string | null => (verification.outcome === 'VALID' ? null : verification.message);

/** Throws INVALID_KEY_FORMAT with the shared, key-free message when a pasted key has the wrong shape. */
export function assertKeyFormat(provider: ProviderId, apiKey: string): void {
  const result = checkKeyFormat(provider, apiKey);
  if (!result.ok) throw new AppError('INVALID_KEY_FORMAT', result.message, { problem: result.problem });
}

/** Removes every fragment of the key (any spelling) and anything key-like from text that will be stored or shown. */
export function scrubKey(text: string, apiKey: string): string {
  return sanitizeProviderMessage(scrubKeyFragments(text, apiKey));
}

/**
 * Verifies a key with the provider's cheapest authenticated call (list models). Never throws for a
 * provider problem: the caller decides what a rejection or an outage means (refuse vs store UNVERIFIED).
 * Must be called outside any database transaction (the embedded database serialises transactions).
 */
export class KeyVerifier {
  constructor(
    private readonly config: AppConfig,
    private readonly logger: Logger,
    private readonly adapters: ProviderAdapters = PROVIDER_ADAPTERS,
  ) {}

  async verify(provider: ProviderId, apiKey: string): Promise<Verification> {
    try {
      await this.adapters[provider].listModels({ apiKey, baseUrl: this.config.providers[provider].baseUrl, timeoutMs: this.config.verifyTimeoutMs });
      return { outcome: 'VALID' };
    } catch (error) {
      if (error instanceof ProviderError) {
        const message = scrubKey(error.message, apiKey);
        // 429, 5xx, timeouts and 4xx like a wrong base URL say nothing definite about the key.
        return error.kind === 'REJECTED'
          ? { outcome: 'REJECTED', message, httpStatus: error.status }
          : { outcome: 'UNVERIFIED', message, httpStatus: error.status };
      }
      this.logger.warn('key verification failed unexpectedly', { provider, error: error instanceof Error ? error.name : 'unknown' });
      return { outcome: 'UNVERIFIED', message: `Could not verify the key with ${PROVIDERS[provider].label}`, httpStatus: null };
    }
  }
}

/** The error a save gets when the provider definitely refused the key. */
export function keyRejected(provider: ProviderId, verification: Extract<Verification, { outcome: 'REJECTED' }>): AppError {
  const label = PROVIDERS[provider].label;
  return new AppError('KEY_REJECTED', `${label} did not accept this key, so it was not saved. ${verification.message}`, {
    httpStatus: verification.httpStatus,
  });
}
