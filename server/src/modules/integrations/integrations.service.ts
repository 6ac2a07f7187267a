import { PROVIDER_IDS, normalizePastedKey, type KeyStatus, type ProviderId } from '@byok/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
import { badInput } from '../../errors';
import type { AuditService } from '../audit/audit.service';
import type { KeyHealthEventsService } from '../events/key-health-events.service';
import type { ByokSettings, PlatformState } from '../provider-keys/byok-settings';
import type { EnvironmentKeys } from '../provider-keys/environment-keys';
import type { KeyResolutionService } from '../provider-keys/key-resolution.service';
import { retryOnConflict, type KeySlot, type KeyStore } from '../provider-keys/key-store';
import { ProviderKeyEntity } from '../provider-keys/provider-key.entity';
import type { StoredKeyView } from '../provider-keys/stored-key-view';
import {
  countMoves,
  ENVIRONMENT_IDENTITY,
  moveOf,
  type ChangeScenario,
  type MoveCounts,
  type MoveOutcome,
  type PlatformKeyState,
} from './integration-change-preview';

export interface IntegrationView {
  provider: ProviderId;
  byokEnabled: boolean;
  globalKey: StoredKeyView | null;
  workspacesWithCustomKey: number;
  environmentKeyConfigured: boolean;
}

/** The "Save changes" of Settings → Integrations; a field left null is left unchanged. */
export interface IntegrationChanges {
  byokEnabled?: boolean | null;
  globalKey?: string | null;
  clearGlobalKey?: boolean | null;
}

/** What a destructive change would do, before it is made (and recorded in its audit event). */
export interface IntegrationChangePreviewView extends MoveCounts {
  provider: ProviderId;
  byokEnabled: boolean;
  clearGlobalKey: boolean;
  /** Status of the platform key in effect after the change; null = there would be none. */
  platformKeyStatusAfter: KeyStatus | null;
  workspacesMoving: number;
  /** The moving workspaces by name, at most PREVIEW_LIST_LIMIT of them. */
  workspaces: Array<{ id: string; name: string; outcome: MoveOutcome }>;
}

/** How many moving workspaces a preview names; the counts are always complete. */
const PREVIEW_LIST_LIMIT = 50;

