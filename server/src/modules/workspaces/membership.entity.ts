import { WORKSPACE_ROLES, type WorkspaceRole } from '@byok/shared';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { WorkspaceEntity } from './workspace.entity';

/** One owner per workspace is enforced by a partial unique index. */
@Entity('memberships')
@Index('memberships_one_owner_key', ['workspaceId'], { unique: true, where: `"role" = 'OWNER'` })
export class MembershipEntity {
  @PrimaryColumn('uuid', { name: 'workspace_id' })
  workspaceId: string;

  @Index('memberships_user_id_idx')
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: WorkspaceEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'text', enum: WORKSPACE_ROLES })
  role: WorkspaceRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
