import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import cookieParser from 'cookie-parser';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { ERROR_CODES } from '@byok/shared';
import type { DataSource } from 'typeorm';
import type { AppConfig } from './config/config';
import { loadSecretBox } from './crypto/encryption-keys';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres';
import { createContext, type GraphQLContext } from './auth/context';
import { authenticateRequest } from './http/authenticate';
import { securityHeaders } from './http/security-headers';
import { createLogger, type LogSink, type Logger } from './logging/logger';
import { startSessionCleanup } from './modules/auth/session-cleanup';
import { CHANGE_CHANNEL, ChangeFeed } from './cache/change-feed';
import { startUsageMaintenance, UsagePartitions } from './modules/usage/usage-partitions';
import { createGatewayHandler, isGatewayPath } from './modules/gateway/gateway.handler';
import { createDataSource } from './wiring/create-data-source';
import { registerHttpRoutes } from './wiring/http-routes';
import { buildAppSchema, createResolverContainer } from './wiring/schema';
import { createServices, type Services } from './wiring/services';
import { startMetricsListener } from './observability/metrics';

/** How often reservations left by a dead process are looked for. */
const ORPHANED_RESERVATION_SWEEP_MS = 60_000;

export interface AppHandle {
  url: string;
  port: number;
  services: Services;
  dataSource: DataSource;
  logger: Logger;
  /** Set when the first admin was created with a generated password (printed once by main). */
  generatedAdmin: { email: string; generatedPassword: string | null } | null;
  /** The port of the Prometheus /metrics listener, or null when it is off. */
  metricsPort: number | null;
  close(): Promise<void>;
}

export interface AppOptions {
  logSink?: LogSink;
  /** Skip creating the first admin (tests that manage users themselves). */
  skipAdminBootstrap?: boolean;
  /** How often expired sessions are deleted (default hourly; they are also deleted at start). */
  sessionCleanupIntervalMs?: number;
  /** The clock platform-key budgets use to pick the month (tests of the month boundary). */
  clock?: () => Date;
}

