import type { EventType, ProviderId } from '@byok/shared';
import { Field, ID, ObjectType } from 'type-graphql';
import { Provider } from '../../graphql/enums';
import { NoticeSeverity, WebhookEventType } from './event-type.enum';
import type { NoticeView } from './key-health-events.service';

/** An in-app notice left by a key-health or cost event for someone who can act on it (R14). */
@ObjectType('Notice')
export class NoticeType {
  @Field(() => ID)
  id: string;

  @Field(() => WebhookEventType)
  type: EventType;

  @Field(() => NoticeSeverity)
  severity: NoticeSeverity;

  @Field(() => String, { description: 'What happened and what the reader can do, addressed to them' })
  message: string;

  @Field(() => ID, { nullable: true, description: 'The workspace concerned (null for platform-wide notices)' })
  workspaceId: string | null;

  @Field(() => String, { nullable: true })
  workspaceName: string | null;

  @Field(() => Provider, { nullable: true })
  provider: ProviderId | null;

  @Field(() => Date)
  createdAt: Date;

  static present(view: NoticeView): NoticeType {
    return Object.assign(new NoticeType(), view);
  }
}
