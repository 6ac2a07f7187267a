import { ProviderError, type ProviderAdapter } from './provider-adapter';
import { PROVIDER_ADAPTERS } from './index';
import { scrubKeyFragments, withKeyScrubbing } from './key-scrubbing';

const KEY = 'sk-proj-Ab3/De+Fg=Hi_Jk-Lm9NoPqRsTuVwXyZ';
const percentEveryByte = (text: string): string => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

describe('scrubKeyFragments', () => {
  it.each([
    ['the whole key', KEY],
    ['the key without its prefix', KEY.slice('sk-proj-'.length)],
    ['an 8-character piece', KEY.slice(12, 20)],
    ['the URL-encoded key', encodeURIComponent(KEY)],
    ['a URL-encoded piece in lower-case hex', encodeURIComponent(KEY.slice(9, 20)).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())],
    ['every byte percent-encoded', percentEveryByte(KEY.slice(5, 20))],
    ['the base64 key', Buffer.from(KEY).toString('base64')],
    ['base64 of a piece at each alignment', [1, 2, 3].map((start) => Buffer.from(KEY.slice(start, start + 12)).toString('base64')).join(' ')],
    ['base64url of the key without prefix', Buffer.from(KEY.slice(8)).toString('base64url')],
  ])('removes %s', (_label, echoed) => {
    const scrubbed = scrubKeyFragments(`provider said: ${echoed} (end)`, KEY);
    expect(scrubbed).toContain('[REDACTED]');
    expect(scrubbed).toMatch(/^provider said: .*\(end\)$/);
    for (let index = 0; index + 8 <= KEY.length; index += 1) expect(scrubbed).not.toContain(KEY.slice(index, index + 8));
  });

  it('leaves text without 8 consecutive characters of the key alone', () => {
    const text = `Incorrect API key provided: sk-****wXyZ. Ab3/De+ is 7 characters`;
    expect(scrubKeyFragments(text, KEY)).toBe(text);
  });
});

describe('withKeyScrubbing', () => {
  const echoing: ProviderAdapter = {
    passthrough: PROVIDER_ADAPTERS.OPENAI.passthrough,
    listModels: (options) => Promise.reject(new ProviderError('REJECTED', `bad key ${options.apiKey.slice(3)}`, 401)),
    complete: (_request, options) => Promise.resolve({ text: `you sent ${options.apiKey.slice(4, 16)}`, model: 'm', inputTokens: 1, outputTokens: 1 }),
    async *stream(_request, options) {
      yield { type: 'delta', text: options.apiKey.slice(2, 12) };
      throw new ProviderError('UNAVAILABLE', `broke on ${Buffer.from(options.apiKey).toString('base64')}`, 503);
    },
  };
  const adapter = withKeyScrubbing(echoing);
  const options = { apiKey: KEY, baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000 };
  const request = { model: 'm', messages: [], maxTokens: 1 };

  it('scrubs errors, answers and stream deltas, keeping the error kind and status', async () => {
    await expect(adapter.listModels(options)).rejects.toMatchObject({ kind: 'REJECTED', status: 401, message: 'bad key [REDACTED]' });
    await expect(adapter.complete(request, options)).resolves.toMatchObject({ text: 'you sent [REDACTED]' });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of adapter.stream(request, options)) if (event.type === 'delta') seen.push(event.text);
      })(),
    ).rejects.toMatchObject({ kind: 'UNAVAILABLE', message: expect.stringMatching(/^broke on \[REDACTED\]=*$/) });
    expect(seen).toEqual(['[REDACTED]']);
  });
});