// The product's codes (except INTERNAL_SERVER_ERROR, whose message is never passed on) and the request
// errors GraphQL and Apollo raise themselves.
const KNOWN_CODES = new Set<string>([
  ...Object.values(ERROR_CODES).filter((code) => code !== ERROR_CODES.INTERNAL_SERVER_ERROR),
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Errors leave with a known code and a safe message; anything unexpected becomes a bare INTERNAL_SERVER_ERROR. */
function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR';
    // Ours, GraphQL validation/parse (graphql-armor's limits included) and Apollo's request errors: client
    // errors with safe messages, passed on without any stack trace.
    if (KNOWN_CODES.has(code)) {
      const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    const original = (error as { originalError?: unknown })?.originalError ?? error;
    logger.error('unexpected error in GraphQL operation', {
      path: formatted.path,
      error: original instanceof Error ? `${original.name}: ${original.message}` : String(original),
    });
    return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** At start: how many stored keys (and webhook signing secrets) the configured encryption keys cannot open (counts only, never key material). */
async function logStoredKeysCheck(services: Services, logger: Logger): Promise<void> {
  const secrets = await services.webhooks.secretsUnderMissingEncryptionKeys();
  if (secrets.missingEncryptionKey > 0) {
    logger.error(
      `${secrets.missingEncryptionKey} of ${secrets.total} webhook signing secrets were sealed with an encryption key that is not configured (BYOK_ENCRYPTION_KEY, BYOK_PREVIOUS_ENCRYPTION_KEYS): their deliveries cannot be signed and fail until that key is configured again or the webhook is deleted and created again`,
      { webhookSecrets: secrets.total, sealedWithMissingEncryptionKey: secrets.missingEncryptionKey },
    );
  }
  const check = await services.keyStore.checkStoredKeys();
  if (check.unreadable === 0) {
    logger.info('stored provider keys checked: all can be opened', { storedKeys: check.total });
    return;
  }
  logger.error(
    `${check.unreadable} of ${check.total} stored provider keys cannot be opened with the configured encryption keys (BYOK_ENCRYPTION_KEY, BYOK_PREVIOUS_ENCRYPTION_KEYS): their requests fail with KEY_UNREADABLE until the key is set again or the missing encryption key is configured`,
    { storedKeys: check.total, unreadableKeys: check.unreadable, sealedWithMissingEncryptionKey: check.missingEncryptionKey },
  );
}

const JSON_BODY_LIMIT = '256kb';
const MAX_DOCUMENT_TOKENS = 2000;

/** Client-side HTTP failures reported by body-parser (status 400/413), with a message saying what to fix. */
function requestError(error: { status?: number; type?: string }): { code: string; message: string } {
  if (error.type === 'entity.too.large') return { code: 'BAD_REQUEST', message: `Request body is larger than ${JSON_BODY_LIMIT}` };
  if (error.type === 'entity.parse.failed') return { code: 'BAD_REQUEST', message: 'Request body is not valid JSON' };
  return { code: 'BAD_REQUEST', message: 'Malformed request' };
}

export async function startApp(config: AppConfig, options: AppOptions = {}): Promise<AppHandle> {
  const logger = createLogger(config.logLevel, options.logSink);
  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = config.databaseUrl?.value ?? null;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pgdata'));
    databaseUrl = embedded.url;
    logger.info('using embedded Postgres (PGlite)', { dataDir: config.dataDir });
  }
  const dataSource = createDataSource(databaseUrl, { poolSize: embedded ? 1 : config.databasePoolSize });
  await dataSource.initialize();
  const migrations = await dataSource.runMigrations({ transaction: 'each' });
  if (migrations.length > 0) logger.info('applied migrations', { migrations: migrations.map((migration) => migration.name) });

  const secretBox = loadSecretBox(config, logger);
  // Hot-path caches are invalidated through LISTEN/NOTIFY across processes. The app's own embedded
  // database serves this process alone, but PGlite cannot deliver notifications: no caches there.
  const changeFeed = embedded
    ? null
    : new ChangeFeed(databaseUrl, logger, (payload) => dataSource.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, payload]));
  // In the background: caches stay off (every request reads the database) until the feed has proved itself.
  void changeFeed?.start();
  const services = createServices({ config, logger, dataSource, secretBox, clock: options.clock, changeFeed });
  await logStoredKeysCheck(services, logger);
  await services.requestRateLimits.ready();
  const generatedAdmin = options.skipAdminBootstrap ? null : await services.auth.ensureAdmin();
  // Deliveries left pending by a previous run (or another process) go out from here on (R15).
  services.webhookDispatcher.start();
  const sessionCleanup = await startSessionCleanup(() => services.auth.deleteExpiredSessions(), logger, options.sessionCleanupIntervalMs);
  const usageMaintenance = await startUsageMaintenance(dataSource, new UsagePartitions(dataSource, config.usageRetentionDays), logger);
  // Platform-cap reservations left by a process that died are billed (R20): at start, then every minute.
  const billOrphans = (): Promise<void> =>
    services.platformKeyBudgets.billOrphanedReservations().then(
      (billed) => {
        if (billed > 0) logger.warn('billed platform-key reservations left by a process that stopped mid-request', { reservations: billed });
      },
      (error: unknown) => logger.warn('could not bill orphaned platform-key reservations', { error: error instanceof Error ? error.message : 'unknown' }),
    );
  await billOrphans();
  const orphanSweep = setInterval(() => void billOrphans(), ORPHANED_RESERVATION_SWEEP_MS);
  orphanSweep.unref();

  let shuttingDown = false;
  const app = express();
  app.disable('x-powered-by');
  // req.ip (the sign-in throttle's client address) believes X-Forwarded-For only from these proxies (TRUST_PROXY).
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders);
  app.use(cookieParser());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    // Stopping (SIGTERM): the load balancer takes this process out at once; what it already sent finishes.
    if (shuttingDown) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
    let missing: number;
    let missingSecrets: number;
    try {
      [missing, { missingEncryptionKey: missingSecrets }] = await Promise.all([
        services.keyStore.countKeysUnderMissingEncryptionKeys(),
        services.webhooks.secretsUnderMissingEncryptionKeys(),
      ]);
    } catch {
      res.status(503).json({ status: 'database unreachable' });
      return;
    }
    // Started with the wrong encryption key (or an old one removed before rotating): not ready, so a rolling
    // deploy stops here instead of failing every request that needs a stored key with KEY_UNREADABLE (and every
    // webhook delivery, which cannot be signed).
    if (missing > 0 || missingSecrets > 0) {
      res
        .status(503)
        .json({ status: 'stored keys unreadable', unreadableKeys: missing, ...(missingSecrets > 0 ? { unreadableWebhookSecrets: missingSecrets } : {}) });
    } else res.json({ status: 'ready' });
  });

  // The gateway's /v1/* paths skip Express entirely (no cookie or body parsing, no router): the hot path.
  const gateway = createGatewayHandler({
    config,
    logger,
    auth: services.auth,
    ai: services.ai,
    workspaceKeys: services.workspaceKeys,
    platformKeyModels: services.platformKeyModels,
  });
  const headersTimeoutMs = config.http.headersTimeoutSeconds * 1000;
  const bodyTimeoutMs = config.http.bodyTimeoutSeconds * 1000;
  // Sockets with a response in progress: their silence is the response's (an SSE stream), never cut off.
  const answering = new WeakSet<Socket>();
  // Requests being answered: a graceful stop waits for them (their final bytes flushed) before cutting connections.
  const inFlight: { count: number; idle: (() => void) | null } = { count: 0, idle: null };
  const httpServer = http.createServer(
    // Node checks headersTimeout (and requestTimeout) only this often (30 s by default): often enough to matter.
    { headersTimeout: headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, Math.ceil(headersTimeoutMs / 4)) },
    (req, res) => {
      // Emitted only while the request is incomplete (its body stalled for bodyTimeoutSeconds): cut it off.
      req.once('timeout', () => req.socket.destroy());
      answering.add(req.socket);
      inFlight.count += 1;
      // Stopping: a keep-alive client gets this answer, then the connection closes (it reconnects elsewhere).
      if (shuttingDown) res.setHeader('connection', 'close');
      res.once('close', () => {
        inFlight.count -= 1;
        if (inFlight.count === 0) inFlight.idle?.();
        answering.delete(req.socket);
        // Answered before the body was in (e.g. a refused token): Node swaps in keepAliveTimeout; the body limit stays.
        if (!req.complete && !req.socket.destroyed) req.socket.setTimeout(bodyTimeoutMs);
      });
      if (isGatewayPath(req.url)) gateway(req, res);
      else app(req, res);
    },
  );
  // Slow clients (issue 17): a socket silent for this long times out. Node passes the timeout to the request only
  // while it is still being received; any other silence (a keep-alive idle socket, an SSE stream waiting for the
  // provider) lands on this listener, which keeps the connection: responses are never cut off.
  httpServer.setTimeout(bodyTimeoutMs);
  httpServer.on('timeout', (socket: Socket) => {
    // Without a response in progress (keep-alive idle, whose keepAliveTimeout arrives here too): close as Node would.
    if (!answering.has(socket)) socket.destroy();
  });
  const armor = new ApolloArmor({
    // Depth and cost count fields only: shared fragments (the SPA's) must not count as extra levels.
    maxDepth: { n: 10, flattenFragments: true },
    maxAliases: { n: 15 },
    costLimit: { maxCost: 5000, flattenFragments: true },
    maxDirectives: { n: 20 },
    // Tokens are bounded by graphql-js itself (parseOptions below): armor's parser plugin throws from a hook,
    // which Apollo answers with HTTP 500 instead of a client error.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: config.nodeEnv === 'production' },
  });
  const protection = armor.protect();
  const apollo = new ApolloServer<GraphQLContext>({
    schema: await buildAppSchema(createResolverContainer(services)),
    // Explicit, so Apollo's own defaults never depend on process.env.NODE_ENV.
    nodeEnv: config.nodeEnv,
    introspection: config.nodeEnv !== 'production',
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGINT/SIGTERM: Apollo's own handler would stop it concurrently, re-raise the signal and
    // leave app.close() waiting forever.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    validationRules: protection.validationRules,
    plugins: [
      ...protection.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; Apollo's default cache-control plugin would wrap every field's resolver to compute
      // them (about 6% of a 1,000-workspace usage report).
      ApolloServerPluginCacheControlDisabled(),
      // Read your own writes: a mutation's answer waits until its changes have reached this process's caches.
      {
        async requestDidStart() {
          return {
            async willSendResponse({ operation }) {
              if (operation?.operation === 'mutation') await services.changeFeed?.catchUp();
            },
          };
        },
      },
    ],
    formatError: formatError(logger),
    logger: { debug: () => {}, info: () => {}, warn: (message) => logger.warn(String(message)), error: (message) => logger.error(String(message)) },
  });
  await apollo.start();
  app.use(
    '/graphql',
    express.json({ limit: JSON_BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        createContext(await authenticateRequest(services.auth, req), req, res, {
          secureCookies: config.nodeEnv === 'production',
          lookUpRole: (workspaceId, viewer) => services.workspaces.roleOf(workspaceId, viewer),
        }),
    }),
  );

  registerHttpRoutes(app, services);

  if (fs.existsSync(path.join(config.webDistDir, 'index.html'))) {
    app.use(express.static(config.webDistDir, { index: false, maxAge: '1h' }));
    const indexHtml = fs.readFileSync(path.join(config.webDistDir, 'index.html'), 'utf8');
    app.get(/^\/(?!graphql|api\/|healthz|readyz).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(indexHtml);
    });
  } else {
    logger.warn('web/dist not found: the SPA is not served (run the build first)', { webDistDir: config.webDistDir });
  }

  app.use((_req: express.Request, res: express.Response) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Not found' } });
  });
  // Express error handler (e.g. malformed or oversized JSON bodies): a clear code, never a stack trace.
  app.use((error: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error('unexpected HTTP error', { error: `${error.name}: ${error.message}` });
    res.status(status).json({ error: status === 500 ? { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } : requestError(error) });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    // E.g. the port is taken: release the database (and the embedded one's files) before giving up.
    await services.webhookDispatcher.stop();
    await services.requestRateLimits.close();
    await changeFeed?.close();
    await sessionCleanup.stop();
    await usageMaintenance.stop();
    await apollo.stop();
    await dataSource.destroy();
    if (embedded) await embedded.stop();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info('byok listening', { url });
  const metrics = await startMetricsListener(config.metrics, logger);

  let closed = false;
  return {
    url,
    port,
    services,
    dataSource,
    logger,
    generatedAdmin,
    metricsPort: metrics.port,
    async close() {
      if (closed) return;
      closed = true;
      shuttingDown = true;
      // No new connections; idle keep-alive ones go now. Requests and streams in flight (AI requests and their
      // ledger rows first of all) get SHUTDOWN_GRACE_SECONDS to finish, then whatever is left is cut.
      const listenerClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      let graceTimer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        inFlight.idle = resolve;
        if (inFlight.count === 0) resolve();
        graceTimer = setTimeout(resolve, config.shutdownGraceSeconds * 1000);
      });
      inFlight.idle = null;
      clearTimeout(graceTimer);
      clearInterval(orphanSweep);
      await metrics.close();
      await sessionCleanup.stop();
      await usageMaintenance.stop();
      await apollo.stop();
      httpServer.closeAllConnections();
      await listenerClosed;
      // In-flight AI requests and buffered usage rows are written before the database goes away.
      await services.close();
      await changeFeed?.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      if (embedded) await embedded.stop();
    },
  };
}
