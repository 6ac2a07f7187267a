import { WEBHOOK_DELIVERY_STATUSES, type EventType } from '@byok/shared';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { enumObject } from '../../graphql/enums';
import { WebhookEventType } from '../events/event-type.enum';
import type { DeliveryAttemptView, DeliveryView, WebhookView } from './webhooks.service';

export const WebhookDeliveryStatus = enumObject(WEBHOOK_DELIVERY_STATUSES);
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING: not acknowledged yet (see nextAttemptAt); DELIVERED: the endpoint answered 2xx; FAILED: given up after the last attempt',
});

/** A platform webhook endpoint (admins). Its signing secret is only ever in CreatedWebhook. */
@ObjectType('Webhook')
export class WebhookType {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  url: string;

  @Field(() => [WebhookEventType])
  events: EventType[];

  @Field(() => Date)
  createdAt: Date;

  static present(view: WebhookView): WebhookType {
    return Object.assign(new WebhookType(), view);
  }
}

@ObjectType('CreatedWebhook', { description: 'The new webhook and its signing secret, shown only this once' })
export class CreatedWebhookType {
  @Field(() => WebhookType)
  webhook: WebhookType;

  @Field(() => String, { description: 'Verify byok-signature with it: HMAC-SHA256(secret, "<t>.<raw body>"). Not shown again.' })
  secret: string;
}

@ObjectType('WebhookDeliveryAttempt')
export class WebhookDeliveryAttemptType {
  @Field(() => Date)
  attemptedAt: Date;

  @Field(() => Int, { nullable: true, description: "The endpoint's HTTP status; null when it could not be reached" })
  responseCode: number | null;

  @Field(() => String, { nullable: true })
  error: string | null;

  @Field(() => Int)
  durationMs: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt was scheduled (null: delivered or given up)' })
  nextAttemptAt: Date | null;
}

@ObjectType('WebhookDelivery', { description: 'One event sent (or being sent) to one webhook' })
export class WebhookDeliveryType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  webhookId: string;

  @Field(() => ID, { description: 'The body\'s "id": the same for every webhook and retry of one event' })
  eventId: string;

  @Field(() => String, { description: 'A WebhookEventType, or TEST for "send test event"' })
  eventType: string;

  @Field(() => WebhookDeliveryStatus)
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts: number;

  @Field(() => Date, { nullable: true, description: 'The next retry (PENDING only)' })
  nextAttemptAt: Date | null;

  @Field(() => Int, { nullable: true })
  lastResponseCode: number | null;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => [WebhookDeliveryAttemptType], { description: 'Every attempt, oldest first' })
  attemptLog: WebhookDeliveryAttemptType[];

  static present(view: DeliveryView): WebhookDeliveryType {
    return Object.assign(new WebhookDeliveryType(), {
      ...view,
      attemptLog: view.attemptLog.map((attempt: DeliveryAttemptView) => Object.assign(new WebhookDeliveryAttemptType(), attempt)),
    });
  }
}
