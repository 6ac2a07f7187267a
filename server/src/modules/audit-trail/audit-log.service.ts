import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import * as policies from '../../auth/policies';
import type { WorkspaceRole } from '@byok/shared';
import type { Viewer } from '../../auth/viewer';
import { badInput, forbidden, notFound } from '../../errors';
import { pageSize, toPage, type PageInfoType } from '../../graphql/connection';
import { UserEntity } from '../users/user.entity';
import { WorkspaceEntity } from '../workspaces/workspace.entity';
import { isUuid } from '../../validation/uuid';
import { AuditEventEntity } from '../audit/audit-event.entity';

export interface AuditEventView {
  event: AuditEventEntity;
  workspaceName: string | null;
  targetUserEmail: string | null;
}

export interface AuditEventPage {
  events: AuditEventView[];
  pageInfo: PageInfoType;
  totalCount: number;
}

export interface AuditQuery {
  workspaceId?: string | null;
  first?: number | null;
  /** Cursor: the id of the last event of the previous page. */
  after?: string | null;
  action?: string | null;
}

const CURSOR_PATTERN = /^\d{1,18}$/;

/** Reads the audit trail (R10), newest first: platform admins everything, a workspace's owner that workspace. */
export class AuditLogService {
  constructor(private readonly dataSource: DataSource) {}

  async list(viewer: Viewer, role: WorkspaceRole | null, query: AuditQuery): Promise<AuditEventPage> {
    const workspaceId = query.workspaceId ?? null;
    if (workspaceId === null) {
      if (!policies.isPlatformAdmin(viewer)) throw forbidden('Only platform admins can read the whole audit log; pass a workspaceId');
    } else if (!policies.isPlatformAdmin(viewer)) {
      // Outsiders are told the workspace does not exist (as everywhere else); members may not read the trail.
      if (!isUuid(workspaceId) || !policies.canReadWorkspace(viewer, role)) throw notFound('Workspace');
      if (!policies.canSeeWorkspaceAudit(viewer, role)) throw forbidden("Only the workspace's owner can read its audit log");
    } else if (!isUuid(workspaceId)) {
      throw notFound('Workspace');
    }
    const limit = pageSize(query.first);
    const after = query.after ?? null;
    if (after !== null && !CURSOR_PATTERN.test(after)) throw badInput('after must be a cursor returned by a previous page', 'after');
    const action = query.action ?? null;
    if (action !== null && (action.length === 0 || action.length > 64)) throw badInput('action must be 1–64 characters', 'action');

    const filtered = () => {
      const builder = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('event');
      if (workspaceId !== null) builder.andWhere('event.workspace_id = :workspaceId', { workspaceId });
      if (action !== null) builder.andWhere('event.action = :action', { action });
      return builder;
    };
    const pageQuery = filtered()
      .orderBy('event.id', 'DESC')
      .limit(limit + 1);
    if (after !== null) pageQuery.andWhere('event.id < :after', { after });
    const [rows, totalCount] = await Promise.all([pageQuery.getMany(), filtered().getCount()]);
    const page = toPage(rows, limit, (event) => event.id);

    const workspaceIds = [...new Set(page.items.map((event) => event.workspaceId).filter((id): id is string => id !== null))];
    const userIds = [...new Set(page.items.map((event) => event.targetUserId).filter((id): id is string => id !== null))];
    const [workspaces, users] = await Promise.all([
      workspaceIds.length ? this.dataSource.getRepository(WorkspaceEntity).find({ where: { id: In(workspaceIds) }, select: { id: true, name: true } }) : [],
      userIds.length ? this.dataSource.getRepository(UserEntity).find({ where: { id: In(userIds) }, select: { id: true, email: true } }) : [],
    ]);
    const names = new Map(workspaces.map((workspace) => [workspace.id, workspace.name]));
    const emails = new Map(users.map((user) => [user.id, user.email]));
    return {
      events: page.items.map((event) => ({
        event,
        workspaceName: event.workspaceId ? (names.get(event.workspaceId) ?? null) : null,
        targetUserEmail: event.targetUserId ? (emails.get(event.targetUserId) ?? null) : null,
      })),
      pageInfo: page.pageInfo,
      totalCount,
    };
  }
}
