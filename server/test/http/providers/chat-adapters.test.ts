import { PROVIDER_IDS, PROVIDERS, type ProviderId, type WireFamily } from '@byok/shared';
import { PROVIDER_ADAPTERS } from '../../../src/providers';
import {
  ProviderError,
  type CompletionRequest,
  type CompletionResult,
  type ProviderCallOptions,
  type StreamEvent,
} from '../../../src/providers/provider-adapter';
import { startFakeProviders, type FakeProvider, type FakeProviders } from '../../fakes/fake-provider';
import { must } from '../../support/must';

type Kind = ProviderId;
/** A key of the provider's own format: its first prefix (if it has one) and a readable body. */
const keyOf = (kind: Kind, body: string): string => `${PROVIDERS[kind].keyPrefixes[0] ?? ''}${body}`;
const KEYS = Object.fromEntries(PROVIDER_IDS.map((kind) => [kind, keyOf(kind, 'adapter-test-key-000000001')])) as Record<Kind, string>;
const FORBIDDEN = Object.fromEntries(PROVIDER_IDS.map((kind) => [kind, keyOf(kind, 'forbidden-key-000000000009')])) as Record<Kind, string>;

const CHAT = PROVIDER_ADAPTERS;

const request: CompletionRequest = {
  model: 'test-model',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hello there world' },
  ],
  maxTokens: 100,
};

