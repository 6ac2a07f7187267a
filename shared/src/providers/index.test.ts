import { PROVIDER_IDS, PROVIDERS, getProvider, isProviderId } from './index.js';

describe('providers', () => {
  it('lists provider ids in display order', () => {
    expect(PROVIDER_IDS).toEqual(['OPENAI', 'ANTHROPIC', 'MISTRAL', 'GEMINI']);
  });

  it.each(PROVIDER_IDS)('%s is registered under its own id', (id) => {
    expect(PROVIDERS[id].id).toBe(id);
    expect(getProvider(id)).toBe(PROVIDERS[id]);
  });

  it.each(PROVIDER_IDS)('%s has a usable definition', (id) => {
    const provider = getProvider(id);
    expect(provider.models.length).toBeGreaterThan(0);
    for (const model of provider.models) expect(provider.prices[model]).toBeDefined();
    expect(provider.openAiCompatible.basePath).toMatch(/^\/[a-z0-9/]+[^/]$/);
    expect(provider.docsUrl).toMatch(/^https:\/\//);
    expect(provider.defaultBaseUrl).toMatch(/^https:\/\/[^/]+$/);
    // Most specific first, so a longer prefix never hides behind a shorter one.
    const lengths = provider.keyPrefixes.map((prefix) => prefix.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    // Every mask prefix is a longer form of an allowed key prefix.
    for (const maskPrefix of provider.maskPrefixes ?? []) {
      expect(provider.keyPrefixes.some((prefix) => maskPrefix.startsWith(prefix))).toBe(true);
    }
  });

  it('has the documented defaults', () => {
    expect(getProvider('OPENAI').models[0]).toBe('gpt-4o-mini');
    expect(getProvider('ANTHROPIC').models[0]).toBe('claude-3-5-haiku-latest');
    expect(getProvider('OPENAI').apiKeyEnvVar).toBe('OPENAI_API_KEY');
    expect(getProvider('ANTHROPIC').baseUrlEnvVar).toBe('ANTHROPIC_BASE_URL');
  });

  it.each([
    ['OPENAI', true],
    ['ANTHROPIC', true],
    ['openai', false],
    ['', false],
    ['toString', false],
    ['__proto__', false],
    [undefined, false],
    [null, false],
    [1, false],
    [{}, false],
  ])('isProviderId(%p) is %p', (value, expected) => {
    expect(isProviderId(value)).toBe(expected);
  });
});
