import { Field, Int, ObjectType } from 'type-graphql';
import { PageInfoType } from '../../graphql/connection';
import type { WorkspacePage } from './workspace-directory.service';
import { WorkspaceType } from './workspace.type';

@ObjectType('WorkspaceEdge')
export class WorkspaceEdgeType {
  @Field(() => String)
  cursor: string;

  @Field(() => WorkspaceType)
  node: WorkspaceType;
}

@ObjectType('WorkspaceConnection', { description: 'Workspaces by name' })
export class WorkspaceConnectionType {
  @Field(() => [WorkspaceEdgeType])
  edges: WorkspaceEdgeType[];

  @Field(() => [WorkspaceType])
  nodes: WorkspaceType[];

  @Field(() => PageInfoType)
  pageInfo: PageInfoType;

  @Field(() => Int, { description: 'Workspaces matching the search, all pages together' })
  totalCount: number;

  static present(page: WorkspacePage): WorkspaceConnectionType {
    const edges = page.workspaces.map(({ workspace, cursor }) => Object.assign(new WorkspaceEdgeType(), { cursor, node: WorkspaceType.present(workspace) }));
    return Object.assign(new WorkspaceConnectionType(), { edges, nodes: edges.map((edge) => edge.node), pageInfo: page.pageInfo, totalCount: page.totalCount });
  }
}
