import { maskKey, normalizePastedKey, PROVIDERS, type KeyScope, type KeyStatus, type ProviderId } from '@byok/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
import { fingerprintKey } from '../../crypto/fingerprint';
import type { RotationCounts, RotationOptions } from '../../crypto/rotate-encryption-keys';
import { sealedRowCounts } from '../../crypto/sealed-rows';
import { SecretBox, type SecretContext } from '../../crypto/secret-box';
import { isUniqueViolation } from '../../database/unique-violation';
import { AppError, ensurePresent, notFound } from '../../errors';
import type { Logger } from '../../logging/logger';
import type { AuditRecord, AuditService } from '../audit/audit.service';
import type { KeyHealthEventsService } from '../events/key-health-events.service';
import type { EnvironmentKeys } from './environment-keys';
import { assertKeyFormat, errorAfter, keyRejected, statusAfter, type KeyVerifier, type Verification } from './key-verification';
import { ProviderKeyEntity } from './provider-key.entity';
import { storedKeyView, VIEW_COLUMNS, type StoredKeyView } from './stored-key-view';

/** Where a provider key is kept: the platform's global slot for a provider, or a workspace's own. */
export type KeySlot = { scope: 'GLOBAL'; provider: ProviderId } | { scope: 'WORKSPACE'; workspaceId: string; provider: ProviderId };

/** A stored key as the resolution reads it: still sealed; only `KeyStore.open` turns it into a key. */
export interface SealedKey {
  readonly id: string;
  readonly ciphertext: string;
  readonly fingerprint: string;
  readonly status: KeyStatus;
}

/** What one AI request's resolution reads: the BYOK switch and both candidate keys, sealed. */
export interface ResolutionRead {
  byokEnabled: boolean;
  workspaceKey: SealedKey | null;
  globalKey: SealedKey | null;
}

/** What the start-up check found among the stored keys (counts only). */
export interface StoredKeysCheck {
  total: number;
  /** Rows the configured encryption keys cannot open (or whose content does not match their fingerprint). */
  unreadable: number;
  /** Of those, rows sealed by an encryption key that is not configured here. */
  missingEncryptionKey: number;
}

/** Work a caller adds to a save's transaction, before the slot is locked (a check that may throw, or a change that commits with the key). */
export type InTransaction = (manager: EntityManager) => Promise<void>;

export interface RemoveOptions {
  /** Run in the caller's transaction instead of a new one. */
  manager?: EntityManager;
  /** Extra audit details of a GLOBAL_KEY_CLEARED, computed after the row is locked and before it is deleted. */
  detailsBeforeDelete?: (manager: EntityManager) => Promise<Record<string, unknown>>;
}

/** A stored key's row as the start-up check and the rotation read it. */
interface StoredRow {
  id: string;
  scope: 'GLOBAL' | 'WORKSPACE';
  workspace_id: string | null;
  provider: string;
  ciphertext: string;
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

// One round trip, latest committed state: the BYOK switch and both key rows of (workspace, provider).
const RESOLUTION_SQL = `
  SELECT s.byok_enabled,
         w.id AS workspace_key_id, w.ciphertext AS workspace_ciphertext, w.fingerprint AS workspace_fingerprint,
         w.status AS workspace_status,
         g.id AS global_key_id, g.ciphertext AS global_ciphertext, g.fingerprint AS global_fingerprint, g.status AS global_status
  FROM (SELECT $2::text AS provider) AS p
  LEFT JOIN provider_settings s ON s.provider = p.provider
  LEFT JOIN provider_keys w ON w.provider = p.provider AND w.scope = 'WORKSPACE' AND w.workspace_id = $1::uuid
  LEFT JOIN provider_keys g ON g.provider = p.provider AND g.scope = 'GLOBAL'`;

function sealedKeyOf(id: string | null, ciphertext: string | null, fingerprint: string | null, status: KeyStatus | null): SealedKey | null {
  return id !== null && ciphertext !== null && fingerprint !== null && status !== null ? { id, ciphertext, fingerprint, status } : null;
}

const contextOf = (slot: KeySlot): SecretContext & { provider: ProviderId } => ({
  scope: slot.scope,
  workspaceId: slot.scope === 'WORKSPACE' ? slot.workspaceId : null,
  provider: slot.provider,
});

/** The binding of a row read back from the database: its columns as stored (the workspace id is not re-spelled). */
const storedContextOf = (row: StoredRow): SecretContext => ({ scope: row.scope, workspaceId: row.workspace_id, provider: row.provider });

const whereOf = (slot: KeySlot) =>
  slot.scope === 'WORKSPACE'
    ? { scope: 'WORKSPACE' as const, workspaceId: slot.workspaceId, provider: slot.provider }
    : { scope: 'GLOBAL' as const, provider: slot.provider };

/** `workspaceId` for an audit record or an event: the workspace's, or nothing for a global key. */
const workspaceOf = (slot: KeySlot): { workspaceId?: string } => (slot.scope === 'WORKSPACE' ? { workspaceId: slot.workspaceId } : {});

const outcomeOf = (verification: Verification) => (verification.outcome === 'VALID' ? ('SUCCESS' as const) : ('FAILURE' as const));

/**
 * The provider-key store: the only code that seals, reads or opens a ciphertext (R9). Saves, verifies and
 * removes a key in a global or a workspace slot (R7) with their audit events (R10); callers check who may.
 * Also re-seals the stored keys under a new encryption key (the operator's `rotate-keys`).
 */
export class KeyStore {
  private events: Pick<KeyHealthEventsService, 'keyInvalid'> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secretBox: SecretBox,
    private readonly logger: Logger,
    private readonly audit: AuditService,
    private readonly verifier: KeyVerifier,
    private readonly environment: EnvironmentKeys,
  ) {}

