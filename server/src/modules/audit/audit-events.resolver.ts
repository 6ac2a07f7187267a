import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { isUuid } from '../workspaces/workspaces.service';
import { AuditEventConnectionType } from './audit-event.type';

@Resolver()
export class AuditEventsResolver {
  @Authorized()
  @Query(() => AuditEventConnectionType, {
    description: "Audit trail, newest first. Platform admins: everything (optionally one workspace's). Owners: their workspace's (workspaceId required).",
  })
  async auditEvents(
    @Arg('workspaceId', () => ID, { nullable: true }) workspaceId: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('action', () => String, { nullable: true, description: 'Only events with this action, e.g. WORKSPACE_KEY_SET' }) action: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<AuditEventConnectionType> {
    const role = workspaceId && isUuid(workspaceId) ? await context.roleIn(workspaceId) : null;
    return AuditEventConnectionType.present(await context.services.auditLog.list(context.viewer!, role, { workspaceId, first, after, action }));
  }
}