async function drain(iterable: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('chat adapters against the fake providers', () => {
  let fakes: FakeProviders;
  const fake = (kind: Kind): FakeProvider => fakes[kind];
  const options = (kind: Kind, extra: Partial<ProviderCallOptions> = {}): ProviderCallOptions => ({
    apiKey: KEYS[kind],
    baseUrl: fake(kind).url,
    timeoutMs: 3000,
    ...extra,
  });

  beforeAll(async () => {
    fakes = await startFakeProviders(Object.fromEntries(PROVIDER_IDS.map((kind) => [kind, { validKeys: [KEYS[kind]], forbiddenKeys: [FORBIDDEN[kind]] }])), {
      chunkDelayMs: 20,
    });
  });
  afterEach(() => {
    for (const each of fakes.all) each.reset();
  });
  afterAll(async () => {
    await fakes.close();
  });

  describe.each(PROVIDER_IDS)('%s', (kind) => {
    it('completes with the given key and reports the provider usage', async () => {
      const result = await CHAT[kind].complete(request, options(kind));
      expect(result).toEqual<CompletionResult>({ text: 'Echo: hello there world', model: 'test-model', inputTokens: 5, outputTokens: 4 });
      expect(fake(kind).keysSeen()).toEqual([KEYS[kind]]);
      expect(fake(kind).totalUsage()).toEqual({ inputTokens: 5, outputTokens: 4 });
    });

    it('streams deltas that add up to the final text, then done with usage', async () => {
      const events = await drain(CHAT[kind].stream(request, options(kind)));
      const deltas = events.flatMap((event) => (event.type === 'delta' ? [event.text] : []));
      expect(deltas.length).toBeGreaterThan(1);
      const done = events[events.length - 1];
      expect(done).toEqual({ type: 'done', result: { text: 'Echo: hello there world', model: 'test-model', inputTokens: 5, outputTokens: 4 } });
      expect(deltas.join('')).toBe('Echo: hello there world');
      expect(fake(kind).totalUsage()).toEqual({ inputTokens: 5, outputTokens: 4 });
      expect(fake(kind).requests[0]?.apiKey).toBe(KEYS[kind]);
    });

    it('classifies a wrong key as REJECTED without echoing the key (not even masked)', async () => {
      const wrongKey = keyOf(kind, 'api03-wrongwrongwrongwrong9876');
      const error = await failureOf(CHAT[kind].complete(request, { ...options(kind), apiKey: wrongKey }));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe('REJECTED');
      // 401 everywhere except Gemini, which answers a wrong key with 400 API_KEY_INVALID.
      expect((error as ProviderError).status).toBe(must(fake(kind).requests[0], 'the recorded request').responseStatus);
      expect([400, 401]).toContain((error as ProviderError).status);
      expect((error as ProviderError).message).not.toContain('9876');
      expect((error as ProviderError).message).not.toContain(wrongKey.slice(0, 8));
    });

    it('classifies a key without permission (403) as REJECTED', async () => {
      const error = await failureOf(CHAT[kind].complete(request, { ...options(kind), apiKey: FORBIDDEN[kind] }));
      expect((error as ProviderError).kind).toBe('REJECTED');
      expect((error as ProviderError).status).toBe(403);
    });

    it('classifies 429 as RATE_LIMITED with Retry-After, 5xx as UNAVAILABLE and 400 as BAD_REQUEST', async () => {
      fake(kind).failNext({ type: 'status', status: 429, retryAfterSeconds: 7 });
      const limited = (await failureOf(CHAT[kind].complete(request, options(kind)))) as ProviderError;
      expect([limited.kind, limited.retryAfterSeconds]).toEqual(['RATE_LIMITED', 7]);

      fake(kind).failNext({ type: 'status', status: 503 });
      expect(((await failureOf(CHAT[kind].complete(request, options(kind)))) as ProviderError).kind).toBe('UNAVAILABLE');

      fake(kind).failNext({ type: 'status', status: 400 });
      const bad = (await failureOf(drain(CHAT[kind].stream(request, options(kind))))) as ProviderError;
      expect(bad.kind).toBe('BAD_REQUEST');
      expect(fake(kind).totalUsage()).toEqual({ inputTokens: 0, outputTokens: 0 });
    });

    it('turns a hung provider into UNAVAILABLE after the timeout, and a reset into UNAVAILABLE', async () => {
      fake(kind).failNext({ type: 'hang' });
      const timedOut = (await failureOf(CHAT[kind].complete(request, options(kind, { timeoutMs: 150 })))) as ProviderError;
      expect(timedOut).toBeInstanceOf(ProviderError);
      expect(timedOut.kind).toBe('UNAVAILABLE');

      fake(kind).failNext({ type: 'reset' });
      const reset = (await failureOf(drain(CHAT[kind].stream(request, options(kind))))) as ProviderError;
      expect(reset.kind).toBe('UNAVAILABLE');
    });

    it('times out a stream that stalls midway as UNAVAILABLE', async () => {
      const events: StreamEvent[] = [];
      const long: CompletionRequest = { ...request, messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten' }] };
      const error = await failureOf(
        (async () => {
          for await (const event of CHAT[kind].stream(long, options(kind, { timeoutMs: 90 }))) events.push(event);
        })(),
      );
      expect((error as ProviderError).kind).toBe('UNAVAILABLE');
      expect(events.some((event) => event.type === 'done')).toBe(false);
    });

    it('aborts the provider request when the caller cancels mid-stream', async () => {
      const controller = new AbortController();
      const long: CompletionRequest = { ...request, messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten' }] };
      const deltas: string[] = [];
      const error = await failureOf(
        (async () => {
          for await (const event of CHAT[kind].stream(long, options(kind, { signal: controller.signal }))) {
            if (event.type === 'delta') {
              deltas.push(event.text);
              if (deltas.length === 2) controller.abort();
            }
          }
        })(),
      );
      expect(error).not.toBeInstanceOf(ProviderError);
      expect((error as Error).name).toBe('AbortError');
      await fake(kind).idle();
      expect(fake(kind).requests[0]?.aborted).toBe(true);
      expect(deltas.length).toBeLessThan(5);
      expect(fake(kind).totalUsage()).toEqual({ inputTokens: 0, outputTokens: 0 });
    });

    it('ends the provider request when the consumer stops reading', async () => {
      const long: CompletionRequest = { ...request, messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten' }] };
      for await (const event of CHAT[kind].stream(long, options(kind))) {
        if (event.type === 'delta') break;
      }
      await fake(kind).idle();
      expect(fake(kind).requests[0]?.aborted).toBe(true);
    });

    it('aborts a non-streamed call when the caller cancels', async () => {
      const controller = new AbortController();
      fake(kind).failNext({ type: 'delay', ms: 2000 });
      const pending = CHAT[kind].complete(request, options(kind, { signal: controller.signal }));
      setTimeout(() => controller.abort(), 50);
      const error = await failureOf(pending);
      expect((error as Error).name).toBe('AbortError');
      await fake(kind).idle();
      expect(fake(kind).requests[0]?.aborted).toBe(true);
    });
  });

  it.each(PROVIDER_IDS.filter((kind) => PROVIDERS[kind].wire === 'openai-compatible'))(
    '%s: sends its definition’s max-tokens field, and stream_options only where the provider accepts it',
    async (kind) => {
      await drain(CHAT[kind].stream(request, options(kind)));
      const rule = PROVIDERS[kind].openAiCompatible;
      const body = must(fakes[kind].requests[0], 'the recorded request').body;
      expect(body).toMatchObject({ [rule.maxTokensField]: 100, stream: true });
      const expectedOptions = rule.streamUsage === 'include-usage-option' ? { include_usage: true } : undefined;
      expect((body as Record<string, unknown>).stream_options).toEqual(expectedOptions);
    },
  );

  it('OpenAI: sends max_completion_tokens and asks for usage in the stream', async () => {
    await drain(CHAT.OPENAI.stream(request, options('OPENAI')));
    expect(fakes.OPENAI.requests[0]?.body).toMatchObject({
      model: 'test-model',
      max_completion_tokens: 100,
      stream: true,
      stream_options: { include_usage: true },
      messages: request.messages,
    });
  });

  it('Anthropic: moves system messages to `system` and sends the API version', async () => {
    await CHAT.ANTHROPIC.complete(request, options('ANTHROPIC'));
    const recorded = must(fakes.ANTHROPIC.requests[0], 'the recorded Anthropic request');
    expect(recorded.body).toEqual({ model: 'test-model', max_tokens: 100, system: 'be brief', messages: [{ role: 'user', content: 'hello there world' }] });
    expect(recorded.headers['anthropic-version']).toBe('2023-06-01');
    expect(recorded.headers.authorization).toBeUndefined();
  });

  it('Anthropic: reports usage from message_start before any text, for cancelled streams', async () => {
    const events: StreamEvent[] = [];
    for await (const event of CHAT.ANTHROPIC.stream(request, options('ANTHROPIC'))) {
      events.push(event);
      if (event.type === 'delta') break;
    }
    expect(events[0]).toEqual({ type: 'usage', inputTokens: 5, outputTokens: 1 });
  });

  it('Gemini: native generateContent with x-goog-api-key, systemInstruction and the `model` role', async () => {
    const chat: CompletionRequest = {
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'again please' },
      ],
      maxTokens: 50,
    };
    expect(await CHAT.GEMINI.complete(chat, options('GEMINI'))).toMatchObject({ text: 'Echo: again please', inputTokens: 6, outputTokens: 3 });
    const recorded = must(fakes.GEMINI.requests[0], 'the recorded Gemini request');
    expect(recorded.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(recorded.headers['x-goog-api-key']).toBe(KEYS.GEMINI);
    expect(recorded.headers.authorization).toBeUndefined();
    expect(recorded.body).toEqual({
      systemInstruction: { parts: [{ text: 'be brief' }] },
      contents: [
        { role: 'user', parts: [{ text: 'hi' }] },
        { role: 'model', parts: [{ text: 'hello' }] },
        { role: 'user', parts: [{ text: 'again please' }] },
      ],
      generationConfig: { maxOutputTokens: 50 },
    });
  });

  it('Gemini: the fake also serves the OpenAI-compatible endpoint (Bearer key) under /v1beta/openai', async () => {
    const response = await fetch(`${fakes.GEMINI.url}/v1beta/openai/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.GEMINI}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }], stream: false }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('Echo: hi');
    expect(fakes.GEMINI.keysSeen()).toEqual([KEYS.GEMINI]);
  });

  it('OpenAI: does not send the key anywhere but the Authorization header', async () => {
    await CHAT.OPENAI.complete(request, options('OPENAI'));
    const recorded = must(fakes.OPENAI.requests[0], 'the recorded OpenAI request');
    expect(JSON.stringify(recorded.body)).not.toContain(KEYS.OPENAI);
    expect(recorded.path).toBe('/v1/chat/completions');
    expect(recorded.headers['x-api-key']).toBeUndefined();
  });
});

describe('base URLs in the SDK convention', () => {
  it.each(PROVIDER_IDS)('%s: a base URL that already ends in the version path does not get it twice', async (kind) => {
    const fakes = await startFakeProviders({ [kind]: { validKeys: [KEYS[kind]] } });
    try {
      const versionPath: Record<WireFamily, string> = { 'openai-compatible': PROVIDERS[kind].openAiCompatible.basePath, anthropic: '/v1', gemini: '/v1beta' };
      const versioned = `${fakes[kind].url}${versionPath[PROVIDERS[kind].wire]}`;
      await PROVIDER_ADAPTERS[kind].listModels({ apiKey: KEYS[kind], baseUrl: versioned, timeoutMs: 3000 });
      expect(fakes[kind].requests[0]?.path).not.toMatch(/\/v1(beta)?\/v1/);
    } finally {
      await fakes.close();
    }
  });
});
