import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type AppHandle } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase, type TestDatabase } from './test-database';
import { trackTestResource, whileStarting } from './test-resources';

export interface GraphQLResult<TData = Record<string, unknown>> {
  status: number;
  data: TData | null;
  errors: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string; [key: string]: unknown } }> | undefined;
  headers: Headers;
  /** The raw response text (also captured for the leak sweep). */
  text: string;
}

export interface RequestAuth {
  token?: string;
  cookie?: string;
}

export interface TestServer {
  url: string;
  app: AppHandle;
  database: TestDatabase;
  /** Every log line the server wrote. */
  logs: string[];
  /** Every HTTP response body received through this helper (GraphQL and plain HTTP). */
  responses: string[];
  /** Environment the server was started with (to restart it with the same settings). */
  env: Record<string, string>;
  graphql<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, auth?: RequestAuth): Promise<GraphQLResult<TData>>;
  /** A plain HTTP request whose response body is captured for the leak sweep. */
  fetch(pathname: string, init?: RequestInit & { auth?: RequestAuth }): Promise<{ status: number; headers: Headers; text: string }>;
  /** Restarts the app process-side on the same database (new HTTP port). */
  restart(extraEnv?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  /** Reuse a database instead of creating one (e.g. a second server process on the same database). */
  database?: TestDatabase;
  skipAdminBootstrap?: boolean;
  /** The clock platform-key budgets read (to test the UTC month boundary). */
  clock?: () => Date;
}

export const TEST_ADMIN_EMAIL = 'admin@example.com';
export const TEST_ADMIN_PASSWORD = 'admin-password-for-tests';

const authHeaders = (auth?: RequestAuth): Record<string, string> => {
  const headers: Record<string, string> = {};
  if (auth?.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth?.cookie) headers.cookie = auth.cookie;
  return headers;
};

/**
 * Starts the real server (HTTP, GraphQL, migrations) on its own database, bound to 127.0.0.1 on a free port. Tracked
 * (support/test-resources.ts): closed when the test file ends even if the file never got to close it.
 */
export function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  return whileStarting(start(options));
}

async function start(options: TestServerOptions): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-test-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: database.url,
    // PGlite is one session: one pooled connection avoids interleaved protocol messages.
    ...(database.kind === 'embedded' ? { DATABASE_POOL_SIZE: '1' } : {}),
    BYOK_DATA_DIR: dataDir,
    BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    METRICS_PORT: '0',
    // A test's server stops without waiting long for requests a test left hanging on purpose.
    SHUTDOWN_GRACE_SECONDS: '2',
    ADMIN_EMAIL: TEST_ADMIN_EMAIL,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    LOG_LEVEL: 'debug',
    BYOK_WEB_DIST: path.join(dataDir, 'no-web'),
    // Never reach the real providers from tests: unreachable unless a test points these at a fake.
    OPENAI_BASE_URL: 'http://127.0.0.1:9',
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    PROVIDER_VERIFY_TIMEOUT_MS: '2000',
    PROVIDER_COMPLETION_TIMEOUT_MS: '5000',
    ...options.env,
  };
  const logs: string[] = [];
  const responses: string[] = [];
  const boot = (environment: Record<string, string>): Promise<AppHandle> =>
    startApp(loadConfig(environment, dataDir), { logSink: (line) => logs.push(line), skipAdminBootstrap: options.skipAdminBootstrap, clock: options.clock });
  const release = async (): Promise<void> => {
    if (!options.database) await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  let app: AppHandle;
  try {
    app = await boot(env);
  } catch (error) {
    await release();
    throw error;
  }
  const tracked = trackTestResource('a test server', async () => {
    await app.close();
    await release();
  });

  const server: TestServer = {
    get url() {
      return app.url;
    },
    get app() {
      return app;
    },
    database,
    logs,
    responses,
    env,
    async graphql<TData>(query: string, variables?: Record<string, unknown>, auth?: RequestAuth): Promise<GraphQLResult<TData>> {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders(auth) },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      responses.push(text);
      let body: { data?: TData | null; errors?: GraphQLResult<TData>['errors'] } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // Non-JSON (e.g. a 400 from CSRF prevention): callers inspect status and text.
      }
      return { status: response.status, data: body.data ?? null, errors: body.errors, headers: response.headers, text };
    },
    async fetch(pathname, init = {}) {
      const { auth, headers, ...rest } = init;
      const response = await fetch(`${app.url}${pathname}`, { ...rest, headers: { ...authHeaders(auth), ...(headers as Record<string, string> | undefined) } });
      const text = await response.text();
      responses.push(text);
      return { status: response.status, headers: response.headers, text };
    },
    async restart(extraEnv = {}) {
      await app.close();
      Object.assign(env, extraEnv);
      app = await boot(env);
    },
    close: () => tracked.close(),
  };
  return server;
}

/** Throws with the server's errors when a GraphQL call unexpectedly failed; returns its data. */
export function expectData<TData>(result: GraphQLResult<TData>): TData {
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL call failed (${result.status}): ${JSON.stringify(result.errors ?? result.text)}`);
  }
  return result.data;
}

/** The `extensions.code` of the first error (or undefined). */
export const errorCode = (result: GraphQLResult<unknown>): string | undefined => result.errors?.[0]?.extensions?.code;
