import type { ProviderId } from '@byok/shared';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../auth/context';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { createBatchLoader, perRequest } from '../../graphql/batch-loader';
import { Provider } from '../../graphql/enums';
import { WorkspaceType } from '../workspaces/workspace.type';
import type { WorkspaceAccess, WorkspaceKeysService } from './workspace-keys.service';
import { StoredKeyType } from './stored-key.type';
import { WorkspaceProviderType } from './workspace-provider.type';

const access = async (viewer: Viewer, context: GraphQLContext, workspaceId: string): Promise<WorkspaceAccess> => ({
  viewer,
  role: await context.roleIn(workspaceId),
});

/** Workspace keys (owner) and `Workspace.providers`. */
@Resolver(() => WorkspaceType)
export class WorkspaceKeysResolver {
  private readonly providersOf = perRequest((_context: GraphQLContext) =>
    createBatchLoader((workspaceIds) => this.workspaceKeysService.workspaceProviders(workspaceIds)),
  );

  constructor(private readonly workspaceKeysService: WorkspaceKeysService) {}

  @FieldResolver(() => [WorkspaceProviderType], { description: 'One entry per provider: which key AI requests use, and the workspace key (R6)' })
  async providers(@Root() workspace: WorkspaceType, @Ctx() context: GraphQLContext): Promise<WorkspaceProviderType[]> {
    return (await this.providersOf(context)(workspace.id)).map(WorkspaceProviderType.present);
  }

  @Authorized()
  @Mutation(() => StoredKeyType, { description: "Sets or replaces the workspace's own key for a provider (owner only; verified live first)" })
  async setWorkspaceKey(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('provider', () => Provider) provider: ProviderId,
    @Arg('apiKey', () => String) apiKey: string,
    @CurrentViewer() viewer: Viewer,
    @Ctx() context: GraphQLContext,
  ): Promise<StoredKeyType> {
    return StoredKeyType.present(await this.workspaceKeysService.setWorkspaceKey(workspaceId, await access(viewer, context, workspaceId), provider, apiKey));
  }

  @Authorized()
  @Mutation(() => StoredKeyType, { description: "Re-checks the workspace's key with the provider (owner, or a platform admin)" })
  async verifyWorkspaceKey(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('provider', () => Provider) provider: ProviderId,
    @CurrentViewer() viewer: Viewer,
    @Ctx() context: GraphQLContext,
  ): Promise<StoredKeyType> {
    return StoredKeyType.present(await this.workspaceKeysService.verifyWorkspaceKey(workspaceId, await access(viewer, context, workspaceId), provider));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Removes the workspace's key (owner only; allowed while BYOK is off). False when there was none." })
  async removeWorkspaceKey(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('provider', () => Provider) provider: ProviderId,
    @CurrentViewer() viewer: Viewer,
    @Ctx() context: GraphQLContext,
  ): Promise<boolean> {
    return this.workspaceKeysService.removeWorkspaceKey(workspaceId, await access(viewer, context, workspaceId), provider);
  }
}
