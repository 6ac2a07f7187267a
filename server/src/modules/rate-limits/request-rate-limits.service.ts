import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { Viewer } from '../../auth/viewer';
import type { AppConfig } from '../../config/config';
import { AppError, badInput } from '../../errors';
import type { Logger } from '../../logging/logger';
import type { PipelineRequest, RequestCheck } from '../ai/ai-pipeline';
import type { PolicyDefinition, WorkspacePolicies } from '../policies/workspace-policies';

/** Where the per-minute counters live, shared by every process. */
export type RateLimitStoreKind = 'POSTGRES' | 'REDIS';

export interface RateLimitStore {
  limiter: RateLimiterAbstract;
  kind: RateLimitStoreKind;
  /** Resolves once the store can take requests (Redis connected), or after `timeoutMs` (then requests count in-process until it can). */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** What `Workspace.rateLimit` shows: the limits in effect for a workspace's AI requests. */
export interface WorkspaceRateLimitView {
  /** Requests per minute for the whole workspace; null = no limit. */
  requestsPerMinute: number | null;
  /** True when the workspace has no override of its own and RATE_LIMIT_WORKSPACE_RPM applies. */
  inherited: boolean;
  /** Requests per minute per API token (RATE_LIMIT_TOKEN_RPM); null = no limit. */
  apiTokenRequestsPerMinute: number | null;
}

const WINDOW_SECONDS = 60;
const MAX_REQUESTS_PER_MINUTE = 1_000_000;
// The limit differs per workspace (overrides), so one limiter counts and this service compares: its own point
// budget is never reached (counters are Postgres integers).
const COUNT_ONLY_POINTS = 2_000_000_000;
const STORE_ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * Request-rate limits on every AI path (issue #12): per workspace (RATE_LIMIT_WORKSPACE_RPM, or an admin's
 * override) and per API token (RATE_LIMIT_TOKEN_RPM), counted in fixed one-minute windows by
 * rate-limiter-flexible in a store every process shares. The first check of the AI pipeline (ai-pipeline.ts), so
 * GraphQL `complete`, the SSE route and the gateway are all counted, once per request.
 */
export class RequestRateLimits implements RequestCheck {
  readonly name = 'request-rate limits';
  /** The workspace limit on the workspace policy shape: requests per minute, 0 = no limit; default RATE_LIMIT_WORKSPACE_RPM. */
  readonly definition: PolicyDefinition<number>;
  private readonly fallback = new RateLimiterMemory({ points: COUNT_ONLY_POINTS, duration: WINDOW_SECONDS, keyPrefix: 'byok-rpm' });
  private lastStoreErrorLoggedAt = 0;

  constructor(
    private readonly config: AppConfig['rateLimits'],
    private readonly store: RateLimitStore,
    private readonly policies: WorkspacePolicies,
    private readonly logger: Logger,
  ) {
    this.definition = {
      name: 'REQUEST_RATE_LIMIT',
      auditAction: 'WORKSPACE_RATE_LIMIT_SET',
      fallback: () => config.workspaceRpm ?? 0,
      validate(requestsPerMinute) {
        if (!Number.isInteger(requestsPerMinute) || requestsPerMinute < 0 || requestsPerMinute > MAX_REQUESTS_PER_MINUTE) {
          throw badInput(
            `requestsPerMinute must be a whole number from 0 (no limit) to ${MAX_REQUESTS_PER_MINUTE}, or null for the platform's default`,
            'requestsPerMinute',
          );
        }
      },
      decode: (json) => Number(json),
      auditDetails: ({ next, previous }) => ({
        requestsPerMinute: next ? next.value : null,
        inherited: next === null,
        previousRequestsPerMinute: previous ? previous.value : null,
      }),
    };
  }

  get storeKind(): RateLimitStoreKind {
    return this.store.kind;
  }

  async admit(request: PipelineRequest): Promise<void> {
    const workspaceId = request.workspaceId.toLowerCase();
    const workspaceLimit = limitOf((await this.policies.effective(this.definition, workspaceId)).value);
    const tokenLimit = request.apiTokenId === null ? null : this.config.tokenRpm;
    if (workspaceLimit === null && tokenLimit === null) return;
    // One store round trip per limit that applies, side by side.
    const [workspace, token] = await Promise.all([
      workspaceLimit === null ? null : this.count(`w:${workspaceId}`),
      tokenLimit === null ? null : this.count(`t:${request.apiTokenId}`),
    ]);
    if (token && tokenLimit !== null && token.consumedPoints > tokenLimit) {
      // Refused for the token: the workspace's other callers keep the request it did not make.
      if (workspace) await this.uncount(`w:${workspaceId}`);
      throw rateLimited('API_TOKEN', tokenLimit, token.msBeforeNext);
    }
    if (workspace && workspaceLimit !== null && workspace.consumedPoints > workspaceLimit)
      throw rateLimited('WORKSPACE', workspaceLimit, workspace.msBeforeNext);
  }

