import type { KeyStatus } from '@byok/shared';
import type { ProviderKeyEntity } from './provider-key.entity';

/** What the API shows of a key (R5): never the key, never its ciphertext. */
export interface StoredKeyView {
  /** STORED: saved through the API; ENVIRONMENT: a global key from OPENAI_API_KEY / ANTHROPIC_API_KEY. */
  origin: 'STORED' | 'ENVIRONMENT';
  masked: string;
  fingerprint: string;
  status: KeyStatus;
  /** Whether this key is the one AI requests use now (workspace keys are inactive while BYOK is off). */
  active: boolean;
  lastVerifiedAt: Date | null;
  lastError: string | null;
  updatedAt: Date;
}

/** Columns of provider_keys read for display: everything but the ciphertext. */
export const VIEW_COLUMNS = {
  id: true,
  scope: true,
  workspaceId: true,
  provider: true,
  masked: true,
  fingerprint: true,
  status: true,
  lastVerifiedAt: true,
  lastError: true,
  updatedAt: true,
} as const;

/** The view of a stored key row (read with VIEW_COLUMNS). */
export function storedKeyView(
  key: Pick<ProviderKeyEntity, 'masked' | 'fingerprint' | 'status' | 'lastVerifiedAt' | 'lastError' | 'updatedAt'>,
  active: boolean,
): StoredKeyView {
  return {
    origin: 'STORED',
    masked: key.masked,
    fingerprint: key.fingerprint,
    status: key.status,
    active,
    lastVerifiedAt: key.lastVerifiedAt,
    lastError: key.lastError,
    updatedAt: key.updatedAt,
  };
}
