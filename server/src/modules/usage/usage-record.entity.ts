import { KEY_SOURCES, type KeySource } from '@byok/shared';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One row per AI request, success or failure (R11). Costs are integer micro-dollars. */
@Entity('usage_records')
@Index('usage_records_workspace_time_idx', ['workspaceId', 'occurredAt'])
@Index('usage_records_time_idx', ['occurredAt'])
export class UsageRecordEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column('uuid', { name: 'workspace_id' })
  workspaceId: string;

  @Column('uuid', { name: 'user_id', nullable: true })
  userId: string | null;

  @Column('text')
  provider: string;

  @Column('text')
  model: string;

  @Column({ type: 'text', name: 'key_source', enum: KEY_SOURCES })
  keySource: KeySource;

  @Column('integer', { name: 'input_tokens', default: 0 })
  inputTokens: number;

  @Column('integer', { name: 'output_tokens', default: 0 })
  outputTokens: number;

  @Column('bigint', { name: 'cost_micro_usd', default: 0 })
  costMicroUsd: string;

  /** 'OK' or the error code the request failed with. */
  @Column('text')
  outcome: string;

  @Column('integer', { name: 'latency_ms' })
  latencyMs: number;

  @Column('boolean', { default: false })
  streamed: boolean;
}
