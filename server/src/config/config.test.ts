import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig, normaliseProviderBaseUrl } from './config';

const validKey = (): string => randomBytes(32).toString('base64');

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    loadConfig(env, '/srv/byok');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('defaults: port 4000 on 127.0.0.1, embedded database in ./.data, development', () => {
    const config = loadConfig({}, '/srv/byok');
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 4000,
      databaseUrl: null,
      dataDir: path.resolve('/srv/byok', '.data'),
      admin: { email: null, password: null },
      sessionTtlSeconds: 7 * 24 * 3600,
      signInMaxFailures: 5,
      signInMaxFailuresPerAddress: 100,
      signInMaxFailuresPerAccount: 50,
      signInLockSeconds: 15 * 60,
      http: { headersTimeoutSeconds: 20, bodyTimeoutSeconds: 30 },
      usageRetentionDays: null,
      logLevel: 'info',
    });
    expect(config.encryptionKeys.value).toEqual([]);
    expect(config.providers.OPENAI.baseUrl).toMatch(/^https:\/\//);
    expect(config.providers.ANTHROPIC.baseUrl).toMatch(/^https:\/\//);
  });

  it('reads every setting', () => {
    const key = validKey();
    const previous = validKey();
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        PORT: '8080',
        DATABASE_URL: 'postgres://byok:secret@db:5432/byok',
        BYOK_DATA_DIR: 'state',
        BYOK_ENCRYPTION_KEY: key,
        BYOK_PREVIOUS_ENCRYPTION_KEYS: ` ${previous} ,`,
        ADMIN_EMAIL: ' Ops@Example.com ',
        ADMIN_PASSWORD: 'a-long-admin-password',
        OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1/',
        SESSION_TTL_SECONDS: '3600',
        SIGN_IN_MAX_FAILURES: '3',
        SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '20',
        HTTP_HEADERS_TIMEOUT_SECONDS: '5',
        HTTP_BODY_TIMEOUT_SECONDS: '7',
        SIGN_IN_LOCK_SECONDS: '60',
        USAGE_RETENTION_DAYS: '400',
        LOG_LEVEL: 'warn',
      },
      '/srv/byok',
    );
    expect(config).toMatchObject({
      nodeEnv: 'production',
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/srv/byok/state',
      admin: { email: 'ops@example.com' },
      sessionTtlSeconds: 3600,
      signInMaxFailures: 3,
      signInMaxFailuresPerAccount: 20,
      http: { headersTimeoutSeconds: 5, bodyTimeoutSeconds: 7 },
      signInLockSeconds: 60,
      usageRetentionDays: 400,
      logLevel: 'warn',
    });
    expect(config.databaseUrl?.value).toBe('postgres://byok:secret@db:5432/byok');
    expect(config.encryptionKeys.value).toEqual([key, previous]);
    expect(config.admin.password?.value).toBe('a-long-admin-password');
    expect(config.providers.OPENAI.baseUrl).toBe('http://127.0.0.1:9999'); // the SDK convention's /v1 is dropped: adapters add it;
  });

  it('lists every bad value together in one ConfigError', () => {
    const problems = problemsOf({
      NODE_ENV: 'staging',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/byok',
      OPENAI_BASE_URL: 'ftp://example.com',
      ANTHROPIC_BASE_URL: 'not a url',
      BYOK_ENCRYPTION_KEY: 'too-short',
      ADMIN_EMAIL: 'not-an-email',
      ADMIN_PASSWORD: 'short',
      SESSION_TTL_SECONDS: '5',
      SIGN_IN_MAX_FAILURES: '0',
      SIGN_IN_LOCK_SECONDS: '-1',
      USAGE_RETENTION_DAYS: '0',
      SIGN_IN_MAX_FAILURES_PER_ADDRESS: 'x',
      SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '0',
      HTTP_HEADERS_TIMEOUT_SECONDS: '0',
      HTTP_BODY_TIMEOUT_SECONDS: 'soon',
      PASSWORD_HASH_CONCURRENCY: '0',
      PROVIDER_VERIFY_TIMEOUT_MS: '1.5',
      LOG_LEVEL: 'loud',
      BYOK_PRICE_OVERRIDES: '{"OPENAI": {"gpt-x": {"inputPerMillionUsd": -1, "outputPerMillionUsd": 1}}}',
    });
    const expected = [
      'NODE_ENV',
      'PORT',
      'DATABASE_URL',
      'OPENAI_BASE_URL',
      'ANTHROPIC_BASE_URL',
      'BYOK_ENCRYPTION_KEY',
      'ADMIN_EMAIL',
      'ADMIN_PASSWORD',
      'SESSION_TTL_SECONDS',
      'SIGN_IN_MAX_FAILURES',
      'SIGN_IN_LOCK_SECONDS',
      'USAGE_RETENTION_DAYS',
      'SIGN_IN_MAX_FAILURES_PER_ADDRESS',
      'SIGN_IN_MAX_FAILURES_PER_ACCOUNT',
      'HTTP_HEADERS_TIMEOUT_SECONDS',
      'HTTP_BODY_TIMEOUT_SECONDS',
      'PASSWORD_HASH_CONCURRENCY',
      'PROVIDER_VERIFY_TIMEOUT_MS',
      'LOG_LEVEL',
      'BYOK_PRICE_OVERRIDES',
    ];
    expect(problems).toHaveLength(expected.length);
    for (const name of expected) expect(problems.some((problem) => problem.startsWith(name))).toBe(true);
  });

  it('TRUST_PROXY: Express trust-proxy syntax, loopback by default, bad entries named', () => {
    expect(loadConfig({}, '/srv/byok').trustProxy).toEqual(['loopback']);
    const read = (value: string) => loadConfig({ TRUST_PROXY: value }, '/srv/byok').trustProxy;
    expect(read('true')).toBe(true);
    expect(read('false')).toBe(false);
    expect(read('2')).toBe(2);
    expect(read(' loopback, uniquelocal ,10.0.0.0/8,172.18.0.1, fd00::/8 ,192.168.0.0/255.255.0.0')).toEqual([
      'loopback',
      'uniquelocal',
      '10.0.0.0/8',
      '172.18.0.1',
      'fd00::/8',
      '192.168.0.0/255.255.0.0',
    ]);
    for (const bad of ['yes', 'loopback,proxy.example.com', '10.0.0.0/33', '::1/129', '1.2.3.4/8/8', ',', '10.0.0.0/ffff::']) {
      expect({ bad, problems: problemsOf({ TRUST_PROXY: bad }).map((problem) => problem.split(' ')[0]) }).toEqual({ bad, problems: ['TRUST_PROXY'] });
    }
  });

  it('request-rate limits: unset or 0 = no limit; whole numbers otherwise; REDIS_URL is redacted', () => {
    expect(loadConfig({}, '/srv/byok').rateLimits).toEqual({ workspaceRpm: null, tokenRpm: null, redisUrl: null });
    const config = loadConfig({ RATE_LIMIT_WORKSPACE_RPM: '600', RATE_LIMIT_TOKEN_RPM: '0', REDIS_URL: 'redis://:secret@cache:6379' }, '/srv/byok');
    expect(config.rateLimits).toMatchObject({ workspaceRpm: 600, tokenRpm: null });
    expect(config.rateLimits.redisUrl?.value).toBe('redis://:secret@cache:6379');
    expect(inspect(config)).not.toContain('secret');
    expect(JSON.stringify(config)).not.toContain('secret');
    const problems = problemsOf({ RATE_LIMIT_TOKEN_RPM: '-5', RATE_LIMIT_WORKSPACE_RPM: 'lots', REDIS_URL: 'cache:6379' });
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^RATE_LIMIT_WORKSPACE_RPM must be a whole number/),
        expect.stringMatching(/^RATE_LIMIT_TOKEN_RPM must be a whole number/),
        'REDIS_URL must start with redis:// or rediss://',
      ]),
    );
  });

  it('the error message lists each problem on its own line', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/^Invalid configuration:\n {2}- PORT .*\n {2}- LOG_LEVEL /);
    }
  });

  it('refuses production without BYOK_ENCRYPTION_KEY', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^BYOK_ENCRYPTION_KEY is required in production/)]);
    expect(() => loadConfig({ NODE_ENV: 'production', BYOK_ENCRYPTION_KEY: validKey() })).not.toThrow();
  });

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(problemsOf({ ADMIN_EMAIL: 'ops@example.com' })).toEqual([expect.stringMatching(/set together/)]);
    expect(problemsOf({ ADMIN_PASSWORD: 'long-enough-password' })).toEqual([expect.stringMatching(/set together/)]);
  });

  it('requires the current key when previous keys are given, and checks each previous key', () => {
    expect(problemsOf({ BYOK_PREVIOUS_ENCRYPTION_KEYS: validKey() })).toEqual([expect.stringMatching(/BYOK_ENCRYPTION_KEY is not/)]);
    expect(problemsOf({ BYOK_ENCRYPTION_KEY: validKey(), BYOK_PREVIOUS_ENCRYPTION_KEYS: `${validKey()},nope` })).toEqual([
      expect.stringMatching(/^BYOK_PREVIOUS_ENCRYPTION_KEYS\[1\]/),
    ]);
  });

  describe('secrets never appear in the error text or in a serialised config', () => {
    const CANARY = 'CANARY7f3a9c';

    it('bad secret values are reported by name only', () => {
      let message = '';
      try {
        loadConfig({
          BYOK_ENCRYPTION_KEY: `${CANARY}-not-base64!`,
          BYOK_PREVIOUS_ENCRYPTION_KEYS: `${validKey()},${CANARY}`,
          ADMIN_EMAIL: 'ops@example.com',
          ADMIN_PASSWORD: CANARY.slice(0, 7), // too short
          DATABASE_URL: `mysql://user:${CANARY}@db/byok`,
          OPENAI_BASE_URL: `https://user:${CANARY}@proxy.example.com`,
          ANTHROPIC_BASE_URL: `ftp://${CANARY}@example.com`,
        });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = `${(error as Error).message}\n${(error as ConfigError).problems.join('\n')}`;
      }
      expect(message).toMatch(/BYOK_ENCRYPTION_KEY/);
      expect(message).toMatch(/ADMIN_PASSWORD/);
      expect(message).toMatch(/DATABASE_URL/);
      expect(message).toMatch(/OPENAI_BASE_URL must not contain credentials/);
      expect(message).not.toContain(CANARY);
      expect(message).not.toContain(CANARY.slice(0, 7));
    });

    it('JSON.stringify and util.inspect of a valid config show markers, not secret values', () => {
      const key = validKey();
      const config = loadConfig({
        DATABASE_URL: `postgres://byok:${CANARY}db@db/byok`,
        BYOK_ENCRYPTION_KEY: key,
        ADMIN_EMAIL: 'ops@example.com',
        ADMIN_PASSWORD: `${CANARY}admin`,
        OPENAI_API_KEY: `sk-${CANARY}openai`,
      });
      for (const text of [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.admin.password)]) {
        expect(text).not.toContain(CANARY);
        expect(text).not.toContain(key);
      }
      expect(JSON.stringify(config)).toContain('[redacted]');
      // The values are still there for the code that needs them.
      expect(config.admin.password?.value).toBe(`${CANARY}admin`);
      expect(config.providers.OPENAI.envApiKey?.value).toBe(`sk-${CANARY}openai`);
    });
  });
});

describe('provider base URLs', () => {
  it.each([
    ['https://api.openai.com/v1', 'https://api.openai.com'],
    ['https://api.openai.com/v1/', 'https://api.openai.com'],
    ['https://api.openai.com', 'https://api.openai.com'],
    ['https://api.openai.com/', 'https://api.openai.com'],
    ['https://proxy.example.com/openai/v1', 'https://proxy.example.com/openai'],
    ['http://127.0.0.1:8080/v1', 'http://127.0.0.1:8080'],
  ])('%s is read as %s (adapters append /v1/…, never /v1/v1)', (given, expected) => {
    expect(normaliseProviderBaseUrl(given)).toBe(expected);
    const config = loadConfig({ OPENAI_BASE_URL: given, ANTHROPIC_BASE_URL: given }, '/srv/byok');
    expect(config.providers.OPENAI.baseUrl).toBe(expected);
    expect(`${config.providers.ANTHROPIC.baseUrl}/v1/messages`).not.toContain('/v1/v1');
  });

  it('keeps a version-like path that is not the API version', () => {
    expect(normaliseProviderBaseUrl('https://gateway.example.com/v12')).toBe('https://gateway.example.com/v12');
  });
});
