import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { unauthenticated } from '../../errors';
import { NoticeType } from './notice.type';

/** In-app notices (R14): `notices` for a workspace's owner or, without a workspace, for platform admins; `dismissNotice`. */
@Resolver()
export class NoticesResolver {
  @Authorized()
  @Query(() => [NoticeType], {
    description:
      "Notices the viewer can act on and has not dismissed, newest first (at most 20). With workspaceId: that workspace's owner's notices (its key, its cap, BYOK switches); members get none. Without: platform admins' notices (platform keys, caps); none for others.",
  })
  async notices(@Arg('workspaceId', () => ID, { nullable: true }) workspaceId: string | null, @Ctx() context: GraphQLContext): Promise<NoticeType[]> {
    const viewer = context.viewer;
    if (!viewer) throw unauthenticated();
    const role = workspaceId ? await context.roleIn(workspaceId) : null;
    return (await context.services.keyHealthEvents.notices(viewer, workspaceId ?? null, role)).map(NoticeType.present);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Hides a notice for the viewer (others who can see it still do). NOT_FOUND if the viewer cannot see it.' })
  async dismissNotice(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    const viewer = context.viewer;
    if (!viewer) throw unauthenticated();
    return context.services.keyHealthEvents.dismiss(viewer, id);
  }
}
