import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Platform-wide settings per provider. A missing row means BYOK is disabled (R1 default).
 * Toggling BYOK is a single-row update here, so it switches every workspace at once (R3).
 */
@Entity('provider_settings')
export class ProviderSettingEntity {
  /** ProviderId stored as text: adding a provider needs no migration. */
  @PrimaryColumn('text')
  provider: string;

  @Column('boolean', { name: 'byok_enabled', default: false })
  byokEnabled: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column('uuid', { name: 'updated_by', nullable: true })
  updatedBy: string | null;
}
