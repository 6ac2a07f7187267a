import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ProviderId } from '@byok/shared';
import { AuthRole } from '../../auth/auth-checker';
import type { GraphQLContext } from '../../auth/context';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { createBatchLoader, perRequest } from '../../graphql/batch-loader';
import { Provider } from '../../graphql/enums';
import { WorkspaceType } from '../workspaces/workspace.type';
import type { PlatformKeyModelsService, PlatformKeyModelsView } from './platform-key-models.service';
import { PlatformKeyModelsType } from './platform-key-models.type';

/** `Workspace.platformKeyModels` (owner and platform admins), the defaults and setting them (admins): SPEC R21. */
@Resolver(() => WorkspaceType)
export class PlatformKeyModelsResolver {
  private readonly loader = perRequest((_context: GraphQLContext) => createBatchLoader<PlatformKeyModelsView[]>((ids) => this.service.forWorkspaces(ids)));

  constructor(private readonly service: PlatformKeyModelsService) {}

  @Authorized(AuthRole.WORKSPACE_OWNER_OR_ADMIN)
  @FieldResolver(() => [PlatformKeyModelsType], {
    description: "Which models the platform's key serves this workspace, one entry per provider (owner and platform admins only)",
  })
  async platformKeyModels(@Root() workspace: WorkspaceType, @Ctx() context: GraphQLContext): Promise<PlatformKeyModelsType[]> {
    return (await this.loader(context)(workspace.id)).map((view) => PlatformKeyModelsType.present(view));
  }

  @Authorized(AuthRole.ADMIN)
  @Query(() => [PlatformKeyModelsType], { description: "Admin: the default list of models the platform's key serves, one entry per provider" })
  async defaultPlatformKeyModels(): Promise<PlatformKeyModelsType[]> {
    return (await this.service.defaults()).map((view) => PlatformKeyModelsType.present(view));
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => PlatformKeyModelsType, {
    description:
      "Admin: limits which models the platform's key serves (R21). No workspaceId = the default; null models = all; useDefault: true removes a workspace's own list. A workspace's own keys are never restricted.",
  })
  async setPlatformKeyModels(
    @Arg('workspaceId', () => ID, { nullable: true }) workspaceId: string | null,
    @Arg('provider', () => Provider) provider: ProviderId,
    @Arg('models', () => [String], { nullable: true }) models: string[] | null,
    @Arg('useDefault', () => Boolean, { nullable: true, description: "Remove the workspace's own list so the default applies" }) useDefault: boolean | null,
    @CurrentViewer() viewer: Viewer,
  ): Promise<PlatformKeyModelsType> {
    return PlatformKeyModelsType.present(await this.service.set(viewer, workspaceId ?? null, provider, models ?? null, useDefault === true));
  }
}
