import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../auth/context';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import type { KeyHealthEventsService } from './key-health-events.service';
import { NoticeType } from './notice.type';

/** In-app notices (R14): `notices` for a workspace's owner or, without a workspace, for platform admins; `dismissNotice`. */
@Resolver()
export class NoticesResolver {
  constructor(private readonly keyHealthEventsService: KeyHealthEventsService) {}

  @Authorized()
  @Query(() => [NoticeType], {
    description:
      "Notices the viewer can act on and has not dismissed, newest first (at most 20). With workspaceId: that workspace's owner's notices (its key, its cap, BYOK switches); members get none. Without: platform admins' notices (platform keys, caps); none for others.",
  })
  async notices(
    @Arg('workspaceId', () => ID, { nullable: true }) workspaceId: string | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() context: GraphQLContext,
  ): Promise<NoticeType[]> {
    const role = workspaceId ? await context.roleIn(workspaceId) : null;
    return (await this.keyHealthEventsService.notices(viewer, workspaceId ?? null, role)).map(NoticeType.present);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Hides a notice for the viewer (others who can see it still do). NOT_FOUND if the viewer cannot see it.' })
  async dismissNotice(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.keyHealthEventsService.dismiss(viewer, id);
  }
}
