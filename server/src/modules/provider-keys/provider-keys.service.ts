import { InvalidatedCache, type ChangeFeed } from '../../cache/change-feed';
import {
  isWorkspaceKeyActive,
  type KeyResolution,
  type KeyScope,
  type KeySource,
  type KeyStatus,
  maskKey,
  normalizePastedKey,
  PROVIDER_IDS,
  type ProviderId,
  PROVIDERS,
  resolveProviderKey,
  type WorkspaceRole,
} from '@byok/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import * as policies from '../../auth/policies';
import type { Viewer } from '../../auth/viewer';
import type { AppConfig } from '../../config/config';
import { SecretBox, type SecretContext } from '../../crypto/secret-box';
import { isUniqueViolation } from '../../database/unique-violation';
import { AppError, ensurePresent, forbidden, notFound } from '../../errors';
import type { Logger } from '../../logging/logger';
import { sanitizeProviderMessage } from '../../providers/provider-http';
import type { AuditService } from '../audit/audit.service';
import type { KeyHealthEventsService } from '../events/key-health-events.service';
import { ProviderSettingEntity } from './provider-setting.entity';
import { isUuid } from '../../validation/uuid';
import { type WorkspacesService } from '../workspaces/workspaces.service';
import { assertKeyFormat, keyRejected, statusAfter, type KeyVerifier, type Verification } from './key-verification';
import { ProviderKeyEntity } from './provider-key.entity';
import { fingerprintKey } from '../../crypto/fingerprint';

/** Which stored key an AI request used, so its status can be updated afterwards (R8). `id` null = the environment's global key. */
export type KeyRef =
  { scope: 'WORKSPACE'; id: string; workspaceId: string; provider: ProviderId } | { scope: 'GLOBAL'; id: string | null; provider: ProviderId };

/** The key an AI request must use right now, or why there is none. */
export type RequestKey =
  /** `status` is the key's status when the request started: a success on an already VALID key writes nothing. */
  | { source: 'WORKSPACE' | 'GLOBAL'; apiKey: string; keyRef: KeyRef; fingerprint: string; status: KeyStatus }
  | { source: 'NONE'; reason: 'BYOK_DISABLED_AND_NO_GLOBAL_KEY' | 'NO_KEY_CONFIGURED' };

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

/** What the start-up check found among the stored keys (counts only). */
export interface StoredKeysCheck {
  total: number;
  /** Rows the configured encryption keys cannot open (or whose content does not match their fingerprint). */
  unreadable: number;
  /** Of those, rows sealed by an encryption key that is not configured here. */
  missingEncryptionKey: number;
}

export type KeySourceReason = Exclude<KeyResolution, { source: 'WORKSPACE' }>['reason'];

export interface WorkspaceProviderView {
  workspaceId: string;
  provider: ProviderId;
  byokEnabled: boolean;
  source: KeySource;
  /** Why the source is GLOBAL or NONE; null when the workspace's own key is used. */
  sourceReason: KeySourceReason | null;
  customKey: StoredKeyView | null;
  /** Status of the key `source` points at (the workspace's or the platform's); null for NONE. Visible to members: it says whether requests work, not which key. */
  sourceKeyStatus: KeyStatus | null;
}

/** The viewer and their role in the workspace at hand (null when not a member). */
export interface WorkspaceAccess {
  viewer: Viewer;
  role: WorkspaceRole | null;
}

/** Platform-wide state for every provider: the BYOK switch and the stored global key rows (no ciphertext). */
export interface PlatformState {
  byokEnabled: Record<ProviderId, boolean>;
  storedGlobal: Record<ProviderId, ProviderKeyEntity | null>;
}

interface EnvironmentKeyState {
  fingerprint: string;
  status: KeyStatus;
  lastVerifiedAt: Date | null;
  lastError: string | null;
}

/** One stored key's columns from RESOLUTION_SQL (a LEFT JOIN: all present, or the key is absent). */
interface ResolvedKeyColumns {
  id: string;
  ciphertext: string;
  fingerprint: string;
  status: KeyStatus;
}

function keyColumnsOf(id: string | null, ciphertext: string | null, fingerprint: string | null, status: KeyStatus | null): ResolvedKeyColumns | null {
  return id !== null && ciphertext !== null && fingerprint !== null && status !== null ? { id, ciphertext, fingerprint, status } : null;
}

