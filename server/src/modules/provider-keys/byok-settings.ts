import { PROVIDER_IDS, type ProviderId } from '@byok/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
import { ProviderKeyEntity } from './provider-key.entity';
import { ProviderSettingEntity } from './provider-setting.entity';
import { VIEW_COLUMNS } from './stored-key-view';

/** Platform-wide state for every provider: the BYOK switch and the stored global key rows (no ciphertext). */
export interface PlatformState {
  byokEnabled: Record<ProviderId, boolean>;
  storedGlobal: Record<ProviderId, ProviderKeyEntity | null>;
}

/**
 * The BYOK switch per provider (R1): the one place it is read (workspace keys, integrations) and written
 * (integrations). AI requests read it in the key store's resolution query, in the same round trip as the keys.
 */
export class ByokSettings {
  constructor(private readonly dataSource: DataSource) {}

  async isEnabled(provider: ProviderId, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
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

  /** Writes the switch in the caller's transaction. One row, whatever the number of workspaces: every process sees it on its next resolution (R3). */
  async write(manager: EntityManager, provider: ProviderId, byokEnabled: boolean, actor: Viewer): Promise<void> {
    await manager.query(
      `INSERT INTO provider_settings (provider, byok_enabled, updated_by, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (provider) DO UPDATE SET byok_enabled = EXCLUDED.byok_enabled, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [provider, byokEnabled, actor.userId],
    );
  }
}
