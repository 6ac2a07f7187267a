import type { EventType } from '@byok/shared';
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import { unauthenticated } from '../../errors';
import type { GraphQLContext } from '../../graphql/context';
import { WebhookEventType } from '../events/event-type.enum';
import { CreatedWebhookType, WebhookDeliveryType, WebhookType } from './webhook.type';

/** Webhooks (R15), platform admins only: register, remove, list, see deliveries, send a test event. */
@Resolver()
export class WebhooksResolver {
  @Authorized(AuthRole.ADMIN)
  @Query(() => [WebhookType], { description: 'Admin: every webhook endpoint, oldest first' })
  async webhooks(@Ctx() context: GraphQLContext): Promise<WebhookType[]> {
    return (await context.services.webhooks.list()).map(WebhookType.present);
  }

  @Authorized(AuthRole.ADMIN)
  @Query(() => [WebhookDeliveryType], { description: "Admin: a webhook's deliveries, newest first (default 20, at most 100), each with every attempt" })
  async webhookDeliveries(
    @Arg('webhookId', () => ID) webhookId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Ctx() context: GraphQLContext,
  ): Promise<WebhookDeliveryType[]> {
    return (await context.services.webhooks.deliveries(webhookId, first)).map(WebhookDeliveryType.present);
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => CreatedWebhookType, {
    description: 'Admin: registers an HTTPS endpoint for the chosen events; the signing secret is in this answer only (R15)',
  })
  async createWebhook(
    @Arg('url', () => String) url: string,
    @Arg('events', () => [WebhookEventType]) events: EventType[],
    @Ctx() context: GraphQLContext,
  ): Promise<CreatedWebhookType> {
    const viewer = context.viewer;
    if (!viewer) throw unauthenticated();
    const created = await context.services.webhooks.create(viewer, url, events);
    return Object.assign(new CreatedWebhookType(), { webhook: WebhookType.present(created.webhook), secret: created.secret });
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => Boolean, { description: 'Admin: removes a webhook and its pending deliveries' })
  async deleteWebhook(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    const viewer = context.viewer;
    if (!viewer) throw unauthenticated();
    return context.services.webhooks.delete(viewer, id);
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => WebhookDeliveryType, { description: 'Admin: queues a signed TEST event for this webhook (same outbox, retries and signature)' })
  async sendTestWebhookEvent(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<WebhookDeliveryType> {
    const viewer = context.viewer;
    if (!viewer) throw unauthenticated();
    const delivery = await context.services.webhooks.sendTest(viewer, id);
    void context.services.webhookDispatcher.poll();
    return WebhookDeliveryType.present(delivery);
  }
}
