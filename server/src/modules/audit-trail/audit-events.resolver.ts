import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../auth/context';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { isUuid } from '../../validation/uuid';
import { AuditEventConnectionType } from './audit-event.type';
import type { AuditLogService } from './audit-log.service';

@Resolver()
export class AuditEventsResolver {
  constructor(private readonly auditLogService: AuditLogService) {}

  @Authorized()
  @Query(() => AuditEventConnectionType, {
    description: "Audit trail, newest first. Platform admins: everything (optionally one workspace's). Owners: their workspace's (workspaceId required).",
  })
  async auditEvents(
    @Arg('workspaceId', () => ID, { nullable: true }) workspaceId: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('action', () => String, { nullable: true, description: 'Only events with this action, e.g. WORKSPACE_KEY_SET' }) action: string | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() context: GraphQLContext,
  ): Promise<AuditEventConnectionType> {
    const role = workspaceId && isUuid(workspaceId) ? await context.roleIn(workspaceId) : null;
    return AuditEventConnectionType.present(await this.auditLogService.list(viewer, role, { workspaceId, first, after, action }));
  }
}
