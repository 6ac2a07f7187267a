import type { AuditOutcome } from '@byok/shared';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Viewer } from '../../auth/viewer';
import { AuditEventEntity } from './audit-event.entity';

export type AuditAction =
  | 'INTEGRATION_BYOK_ENABLED'
  | 'INTEGRATION_BYOK_DISABLED'
  | 'GLOBAL_KEY_SET'
  | 'GLOBAL_KEY_CLEARED'
  | 'GLOBAL_KEY_VERIFIED'
  | 'WORKSPACE_KEY_SET'
  | 'WORKSPACE_KEY_REPLACED'
  | 'WORKSPACE_KEY_REMOVED'
  | 'WORKSPACE_KEY_VERIFIED'
  | 'WORKSPACE_CREATED'
  | 'MEMBER_ADDED'
  | 'MEMBER_REMOVED'
  | 'PLATFORM_KEY_BUDGET_SET'
  | 'PLATFORM_KEY_BUDGET_THRESHOLD'
  | 'WORKSPACE_KEY_INVALID'
  | 'GLOBAL_KEY_INVALID'
  | 'WEBHOOK_CREATED'
  | 'WEBHOOK_DELETED'
  | 'WORKSPACE_RATE_LIMIT_SET'
  | 'API_TOKEN_CREATED'
  | 'API_TOKEN_REVOKED';

export interface AuditRecord {
  action: AuditAction;
  actor: Pick<Viewer, 'userId' | 'email'> | null;
  provider?: string | null;
  workspaceId?: string | null;
  targetUserId?: string | null;
  fingerprint?: string | null;
  outcome?: AuditOutcome;
  /** Key-free details only. */
  details?: Record<string, unknown>;
}

/** Appends audit events. Always called with the transaction's manager, so the event commits with the change. */
export class AuditService {
  async record(manager: EntityManager, record: AuditRecord): Promise<void> {
    await manager.insert(AuditEventEntity, {
      action: record.action,
      actorUserId: record.actor?.userId ?? null,
      actorEmail: record.actor?.email ?? null,
      provider: record.provider ?? null,
      workspaceId: record.workspaceId ?? null,
      targetUserId: record.targetUserId ?? null,
      fingerprint: record.fingerprint ?? null,
      outcome: record.outcome ?? 'SUCCESS',
      // jsonb column: TypeORM's deep-partial typing does not model free-form objects.
      details: (record.details ?? {}) as QueryDeepPartialEntity<AuditEventEntity>['details'],
    });
  }
}
