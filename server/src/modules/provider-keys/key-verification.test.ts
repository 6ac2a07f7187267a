import { PROVIDER_IDS } from '@byok/shared';
import type { AppConfig } from '../../config/config';
import { createLogger } from '../../logging/logger';
import { ProviderError, type ProviderAdapter, type ProviderAdapters } from '../../providers/provider-adapter';
import { KeyVerifier, assertKeyFormat, scrubKey } from './key-verification';

const KEY = 'sk-abcdefghijklmnopqrstuvwxyz012345';
const config = {
  providers: { OPENAI: { baseUrl: 'http://127.0.0.1:1', envApiKey: null }, ANTHROPIC: { baseUrl: 'http://127.0.0.1:2', envApiKey: null } },
  verifyTimeoutMs: 1234,
} as unknown as AppConfig;

function verifierThat(listModels: ProviderAdapter['listModels']): { verifier: KeyVerifier; logs: string[] } {
  const adapter: ProviderAdapter = {
    listModels,
    complete: () => Promise.reject(new Error('unused')),
    stream: () => ({}) as AsyncIterable<never>,
    passthrough: { url: () => null, headers: () => ({}) },
  };
  const logs: string[] = [];
  const adapters = Object.fromEntries(PROVIDER_IDS.map((id) => [id, adapter])) as ProviderAdapters;
  return {
    verifier: new KeyVerifier(
      config,
      createLogger('debug', (line) => logs.push(line)),
      adapters,
    ),
    logs,
  };
}

describe('KeyVerifier', () => {
  it('calls list-models with the key, the configured base URL and the verification timeout', async () => {
    const listModels = jest.fn<Promise<string[]>, Parameters<ProviderAdapter['listModels']>>().mockResolvedValue(['gpt-4o']);
    const { verifier } = verifierThat(listModels);
    await expect(verifier.verify('ANTHROPIC', KEY)).resolves.toEqual({ outcome: 'VALID' });
    expect(listModels).toHaveBeenCalledWith({ apiKey: KEY, baseUrl: 'http://127.0.0.1:2', timeoutMs: 1234 });
  });

  it.each([
    [new ProviderError('REJECTED', 'OpenAI answered 401', 401), { outcome: 'REJECTED', message: 'OpenAI answered 401', httpStatus: 401 }],
    [new ProviderError('UNAVAILABLE', 'No answer within 5 s', null), { outcome: 'UNVERIFIED', message: 'No answer within 5 s', httpStatus: null }],
    [new ProviderError('RATE_LIMITED', 'OpenAI answered 429', 429), { outcome: 'UNVERIFIED', message: 'OpenAI answered 429', httpStatus: 429 }],
    [new ProviderError('BAD_REQUEST', 'OpenAI answered 404', 404), { outcome: 'UNVERIFIED', message: 'OpenAI answered 404', httpStatus: 404 }],
  ])('classifies %p', async (error, expected) => {
    const { verifier } = verifierThat(() => Promise.reject(error));
    await expect(verifier.verify('OPENAI', KEY)).resolves.toEqual(expected);
  });

  it('never passes the key on in a message, even when the provider echoes it', async () => {
    const { verifier } = verifierThat(() => Promise.reject(new ProviderError('REJECTED', `Incorrect API key provided: ${KEY}.`, 401)));
    const result = await verifier.verify('OPENAI', KEY);
    expect(JSON.stringify(result)).not.toContain(KEY.slice(3, 20));
  });

  it('turns an unexpected failure into UNVERIFIED and logs only its type', async () => {
    const { verifier, logs } = verifierThat(() => Promise.reject(new TypeError(`boom ${KEY}`)));
    await expect(verifier.verify('OPENAI', KEY)).resolves.toEqual({ outcome: 'UNVERIFIED', message: 'Could not verify the key with OpenAI', httpStatus: null });
    expect(logs.join('\n')).toContain('TypeError');
    expect(logs.join('\n')).not.toContain(KEY.slice(3, 20));
  });
});

describe('scrubKey', () => {
  it('removes the key and key-like text', () => {
    expect(scrubKey(`bad key ${KEY} and sk-proj-abc****wxyz`, KEY)).toBe('bad key [REDACTED] and [REDACTED]');
  });
});

describe('assertKeyFormat', () => {
  it('throws INVALID_KEY_FORMAT with the shared message and problem, never the key', () => {
    const key = 'sk-ant-abcdefghijklmnopqrstuvwxyz';
    let caught: unknown;
    try {
      assertKeyFormat('OPENAI', key);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'INVALID_KEY_FORMAT', extensions: { problem: 'WRONG_PREFIX' } });
    expect(JSON.stringify(caught) + String((caught as Error).message)).not.toContain(key);
  });

  it('accepts a well-formed key', () => {
    expect(() => assertKeyFormat('OPENAI', KEY)).not.toThrow();
  });
});
