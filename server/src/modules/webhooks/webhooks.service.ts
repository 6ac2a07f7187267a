import { randomBytes, randomUUID } from 'node:crypto';
import { TEST_EVENT_TYPE, isEventType, type EventType, type WebhookDeliveryStatus } from '@byok/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
import type { RotationCounts, RotationOptions } from '../../crypto/rotate-encryption-keys';
import { sealedRowCounts } from '../../crypto/sealed-rows';
import type { SecretBox, SecretContext } from '../../crypto/secret-box';
import { badInput, ensurePresent, notFound } from '../../errors';
import type { AuditService } from '../audit/audit.service';
import type { EventOutbox, EventRecord } from '../events/key-health-events.service';
import { isUuid } from '../../validation/uuid';
import { validateWebhookUrl } from './webhook-url';

export interface WebhookView {
  id: string;
  url: string;
  events: EventType[];
  createdAt: Date;
}

export interface DeliveryAttemptView {
  attemptedAt: Date;
  responseCode: number | null;
  error: string | null;
  durationMs: number;
  nextAttemptAt: Date | null;
}

export interface DeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastResponseCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  attemptLog: DeliveryAttemptView[];
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_response_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

const MAX_WEBHOOKS = 50;
const MAX_DELIVERIES_SHOWN = 100;

/** The secret box binds a webhook secret to its webhook: a ciphertext copied to another row does not open. */
export const webhookSecretContext = (webhookId: string): SecretContext => ({ scope: 'GLOBAL', workspaceId: null, provider: `webhook:${webhookId}` });

/** The JSON body every delivery sends (R15): exactly these four fields. */
const webhookBody = (event: EventRecord | { id: string; type: string; createdAt: Date; data: Record<string, unknown> }): string =>
  JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data });

/**
 * Webhook endpoints and the durable outbox (R15). Platform admins only (callers check the role). Secrets are
 * generated here, returned once by `create`, and otherwise only ever opened by the dispatcher to sign and here
 * to re-seal them under a new encryption key.
 */
