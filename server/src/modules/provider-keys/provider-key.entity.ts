import { KEY_SCOPES, KEY_STATUSES, type KeyScope, type KeyStatus } from '@byok/shared';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { WorkspaceEntity } from '../workspaces/workspace.entity';

/**
 * A stored provider key: the platform's global key (scope GLOBAL, no workspace) or a workspace's own.
 * Holds ciphertext only; never exposed through GraphQL (the StoredKey type carries the mask instead).
 */
@Entity('provider_keys')
@Index('provider_keys_global_key', ['provider'], { unique: true, where: `"scope" = 'GLOBAL'` })
@Index('provider_keys_workspace_key', ['workspaceId', 'provider'], { unique: true, where: `"scope" = 'WORKSPACE'` })
export class ProviderKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', enum: KEY_SCOPES })
  scope: KeyScope;

  @Column('uuid', { name: 'workspace_id', nullable: true })
  workspaceId: string | null;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: WorkspaceEntity;

  @Column('text')
  provider: string;

  /** Sealed by the secret box: names the encryption key id, nonce and AES-256-GCM output. */
  @Column('text')
  ciphertext: string;

  /** Id of the encryption key that sealed `ciphertext`, to find rows that still need rotation. */
  @Index('provider_keys_encryption_key_id_idx')
  @Column('text', { name: 'encryption_key_id' })
  encryptionKeyId: string;

  @Column('text')
  masked: string;

  @Column('text')
  fingerprint: string;

  @Column({ type: 'text', enum: KEY_STATUSES, default: 'UNVERIFIED' })
  status: KeyStatus;

  @Column('timestamptz', { name: 'last_verified_at', nullable: true })
  lastVerifiedAt: Date | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column('uuid', { name: 'updated_by', nullable: true })
  updatedBy: string | null;
}
