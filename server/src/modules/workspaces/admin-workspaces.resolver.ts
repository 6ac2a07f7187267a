import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import type { GraphQLContext } from '../../graphql/context';
import { WorkspaceConnectionType } from './workspace-connection.type';

@Resolver()
export class AdminWorkspacesResolver {
  @Authorized(AuthRole.ADMIN)
  @Query(() => WorkspaceConnectionType, { description: 'Every workspace, by name (platform admins only); search matches part of the name, any case' })
  async adminWorkspaces(
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<WorkspaceConnectionType> {
    return WorkspaceConnectionType.present(await context.services.workspaceDirectory.search(search, first, after));
  }
}
