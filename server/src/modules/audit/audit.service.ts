import type { AuditAction, AuditOutcome } from '@byok/shared';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Viewer } from '../../auth/viewer';
import { AuditEventEntity } from './audit-event.entity';

export interface AuditRecord {
  /** One of AUDIT_ACTIONS (shared/src/audit-actions.ts), each with the label the audit log shows. */
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
