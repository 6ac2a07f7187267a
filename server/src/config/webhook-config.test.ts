import { ConfigError, loadConfig } from './config';

describe('webhook settings', () => {
  it('default to HTTPS-only public URLs and a gentle retry schedule', () => {
    expect(loadConfig({}, '/srv/byok').webhooks).toEqual({
      allowPrivateNetworks: false,
      pollIntervalMs: 1000,
      retryBaseMs: 10000,
      maxAttempts: 10,
      timeoutMs: 10000,
    });
  });

  it('reads every setting and refuses anything but true/false for private networks', () => {
    const env = {
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_TIMEOUT_MS: '500',
    };
    expect(loadConfig(env, '/srv/byok').webhooks).toEqual({ allowPrivateNetworks: true, pollIntervalMs: 50, retryBaseMs: 100, maxAttempts: 3, timeoutMs: 500 });
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' }, '/srv/byok')).toThrow(ConfigError);
  });
});
