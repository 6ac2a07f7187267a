import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import type { GraphQLContext } from '../../auth/context';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { createBatchLoader, perRequest } from '../../graphql/batch-loader';
import { WorkspaceType } from '../workspaces/workspace.type';
import type { PlatformKeyBudgetService, PlatformKeyBudgetView } from './platform-key-budget.service';
import { PlatformKeyBudgetType } from './platform-key-budget.type';

/** `Workspace.platformKeyBudget` (owner and platform admins, like customKey), the default cap, and setting caps (admins). */
@Resolver(() => WorkspaceType)
export class PlatformKeyBudgetResolver {
  private readonly budgetLoader = perRequest((_context: GraphQLContext) =>
    createBatchLoader<PlatformKeyBudgetView>((ids) => this.budgetService.forWorkspaces(ids)),
  );

  constructor(private readonly budgetService: PlatformKeyBudgetService) {}

  @Authorized(AuthRole.WORKSPACE_OWNER_OR_ADMIN)
  @FieldResolver(() => PlatformKeyBudgetType, { description: "This month's cap on the platform's keys and what is spent (owner and platform admins only)" })
  async platformKeyBudget(@Root() workspace: WorkspaceType, @Ctx() context: GraphQLContext): Promise<PlatformKeyBudgetType> {
    return PlatformKeyBudgetType.present(await this.budgetLoader(context)(workspace.id));
  }

  @Authorized(AuthRole.ADMIN)
  @Query(() => PlatformKeyBudgetType, {
    description: 'Admin: the default monthly cap for every workspace without its own, with the whole platform’s spend this month',
  })
  async defaultPlatformKeyBudget(): Promise<PlatformKeyBudgetType> {
    return PlatformKeyBudgetType.present(await this.budgetService.defaultBudget());
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => PlatformKeyBudgetType, {
    description:
      "Admin: caps monthly spend on the platform's keys. No workspaceId = the default; null limit = no cap; 0 = the workspace must bring its own key; useDefault: true removes a workspace's own cap.",
  })
  async setPlatformKeyBudget(
    @Arg('workspaceId', () => ID, { nullable: true }) workspaceId: string | null,
    @Arg('monthlyLimitMicroUsd', () => Number, { nullable: true }) monthlyLimitMicroUsd: number | null,
    @Arg('useDefault', () => Boolean, { nullable: true, description: "Remove the workspace's own cap so the default applies" }) useDefault: boolean | null,
    @CurrentViewer() viewer: Viewer,
  ): Promise<PlatformKeyBudgetType> {
    return PlatformKeyBudgetType.present(await this.budgetService.setBudget(viewer, workspaceId ?? null, monthlyLimitMicroUsd ?? null, useDefault === true));
  }
}
