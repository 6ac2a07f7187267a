import { ADMIN_WORKSPACE_FILTERS, type AdminWorkspaceFilter as AdminWorkspaceFilterValue } from '@byok/shared';
import { Arg, Authorized, Ctx, Int, Query, Resolver, registerEnumType } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import type { GraphQLContext } from '../../graphql/context';
import { enumObject } from '../../graphql/enums';
import { WorkspaceConnectionType } from './workspace-connection.type';

export const AdminWorkspaceFilter = enumObject(ADMIN_WORKSPACE_FILTERS);
export type AdminWorkspaceFilter = AdminWorkspaceFilterValue;
registerEnumType(AdminWorkspaceFilter, {
  name: 'AdminWorkspaceFilter',
  description: "OVER_80_PERCENT: this month's platform-key spend is at least 80% of a (positive) cap; BROKEN_KEY: the workspace has a key marked INVALID",
});

@Resolver()
export class AdminWorkspacesResolver {
  @Authorized(AuthRole.ADMIN)
  @Query(() => WorkspaceConnectionType, { description: 'Every workspace, by name (platform admins only); search matches part of the name, any case' })
  async adminWorkspaces(
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => AdminWorkspaceFilter, { nullable: true }) filter?: AdminWorkspaceFilter | null,
  ): Promise<WorkspaceConnectionType> {
    const condition = filter ? context.services.platformKeyBudgets.adminFilter(filter) : null;
    return WorkspaceConnectionType.present(await context.services.workspaceDirectory.search(search, first, after, condition));
  }
}
