import { isIP } from 'node:net';
import path from 'node:path';
import { inspect } from 'node:util';
import { PROVIDER_IDS, PROVIDERS, type ProviderId, type ModelPrice } from '@byok/shared';

/** Marks a config value that must never be logged or returned. */
interface Sensitive<T> {
  readonly sensitive: true;
  readonly value: T;
}

const REDACTED = '[redacted]';

// Logging or serialising the config (JSON.stringify, util.inspect, console) shows a marker, never the value.
const sensitive = <T>(value: T): Sensitive<T> => Object.freeze({ sensitive: true as const, value, toJSON: () => REDACTED, [inspect.custom]: () => REDACTED });

type NodeEnvironment = 'development' | 'production' | 'test';

export interface AppConfig {
  nodeEnv: NodeEnvironment;
  host: string;
  port: number;
  /** Postgres URL; null means start the embedded database in `dataDir`. */
  databaseUrl: Sensitive<string> | null;
  /** How many workspaces one user may own (createWorkspace refuses more). */
  maxOwnedWorkspaces: number;
  /** Connections in the pool. The embedded database always uses 1 (see database/embedded-postgres.ts). */
  databasePoolSize: number;
  dataDir: string;
  webDistDir: string;
  providers: Record<ProviderId, { baseUrl: string; envApiKey: Sensitive<string> | null }>;
  encryptionKeys: Sensitive<string[]>;
  admin: { email: string | null; password: Sensitive<string> | null };
  sessionTtlSeconds: number;
  /** Provider timeouts: verification is cheap and must be quick; completions may take longer. */
  verifyTimeoutMs: number;
  completionTimeoutMs: number;
  /** How long a request's final bytes wait for its ledger row to commit before the client gets SERVICE_UNAVAILABLE (R19). */
  ledgerCommitTimeoutMs: number;
  priceOverrides: Partial<Record<ProviderId, Record<string, ModelPrice>>>;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * Which proxies' `X-Forwarded-For` to believe, as Express's `trust proxy` takes it: true (every hop), false (none:
   * the connection's address), a hop count, or addresses, subnets and the names loopback/linklocal/uniquelocal.
   * The client address it yields (`req.ip`) keys the sign-in throttle.
   */
  trustProxy: boolean | number | string[];
  /**
   * Sign-in throttle: attempts allowed per window (signInLockSeconds) on one account from one client address,
   * and from one client address across accounts; further attempts are refused until the window ends.
   */
  signInMaxFailures: number;
  /** Past it an address gets only its first attempt at each account (one address must not lock other owners out). */
  signInMaxFailuresPerAddress: number;
  /** Password checks of one account per window from all addresses together (guesses spread over many addresses). */
  signInMaxFailuresPerAccount: number;
  signInLockSeconds: number;
  /**
   * Slow clients: the request headers must arrive within `headersTimeoutSeconds`; a request body that sends nothing
   * for `bodyTimeoutSeconds` is cut off. Responses (SSE streams) are never timed.
   */
  http: { headersTimeoutSeconds: number; bodyTimeoutSeconds: number };
  /** Raw usage rows older than this many days are dropped a whole month partition at a time; null keeps everything. */
  usageRetentionDays: number | null;
  /** argon2 hashes running at once (sign-in, sign-up); a few more wait, the rest are refused. */
  passwordHashConcurrency: number;
  /**
   * AI request-rate limits (requests per minute, every AI path, all processes): per workspace and per API token.
   * null = no limit (unset or 0). A workspace's own override (setWorkspaceRateLimit) wins over `workspaceRpm`.
   */
  rateLimits: {
    workspaceRpm: number | null;
    tokenRpm: number | null;
    /** Redis shared by every process for the counters; null = the database (Postgres; memory on embedded PGlite). */
    redisUrl: Sensitive<string> | null;
  };
  /** On SIGTERM: /readyz answers 503 at once; requests and streams in flight get this long to finish (SPEC §11). */
  shutdownGraceSeconds: number;
  /** Prometheus /metrics on its own listener (SPEC §11); port 0 = off. */
  metrics: { port: number; host: string };
  /** Webhooks (R15): delivery outbox polling, retries with exponential backoff, and where URLs may point. */
  webhooks: {
    /** true: http:// and loopback/private/link-local addresses are allowed (tests, on-prem). */
    allowPrivateNetworks: boolean;
    pollIntervalMs: number;
    /** First retry after this long, then doubling (capped at an hour) until maxAttempts. */
    retryBaseMs: number;
    maxAttempts: number;
    timeoutMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Environment = Record<string, string | undefined>;

function readInteger(env: Environment, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    problems.push(`${name} must be a whole number between ${min} and ${max} (got "${raw.slice(0, 40)}")`);
    return fallback;
  }
  const value = Number(raw);
  if (value < min || value > max) problems.push(`${name} must be between ${min} and ${max} (got ${value})`);
  return value;
}

const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** One `trust proxy` entry: a name, an address, address/prefix or address/netmask (what Express's proxy-addr accepts). */
function isTrustProxyEntry(entry: string): boolean {
  if (TRUST_PROXY_NAMES.includes(entry)) return true;
  const [address = '', range, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d+$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(range) === 4;
}

/** TRUST_PROXY in Express's `trust proxy` syntax; the default believes a proxy on loopback only. */
function readTrustProxy(env: Environment, problems: string[]): AppConfig['trustProxy'] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '') return ['loopback'];
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const bad = entries.filter((entry) => !isTrustProxyEntry(entry));
  if (entries.length === 0 || bad.length > 0) {
    problems.push(
      `TRUST_PROXY must be true, false, a hop count, or comma-separated addresses, subnets (10.0.0.0/8) and loopback/linklocal/uniquelocal (got "${raw.slice(0, 60)}")`,
    );
    return ['loopback'];
  }
  return entries;
}

/**
 * A provider base URL as adapters want it: the origin (plus any proxy path prefix), without the API version.
 * Accepts both the SDK convention (`https://api.openai.com/v1`) and the bare origin, so `/v1/v1` never happens.
 */
export function normaliseProviderBaseUrl(raw: string): string {
  return raw.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function readUrl(env: Environment, name: string, fallback: string, problems: string[]): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    if (url.username || url.password) {
      problems.push(`${name} must not contain credentials`);
      return fallback;
    }
    return raw.replace(/\/+$/, '');
  } catch {
    problems.push(`${name} must be an http(s) URL`);
    return fallback;
  }
}

/** Validates a list of base64 32-byte keys; never echoes the value in a problem. */
function readEncryptionKeys(env: Environment, problems: string[]): string[] {
  const keys: string[] = [];
  const check = (name: string, raw: string): void => {
    const trimmed = raw.trim();
    const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
    if (bytes.length !== 32) {
      problems.push(`${name} must be 32 random bytes encoded as base64 (generate one with: openssl rand -base64 32)`);
      return;
    }
    keys.push(trimmed);
  };
  const current = env.BYOK_ENCRYPTION_KEY;
  if (current) check('BYOK_ENCRYPTION_KEY', current);
  const previous = env.BYOK_PREVIOUS_ENCRYPTION_KEYS;
  if (previous) {
    if (!current) problems.push('BYOK_PREVIOUS_ENCRYPTION_KEYS is set but BYOK_ENCRYPTION_KEY is not');
    previous
      .split(',')
      .filter((part) => part.trim() !== '')
      .forEach((part, index) => check(`BYOK_PREVIOUS_ENCRYPTION_KEYS[${index}]`, part));
  }
  return keys;
}

function readPriceOverrides(env: Environment, problems: string[]): AppConfig['priceOverrides'] {
  const raw = env.BYOK_PRICE_OVERRIDES;
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    const result: AppConfig['priceOverrides'] = {};
    for (const [provider, models] of Object.entries(parsed)) {
      if (!(PROVIDER_IDS as readonly string[]).includes(provider)) throw new Error(`unknown provider ${provider}`);
      if (typeof models !== 'object' || models === null) throw new Error(`prices for ${provider} must be an object`);
      const table: Record<string, ModelPrice> = {};
      for (const [model, price] of Object.entries(models as Record<string, unknown>)) {
        const candidate = price as Partial<ModelPrice> | null;
        if (
          typeof candidate?.inputPerMillionUsd !== 'number' ||
          typeof candidate.outputPerMillionUsd !== 'number' ||
          candidate.inputPerMillionUsd < 0 ||
          candidate.outputPerMillionUsd < 0
        ) {
          throw new Error(`price for ${provider}/${model} needs non-negative inputPerMillionUsd and outputPerMillionUsd`);
        }
        table[model] = { inputPerMillionUsd: candidate.inputPerMillionUsd, outputPerMillionUsd: candidate.outputPerMillionUsd };
      }
      result[provider as ProviderId] = table;
    }
    return result;
  } catch (error) {
    problems.push(
      `BYOK_PRICE_OVERRIDES must be JSON like {"OPENAI":{"gpt-4o":{"inputPerMillionUsd":2.5,"outputPerMillionUsd":10}}}: ${(error as Error).message}`,
    );
    return {};
  }
}

