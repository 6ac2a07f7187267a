import { ADMIN_WORKSPACE_FILTERS } from '@byok/shared';
import { Arg, Authorized, Int, Query, Resolver, registerEnumType } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import { enumObject } from '../../graphql/enums';
import { WorkspaceConnectionType } from './workspace-connection.type';
import type { WorkspaceCondition, WorkspaceDirectoryService } from './workspace-directory.service';

/** Turns a filter into a condition; the filters are defined where their data lives (budgets, keys). */
export type AdminWorkspaceFilterCondition = (filter: AdminWorkspaceFilter) => WorkspaceCondition;

export const AdminWorkspaceFilter = enumObject(ADMIN_WORKSPACE_FILTERS);
export type AdminWorkspaceFilter = (typeof ADMIN_WORKSPACE_FILTERS)[number];
registerEnumType(AdminWorkspaceFilter, {
  name: 'AdminWorkspaceFilter',
  description: "OVER_80_PERCENT: this month's platform-key spend is at least 80% of a (positive) cap; BROKEN_KEY: the workspace has a key marked INVALID",
});

@Resolver()
export class AdminWorkspacesResolver {
  constructor(
    private readonly workspaceDirectory: WorkspaceDirectoryService,
    private readonly conditionFor: AdminWorkspaceFilterCondition,
  ) {}

  @Authorized(AuthRole.ADMIN)
  @Query(() => WorkspaceConnectionType, { description: 'Every workspace, by name (platform admins only); search matches part of the name, any case' })
  async adminWorkspaces(
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => AdminWorkspaceFilter, { nullable: true }) filter?: AdminWorkspaceFilter | null,
  ): Promise<WorkspaceConnectionType> {
    const condition = filter ? this.conditionFor(filter) : null;
    return WorkspaceConnectionType.present(await this.workspaceDirectory.search(search, first, after, condition));
  }
}
