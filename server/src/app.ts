import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import cookieParser from 'cookie-parser';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { DataSource } from 'typeorm';
import type { AppConfig } from './config/config';
import { loadSecretBox } from './crypto/encryption-keys';
import { createDataSource } from './database/create-data-source';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres';
import { createContext, type GraphQLContext } from './graphql/context';
import { getSchema } from './graphql/schema';
import { authenticateRequest } from './http/authenticate';
import { securityHeaders } from './http/security-headers';
import { createLogger, type LogSink, type Logger } from './logging/logger';
import { createServices, type Services } from './services';
import { registerHttpRoutes } from './http/routes';

export interface AppHandle {
  url: string;
  port: number;
  services: Services;
  dataSource: DataSource;
  logger: Logger;
  /** Set when the first admin was created with a generated password (printed once by main). */
  generatedAdmin: { email: string; generatedPassword: string | null } | null;
  close(): Promise<void>;
}

export interface AppOptions {
  logSink?: LogSink;
  /** Skip creating the first admin (tests that manage users themselves). */
  skipAdminBootstrap?: boolean;
}

const KNOWN_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'BYOK_DISABLED',
  'INVALID_KEY_FORMAT',
  'KEY_REJECTED',
  'PROVIDER_NOT_CONFIGURED',
  'WORKSPACE_KEY_REJECTED',
  'GLOBAL_KEY_REJECTED',
  'RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
  'TOO_MANY_ATTEMPTS',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Errors leave with a known code and a safe message; anything unexpected becomes a bare INTERNAL_SERVER_ERROR. */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR';
    // Graphql-armor and GraphQL validation reject bad documents: a client error, not a server fault.
    if (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED' || code === 'BAD_USER_INPUT') {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code: code === 'BAD_USER_INPUT' ? code : code } };
    }
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

export async function startApp(config: AppConfig, options: AppOptions = {}): Promise<AppHandle> {
  const logger = createLogger(config.logLevel, options.logSink);
  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = config.databaseUrl?.value ?? null;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pgdata'));
    databaseUrl = embedded.url;
    logger.info('using embedded Postgres (PGlite)', { dataDir: config.dataDir });
  }
  const dataSource = createDataSource(databaseUrl);
  await dataSource.initialize();
  const migrations = await dataSource.runMigrations({ transaction: 'each' });
  if (migrations.length > 0) logger.info('applied migrations', { migrations: migrations.map((migration) => migration.name) });

  const secretBox = loadSecretBox(config, logger);
  const services = createServices({ config, logger, dataSource, secretBox });
  const generatedAdmin = options.skipAdminBootstrap ? null : await services.auth.ensureAdmin();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders);
  app.use(cookieParser());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });

  const httpServer = http.createServer(app);
  const armor = new ApolloArmor({
    maxDepth: { n: 10 },
    maxAliases: { n: 15 },
    costLimit: { maxCost: 5000 },
    maxDirectives: { n: 20 },
    maxTokens: { n: 2000 },
    blockFieldSuggestion: { enabled: config.nodeEnv === 'production' },
  });
  const protection = armor.protect();
  const apollo = new ApolloServer<GraphQLContext>({
    schema: await getSchema(),
    introspection: config.nodeEnv !== 'production',
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    validationRules: protection.validationRules,
    plugins: [...protection.plugins, ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
    formatError: formatError(logger),
    logger: { debug: () => {}, info: () => {}, warn: (message) => logger.warn(String(message)), error: (message) => logger.error(String(message)) },
  });
  await apollo.start();
  app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => createContext(services, await authenticateRequest(services, req), req, res),
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
  // Express error handler (e.g. malformed JSON bodies): a clear code, never a stack trace.
  app.use((error: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error('unexpected HTTP error', { error: `${error.name}: ${error.message}` });
    res
      .status(status)
      .json({
        error: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST', message: status === 500 ? 'Internal server error' : 'Malformed request' },
      });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  logger.info('byok listening', { url });

  let closed = false;
  return {
    url,
    port,
    services,
    dataSource,
    logger,
    generatedAdmin,
    async close() {
      if (closed) return;
      closed = true;
      await apollo.stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await dataSource.destroy();
      if (embedded) await embedded.stop();
    },
  };
}
