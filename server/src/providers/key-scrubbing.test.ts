import { must } from '../../test/support/must';
import { ProviderError, type ProviderAdapter } from './provider-adapter';
import { PROVIDER_ADAPTERS } from './index';
import { keyScrubber, keySpellings, scrubKeyFragments, withKeyScrubbing } from './key-scrubbing';

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

  it('finds exactly what a window-by-window comparison finds (the rolling hash misses nothing, invents nothing)', () => {
    // The reference: every 8 characters of the text compared with every 8 characters of every spelling of the key.
    const scrubber = keyScrubber(KEY);
    const spellings = keySpellings(KEY);
    const windows = new Set(spellings.flatMap((piece) => Array.from({ length: piece.length - 7 }, (_, index) => piece.slice(index, index + 8))));
    let seed = 7;
    const random = (below: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % below;
    };
    const filler = [...'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+=-_%"{}:é€😀'];
    let found = 0;
    for (let round = 0; round < 400; round += 1) {
      let text = '';
      while (text.length < 120) {
        const piece = must(spellings[random(spellings.length)], 'a spelling');
        const start = random(piece.length);
        text += random(3) === 0 ? piece.slice(start, start + 5 + random(10)) : filler.slice(random(40), random(40) + random(20)).join('');
      }
      const covered = new Uint8Array(text.length);
      for (let index = 0; index + 8 <= text.length; index += 1) if (windows.has(text.slice(index, index + 8))) covered.fill(1, index, index + 8);
      let expected = '';
      for (let index = 0; index < text.length; index += 1) {
        if (!covered[index]) expected += text[index];
        else if (index === 0 || !covered[index - 1]) expected += '[REDACTED]';
      }
      if (expected !== text) found += 1;
      expect(scrubber.text(text)).toBe(expected);
    }
    // The generator does produce fragments (and texts without one): both branches were compared.
    expect(found).toBeGreaterThan(50);
    expect(found).toBeLessThan(400);
  });

  it('keeps text around a fragment at the very start and the very end', () => {
    const scrubber = keyScrubber(KEY);
    expect(scrubber.text(`${KEY.slice(0, 10)} middle ${KEY.slice(-9)}`)).toBe('[REDACTED] middle [REDACTED]');
    expect(scrubber.text(KEY.slice(3, 11))).toBe('[REDACTED]');
    expect(scrubber.text('short')).toBe('short');
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
