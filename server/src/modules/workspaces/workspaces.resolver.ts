import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { WorkspaceRole } from '../../graphql/enums';
import { UserType } from '../users/user.type';
import type { MembershipEntity } from './membership.entity';
import type { UserEntity } from '../users/user.entity';
import { MembershipType, WorkspaceType } from './workspace.type';

const presentMembership = (membership: MembershipEntity & { user: UserEntity }): MembershipType =>
  Object.assign(new MembershipType(), { user: UserType.present(membership.user), role: membership.role });

@Resolver(() => WorkspaceType)
export class WorkspacesResolver {
  @Authorized()
  @Query(() => [WorkspaceType], { description: "The viewer's workspaces" })
  async workspaces(@Ctx() context: GraphQLContext): Promise<WorkspaceType[]> {
    const workspaces = await context.services.workspaces.listForUser(context.viewer!.userId);
    return workspaces.map(WorkspaceType.present);
  }

  @Authorized()
  @Query(() => WorkspaceType, { nullable: true, description: 'A workspace the viewer belongs to (any workspace for a platform admin); NOT_FOUND otherwise' })
  async workspace(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<WorkspaceType> {
    const workspace = await context.services.workspaces.getReadable(context.viewer!, id, await context.roleIn(id));
    return WorkspaceType.present(workspace);
  }

  @Authorized()
  @Mutation(() => WorkspaceType)
  async createWorkspace(@Arg('name', () => String) name: string, @Ctx() context: GraphQLContext): Promise<WorkspaceType> {
    return WorkspaceType.present(await context.services.workspaces.create(context.viewer!, name));
  }

  @Authorized()
  @Mutation(() => MembershipType)
  async addWorkspaceMember(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('email', () => String) email: string,
    @Ctx() context: GraphQLContext,
  ): Promise<MembershipType> {
    return presentMembership(await context.services.workspaces.addMember(context.viewer!, workspaceId, email));
  }

  @Authorized()
  @Mutation(() => Boolean)
  async removeWorkspaceMember(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<boolean> {
    return context.services.workspaces.removeMember(context.viewer!, workspaceId, userId);
  }

  @FieldResolver(() => WorkspaceRole, { nullable: true, description: 'null for a platform admin who is not a member' })
  async viewerRole(@Root() workspace: WorkspaceType, @Ctx() context: GraphQLContext): Promise<WorkspaceRole | null> {
    return context.roleIn(workspace.id);
  }

  @FieldResolver(() => [MembershipType])
  async members(@Root() workspace: WorkspaceType, @Ctx() context: GraphQLContext): Promise<MembershipType[]> {
    return (await context.services.workspaces.members(workspace.id)).map(presentMembership);
  }
}
