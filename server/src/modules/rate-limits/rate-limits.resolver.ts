import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import type { GraphQLContext } from '../../auth/context';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { createBatchLoader, perRequest } from '../../graphql/batch-loader';
import { WorkspaceType } from '../workspaces/workspace.type';
import type { WorkspacesService } from '../workspaces/workspaces.service';
import type { RequestRateLimits, WorkspaceRateLimitView } from './request-rate-limits.service';
import { WorkspaceRateLimitType } from './workspace-rate-limit.type';

/** `Workspace.rateLimit` (owner and platform admins) and `setWorkspaceRateLimit` (admins, SPEC §7). */
@Resolver(() => WorkspaceType)
export class RateLimitsResolver {
  private readonly rateLimitLoader = perRequest((_context: GraphQLContext) =>
    createBatchLoader<WorkspaceRateLimitView>((ids) => this.requestRateLimits.forWorkspaces(ids)),
  );

  constructor(
    private readonly requestRateLimits: RequestRateLimits,
    private readonly workspacesService: WorkspacesService,
  ) {}

  @Authorized(AuthRole.WORKSPACE_OWNER_OR_ADMIN)
  @FieldResolver(() => WorkspaceRateLimitType, {
    nullable: true,
    description: 'AI request-rate limits in effect for this workspace (owner and platform admins only; null with FORBIDDEN for others)',
  })
  async rateLimit(@Root() workspace: WorkspaceType, @Ctx() context: GraphQLContext): Promise<WorkspaceRateLimitType> {
    return WorkspaceRateLimitType.present(await this.rateLimitLoader(context)(workspace.id));
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => WorkspaceType, {
    description:
      "Admin: this workspace's AI requests per minute, over every AI path and server process. null = the platform's default (RATE_LIMIT_WORKSPACE_RPM); 0 = no limit for this workspace.",
  })
  async setWorkspaceRateLimit(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('requestsPerMinute', () => Int, { nullable: true }) requestsPerMinute: number | null,
    @CurrentViewer() viewer: Viewer,
  ): Promise<WorkspaceType> {
    await this.requestRateLimits.setWorkspaceLimit(viewer, workspaceId, requestsPerMinute ?? null);
    return WorkspaceType.present(await this.workspacesService.getReadable(viewer, workspaceId, null));
  }
}