  /** Set once at wiring time: a key turning INVALID is an event (R14). */
  connectEvents(events: Pick<KeyHealthEventsService, 'keyInvalid'>): void {
    this.events = events;
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

  /**
   * Sets or replaces the key in a slot: format (R7), live check outside any transaction (a rejection changes
   * nothing and is audited as a FAILURE), then one transaction: the caller's work, the slot's row locked, the
   * key sealed in place of the old one, the audit event. Returns the stored key's view (active).
   */
  async save(slot: KeySlot, pastedKey: string, actor: Viewer, inTransaction?: InTransaction): Promise<StoredKeyView> {
    // Surrounding whitespace from a copy-paste is dropped before anything else; inner whitespace still fails the format check.
    const apiKey = normalizePastedKey(pastedKey);
    const { provider } = slot;
    assertKeyFormat(provider, apiKey);
    const fingerprint = fingerprintKey(apiKey);

    const verification = await this.verifier.verify(provider, apiKey);
    if (verification.outcome === 'REJECTED') {
      await this.dataSource.transaction((manager) =>
        this.audit.record(manager, {
          action: slot.scope === 'WORKSPACE' ? 'WORKSPACE_KEY_SET' : 'GLOBAL_KEY_SET',
          actor,
          provider,
          ...workspaceOf(slot),
          fingerprint,
          outcome: 'FAILURE',
          details: { reason: 'KEY_REJECTED', httpStatus: verification.httpStatus },
        }),
      );
      throw keyRejected(provider, verification);
    }

    return retryOnConflict(() =>
      this.dataSource.transaction(async (manager) => {
        if (inTransaction) await inTransaction(manager);
        const previous = await manager.findOne(ProviderKeyEntity, {
          where: whereOf(slot),
          select: { id: true, fingerprint: true },
          lock: { mode: 'pessimistic_write' },
        });
        const stored = await this.replace(manager, slot, previous?.id ?? null, apiKey, verification, actor);
        const previousFingerprint = previous ? { previousFingerprint: previous.fingerprint } : {};
        await this.audit.record(
          manager,
          slot.scope === 'WORKSPACE'
            ? {
                action: previous ? 'WORKSPACE_KEY_REPLACED' : 'WORKSPACE_KEY_SET',
                actor,
                provider,
                workspaceId: slot.workspaceId,
                fingerprint,
                details: { status: stored.status, ...previousFingerprint },
              }
            : {
                action: 'GLOBAL_KEY_SET',
                actor,
                provider,
                fingerprint: stored.fingerprint,
                details: { status: stored.status, replaced: previous !== null, ...previousFingerprint },
              },
        );
        return storedKeyView(stored, true);
      }),
    );
  }

  /**
   * Re-runs the live check (R7) on the key in a slot and records it (R10, R14): the stored key (opened, fails
   * closed), or for the global slot with nothing stored, the environment's key. Returns the key's view (active),
   * or null when a stored key was removed while the provider was answering.
   */
  async verify(slot: KeySlot, actor: Viewer): Promise<StoredKeyView | null> {
    const { provider } = slot;
    const row = await this.dataSource.getRepository(ProviderKeyEntity).findOne({ where: whereOf(slot) });
    let target: { apiKey: string; fingerprint: string; rowId: string | null };
    if (row) {
      target = { apiKey: await this.openOrFail(row, contextOf(slot)), fingerprint: row.fingerprint, rowId: row.id };
    } else if (slot.scope === 'GLOBAL') {
      const environment = this.environment.key(provider);
      if (!environment) throw notFound(`Global ${PROVIDERS[provider].label} key`);
      target = { ...environment, rowId: null };
    } else {
      throw notFound(`${PROVIDERS[provider].label} key for this workspace`);
    }
    const origin = target.rowId === null ? 'ENVIRONMENT' : 'STORED';

    const verification = await this.verifier.verify(provider, target.apiKey);
    const environmentPrevious = target.rowId === null ? this.environment.recordVerification(provider, verification) : null;
    return this.dataSource.transaction(async (manager) => {
      const previousStatus = target.rowId === null ? environmentPrevious : await this.recordVerification(manager, target.rowId, verification);
      // Null: the row was removed or replaced while the provider was answering; this answer is about neither.
      if (previousStatus !== null) {
        const status = statusAfter(verification);
        const httpStatus = verification.outcome === 'VALID' ? {} : { httpStatus: verification.httpStatus };
        await this.audit.record(
          manager,
          slot.scope === 'WORKSPACE'
            ? {
                action: 'WORKSPACE_KEY_VERIFIED',
                actor,
                provider,
                workspaceId: slot.workspaceId,
                fingerprint: target.fingerprint,
                outcome: outcomeOf(verification),
                details: { status, ...httpStatus },
              }
            : {
                action: 'GLOBAL_KEY_VERIFIED',
                actor,
                provider,
                fingerprint: target.fingerprint,
                outcome: outcomeOf(verification),
                details: { origin, status, ...httpStatus },
              },
        );
        if (status === 'INVALID' && previousStatus !== 'INVALID') {
          await this.keyBecameInvalid(
            manager,
            { scope: slot.scope, workspaceId: contextOf(slot).workspaceId, provider, fingerprint: target.fingerprint },
            'VERIFICATION',
            actor,
            slot.scope === 'GLOBAL' ? origin : undefined,
          );
        }
      }
      if (target.rowId === null) return this.environment.view(provider);
      const updated = await manager.findOne(ProviderKeyEntity, { where: whereOf(slot), select: VIEW_COLUMNS });
      return updated ? storedKeyView(updated, true) : null;
    });
  }

  /**
   * Removes the stored key of a slot (audited: WORKSPACE_KEY_REMOVED, GLOBAL_KEY_CLEARED). False when there was
   * none: a key from the environment cannot be removed through the API.
   */
  async remove(slot: KeySlot, actor: Viewer, options: RemoveOptions = {}): Promise<boolean> {
    const work = async (manager: EntityManager): Promise<boolean> => {
      const existing = await manager.findOne(ProviderKeyEntity, {
        where: whereOf(slot),
        select: { id: true, fingerprint: true },
        lock: { mode: 'pessimistic_write' },
      });
      if (!existing) return false;
      const extra = slot.scope === 'GLOBAL' && options.detailsBeforeDelete ? await options.detailsBeforeDelete(manager) : {};
      await manager.delete(ProviderKeyEntity, { id: existing.id });
      const record: AuditRecord =
        slot.scope === 'WORKSPACE'
          ? { action: 'WORKSPACE_KEY_REMOVED', actor, provider: slot.provider, workspaceId: slot.workspaceId, fingerprint: existing.fingerprint }
          : {
              action: 'GLOBAL_KEY_CLEARED',
              actor,
              provider: slot.provider,
              fingerprint: existing.fingerprint,
              details: { environmentKeyTakesOver: this.environment.key(slot.provider) !== null, ...extra },
            };
      await this.audit.record(manager, record);
      return true;
    };
    return options.manager ? work(options.manager) : this.dataSource.transaction(work);
  }

  /**
   * The hot path's one query (R2, R3): the BYOK switch and both key rows for (workspace, provider), still
   * sealed. The switch comes along so a request costs one round trip. `workspaceId` must be a UUID.
   */
  async readForResolution(workspaceId: string, provider: ProviderId): Promise<ResolutionRead> {
    const rows: ResolutionRow[] = await this.dataSource.query(RESOLUTION_SQL, [workspaceId, provider]);
    const row = rows[0];
    if (!row) return { byokEnabled: false, workspaceKey: null, globalKey: null };
    return {
      byokEnabled: row.byok_enabled === true,
      workspaceKey: sealedKeyOf(row.workspace_key_id, row.workspace_ciphertext, row.workspace_fingerprint, row.workspace_status),
      globalKey: sealedKeyOf(row.global_key_id, row.global_ciphertext, row.global_fingerprint, row.global_status),
    };
  }

  /** Opens a key read for resolution (fails closed with KEY_UNREADABLE, see openOrFail). */
  open(key: SealedKey, slot: KeySlot): Promise<string> {
    return this.openOrFail(key, contextOf(slot));
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
      )) as Array<StoredRow & { fingerprint: string }>;
      for (const row of rows) {
        check.total += 1;
        if (this.tryOpen(row, storedContextOf(row), false) !== null) continue;
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
    return (await sealedRowCounts(this.dataSource, 'provider_keys', this.secretBox)).missingEncryptionKey;
  }

