import { resolveProviderKey, type KeyStatus, type ProviderId } from '@byok/shared';
import type { DataSource } from 'typeorm';
import { InvalidatedCache, type ChangeFeed } from '../../cache/change-feed';
import { ensurePresent, notFound } from '../../errors';
import { sanitizeProviderMessage } from '../../providers/provider-http';
import { isUuid } from '../../validation/uuid';
import type { EnvironmentKeys } from './environment-keys';
import type { KeyStore, ResolutionRead } from './key-store';
import type { ProviderKeyEntity } from './provider-key.entity';
import { resolutionInput } from './resolution-input';
import { storedKeyView, type StoredKeyView } from './stored-key-view';

/** Which stored key an AI request used, so its status can be updated afterwards (R8). `id` null = the environment's global key. */
export type KeyRef =
  { scope: 'WORKSPACE'; id: string; workspaceId: string; provider: ProviderId } | { scope: 'GLOBAL'; id: string | null; provider: ProviderId };

/** The key an AI request must use right now, or why there is none. */
export type RequestKey =
  /** `status` is the key's status when the request started: a success on an already VALID key writes nothing. */
  | { source: 'WORKSPACE' | 'GLOBAL'; apiKey: string; keyRef: KeyRef; fingerprint: string; status: KeyStatus }
  | { source: 'NONE'; reason: 'BYOK_DISABLED_AND_NO_GLOBAL_KEY' | 'NO_KEY_CONFIGURED' };

/**
 * Which key an AI request uses (R2, R3) and what its answer says about that key (R8). Reads through the key
 * store; the decision itself is `resolveProviderKey` from shared, fed by the one input builder.
 */
export class KeyResolutionService {
  /** Resolution reads (ciphertexts, never a plaintext key) by workspace and provider, kept while no setting or key changes anywhere. */
  private readonly resolutionReads: InvalidatedCache<ResolutionRead>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly keyStore: KeyStore,
    private readonly environment: EnvironmentKeys,
    changeFeed: ChangeFeed | null = null,
  ) {
    this.resolutionReads = new InvalidatedCache(changeFeed, ['provider_settings', 'provider_keys']);
  }

  /** `resolveProviderKey`'s input for a provider: the platform's key is the stored global key, else the environment's. */
  inputFor(provider: ProviderId, state: { byokEnabled: boolean; hasWorkspaceKey: boolean; hasStoredGlobalKey: boolean }) {
    return resolutionInput({ ...state, hasEnvironmentKey: this.environment.key(provider) !== null });
  }

  /** The global key in effect for display: the stored one, else the environment's, else null. Global keys are always active. */
  globalKeyView(provider: ProviderId, stored: ProviderKeyEntity | null): StoredKeyView | null {
    return stored ? storedKeyView(stored, true) : this.environment.view(provider);
  }

  /**
   * The key an AI request for (workspace, provider) must use now. Reads provider_settings and both key rows
   * in one query, lets the shared resolver decide, and opens only the chosen ciphertext. A ciphertext that
   * does not open (tampered, or moved from another row) fails the request; it never falls back to the other key.
   */
  async resolveForRequest(workspaceId: string, provider: ProviderId): Promise<RequestKey> {
    if (!isUuid(workspaceId)) throw notFound('Workspace');
    const read = await this.resolutionReads.get(`${workspaceId.toLowerCase()}:${provider}`, () => this.keyStore.readForResolution(workspaceId, provider));
    const environment = this.environment.key(provider);
    const { workspaceKey, globalKey } = read;
    const resolution = resolveProviderKey(
      resolutionInput({
        byokEnabled: read.byokEnabled,
        hasWorkspaceKey: workspaceKey !== null,
        hasStoredGlobalKey: globalKey !== null,
        hasEnvironmentKey: environment !== null,
      }),
    );
    if (resolution.source === 'NONE') return { source: 'NONE', reason: resolution.reason };
    if (resolution.source === 'WORKSPACE' && workspaceKey) {
      const apiKey = await this.keyStore.open(workspaceKey, { scope: 'WORKSPACE', workspaceId, provider });
      return {
        source: 'WORKSPACE',
        apiKey,
        keyRef: { scope: 'WORKSPACE', id: workspaceKey.id, workspaceId, provider },
        fingerprint: workspaceKey.fingerprint,
        status: workspaceKey.status,
      };
    }
    if (globalKey) {
      const apiKey = await this.keyStore.open(globalKey, { scope: 'GLOBAL', provider });
      return {
        source: 'GLOBAL',
        apiKey,
        keyRef: { scope: 'GLOBAL', id: globalKey.id, provider },
        fingerprint: globalKey.fingerprint,
        status: globalKey.status,
      };
    }
    const { apiKey, fingerprint } = ensurePresent(environment, 'the environment key the resolution chose');
    return {
      source: 'GLOBAL',
      apiKey,
      keyRef: { scope: 'GLOBAL', id: null, provider },
      fingerprint,
      status: this.environment.status(provider, fingerprint),
    };
  }

  /**
   * Records what the provider said about a key during an AI request (R8). A key replaced since the request
   * started has a new id, so the new key is never marked by an answer about the old one.
   */
  async markKeyStatus(ref: KeyRef, status: 'VALID' | 'INVALID', reportedError: string | null): Promise<void> {
    // Callers pass sanitized provider messages; scrubbing again costs nothing and keeps key-like text out of the row.
    const lastError = reportedError === null ? null : sanitizeProviderMessage(reportedError);
    if (ref.scope === 'GLOBAL' && ref.id === null) {
      const environment = this.environment.key(ref.provider);
      const before = this.environment.markStatus(ref.provider, status, lastError);
      if (environment && status === 'INVALID' && before !== 'INVALID') {
        // Per process: the environment's key has no row, so each process reports its own transition.
        await this.dataSource.transaction((manager) =>
          this.keyStore.keyBecameInvalid(
            manager,
            { scope: 'GLOBAL', workspaceId: null, provider: ref.provider, fingerprint: environment.fingerprint },
            'AI_REQUEST',
            null,
            'ENVIRONMENT',
          ),
        );
      }
      return;
    }
    const id = ref.id;
    if (id === null || !isUuid(id)) return;
    await this.dataSource.transaction(async (manager) => {
      // The old status comes from the locked row, so of two requests failing together only one reports the change.
      const rows = (await manager.query(
        `UPDATE provider_keys AS p
            SET status = $2, last_error = $3, last_verified_at = now()
           FROM (SELECT id, status FROM provider_keys WHERE id = $1 FOR UPDATE) AS old
          WHERE p.id = old.id AND p.scope = $4 AND p.provider = $6 AND ($5::uuid IS NULL OR p.workspace_id = $5::uuid)
            AND (p.status IS DISTINCT FROM $2 OR p.last_error IS DISTINCT FROM $3)
          RETURNING old.status AS previous_status, p.fingerprint`,
        [id, status, lastError, ref.scope, ref.scope === 'WORKSPACE' ? ref.workspaceId : null, ref.provider],
      )) as [Array<{ previous_status: KeyStatus; fingerprint: string }>, number];
      const changed = rows[0][0];
      if (changed && status === 'INVALID' && changed.previous_status !== 'INVALID') {
        const workspaceId = ref.scope === 'WORKSPACE' ? ref.workspaceId : null;
        await this.keyStore.keyBecameInvalid(
          manager,
          { scope: ref.scope, workspaceId, provider: ref.provider, fingerprint: changed.fingerprint },
          'AI_REQUEST',
          null,
        );
      }
    });
  }
}
