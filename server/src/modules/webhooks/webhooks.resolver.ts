import type { EventType } from '@byok/shared';
import { Arg, Authorized, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { AuthRole } from '../../auth/auth-checker';
import { CurrentViewer } from '../../auth/current-viewer';
import type { Viewer } from '../../auth/viewer';
import { WebhookEventType } from '../events/event-type.enum';
import type { WebhookDispatcher } from './webhook-dispatcher';
import { CreatedWebhookType, WebhookDeliveryType, WebhookType } from './webhook.type';
import type { WebhooksService } from './webhooks.service';

/** Webhooks (R15), platform admins only: register, remove, list, see deliveries, send a test event. */
@Resolver()
export class WebhooksResolver {
  constructor(
    private readonly webhooksService: WebhooksService,
    private readonly webhookDispatcher: WebhookDispatcher,
  ) {}

  @Authorized(AuthRole.ADMIN)
  @Query(() => [WebhookType], { description: 'Admin: every webhook endpoint, oldest first' })
  async webhooks(): Promise<WebhookType[]> {
    return (await this.webhooksService.list()).map(WebhookType.present);
  }

  @Authorized(AuthRole.ADMIN)
  @Query(() => [WebhookDeliveryType], { description: "Admin: a webhook's deliveries, newest first (default 20, at most 100), each with every attempt" })
  async webhookDeliveries(
    @Arg('webhookId', () => ID) webhookId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
  ): Promise<WebhookDeliveryType[]> {
    return (await this.webhooksService.deliveries(webhookId, first)).map(WebhookDeliveryType.present);
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => CreatedWebhookType, {
    description: 'Admin: registers an HTTPS endpoint for the chosen events; the signing secret is in this answer only (R15)',
  })
  async createWebhook(
    @Arg('url', () => String) url: string,
    @Arg('events', () => [WebhookEventType]) events: EventType[],
    @CurrentViewer() viewer: Viewer,
  ): Promise<CreatedWebhookType> {
    const created = await this.webhooksService.create(viewer, url, events);
    return Object.assign(new CreatedWebhookType(), { webhook: WebhookType.present(created.webhook), secret: created.secret });
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => Boolean, { description: 'Admin: removes a webhook and its pending deliveries' })
  async deleteWebhook(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.webhooksService.delete(viewer, id);
  }

  @Authorized(AuthRole.ADMIN)
  @Mutation(() => WebhookDeliveryType, { description: 'Admin: queues a signed TEST event for this webhook (same outbox, retries and signature)' })
  async sendTestWebhookEvent(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer): Promise<WebhookDeliveryType> {
    const delivery = await this.webhooksService.sendTest(viewer, id);
    void this.webhookDispatcher.poll();
    return WebhookDeliveryType.present(delivery);
  }
}