/** Platform admin settings per provider: the BYOK switch (R1, R3) and the global key (R7). Callers check the admin role. */
export class IntegrationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyStore: KeyStore,
    private readonly byok: ByokSettings,
    private readonly environment: EnvironmentKeys,
    private readonly resolution: KeyResolutionService,
    private readonly audit: AuditService,
  ) {}

  private events: Pick<KeyHealthEventsService, 'byokToggled'> | null = null;

  /** Set once at wiring time: a BYOK switch is an event (R14). */
  connectEvents(events: Pick<KeyHealthEventsService, 'byokToggled'>): void {
    this.events = events;
  }

  async list(): Promise<IntegrationView[]> {
    const [platform, counts] = await Promise.all([this.byok.platformState(), this.workspaceKeyCounts()]);
    return PROVIDER_IDS.map((provider) => this.view(provider, platform, counts));
  }

  async get(provider: ProviderId): Promise<IntegrationView> {
    const [platform, counts] = await Promise.all([this.byok.platformState(), this.workspaceKeyCounts()]);
    return this.view(provider, platform, counts);
  }

  /**
   * What turning BYOK on/off and/or clearing the stored platform key would do to every workspace, per outcome
   * (own key, a working platform key, a rejected one, none). Reads only: two counts and at most two short lists,
   * whatever the number of workspaces, because all workspaces with (or without) their own key move alike.
   */
  async previewChange(
    provider: ProviderId,
    changes: { byokEnabled?: boolean | null; clearGlobalKey?: boolean | null },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IntegrationChangePreviewView> {
    const platform = await this.byok.platformState(manager);
    const stored = platform.storedGlobal[provider];
    const environment = this.environment.view(provider);
    const environmentState: PlatformKeyState | null = environment ? { identity: ENVIRONMENT_IDENTITY, status: environment.status } : null;
    const platformKeyBefore: PlatformKeyState | null = stored ? { identity: stored.id, status: stored.status } : environmentState;
    const clearGlobalKey = changes.clearGlobalKey === true && stored !== null;
    const scenario: ChangeScenario = {
      byokBefore: platform.byokEnabled[provider],
      byokAfter: typeof changes.byokEnabled === 'boolean' ? changes.byokEnabled : platform.byokEnabled[provider],
      platformKeyBefore,
      platformKeyAfter: clearGlobalKey ? environmentState : platformKeyBefore,
    };
    const withKey = moveOf(true, scenario);
    const withoutKey = moveOf(false, scenario);
    const [countRow] = await manager.query<Array<{ total: number; with_key: number }>>(
      `SELECT (SELECT count(*)::int FROM workspaces) AS total,
              (SELECT count(*)::int FROM provider_keys WHERE scope = 'WORKSPACE' AND provider = $1) AS with_key`,
      [provider],
    );
    const withKeyCount = Number(countRow?.with_key ?? 0);
    const withoutKeyCount = Math.max(0, Number(countRow?.total ?? 0) - withKeyCount);
    const counts = countMoves([
      { move: withKey, workspaces: withKeyCount },
      { move: withoutKey, workspaces: withoutKeyCount },
    ]);
    const workspaces: IntegrationChangePreviewView['workspaces'] = [];
    for (const [move, hasKey] of [
      [withKey, true],
      [withoutKey, false],
    ] as const) {
      if (!move || workspaces.length >= PREVIEW_LIST_LIMIT) continue;
      const rows = await manager.query<Array<{ id: string; name: string }>>(
        `SELECT w.id, w.name FROM workspaces w
          WHERE ${hasKey ? '' : 'NOT '}EXISTS (SELECT 1 FROM provider_keys k WHERE k.scope = 'WORKSPACE' AND k.provider = $1 AND k.workspace_id = w.id)
          ORDER BY lower(w.name), w.id LIMIT $2`,
        [provider, PREVIEW_LIST_LIMIT - workspaces.length],
      );
      for (const row of rows) workspaces.push({ id: row.id, name: row.name, outcome: move.outcome });
    }
    return {
      provider,
      byokEnabled: scenario.byokAfter,
      clearGlobalKey,
      platformKeyStatusAfter: scenario.platformKeyAfter?.status ?? null,
      workspacesMoving: counts.toOwnKey + counts.toWorkingPlatformKey + counts.toRejectedPlatformKey + counts.toNoKey,
      workspaces,
      ...counts,
    };
  }

  /**
   * Applies a save atomically: the new global key is format-checked and verified first (outside any
   * transaction); a rejection changes nothing. Then the switch and the key change commit together with
   * their audit events. Toggling BYOK is one upsert of one row; workspace keys are never touched (R3).
   */
  async update(viewer: Viewer, provider: ProviderId, changes: IntegrationChanges): Promise<IntegrationView> {
    // Surrounding whitespace from a copy-paste is dropped before the format check (inner whitespace still fails it).
    const globalKey = changes.globalKey == null ? null : normalizePastedKey(changes.globalKey);
    if (globalKey !== null && changes.clearGlobalKey) throw badInput('Either set a new global key or clear it, not both', 'clearGlobalKey');
    const slot: KeySlot = { scope: 'GLOBAL', provider };
    const switchByok = async (manager: EntityManager): Promise<void> => {
      if (typeof changes.byokEnabled === 'boolean') await this.setByok(manager, viewer, provider, changes.byokEnabled);
    };
    if (globalKey !== null) {
      // The key store verifies the key first, then runs the switch in the transaction that stores it.
      await this.keyStore.save(slot, globalKey, viewer, switchByok);
    } else {
      await retryOnConflict(() =>
        this.dataSource.transaction(async (manager) => {
          await switchByok(manager);
          if (!changes.clearGlobalKey) return;
          // Nothing stored: clearing is a no-op (a key from the environment cannot be cleared through the API).
          await this.keyStore.remove(slot, viewer, {
            manager,
            // The same numbers the admin was shown before confirming, as of this transaction (after a BYOK switch in the same save).
            detailsBeforeDelete: async (locked) => ({ impact: impactDetails(await this.previewChange(provider, { clearGlobalKey: true }, locked)) }),
          });
        }),
      );
    }
    return this.get(provider);
  }

  /** Re-checks the global key in effect (stored, else the environment's) and records the result (R7, R10). */
  async verifyGlobalKey(viewer: Viewer, provider: ProviderId): Promise<IntegrationView> {
    await this.keyStore.verify({ scope: 'GLOBAL', provider }, viewer);
    return this.get(provider);
  }

  private async setByok(manager: EntityManager, viewer: Viewer, provider: ProviderId, byokEnabled: boolean): Promise<void> {
    if ((await this.byok.isEnabled(provider, manager)) === byokEnabled) return;
    const impact = await this.previewChange(provider, { byokEnabled }, manager);
    await this.byok.write(manager, provider, byokEnabled, viewer);
    const workspacesAffected = await manager.count(ProviderKeyEntity, { where: { scope: 'WORKSPACE', provider } });
    await this.audit.record(manager, {
      action: byokEnabled ? 'INTEGRATION_BYOK_ENABLED' : 'INTEGRATION_BYOK_DISABLED',
      actor: viewer,
      provider,
      details: { byokEnabled, workspacesAffected, impact: impactDetails(impact) },
    });
    await this.events?.byokToggled(manager, {
      provider,
      byokEnabled,
      workspacesAffected,
      platformKeyStatusAfter: impact.platformKeyStatusAfter,
      actor: viewer,
    });
  }

  private async workspaceKeyCounts(): Promise<Map<string, number>> {
    const rows: Array<{ provider: string; count: number }> = await this.dataSource.query(
      `SELECT provider, count(*)::int AS count FROM provider_keys WHERE scope = 'WORKSPACE' GROUP BY provider`,
    );
    return new Map(rows.map((row) => [row.provider, Number(row.count)]));
  }

  private view(provider: ProviderId, platform: PlatformState, counts: Map<string, number>): IntegrationView {
    return {
      provider,
      byokEnabled: platform.byokEnabled[provider],
      globalKey: this.resolution.globalKeyView(provider, platform.storedGlobal[provider]),
      workspacesWithCustomKey: counts.get(provider) ?? 0,
      environmentKeyConfigured: this.environment.key(provider) !== null,
    };
  }
}

/** The preview's numbers as kept in an audit event (counts only: names can change, ids are in the workspace rows). */
function impactDetails(preview: IntegrationChangePreviewView): Record<string, number | string | null> {
  return {
    toOwnKey: preview.toOwnKey,
    toWorkingPlatformKey: preview.toWorkingPlatformKey,
    toRejectedPlatformKey: preview.toRejectedPlatformKey,
    toNoKey: preview.toNoKey,
    platformKeyStatusAfter: preview.platformKeyStatusAfter,
  };
}
