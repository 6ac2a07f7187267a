import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../auth/context';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { WorkspaceRole } from '../../graphql/enums';
import { UserType } from '../users/user.type';
import type { MembershipEntity } from './membership.entity';
import type { UserEntity } from '../users/user.entity';
import { MembershipType, WorkspaceType } from './workspace.type';
import type { WorkspacesService } from './workspaces.service';

const presentMembership = (membership: MembershipEntity & { user: UserEntity }): MembershipType =>
  Object.assign(new MembershipType(), { user: UserType.present(membership.user), role: membership.role });

@Resolver(() => WorkspaceType)
export class WorkspacesResolver {
  constructor(private readonly workspacesService: WorkspacesService) {}

  @Authorized()
  @Query(() => [WorkspaceType], { description: "The viewer's workspaces" })
  async workspaces(@CurrentViewer() viewer: Viewer): Promise<WorkspaceType[]> {
    const workspaces = await this.workspacesService.listForViewer(viewer);
    return workspaces.map(WorkspaceType.present);
  }

  @Authorized()
  @Query(() => WorkspaceType, { nullable: true, description: 'A workspace the viewer belongs to (any workspace for a platform admin); NOT_FOUND otherwise' })
  async workspace(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() context: GraphQLContext): Promise<WorkspaceType> {
    const workspace = await this.workspacesService.getReadable(viewer, id, await context.roleIn(id));
    return WorkspaceType.present(workspace);
  }

  @Authorized()
  @Mutation(() => WorkspaceType)
  async createWorkspace(@Arg('name', () => String) name: string, @CurrentViewer() viewer: Viewer): Promise<WorkspaceType> {
    return WorkspaceType.present(await this.workspacesService.create(viewer, name));
  }

  @Authorized()
  @Mutation(() => MembershipType)
  async addWorkspaceMember(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('email', () => String) email: string,
    @CurrentViewer() viewer: Viewer,
  ): Promise<MembershipType> {
    return presentMembership(await this.workspacesService.addMember(viewer, workspaceId, email));
  }

  @Authorized()
  @Mutation(() => Boolean)
  async removeWorkspaceMember(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('userId', () => ID) userId: string,
    @CurrentViewer() viewer: Viewer,
  ): Promise<boolean> {
    return this.workspacesService.removeMember(viewer, workspaceId, userId);
  }

  @FieldResolver(() => WorkspaceRole, { nullable: true, description: 'null for a platform admin who is not a member' })
  async viewerRole(@Root() workspace: WorkspaceType, @Ctx() context: GraphQLContext): Promise<WorkspaceRole | null> {
    return context.roleIn(workspace.id);
  }

  @FieldResolver(() => [MembershipType])
  async members(@Root() workspace: WorkspaceType): Promise<MembershipType[]> {
    return (await this.workspacesService.members(workspace.id)).map(presentMembership);
  }
}
