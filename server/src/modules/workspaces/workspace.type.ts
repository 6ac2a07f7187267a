import { Field, ID, ObjectType } from 'type-graphql';
import { WorkspaceRole } from '../../graphql/enums';
import { UserType } from '../users/user.type';
import type { WorkspaceEntity } from './workspace.entity';

@ObjectType('Workspace')
export class WorkspaceType {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => Date)
  createdAt: Date;

  /** Not a field: lets workspace-scoped `@Authorized` roles (which read `root.workspaceId`) guard fields of Workspace itself. */
  get workspaceId(): string {
    return this.id;
  }

  static present(workspace: WorkspaceEntity): WorkspaceType {
    return Object.assign(new WorkspaceType(), { id: workspace.id, name: workspace.name, createdAt: workspace.createdAt });
  }
}

@ObjectType('Membership')
export class MembershipType {
  @Field(() => UserType)
  user: UserType;

  @Field(() => WorkspaceRole)
  role: WorkspaceRole;
}