interface ResolutionRow {
  byok_enabled: boolean | null;
  workspace_key_id: string | null;
  workspace_ciphertext: string | null;
  workspace_fingerprint: string | null;
  workspace_status: KeyStatus | null;
  global_key_id: string | null;
  global_ciphertext: string | null;
  global_fingerprint: string | null;
  global_status: KeyStatus | null;
}

// One round trip, latest committed state, no cache: a BYOK switch on any process is seen by the next request (R3).
const RESOLUTION_SQL = `
  SELECT s.byok_enabled,
         w.id AS workspace_key_id, w.ciphertext AS workspace_ciphertext, w.fingerprint AS workspace_fingerprint,
         w.status AS workspace_status,
         g.id AS global_key_id, g.ciphertext AS global_ciphertext, g.fingerprint AS global_fingerprint, g.status AS global_status
  FROM (SELECT $2::text AS provider) AS p
  LEFT JOIN provider_settings s ON s.provider = p.provider
  LEFT JOIN provider_keys w ON w.provider = p.provider AND w.scope = 'WORKSPACE' AND w.workspace_id = $1::uuid
  LEFT JOIN provider_keys g ON g.provider = p.provider AND g.scope = 'GLOBAL'`;

// Columns read for display: everything but the ciphertext.
const VIEW_COLUMNS = {
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

const errorAfter = (verification: Verification): string | null => (verification.outcome === 'VALID' ? null : verification.message);

/**
 * Stored provider keys: resolution for AI requests (R2, R3), workspace keys (R4, R7), encryption (R9) and
 * their audit trail (R10). The only code that opens a ciphertext.
 */
export class ProviderKeysService {
  // The environment's global key cannot be written to the database, so its status lives here, per process,
  // keyed by its fingerprint: a changed OPENAI_API_KEY starts again as UNVERIFIED.
  private readonly environmentStates = new Map<ProviderId, EnvironmentKeyState>();
  private readonly environmentLoadedAt = new Date();
  private events: Pick<KeyHealthEventsService, 'keyInvalid'> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secretBox: SecretBox,
    private readonly config: AppConfig,
    private readonly logger: Logger,
    private readonly audit: AuditService,
    private readonly workspaces: WorkspacesService,
    readonly verifier: KeyVerifier,
    changeFeed: ChangeFeed | null = null,
  ) {
    this.resolutionRows = new InvalidatedCache(changeFeed, ['provider_settings', 'provider_keys']);
  }

  /** Resolution rows (ciphertexts, never a plaintext key) by workspace and provider, kept while no setting or key changes anywhere. */
  private readonly resolutionRows: InvalidatedCache<ResolutionRow | undefined>;

  /** Set once at wiring time: a key turning INVALID is an event (R14). */
  connectEvents(events: Pick<KeyHealthEventsService, 'keyInvalid'>): void {
    this.events = events;
  }

  // ---------------------------------------------------------------------------------------------------------
  // AI requests

  /**
   * The key an AI request for (workspace, provider) must use now. Reads provider_settings and both key rows
   * in one query, lets the shared resolver decide, and opens only the chosen ciphertext. A ciphertext that
   * does not open (tampered, or moved from another row) fails the request; it never falls back to the other key.
   */
  async resolveForRequest(workspaceId: string, provider: ProviderId): Promise<RequestKey> {
    if (!isUuid(workspaceId)) throw notFound('Workspace');
    const row = await this.resolutionRows.get(`${workspaceId.toLowerCase()}:${provider}`, async () => {
      const rows: ResolutionRow[] = await this.dataSource.query(RESOLUTION_SQL, [workspaceId, provider]);
      return rows[0];
    });
    const environment = this.environmentKey(provider);
    const workspaceKey = row ? keyColumnsOf(row.workspace_key_id, row.workspace_ciphertext, row.workspace_fingerprint, row.workspace_status) : null;
    const globalKey = row ? keyColumnsOf(row.global_key_id, row.global_ciphertext, row.global_fingerprint, row.global_status) : null;
    const resolution = resolveProviderKey({
      byokEnabled: row?.byok_enabled === true,
      hasWorkspaceKey: workspaceKey !== null,
      hasGlobalKey: globalKey !== null || environment !== null,
    });
    if (resolution.source === 'NONE') return { source: 'NONE', reason: resolution.reason };
    if (resolution.source === 'WORKSPACE' && workspaceKey) {
      const apiKey = await this.openOrFail(workspaceKey, { scope: 'WORKSPACE', workspaceId, provider });
      return {
        source: 'WORKSPACE',
        apiKey,
        keyRef: { scope: 'WORKSPACE', id: workspaceKey.id, workspaceId, provider },
        fingerprint: workspaceKey.fingerprint,
        status: workspaceKey.status,
      };
    }
    if (globalKey) {
      const apiKey = await this.openOrFail(globalKey, { scope: 'GLOBAL', workspaceId: null, provider });
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
      status: this.environmentState(provider, fingerprint).status,
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
      const environment = this.environmentKey(ref.provider);
      const before = environment ? this.environmentState(ref.provider, environment.fingerprint).status : null;
      this.setEnvironmentState(ref.provider, status, lastError);
      if (environment && status === 'INVALID' && before !== 'INVALID') {
        // Per process: the environment's key has no row, so each process reports its own transition.
        await this.dataSource.transaction((manager) =>
          this.keyBecameInvalid(
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
        await this.keyBecameInvalid(manager, { scope: ref.scope, workspaceId, provider: ref.provider, fingerprint: changed.fingerprint }, 'AI_REQUEST', null);
      }
    });
  }

  /** R14: a key that turned INVALID (by traffic or verification) is audited, noticed and sent to webhooks, in the caller's transaction. */
  async keyBecameInvalid(
    manager: EntityManager,
    key: { scope: KeyScope; workspaceId: string | null; provider: ProviderId; fingerprint: string },
    trigger: 'AI_REQUEST' | 'VERIFICATION',
    actor: Viewer | null,
    origin?: 'STORED' | 'ENVIRONMENT',
  ): Promise<void> {
    await this.events?.keyInvalid(manager, { ...key, trigger, actor, ...(key.scope === 'GLOBAL' ? { origin: origin ?? 'STORED' } : {}) });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Workspace keys (owner)

  /** Sets or replaces a workspace's key: owner only, BYOK on (R4), format (R7), live check, then one transaction. */
  async setWorkspaceKey(workspaceId: string, access: WorkspaceAccess, provider: ProviderId, pastedKey: string): Promise<StoredKeyView> {
    // Surrounding whitespace from a copy-paste is dropped before anything else; inner whitespace still fails the format check.
    const apiKey = normalizePastedKey(pastedKey);
    await this.workspaces.getReadable(access.viewer, workspaceId, access.role);
    if (!policies.canManageWorkspaceKeys(access.viewer, access.role)) throw forbidden("Only the workspace's owner can set its keys");
    if (!(await this.isByokEnabled(provider))) throw byokDisabled(provider);
    assertKeyFormat(provider, apiKey);
    const fingerprint = fingerprintKey(apiKey);

    const verification = await this.verifier.verify(provider, apiKey);
    if (verification.outcome === 'REJECTED') {
      await this.dataSource.transaction((manager) =>
        this.audit.record(manager, {
          action: 'WORKSPACE_KEY_SET',
          actor: access.viewer,
          provider,
          workspaceId,
          fingerprint,
          outcome: 'FAILURE',
          details: { reason: 'KEY_REJECTED', httpStatus: verification.httpStatus },
        }),
      );
      throw keyRejected(provider, verification);
    }

    return retryOnConflict(() =>
      this.dataSource.transaction(async (manager) => {
        // BYOK may have been switched off while the provider was answering.
        if (!(await this.isByokEnabled(provider, manager))) throw byokDisabled(provider);
        const previous = await manager.findOne(ProviderKeyEntity, {
          where: { scope: 'WORKSPACE', workspaceId, provider },
          select: { id: true, fingerprint: true },
          lock: { mode: 'pessimistic_write' },
        });
        const stored = await this.replaceKey(manager, { scope: 'WORKSPACE', workspaceId, provider }, previous?.id ?? null, apiKey, verification, access.viewer);
        await this.audit.record(manager, {
          action: previous ? 'WORKSPACE_KEY_REPLACED' : 'WORKSPACE_KEY_SET',
          actor: access.viewer,
          provider,
          workspaceId,
          fingerprint,
          details: { status: stored.status, ...(previous ? { previousFingerprint: previous.fingerprint } : {}) },
        });
        return this.viewOf(stored, true);
      }),
    );
  }

  /** Re-runs the live check (R7) for a stored workspace key: the owner, or an admin troubleshooting. */
  async verifyWorkspaceKey(workspaceId: string, access: WorkspaceAccess, provider: ProviderId): Promise<StoredKeyView> {
    await this.workspaces.getReadable(access.viewer, workspaceId, access.role);
    if (!policies.canVerifyWorkspaceKey(access.viewer, access.role)) throw forbidden("Only the workspace's owner can verify its keys");
    const row = await this.dataSource.getRepository(ProviderKeyEntity).findOne({ where: { scope: 'WORKSPACE', workspaceId, provider } });
    if (!row) throw notFound(`${PROVIDERS[provider].label} key for this workspace`);
    const apiKey = await this.openOrFail(row, { scope: 'WORKSPACE', workspaceId, provider });
    const verification = await this.verifier.verify(provider, apiKey);
    const updated = await this.dataSource.transaction(async (manager) => {
      const previousStatus = await this.recordVerification(manager, row.id, verification);
      if (previousStatus !== null) {
        await this.audit.record(manager, {
          action: 'WORKSPACE_KEY_VERIFIED',
          actor: access.viewer,
          provider,
          workspaceId,
          fingerprint: row.fingerprint,
          outcome: verification.outcome === 'VALID' ? 'SUCCESS' : 'FAILURE',
          details: { status: statusAfter(verification), ...(verification.outcome === 'VALID' ? {} : { httpStatus: verification.httpStatus }) },
        });
        if (statusAfter(verification) === 'INVALID' && previousStatus !== 'INVALID') {
          await this.keyBecameInvalid(manager, { scope: 'WORKSPACE', workspaceId, provider, fingerprint: row.fingerprint }, 'VERIFICATION', access.viewer);
        }
      }
      return manager.findOne(ProviderKeyEntity, { where: { scope: 'WORKSPACE', workspaceId, provider }, select: VIEW_COLUMNS });
    });
    // Removed while the provider was answering: nothing left to show.
    if (!updated) throw notFound(`${PROVIDERS[provider].label} key for this workspace`);
    return this.viewOf(updated, await this.isByokEnabled(provider));
  }

  /** Removes a workspace's key; works while BYOK is off (R4). False when there was none. */
  async removeWorkspaceKey(workspaceId: string, access: WorkspaceAccess, provider: ProviderId): Promise<boolean> {
    await this.workspaces.getReadable(access.viewer, workspaceId, access.role);
    if (!policies.canManageWorkspaceKeys(access.viewer, access.role)) throw forbidden("Only the workspace's owner can remove its keys");
    return this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOne(ProviderKeyEntity, {
        where: { scope: 'WORKSPACE', workspaceId, provider },
        select: { id: true, fingerprint: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!existing) return false;
      await manager.delete(ProviderKeyEntity, { id: existing.id });
      await this.audit.record(manager, { action: 'WORKSPACE_KEY_REMOVED', actor: access.viewer, provider, workspaceId, fingerprint: existing.fingerprint });
      return true;
    });
  }

  /** `Workspace.providers` for several workspaces at once (one entry per provider each): two queries in all. */
  async workspaceProviders(workspaceIds: readonly string[]): Promise<Map<string, WorkspaceProviderView[]>> {
    const ids = [...new Set(workspaceIds)].filter(isUuid);
    const [platform, keys] = await Promise.all([
      this.platformState(),
      ids.length === 0
        ? Promise.resolve([])
        : this.dataSource.getRepository(ProviderKeyEntity).find({ where: { scope: 'WORKSPACE', workspaceId: In(ids) }, select: VIEW_COLUMNS }),
    ]);
    const result = new Map<string, WorkspaceProviderView[]>();
    for (const workspaceId of workspaceIds) {
      result.set(
        workspaceId,
        PROVIDER_IDS.map((provider) => {
          const key = keys.find((candidate) => candidate.workspaceId === workspaceId && candidate.provider === provider) ?? null;
          const byokEnabled = platform.byokEnabled[provider];
          const resolution = resolveProviderKey({
            byokEnabled,
            hasWorkspaceKey: key !== null,
            hasGlobalKey: platform.storedGlobal[provider] !== null || this.environmentKey(provider) !== null,
          });
          return {
            workspaceId,
            provider,
            byokEnabled,
            source: resolution.source,
            sourceReason: resolution.source === 'WORKSPACE' ? null : resolution.reason,
            customKey: key ? this.viewOf(key, isWorkspaceKeyActive({ byokEnabled, hasWorkspaceKey: true })) : null,
            sourceKeyStatus:
              resolution.source === 'WORKSPACE'
                ? (key?.status ?? null)
                : resolution.source === 'GLOBAL'
                  ? (this.globalKeyView(provider, platform.storedGlobal[provider])?.status ?? null)
                  : null,
          };
        }),
      );
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Building blocks shared with the integrations (global keys)

  async isByokEnabled(provider: ProviderId, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const setting = await manager.findOne(ProviderSettingEntity, { where: { provider }, select: { byokEnabled: true } });
    return setting?.byokEnabled === true;
  }

  /** BYOK switches and stored global keys (without ciphertext) for every provider. */
  async platformState(manager: EntityManager = this.dataSource.manager): Promise<PlatformState> {
    const [settings, globals] = await Promise.all([
      manager.find(ProviderSettingEntity, { select: { provider: true, byokEnabled: true } }),
      manager.find(ProviderKeyEntity, { where: { scope: 'GLOBAL' }, select: VIEW_COLUMNS }),
    ]);
    const byokEnabled = {} as Record<ProviderId, boolean>;
    const storedGlobal = {} as Record<ProviderId, ProviderKeyEntity | null>;
    for (const provider of PROVIDER_IDS) {
      byokEnabled[provider] = settings.some((setting) => setting.provider === provider && setting.byokEnabled);
      storedGlobal[provider] = globals.find((key) => key.provider === provider) ?? null;
    }
    return { byokEnabled, storedGlobal };
  }

  /** The global key in effect for display: the stored one, else the environment's, else null. Global keys are always active. */
  globalKeyView(provider: ProviderId, stored: ProviderKeyEntity | null): StoredKeyView | null {
    if (stored) return this.viewOf(stored, true);
    const environment = this.environmentKey(provider);
    if (!environment) return null;
    const state = this.environmentState(provider, environment.fingerprint);
    return {
      origin: 'ENVIRONMENT',
      masked: maskKey(provider, environment.apiKey),
      fingerprint: environment.fingerprint,
      status: state.status,
      active: true,
      lastVerifiedAt: state.lastVerifiedAt,
      lastError: state.lastError,
      updatedAt: this.environmentLoadedAt,
    };
  }

  /** The global key from OPENAI_API_KEY / ANTHROPIC_API_KEY, if configured. */
  environmentKey(provider: ProviderId): { apiKey: string; fingerprint: string } | null {
    const apiKey = this.config.providers[provider].envApiKey?.value;
    return apiKey ? { apiKey, fingerprint: fingerprintKey(apiKey) } : null;
  }

  /** Reads and opens the stored global key (fails closed), for on-demand verification. */
  async openStoredGlobalKey(provider: ProviderId): Promise<{ row: ProviderKeyEntity; apiKey: string } | null> {
    const row = await this.dataSource.getRepository(ProviderKeyEntity).findOne({ where: { scope: 'GLOBAL', provider } });
    if (!row) return null;
    return { row, apiKey: await this.openOrFail(row, { scope: 'GLOBAL', workspaceId: null, provider }) };
  }

  /**
   * Seals and stores a key in place of `previousId` (deleted first, so the partial unique index holds).
   * A replaced key gets a new id: statuses reported for the old one can no longer land on it.
   */
  async replaceKey(
    manager: EntityManager,
    context: SecretContext & { provider: ProviderId },
    previousId: string | null,
    apiKey: string,
    verification: Verification,
    actor: Viewer,
  ): Promise<ProviderKeyEntity> {
    if (previousId) await manager.delete(ProviderKeyEntity, { id: previousId });
    const sealed = this.secretBox.seal(apiKey, context);
    const saved = await manager.save(
      manager.create(ProviderKeyEntity, {
        scope: context.scope,
        workspaceId: context.workspaceId,
        provider: context.provider,
        ciphertext: sealed.ciphertext,
        encryptionKeyId: sealed.keyId,
        masked: maskKey(context.provider, apiKey),
        fingerprint: fingerprintKey(apiKey),
        status: statusAfter(verification),
        lastVerifiedAt: verification.outcome === 'UNVERIFIED' ? null : new Date(),
        lastError: errorAfter(verification),
        updatedBy: actor.userId,
      }),
    );
    return saved;
  }

  /** Writes a verification result onto a key row; returns the status it had before, or null when the row is gone or was replaced meanwhile. */
  async recordVerification(manager: EntityManager, keyId: string, verification: Verification): Promise<KeyStatus | null> {
    const decided = verification.outcome !== 'UNVERIFIED';
    const result = (await manager.query(
      `UPDATE provider_keys AS p
          SET status = $2, last_error = $3, last_verified_at = CASE WHEN $4::boolean THEN now() ELSE p.last_verified_at END
         FROM (SELECT id, status FROM provider_keys WHERE id = $1 FOR UPDATE) AS old
        WHERE p.id = old.id
        RETURNING old.status AS previous_status`,
      [keyId, statusAfter(verification), errorAfter(verification), decided],
    )) as [Array<{ previous_status: KeyStatus }>, number];
    return result[0][0]?.previous_status ?? null;
  }

  /** Records a verification of the environment's global key (in memory, see environmentStates); returns the status it had before. */
  recordEnvironmentVerification(provider: ProviderId, verification: Verification): KeyStatus | null {
    const environment = this.environmentKey(provider);
    if (!environment) return null;
    const previous = this.environmentState(provider, environment.fingerprint);
    this.environmentStates.set(provider, {
      fingerprint: environment.fingerprint,
      status: statusAfter(verification),
      lastVerifiedAt: verification.outcome === 'UNVERIFIED' ? previous.lastVerifiedAt : new Date(),
      lastError: errorAfter(verification),
    });
    return previous.status;
  }

  viewOf(key: Pick<ProviderKeyEntity, 'masked' | 'fingerprint' | 'status' | 'lastVerifiedAt' | 'lastError' | 'updatedAt'>, active: boolean): StoredKeyView {
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

  // ---------------------------------------------------------------------------------------------------------

  /**
   * Opens a stored key, or fails closed with KEY_UNREADABLE and marks the row UNREADABLE (shown to those who
   * may see the key's status, with the fix: set it again). A later successful request marks it VALID again,
   * so a key that only one misconfigured process could not open heals itself.
   */
  private async openOrFail(row: Pick<ProviderKeyEntity, 'id' | 'ciphertext' | 'fingerprint'>, context: SecretContext): Promise<string> {
    const apiKey = this.tryOpen(row, context);
    if (apiKey !== null) return apiKey;
    await this.markUnreadable(row);
    throw storedKeyUnreadable(context);
  }

  /** The plaintext key, or null (logged, without any key material) when it cannot be opened or is not the key the row describes. */
  private tryOpen(row: Pick<ProviderKeyEntity, 'id' | 'ciphertext' | 'fingerprint'>, context: SecretContext, log = true): string | null {
    let apiKey: string;
    try {
      apiKey = this.secretBox.open(row.ciphertext, context);
    } catch (error) {
      if (log) {
        this.logger.error('a stored provider key could not be decrypted; the request fails closed', {
          keyId: row.id,
          scope: context.scope,
          provider: context.provider,
          workspaceId: context.workspaceId,
          reason: error instanceof Error ? error.message : 'unknown',
        });
      }
      return null;
    }
    // The metadata must describe this very key: catches an older ciphertext of the same row put back.
    if (fingerprintKey(apiKey) !== row.fingerprint) {
      if (log)
        this.logger.error('a stored provider key does not match its fingerprint; the request fails closed', { keyId: row.id, provider: context.provider });
      return null;
    }
    return apiKey;
  }

  /** Best effort: the request fails with KEY_UNREADABLE whether or not the mark is written. Only the very ciphertext that failed is marked. */
  private async markUnreadable(row: Pick<ProviderKeyEntity, 'id' | 'ciphertext'>): Promise<void> {
    try {
      await this.dataSource.query(
        `UPDATE provider_keys SET status = 'UNREADABLE', last_error = $3
          WHERE id = $1 AND ciphertext = $2 AND status IS DISTINCT FROM 'UNREADABLE'`,
        [row.id, row.ciphertext, UNREADABLE_ERROR],
      );
    } catch (error) {
      this.logger.warn('could not mark a stored provider key UNREADABLE', { keyId: row.id, error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  /**
   * Start-up check: tries to open every stored key with the configured encryption keys (nothing is written).
   * `missingEncryptionKey` counts rows sealed by an encryption key this server is not configured with — a
   * configuration problem (wrong BYOK_ENCRYPTION_KEY, or a previous key removed before rotating).
   */
  async checkStoredKeys(batchSize = 500): Promise<StoredKeysCheck> {
    const configured = new Set(this.secretBox.keyIds);
    const check: StoredKeysCheck = { total: 0, unreadable: 0, missingEncryptionKey: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT id, scope, workspace_id, provider, ciphertext, fingerprint FROM provider_keys WHERE id > $1 ORDER BY id LIMIT $2`,
        [after, batchSize],
      )) as Array<{ id: string; scope: 'GLOBAL' | 'WORKSPACE'; workspace_id: string | null; provider: string; ciphertext: string; fingerprint: string }>;
      for (const row of rows) {
        check.total += 1;
        const context: SecretContext = { scope: row.scope, workspaceId: row.workspace_id, provider: row.provider };
        if (this.tryOpen(row, context, false) !== null) continue;
        check.unreadable += 1;
        const keyId = SecretBox.keyIdOf(row.ciphertext);
        if (keyId !== null && !configured.has(keyId)) check.missingEncryptionKey += 1;
      }
      if (rows.length < batchSize) return check;
      after = ensurePresent(rows.at(-1), 'the last row of a full batch').id;
    }
  }

  /** Readiness: how many stored keys name an encryption key this server does not have (one indexed query). */
  async countKeysUnderMissingEncryptionKeys(): Promise<number> {
    const rows = (await this.dataSource.query(`SELECT encryption_key_id, count(*)::int AS count FROM provider_keys GROUP BY encryption_key_id`)) as Array<{
      encryption_key_id: string;
      count: number;
    }>;
    const configured = new Set(this.secretBox.keyIds);
    return rows.filter((row) => !configured.has(row.encryption_key_id)).reduce((total, row) => total + row.count, 0);
  }

  private environmentState(provider: ProviderId, fingerprint: string): EnvironmentKeyState {
    const state = this.environmentStates.get(provider);
    return state && state.fingerprint === fingerprint ? state : { fingerprint, status: 'UNVERIFIED', lastVerifiedAt: null, lastError: null };
  }

  private setEnvironmentState(provider: ProviderId, status: KeyStatus, lastError: string | null): void {
    const environment = this.environmentKey(provider);
    if (!environment) return;
    this.environmentStates.set(provider, { fingerprint: environment.fingerprint, status, lastVerifiedAt: new Date(), lastError });
  }
}

/**
 * Two first-time saves of the same key slot race past the row lock (there is no row to lock yet); the
 * partial unique index stops the second insert. Running it once more turns it into an ordinary replace.
 */
export async function retryOnConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return work();
  }
}

const byokDisabled = (provider: ProviderId): AppError =>
  new AppError('BYOK_DISABLED', `Workspace keys are turned off for ${PROVIDERS[provider].label}. A platform admin can turn them on.`);

const UNREADABLE_ERROR = "The server's encryption keys cannot open this stored key. Set it again.";

const storedKeyUnreadable = (context: SecretContext): AppError =>
  new AppError(
    'KEY_UNREADABLE',
    context.scope === 'WORKSPACE'
      ? `The workspace's own ${PROVIDERS[context.provider as ProviderId]?.label ?? context.provider} key cannot be read by the server. The workspace owner can fix this by setting the key again.`
      : `The platform's ${PROVIDERS[context.provider as ProviderId]?.label ?? context.provider} key cannot be read by the server. A platform admin can fix this by setting the key again.`,
    { provider: context.provider, keySource: context.scope },
  );
