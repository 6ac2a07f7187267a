import { maskKey, type KeyStatus, type ProviderId } from '@byok/shared';
import type { AppConfig } from '../../config/config';
import { fingerprintKey } from '../../crypto/fingerprint';
import { errorAfter, statusAfter, type Verification } from './key-verification';
import type { StoredKeyView } from './stored-key-view';

interface EnvironmentKeyState {
  fingerprint: string;
  status: KeyStatus;
  lastVerifiedAt: Date | null;
  lastError: string | null;
}

/**
 * The environment's global keys (OPENAI_API_KEY / ANTHROPIC_API_KEY) and their status. Such a key cannot be
 * written to the database, so its status lives here, per process, keyed by its fingerprint: a changed key
 * starts again as UNVERIFIED.
 */
export class EnvironmentKeys {
  private readonly states = new Map<ProviderId, EnvironmentKeyState>();
  private readonly loadedAt = new Date();
  /**
   * Fingerprints by the configuration's key holder, worked out once each: AI requests ask on every call. Keyed by
   * the holder object, so no copy of the key is kept here, and a replaced key is fingerprinted anew.
   */
  private readonly fingerprints = new WeakMap<object, string>();

  constructor(private readonly config: Pick<AppConfig, 'providers'>) {}

  /** The global key from the environment for `provider`, if configured. */
  key(provider: ProviderId): { apiKey: string; fingerprint: string } | null {
    const holder = this.config.providers[provider].envApiKey;
    if (!holder?.value) return null;
    let fingerprint = this.fingerprints.get(holder);
    if (fingerprint === undefined) {
      fingerprint = fingerprintKey(holder.value);
      this.fingerprints.set(holder, fingerprint);
    }
    return { apiKey: holder.value, fingerprint };
  }

  /** The status of the environment key with this fingerprint (UNVERIFIED until something is known about it). */
  status(provider: ProviderId, fingerprint: string): KeyStatus {
    return this.state(provider, fingerprint).status;
  }

  /** What an AI request learnt about the environment key; returns the status it had before (null: none configured). */
  markStatus(provider: ProviderId, status: KeyStatus, lastError: string | null): KeyStatus | null {
    const environment = this.key(provider);
    if (!environment) return null;
    const previous = this.state(provider, environment.fingerprint).status;
    this.states.set(provider, { fingerprint: environment.fingerprint, status, lastVerifiedAt: new Date(), lastError });
    return previous;
  }

  /** Records a verification of the environment key; returns the status it had before (null: none configured). */
  recordVerification(provider: ProviderId, verification: Verification): KeyStatus | null {
    const environment = this.key(provider);
    if (!environment) return null;
    const previous = this.state(provider, environment.fingerprint);
    this.states.set(provider, {
      fingerprint: environment.fingerprint,
      status: statusAfter(verification),
      lastVerifiedAt: verification.outcome === 'UNVERIFIED' ? previous.lastVerifiedAt : new Date(),
      lastError: errorAfter(verification),
    });
    return previous.status;
  }

  /** The environment key as shown to platform admins (mask and status), or null when none is configured. Always active. */
  view(provider: ProviderId): StoredKeyView | null {
    const environment = this.key(provider);
    if (!environment) return null;
    const state = this.state(provider, environment.fingerprint);
    return {
      origin: 'ENVIRONMENT',
      masked: maskKey(provider, environment.apiKey),
      fingerprint: environment.fingerprint,
      status: state.status,
      active: true,
      lastVerifiedAt: state.lastVerifiedAt,
      lastError: state.lastError,
      updatedAt: this.loadedAt,
    };
  }

  private state(provider: ProviderId, fingerprint: string): EnvironmentKeyState {
    const state = this.states.get(provider);
    return state && state.fingerprint === fingerprint ? state : { fingerprint, status: 'UNVERIFIED', lastVerifiedAt: null, lastError: null };
  }
}