/** Reads and validates the whole configuration at once, so a bad start lists every problem together. */
export function loadConfig(env: Environment = process.env, cwd: string = process.cwd()): AppConfig {
  const problems: string[] = [];
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  const nodeEnv: NodeEnvironment = nodeEnvRaw === 'production' || nodeEnvRaw === 'test' ? nodeEnvRaw : 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw))
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnvRaw.slice(0, 40)}")`);

  const port = readInteger(env, 'PORT', 4000, 0, 65535, problems);
  const host = env.HOST || '127.0.0.1';

  let databaseUrl: Sensitive<string> | null = null;
  if (env.DATABASE_URL) {
    if (!/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');
    else databaseUrl = sensitive(env.DATABASE_URL);
  }
  const dataDir = path.resolve(cwd, env.BYOK_DATA_DIR || '.data');
  const webDistDir = path.resolve(env.BYOK_WEB_DIST || path.join(__dirname, '..', '..', '..', 'web', 'dist'));

  const providers = {} as AppConfig['providers'];
  for (const id of PROVIDER_IDS) {
    const definition = PROVIDERS[id];
    const envKey = env[definition.apiKeyEnvVar];
    providers[id] = {
      baseUrl: normaliseProviderBaseUrl(readUrl(env, definition.baseUrlEnvVar, definition.defaultBaseUrl, problems)),
      envApiKey: envKey ? sensitive(envKey.trim()) : null,
    };
  }

  const encryptionKeys = readEncryptionKeys(env, problems);
  if (nodeEnv === 'production' && !env.BYOK_ENCRYPTION_KEY) {
    problems.push('BYOK_ENCRYPTION_KEY is required in production (generate one with: openssl rand -base64 32)');
  }

  const adminEmail = env.ADMIN_EMAIL?.trim().toLowerCase() || null;
  const adminPassword = env.ADMIN_PASSWORD || null;
  if (adminEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) problems.push('ADMIN_EMAIL must be an email address');
  if (adminPassword && (adminPassword.length < 8 || adminPassword.length > 256)) problems.push('ADMIN_PASSWORD must be 8–256 characters');
  if (Boolean(adminEmail) !== Boolean(adminPassword)) problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');

  const logLevelRaw = env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info');
  const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
  const logLevel = (logLevels as readonly string[]).includes(logLevelRaw) ? (logLevelRaw as AppConfig['logLevel']) : 'info';
  if (!(logLevels as readonly string[]).includes(logLevelRaw)) problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}`);

  const allowPrivateRaw = env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? 'false';
  if (!['true', 'false'].includes(allowPrivateRaw))
    problems.push(`WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false (got "${allowPrivateRaw.slice(0, 40)}")`);

  let redisUrl: Sensitive<string> | null = null;
  if (env.REDIS_URL) {
    if (!/^rediss?:\/\//.test(env.REDIS_URL)) problems.push('REDIS_URL must start with redis:// or rediss://');
    else redisUrl = sensitive(env.REDIS_URL);
  }

  const config: AppConfig = {
    nodeEnv,
    host,
    port,
    databaseUrl,
    maxOwnedWorkspaces: readInteger(env, 'MAX_WORKSPACES_PER_USER', 50, 1, 100000, problems),
    databasePoolSize: readInteger(env, 'DATABASE_POOL_SIZE', 10, 1, 100, problems),
    dataDir,
    webDistDir,
    providers,
    encryptionKeys: sensitive(encryptionKeys),
    admin: { email: adminEmail, password: adminPassword ? sensitive(adminPassword) : null },
    sessionTtlSeconds: readInteger(env, 'SESSION_TTL_SECONDS', 7 * 24 * 3600, 60, 365 * 24 * 3600, problems),
    verifyTimeoutMs: readInteger(env, 'PROVIDER_VERIFY_TIMEOUT_MS', 5000, 100, 60000, problems),
    completionTimeoutMs: readInteger(env, 'PROVIDER_COMPLETION_TIMEOUT_MS', 60000, 100, 600000, problems),
    ledgerCommitTimeoutMs: readInteger(env, 'LEDGER_COMMIT_TIMEOUT_MS', 5000, 50, 600000, problems),
    priceOverrides: readPriceOverrides(env, problems),
    logLevel,
    trustProxy: readTrustProxy(env, problems),
    signInMaxFailures: readInteger(env, 'SIGN_IN_MAX_FAILURES', 5, 1, 1000, problems),
    signInMaxFailuresPerAddress: readInteger(env, 'SIGN_IN_MAX_FAILURES_PER_ADDRESS', 100, 1, 100000, problems),
    signInMaxFailuresPerAccount: readInteger(env, 'SIGN_IN_MAX_FAILURES_PER_ACCOUNT', 50, 1, 100000, problems),
    signInLockSeconds: readInteger(env, 'SIGN_IN_LOCK_SECONDS', 15 * 60, 1, 24 * 3600, problems),
    http: {
      headersTimeoutSeconds: readInteger(env, 'HTTP_HEADERS_TIMEOUT_SECONDS', 20, 1, 600, problems),
      bodyTimeoutSeconds: readInteger(env, 'HTTP_BODY_TIMEOUT_SECONDS', 30, 1, 600, problems),
    },
    usageRetentionDays: env.USAGE_RETENTION_DAYS ? readInteger(env, 'USAGE_RETENTION_DAYS', 0, 1, 100 * 366, problems) : null,
    passwordHashConcurrency: readInteger(env, 'PASSWORD_HASH_CONCURRENCY', 2, 1, 64, problems),
    rateLimits: {
      workspaceRpm: readInteger(env, 'RATE_LIMIT_WORKSPACE_RPM', 0, 0, 1_000_000, problems) || null,
      tokenRpm: readInteger(env, 'RATE_LIMIT_TOKEN_RPM', 0, 0, 1_000_000, problems) || null,
      redisUrl,
    },
    shutdownGraceSeconds: readInteger(env, 'SHUTDOWN_GRACE_SECONDS', 30, 0, 3600, problems),
    metrics: { port: readInteger(env, 'METRICS_PORT', 9464, 0, 65535, problems), host: env.METRICS_HOST || '127.0.0.1' },
    webhooks: {
      allowPrivateNetworks: allowPrivateRaw === 'true',
      pollIntervalMs: readInteger(env, 'WEBHOOK_POLL_INTERVAL_MS', 1000, 10, 60000, problems),
      retryBaseMs: readInteger(env, 'WEBHOOK_RETRY_BASE_MS', 10000, 10, 3600000, problems),
      maxAttempts: readInteger(env, 'WEBHOOK_MAX_ATTEMPTS', 10, 1, 100, problems),
      timeoutMs: readInteger(env, 'WEBHOOK_TIMEOUT_MS', 10000, 100, 60000, problems),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
