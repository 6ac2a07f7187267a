import { AUDIT_OUTCOMES, type AuditOutcome } from '@byok/shared';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only record of a change (R10). A database trigger rejects UPDATE and DELETE.
 * No foreign keys: the trail outlives the users and workspaces it mentions.
 */
@Entity('audit_events')
@Index('audit_events_workspace_idx', ['workspaceId', 'id'])
export class AuditEventEntity {
  /** Monotonic, so it doubles as the pagination cursor. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column('uuid', { name: 'actor_user_id', nullable: true })
  actorUserId: string | null;

  /** Snapshot of the actor's email at the time, so the trail stays readable. */
  @Column('text', { name: 'actor_email', nullable: true })
  actorEmail: string | null;

  @Column('text')
  action: string;

  @Column('text', { nullable: true })
  provider: string | null;

  @Column('uuid', { name: 'workspace_id', nullable: true })
  workspaceId: string | null;

  @Column('uuid', { name: 'target_user_id', nullable: true })
  targetUserId: string | null;

  @Column('text', { nullable: true })
  fingerprint: string | null;

  @Column({ type: 'text', enum: AUDIT_OUTCOMES, default: 'SUCCESS' })
  outcome: AuditOutcome;

  /** Free-form, key-free details (e.g. `{ "byokEnabled": false, "workspacesAffected": 3 }`). */
  @Column('jsonb', { default: () => `'{}'::jsonb` })
  details: Record<string, unknown>;
}