  /**
   * Re-seals every stored key not sealed by the current encryption key (R9), while servers keep serving: they
   * hold the old and the new key, so either ciphertext opens. Rows go in small batches, each its own short
   * statement; `WHERE ciphertext = old` makes a concurrent replace win over the rotation. A row that cannot be
   * opened is left as it is and counted. Logs counts and row ids only — never a key, never a ciphertext.
   */
  async rotateToCurrentEncryptionKey(options: RotationOptions = {}): Promise<RotationCounts> {
    const batchSize = options.batchSize ?? 50;
    const logger = options.logger ?? this.logger;
    const current = this.secretBox.currentKeyId;
    const counts: RotationCounts = { rotated: 0, skippedChangedConcurrently: 0, failed: 0 };
    let lastId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT id, scope, workspace_id, provider, ciphertext FROM provider_keys
          WHERE encryption_key_id <> $1 AND id > $2 ORDER BY id LIMIT $3`,
        [current, lastId, batchSize],
      )) as StoredRow[];
      if (rows.length === 0) return counts;
      for (const row of rows) {
        lastId = row.id;
        const context = storedContextOf(row);
        let apiKey: string;
        try {
          apiKey = this.secretBox.open(row.ciphertext, context);
        } catch (error) {
          counts.failed += 1;
          logger.error('rotation: a stored key could not be decrypted and was left as it is', {
            keyId: row.id,
            reason: error instanceof Error ? error.message : 'unknown',
          });
          continue;
        }
        const sealed = this.secretBox.seal(apiKey, context);
        const result = (await this.dataSource.query(`UPDATE provider_keys SET ciphertext = $2, encryption_key_id = $3 WHERE id = $1 AND ciphertext = $4`, [
          row.id,
          sealed.ciphertext,
          sealed.keyId,
          row.ciphertext,
        ])) as [unknown[], number];
        if (result[1] > 0) counts.rotated += 1;
        else counts.skippedChangedConcurrently += 1;
      }
    }
  }

  /** Stored keys still sealed by another encryption key than the current one (0 before an old key may be removed). */
  async countKeysNotOnCurrentEncryptionKey(): Promise<number> {
    return (await sealedRowCounts(this.dataSource, 'provider_keys', this.secretBox)).notOnCurrentKey;
  }

  // ---------------------------------------------------------------------------------------------------------

  /**
   * Seals and stores a key in place of `previousId` (deleted first, so the partial unique index holds).
   * A replaced key gets a new id: statuses reported for the old one can no longer land on it.
   */
  private async replace(
    manager: EntityManager,
    slot: KeySlot,
    previousId: string | null,
    apiKey: string,
    verification: Verification,
    actor: Viewer,
  ): Promise<ProviderKeyEntity> {
    if (previousId) await manager.delete(ProviderKeyEntity, { id: previousId });
    const context = contextOf(slot);
    const sealed = this.secretBox.seal(apiKey, context);
    return manager.save(
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
  }

  /** Writes a verification result onto a key row; returns the status it had before, or null when the row is gone or was replaced meanwhile. */
  private async recordVerification(manager: EntityManager, keyId: string, verification: Verification): Promise<KeyStatus | null> {
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

const UNREADABLE_ERROR = "The server's encryption keys cannot open this stored key. Set it again.";

const storedKeyUnreadable = (context: SecretContext): AppError =>
  new AppError(
    'KEY_UNREADABLE',
    context.scope === 'WORKSPACE'
      ? `The workspace's own ${PROVIDERS[context.provider as ProviderId]?.label ?? context.provider} key cannot be read by the server. The workspace owner can fix this by setting the key again.`
      : `The platform's ${PROVIDERS[context.provider as ProviderId]?.label ?? context.provider} key cannot be read by the server. A platform admin can fix this by setting the key again.`,
    { provider: context.provider, keySource: context.scope },
  );
