import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import type { SecretBox } from '../../crypto/secret-box';
import type { Logger } from '../../logging/logger';
import { resolveDeliveryAddress } from './webhook-url';
import { webhookSecretContext } from './webhooks.service';

/** How many deliveries one poll claims. */
const BATCH_SIZE = 10;
/** Longest pause between retries, whatever the attempt number. */
const MAX_BACKOFF_MS = 3600_000;
const MAX_ERROR_LENGTH = 300;

interface ClaimedDelivery {
  id: string;
  attempts: number;
  body: string;
  event_id: string;
  url: string;
  secret_ciphertext: string;
  webhook_id: string;
}

interface AttemptResult {
  responseCode: number | null;
  error: string | null;
  durationMs: number;
}

/** `byok-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (R15). */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${digest}`;
}

/**
 * A readable reason for a failed attempt. Duck-typed (errors may come from another realm), and a connection
 * refused on every address (an AggregateError with an empty message) is told by its code.
 */
function describeError(error: unknown): string {
  const { message, code, errors } = (error ?? {}) as { message?: unknown; code?: unknown; errors?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (text) return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
  if (typeof code === 'string') return `Could not connect (${code})`;
  if (Array.isArray(errors) && errors.length > 0) return describeError(errors[0]);
  return 'The endpoint could not be reached';
}

/** The pause before retry number `attempts` (1-based): base, 2×base, 4×base, … capped at an hour. */
export function backoffMs(baseMs: number, attempts: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/**
 * Sends the outbox (R15). Every process runs one; a poll claims due deliveries with FOR UPDATE SKIP LOCKED and
 * a lease (`locked_until`), so two processes never send the same delivery at once, and a delivery whose
 * process died mid-send is retried once its lease ends (at-least-once: receivers dedupe by the event id).
 * 2xx = delivered; anything else is retried with exponential backoff until maxAttempts, then FAILED.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secretBox: SecretBox,
    private readonly config: AppConfig['webhooks'],
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.poll(), this.config.pollIntervalMs);
    this.timer.unref();
    void this.poll();
  }

  /** Waits for the deliveries in progress, then stops polling (shutdown: before the database closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One poll; overlapping calls share the poll in progress. */
  poll(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.sendDue()
      .catch((error: unknown) => this.logger.error('webhook poll failed', { error: error instanceof Error ? error.message : 'unknown' }))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async sendDue(): Promise<void> {
    const leaseMs = this.config.timeoutMs + 5000;
    const claimed = (await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM webhook_deliveries
          WHERE status = 'PENDING' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until <= now())
          ORDER BY next_attempt_at LIMIT ${BATCH_SIZE}
          FOR UPDATE SKIP LOCKED)
       UPDATE webhook_deliveries d SET locked_until = now() + make_interval(secs => $1::double precision)
         FROM due, webhooks w
        WHERE d.id = due.id AND w.id = d.webhook_id
       RETURNING d.id, d.attempts, d.body, d.event_id, d.webhook_id, w.url, w.secret_ciphertext`,
      [leaseMs / 1000],
    )) as [ClaimedDelivery[], number];
    await Promise.all(claimed[0].map((delivery) => this.deliver(delivery)));
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const result = await this.attempt(delivery);
    const attempts = delivery.attempts + 1;
    const delivered = result.responseCode !== null && result.responseCode >= 200 && result.responseCode < 300;
    const givenUp = !delivered && attempts >= this.config.maxAttempts;
    const retryInMs = delivered || givenUp ? null : backoffMs(this.config.retryBaseMs, attempts);
    await this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE webhook_deliveries
            SET attempts = $2, status = $3, last_response_code = $4, last_error = $5, locked_until = NULL,
                delivered_at = CASE WHEN $3 = 'DELIVERED' THEN now() ELSE NULL END,
                next_attempt_at = CASE WHEN $6::double precision IS NULL THEN NULL ELSE now() + make_interval(secs => $6::double precision) END
          WHERE id = $1
          RETURNING next_attempt_at`,
        [
          delivery.id,
          attempts,
          delivered ? 'DELIVERED' : givenUp ? 'FAILED' : 'PENDING',
          result.responseCode,
          result.error,
          retryInMs === null ? null : retryInMs / 1000,
        ],
      )) as [Array<{ next_attempt_at: Date | null }>, number];
      await manager.query(
        `INSERT INTO webhook_delivery_attempts (delivery_id, response_code, error, duration_ms, next_attempt_at) VALUES ($1, $2, $3, $4, $5)`,
        [delivery.id, result.responseCode, result.error, result.durationMs, rows[0]?.next_attempt_at ?? null],
      );
    });
    const log = delivered ? this.logger.info.bind(this.logger) : this.logger.warn.bind(this.logger);
    log(delivered ? 'webhook delivered' : givenUp ? 'webhook delivery given up' : 'webhook delivery failed, will retry', {
      deliveryId: delivery.id,
      webhookId: delivery.webhook_id,
      eventId: delivery.event_id,
      attempt: attempts,
      responseCode: result.responseCode,
      error: result.error,
    });
  }

  /** One HTTP POST to the address checked just before; never follows redirects; reads at most a little of the answer. */
  private async attempt(delivery: ClaimedDelivery): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let secret: string;
    try {
      secret = this.secretBox.open(delivery.secret_ciphertext, webhookSecretContext(delivery.webhook_id));
    } catch {
      return {
        responseCode: null,
        error: 'The signing secret could not be decrypted (encryption key changed?); delete and re-create this webhook',
        durationMs: elapsed(),
      };
    }
    try {
      const url = new URL(delivery.url);
      // Name resolution has no timeout of its own: the attempt's budget covers it too.
      let timer: NodeJS.Timeout | undefined;
      const pinned = await Promise.race([
        resolveDeliveryAddress(url, this.config.allowPrivateNetworks),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`could not resolve ${url.hostname} within ${this.config.timeoutMs} ms`)), this.config.timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      const lookup: LookupFunction = (_hostname, options, callback) => {
        if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
        else callback(null, pinned.address, pinned.family);
      };
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'byok-webhooks/1',
        'byok-signature': signatureHeader(secret, delivery.body, Math.floor(Date.now() / 1000)),
        'byok-event-id': delivery.event_id,
        'byok-delivery-id': delivery.id,
      };
      const responseCode = await new Promise<number>((resolve, reject) => {
        const request = (url.protocol === 'https:' ? https : http).request(
          url,
          { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(delivery.body) }, lookup, timeout: this.config.timeoutMs },
          (response) => {
            // The answer's body is not needed (and not stored): drain it so the socket is released.
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
            response.on('error', reject);
          },
        );
        request.on('timeout', () => request.destroy(new Error(`no answer within ${this.config.timeoutMs} ms`)));
        request.on('error', reject);
        request.end(delivery.body);
      });
      const ok = responseCode >= 200 && responseCode < 300;
      return { responseCode, error: ok ? null : `The endpoint answered HTTP ${responseCode}`, durationMs: elapsed() };
    } catch (error) {
      return { responseCode: null, error: describeError(error).slice(0, MAX_ERROR_LENGTH), durationMs: elapsed() };
    }
  }
}
