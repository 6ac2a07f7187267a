import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { WorkspaceEntity } from '../workspaces/workspace.entity';

/** A personal API token for third-party clients; stored as a SHA-256 digest plus a display prefix. */
@Entity('api_tokens')
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('api_tokens_user_id_idx')
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column('text')
  name: string;

  /** The workspace the token is bound to (SPEC §6): gateway requests need no X-Byok-Workspace header. */
  @Index('api_tokens_workspace_id_idx')
  @Column('uuid', { name: 'workspace_id', nullable: true })
  workspaceId: string | null;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_api_tokens_workspace_id' })
  workspace?: WorkspaceEntity | null;

  /** The first characters of the token (e.g. `byok_3fA9`), enough to recognise it in a list. */
  @Column('text')
  prefix: string;

  @Index('api_tokens_token_hash_key', { unique: true })
  @Column('text', { name: 'token_hash' })
  tokenHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
