import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import { createBatchLoader, perRequest } from '../../graphql/batch-loader';
import type { GraphQLContext } from '../../graphql/context';
import { WorkspaceType } from '../workspaces/workspace.type';
import type { WorkspaceRateLimitView } from './request-rate-limits.service';
import { WorkspaceRateLimitType } from './workspace-rate-limit.type';

const rateLimitLoader = perRequest((context: GraphQLContext) =>
  createBatchLoader<WorkspaceRateLimitView>((ids) => context.services.requestRateLimits.forWorkspaces(ids)),
);

/** `Workspace.rateLimit` (owner and platform admins) and `setWorkspaceRateLimit` (admins, SPEC §7). */
@Resolver(() => WorkspaceType)
export class RateLimitsResolver {
  @Authorized(AuthRole.WORKSPACE_OWNER_OR_ADMIN)
  @FieldResolver(() => WorkspaceRateLimitType, {
    nullable: true,
    description: 'AI request-rate limits in effect for this workspace (owner and platform admins only; null with FORBIDDEN for others)',
  })
  async rateLimit(@Root() workspace: WorkspaceType, @Ctx() context: GraphQLContext): Promise<WorkspaceRateLimitType> {
    return WorkspaceRateLimitType.present(await rateLimitLoader(context)(workspace.id));
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => WorkspaceType, {
    description:
      "Admin: this workspace's AI requests per minute, over every AI path and server process. null = the platform's default (RATE_LIMIT_WORKSPACE_RPM); 0 = no limit for this workspace.",
  })
  async setWorkspaceRateLimit(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('requestsPerMinute', () => Int, { nullable: true }) requestsPerMinute: number | null,
    @Ctx() context: GraphQLContext,
  ): Promise<WorkspaceType> {
    const viewer = context.viewer;
    if (!viewer) throw new Error('unreachable: @Authorized guarantees a viewer');
    await context.services.requestRateLimits.setWorkspaceLimit(viewer, workspaceId, requestsPerMinute ?? null);
    return WorkspaceType.present(await context.services.workspaces.getReadable(viewer, workspaceId, null));
  }
}
