import {
  isWorkspaceKeyActive,
  PROVIDER_IDS,
  PROVIDERS,
  resolveProviderKey,
  type KeyResolution,
  type KeySource,
  type KeyStatus,
  type ProviderId,
  type WorkspaceRole,
} from '@byok/shared';
import { In, type DataSource } from 'typeorm';
import * as policies from '../../auth/policies';
import type { Viewer } from '../../auth/viewer';
import { AppError, forbidden, notFound } from '../../errors';
import { isUuid } from '../../validation/uuid';
import type { WorkspacesService } from '../workspaces/workspaces.service';
import type { ByokSettings } from './byok-settings';
import type { KeyResolutionService } from './key-resolution.service';
import type { KeyStore } from './key-store';
import { ProviderKeyEntity } from './provider-key.entity';
import { storedKeyView, VIEW_COLUMNS, type StoredKeyView } from './stored-key-view';

type KeySourceReason = Exclude<KeyResolution, { source: 'WORKSPACE' }>['reason'];

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

/** A workspace's own keys: who may set, verify and remove them (R4, R6), on top of the key store; and `Workspace.providers`. */
export class WorkspaceKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly workspaces: WorkspacesService,
    private readonly keyStore: KeyStore,
    private readonly byok: ByokSettings,
    private readonly resolution: KeyResolutionService,
  ) {}

  /** Sets or replaces a workspace's key: owner only, BYOK on (R4), then the key store's save (format, live check, one transaction). */
  async setWorkspaceKey(workspaceId: string, access: WorkspaceAccess, provider: ProviderId, pastedKey: string): Promise<StoredKeyView> {
    await this.workspaces.getReadable(access.viewer, workspaceId, access.role);
    if (!policies.canManageWorkspaceKeys(access.viewer, access.role)) throw forbidden("Only the workspace's owner can set its keys");
    if (!(await this.byok.isEnabled(provider))) throw byokDisabled(provider);
    return this.keyStore.save({ scope: 'WORKSPACE', workspaceId, provider }, pastedKey, access.viewer, async (manager) => {
      // BYOK may have been switched off while the provider was answering.
      if (!(await this.byok.isEnabled(provider, manager))) throw byokDisabled(provider);
    });
  }

  /** Re-runs the live check (R7) for a stored workspace key: the owner, or an admin troubleshooting. */
  async verifyWorkspaceKey(workspaceId: string, access: WorkspaceAccess, provider: ProviderId): Promise<StoredKeyView> {
    await this.workspaces.getReadable(access.viewer, workspaceId, access.role);
    if (!policies.canVerifyWorkspaceKey(access.viewer, access.role)) throw forbidden("Only the workspace's owner can verify its keys");
    const verified = await this.keyStore.verify({ scope: 'WORKSPACE', workspaceId, provider }, access.viewer);
    // Removed while the provider was answering: nothing left to show.
    if (!verified) throw notFound(`${PROVIDERS[provider].label} key for this workspace`);
    return { ...verified, active: await this.byok.isEnabled(provider) };
  }

  /** Removes a workspace's key; works while BYOK is off (R4). False when there was none. */
  async removeWorkspaceKey(workspaceId: string, access: WorkspaceAccess, provider: ProviderId): Promise<boolean> {
    await this.workspaces.getReadable(access.viewer, workspaceId, access.role);
    if (!policies.canManageWorkspaceKeys(access.viewer, access.role)) throw forbidden("Only the workspace's owner can remove its keys");
    return this.keyStore.remove({ scope: 'WORKSPACE', workspaceId, provider }, access.viewer);
  }

  /** `Workspace.providers` for several workspaces at once (one entry per provider each): two queries in all. */
  async workspaceProviders(workspaceIds: readonly string[]): Promise<Map<string, WorkspaceProviderView[]>> {
    const ids = [...new Set(workspaceIds)].filter(isUuid);
    const [platform, keys] = await Promise.all([
      this.byok.platformState(),
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
          const resolution = resolveProviderKey(
            this.resolution.inputFor(provider, { byokEnabled, hasWorkspaceKey: key !== null, hasStoredGlobalKey: platform.storedGlobal[provider] !== null }),
          );
          return {
            workspaceId,
            provider,
            byokEnabled,
            source: resolution.source,
            sourceReason: resolution.source === 'WORKSPACE' ? null : resolution.reason,
            customKey: key ? storedKeyView(key, isWorkspaceKeyActive({ byokEnabled, hasWorkspaceKey: true })) : null,
            sourceKeyStatus:
              resolution.source === 'WORKSPACE'
                ? (key?.status ?? null)
                : resolution.source === 'GLOBAL'
                  ? (this.resolution.globalKeyView(provider, platform.storedGlobal[provider])?.status ?? null)
                  : null,
          };
        }),
      );
    }
    return result;
  }
}

const byokDisabled = (provider: ProviderId): AppError =>
  new AppError('BYOK_DISABLED', `Workspace keys are turned off for ${PROVIDERS[provider].label}. A platform admin can turn them on.`);