  /** `Workspace.rateLimit` for several workspaces at once. */
  async forWorkspaces(workspaceIds: readonly string[]): Promise<Map<string, WorkspaceRateLimitView>> {
    const limits = await this.policies.forWorkspaces(this.definition, workspaceIds);
    const result = new Map<string, WorkspaceRateLimitView>();
    for (const [workspaceId, limit] of limits) {
      result.set(workspaceId, { requestsPerMinute: limitOf(limit.value), inherited: limit.inherited, apiTokenRequestsPerMinute: this.config.tokenRpm });
    }
    return result;
  }

  /** Admin: a workspace's own limit (0 = no limit for it), or null to go back to RATE_LIMIT_WORKSPACE_RPM. Audited. */
  async setWorkspaceLimit(viewer: Viewer, workspaceId: string, requestsPerMinute: number | null): Promise<void> {
    await this.policies.set(viewer, this.definition, workspaceId, '', requestsPerMinute === null ? 'INHERIT' : { value: requestsPerMinute });
  }

  /** At start: waits (briefly) for the shared store, so the first requests are counted across processes too. */
  async ready(timeoutMs = 5000): Promise<void> {
    if (!(await this.store.ready(timeoutMs))) {
      this.logger.warn('request-rate limit store not reachable at start: counting in this process until it is', { store: this.store.kind });
    }
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  /**
   * Counts one request against `key` in the shared store. If the store fails (Redis or the database down), the
   * request is counted in this process instead, so limits still hold per process; it is logged, at most once a minute.
   */
  private async count(key: string): Promise<RateLimiterRes> {
    try {
      return await this.store.limiter.consume(key, 1);
    } catch (error) {
      if (error instanceof RateLimiterRes) return error;
      const now = Date.now();
      if (now - this.lastStoreErrorLoggedAt > STORE_ERROR_LOG_INTERVAL_MS) {
        this.lastStoreErrorLoggedAt = now;
        this.logger.warn('request-rate limit store unavailable: counting in this process until it is back', {
          store: this.store.kind,
          error: error instanceof Error ? error.message : 'unknown',
        });
      }
      return this.fallback.consume(key, 1);
    }
  }

  private async uncount(key: string): Promise<void> {
    await this.store.limiter.reward(key, 1).catch(() => undefined);
  }
}

/** A limit of 0 means "no limit". */
const limitOf = (requestsPerMinute: number): number | null => (requestsPerMinute === 0 ? null : requestsPerMinute);

function rateLimited(limit: 'WORKSPACE' | 'API_TOKEN', requestsPerMinute: number, msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const who = limit === 'WORKSPACE' ? 'This workspace' : 'This API token';
  return new AppError('RATE_LIMITED', `${who} has reached its limit of ${requestsPerMinute} AI requests per minute. Try again in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
    limit,
    requestsPerMinute,
  });
}

interface PostgresQuery {
  name?: string;
  text: string;
  values: unknown[];
}

/** Makes this process's prepared-statement names its own (see SessionSafeRateLimiterPostgres). */
const STATEMENT_SUFFIX = randomUUID().slice(0, 8);

/**
 * rate-limiter-flexible's Postgres store, with its prepared statements named per process. The library names them
 * after the table. On a real Postgres every connection is its own session, so that is harmless. The embedded
 * database serves every connection, from every process, from one session: there a second process preparing the
 * same name fails ("already exists"), and its requests would be counted in that process only.
 * Pinned to rate-limiter-flexible 11.4.0, whose every query goes through `_query` (not in its typings).
 */
class SessionSafeRateLimiterPostgres extends RateLimiterPostgres {
  _query(query: PostgresQuery): Promise<unknown> {
    const original = (RateLimiterPostgres.prototype as unknown as { _query(this: RateLimiterPostgres, query: PostgresQuery): Promise<unknown> })._query;
    return original.call(this, query.name === undefined ? query : { ...query, name: `${query.name}:${STATEMENT_SUFFIX}` });
  }
}

/**
 * The shared counter store: Redis when REDIS_URL is set, else the database (rate-limiter-flexible's Postgres
 * store over the app's own pool, table `request_rate_limits`) — the embedded PGlite included, which speaks the
 * same protocol through its socket.
 */
export function createRateLimitStore(config: AppConfig['rateLimits'], dataSource: DataSource): RateLimitStore {
  const common = { points: COUNT_ONLY_POINTS, duration: WINDOW_SECONDS, keyPrefix: 'byok-rpm' };
  if (config.redisUrl) {
    // No offline queue: while Redis is unreachable a request is counted in-process at once instead of waiting.
    const client = new Redis(config.redisUrl.value, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    return {
      limiter: new RateLimiterRedis({ ...common, storeClient: client, rejectIfRedisNotReady: true }),
      kind: 'REDIS',
      ready: (timeoutMs) =>
        client.status === 'ready'
          ? Promise.resolve(true)
          : new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => resolve(false), timeoutMs);
              client.once('ready', () => {
                clearTimeout(timer);
                resolve(true);
              });
            }),
      close: async () => {
        await client.quit().catch(() => client.disconnect());
      },
    };
  }
  return {
    limiter: new SessionSafeRateLimiterPostgres({
      ...common,
      storeClient: dataSource,
      storeType: 'typeorm',
      tableName: 'request_rate_limits',
      tableCreated: true,
    }),
    kind: 'POSTGRES',
    ready: async () => true,
    close: async () => undefined,
  };
}