export class WebhooksService implements EventOutbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secretBox: SecretBox,
    private readonly audit: AuditService,
    private readonly allowPrivateNetworks: () => boolean,
  ) {}

  async create(viewer: Viewer, rawUrl: string, events: readonly string[]): Promise<{ webhook: WebhookView; secret: string }> {
    const url = validateWebhookUrl(rawUrl, this.allowPrivateNetworks());
    const chosen = [...new Set(events)];
    if (chosen.length === 0 || !chosen.every(isEventType)) throw badInput('events must name at least one event type', 'events');
    const [{ count }] = (await this.dataSource.query(`SELECT count(*)::int AS count FROM webhooks`)) as [{ count: number }];
    if (count >= MAX_WEBHOOKS) throw badInput(`At most ${MAX_WEBHOOKS} webhooks can be registered`, 'url');
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const sealed = this.secretBox.seal(secret, webhookSecretContext(id));
    const row = await this.dataSource.transaction(async (manager) => {
      const [inserted] = (await manager.query(
        `INSERT INTO webhooks (id, url, events, secret_ciphertext, encryption_key_id, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at`,
        [id, url.toString(), chosen, sealed.ciphertext, sealed.keyId, viewer.userId],
      )) as Array<{ created_at: Date }>;
      // The origin only: a URL's path or query may itself carry a token (Slack-style hooks).
      await this.audit.record(manager, { action: 'WEBHOOK_CREATED', actor: viewer, details: { webhookId: id, origin: url.origin, events: chosen } });
      return ensurePresent(inserted, 'the inserted webhook');
    });
    return { webhook: { id, url: url.toString(), events: chosen as EventType[], createdAt: row.created_at }, secret };
  }

  async delete(viewer: Viewer, id: string): Promise<boolean> {
    if (!isUuid(id)) throw notFound('Webhook');
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(`DELETE FROM webhooks WHERE id = $1 RETURNING url`, [id])) as [Array<{ url: string }>, number];
      const deleted = rows[0][0];
      if (!deleted) throw notFound('Webhook');
      await this.audit.record(manager, { action: 'WEBHOOK_DELETED', actor: viewer, details: { webhookId: id, origin: new URL(deleted.url).origin } });
      return true;
    });
  }

  async list(): Promise<WebhookView[]> {
    const rows = (await this.dataSource.query(`SELECT id, url, events, created_at FROM webhooks ORDER BY created_at, id`)) as Array<{
      id: string;
      url: string;
      events: string[];
      created_at: Date;
    }>;
    return rows.map((row) => ({ id: row.id, url: row.url, events: row.events.filter(isEventType), createdAt: row.created_at }));
  }

  /** Deliveries of one webhook, newest first, each with its attempts. */
  async deliveries(webhookId: string, first: number | null): Promise<DeliveryView[]> {
    if (!isUuid(webhookId)) throw notFound('Webhook');
    const limit = Math.min(Math.max(first ?? 20, 1), MAX_DELIVERIES_SHOWN);
    const exists = (await this.dataSource.query(`SELECT 1 FROM webhooks WHERE id = $1`, [webhookId])) as unknown[];
    if (exists.length === 0) throw notFound('Webhook');
    const rows = (await this.dataSource.query(
      `SELECT id, webhook_id, event_id, event_type, status, attempts, next_attempt_at, last_response_code, last_error, delivered_at, created_at
         FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [webhookId, limit],
    )) as DeliveryRow[];
    return this.withAttempts(rows);
  }

  /** The admin's "send test event": a TEST delivery through the same outbox, signing and retries. */
  async sendTest(viewer: Viewer, webhookId: string): Promise<DeliveryView> {
    if (!isUuid(webhookId)) throw notFound('Webhook');
    const event = {
      id: randomUUID(),
      type: TEST_EVENT_TYPE,
      createdAt: new Date(),
      data: { message: 'A test event sent from byok', webhookId, sentBy: viewer.userId },
    };
    const rows = (await this.dataSource.query(
      `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, body)
       SELECT id, $2, $3, $4 FROM webhooks WHERE id = $1
       RETURNING id, webhook_id, event_id, event_type, status, attempts, next_attempt_at, last_response_code, last_error, delivered_at, created_at`,
      [webhookId, event.id, event.type, webhookBody(event)],
    )) as DeliveryRow[];
    if (rows.length === 0) throw notFound('Webhook');
    return ensurePresent((await this.withAttempts(rows))[0], 'the queued test delivery');
  }

  /** The outbox: one delivery per webhook subscribed to the event, committed with the event itself. */
  async enqueue(manager: EntityManager, event: EventRecord): Promise<void> {
    await manager.query(`INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, body) SELECT id, $1, $2, $3 FROM webhooks WHERE $2 = ANY (events)`, [
      event.id,
      event.type,
      webhookBody(event),
    ]);
  }

  /**
   * Re-seals every signing secret not sealed by the current encryption key (R9, R15), bound to its webhook as
   * when it was created; `WHERE secret_ciphertext = old` lets a concurrent write win. Counts only, never a secret.
   * (There are at most MAX_WEBHOOKS rows: one statement reads them all.)
   */
  async rotateSecretsToCurrentEncryptionKey(options: Pick<RotationOptions, 'logger'> = {}): Promise<RotationCounts> {
    const counts: RotationCounts = { rotated: 0, skippedChangedConcurrently: 0, failed: 0 };
    const rows = (await this.dataSource.query(`SELECT id, secret_ciphertext FROM webhooks WHERE encryption_key_id <> $1 ORDER BY id`, [
      this.secretBox.currentKeyId,
    ])) as Array<{ id: string; secret_ciphertext: string }>;
    for (const row of rows) {
      const context = webhookSecretContext(row.id);
      let secret: string;
      try {
        secret = this.secretBox.open(row.secret_ciphertext, context);
      } catch (error) {
        counts.failed += 1;
        options.logger?.error('rotation: a webhook secret could not be decrypted and was left as it is', {
          webhookId: row.id,
          reason: error instanceof Error ? error.message : 'unknown',
        });
        continue;
      }
      const sealed = this.secretBox.seal(secret, context);
      const result = (await this.dataSource.query(
        `UPDATE webhooks SET secret_ciphertext = $2, encryption_key_id = $3 WHERE id = $1 AND secret_ciphertext = $4`,
        [row.id, sealed.ciphertext, sealed.keyId, row.secret_ciphertext],
      )) as [unknown[], number];
      if (result[1] > 0) counts.rotated += 1;
      else counts.skippedChangedConcurrently += 1;
    }
    return counts;
  }

  /**
   * Start-up and readiness (counts only): how many signing secrets there are, and how many were sealed by an
   * encryption key this server is not configured with. Those webhooks' deliveries cannot be signed, so they fail
   * until the missing key is configured again or the webhook is deleted and created again.
   */
  async secretsUnderMissingEncryptionKeys(): Promise<{ total: number; missingEncryptionKey: number }> {
    const { total, missingEncryptionKey } = await sealedRowCounts(this.dataSource, 'webhooks', this.secretBox);
    return { total, missingEncryptionKey };
  }

  /** Signing secrets still sealed by another encryption key than the current one. */
  async countSecretsNotOnCurrentEncryptionKey(): Promise<number> {
    return (await sealedRowCounts(this.dataSource, 'webhooks', this.secretBox)).notOnCurrentKey;
  }

  private async withAttempts(rows: DeliveryRow[]): Promise<DeliveryView[]> {
    const attempts =
      rows.length === 0
        ? []
        : ((await this.dataSource.query(
            `SELECT delivery_id, attempted_at, response_code, error, duration_ms, next_attempt_at FROM webhook_delivery_attempts
              WHERE delivery_id = ANY ($1::uuid[]) ORDER BY id`,
            [rows.map((row) => row.id)],
          )) as Array<{
            delivery_id: string;
            attempted_at: Date;
            response_code: number | null;
            error: string | null;
            duration_ms: number;
            next_attempt_at: Date | null;
          }>);
    return rows.map((row) => ({
      id: row.id,
      webhookId: row.webhook_id,
      eventId: row.event_id,
      eventType: row.event_type,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.status === 'PENDING' ? row.next_attempt_at : null,
      lastResponseCode: row.last_response_code,
      lastError: row.last_error,
      deliveredAt: row.delivered_at,
      createdAt: row.created_at,
      attemptLog: attempts
        .filter((attempt) => attempt.delivery_id === row.id)
        .map((attempt) => ({
          attemptedAt: attempt.attempted_at,
          responseCode: attempt.response_code,
          error: attempt.error,
          durationMs: attempt.duration_ms,
          nextAttemptAt: attempt.next_attempt_at,
        })),
    }));
  }
}
