import { anthropicComplete, anthropicStream } from '../../src/providers/anthropic.chat';
import { openaiComplete, openaiStream } from '../../src/providers/openai.chat';
import { ProviderError, type CompletionRequest, type CompletionResult, type ProviderCallOptions, type StreamEvent } from '../../src/providers/provider-adapter';
import { startFakeProviders, type FakeProvider, type FakeProviders } from '../fakes/fake-provider';

const KEYS = { OPENAI: 'sk-proj-adapter-test-key-000000001', ANTHROPIC: 'sk-ant-api03-adapter-test-key-0001' } as const;
type Kind = keyof typeof KEYS;

const CHAT = {
  OPENAI: { complete: openaiComplete, stream: openaiStream },
  ANTHROPIC: { complete: anthropicComplete, stream: anthropicStream },
} satisfies Record<Kind, unknown>;

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
  const fake = (kind: Kind): FakeProvider => (kind === 'OPENAI' ? fakes.openai : fakes.anthropic);
  const options = (kind: Kind, extra: Partial<ProviderCallOptions> = {}): ProviderCallOptions => ({
    apiKey: KEYS[kind],
    baseUrl: fake(kind).url,
    timeoutMs: 3000,
    ...extra,
  });

  beforeAll(async () => {
    fakes = await startFakeProviders({
      openai: { validKeys: [KEYS.OPENAI], forbiddenKeys: ['sk-forbidden-key-000000000009'], chunkDelayMs: 20 },
      anthropic: { validKeys: [KEYS.ANTHROPIC], forbiddenKeys: ['sk-ant-forbidden-key-00000009'], chunkDelayMs: 20 },
    });
  });
  afterEach(() => {
    fakes.openai.reset();
    fakes.anthropic.reset();
  });
  afterAll(async () => {
    await fakes.close();
  });

  describe.each(['OPENAI', 'ANTHROPIC'] as const)('%s', (kind) => {
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
      expect(fake(kind).requests[0]!.apiKey).toBe(KEYS[kind]);
    });

    it('classifies a wrong key as REJECTED without echoing the key (not even masked)', async () => {
      const wrongKey = kind === 'OPENAI' ? 'sk-proj-wrongwrongwrongwrong9876' : 'sk-ant-api03-wrongwrongwrong9876';
      const error = await failureOf(CHAT[kind].complete(request, { ...options(kind), apiKey: wrongKey }));
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe('REJECTED');
      expect((error as ProviderError).status).toBe(401);
      expect((error as ProviderError).message).not.toContain('9876');
      expect((error as ProviderError).message).not.toContain(wrongKey.slice(0, 8));
    });

    it('classifies a key without permission (403) as REJECTED', async () => {
      const forbidden = kind === 'OPENAI' ? 'sk-forbidden-key-000000000009' : 'sk-ant-forbidden-key-00000009';
      const error = await failureOf(CHAT[kind].complete(request, { ...options(kind), apiKey: forbidden }));
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
      expect(fake(kind).requests[0]!.aborted).toBe(true);
      expect(deltas.length).toBeLessThan(5);
      expect(fake(kind).totalUsage()).toEqual({ inputTokens: 0, outputTokens: 0 });
    });

    it('ends the provider request when the consumer stops reading', async () => {
      const long: CompletionRequest = { ...request, messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten' }] };
      for await (const event of CHAT[kind].stream(long, options(kind))) {
        if (event.type === 'delta') break;
      }
      await fake(kind).idle();
      expect(fake(kind).requests[0]!.aborted).toBe(true);
    });

    it('aborts a non-streamed call when the caller cancels', async () => {
      const controller = new AbortController();
      fake(kind).failNext({ type: 'delay', ms: 2000 });
      const pending = CHAT[kind].complete(request, options(kind, { signal: controller.signal }));
      setTimeout(() => controller.abort(), 50);
      const error = await failureOf(pending);
      expect((error as Error).name).toBe('AbortError');
      await fake(kind).idle();
      expect(fake(kind).requests[0]!.aborted).toBe(true);
    });
  });

  it('OpenAI: sends max_completion_tokens and asks for usage in the stream', async () => {
    await drain(openaiStream(request, options('OPENAI')));
    expect(fakes.openai.requests[0]!.body).toMatchObject({
      model: 'test-model',
      max_completion_tokens: 100,
      stream: true,
      stream_options: { include_usage: true },
      messages: request.messages,
    });
  });

  it('Anthropic: moves system messages to `system` and sends the API version', async () => {
    await anthropicComplete(request, options('ANTHROPIC'));
    const recorded = fakes.anthropic.requests[0]!;
    expect(recorded.body).toEqual({ model: 'test-model', max_tokens: 100, system: 'be brief', messages: [{ role: 'user', content: 'hello there world' }] });
    expect(recorded.headers['anthropic-version']).toBe('2023-06-01');
    expect(recorded.headers.authorization).toBeUndefined();
  });

  it('Anthropic: reports usage from message_start before any text, for cancelled streams', async () => {
    const events: StreamEvent[] = [];
    for await (const event of anthropicStream(request, options('ANTHROPIC'))) {
      events.push(event);
      if (event.type === 'delta') break;
    }
    expect(events[0]).toEqual({ type: 'usage', inputTokens: 5, outputTokens: 1 });
  });

  it('OpenAI: does not send the key anywhere but the Authorization header', async () => {
    await openaiComplete(request, options('OPENAI'));
    const recorded = fakes.openai.requests[0]!;
    expect(JSON.stringify(recorded.body)).not.toContain(KEYS.OPENAI);
    expect(recorded.path).toBe('/v1/chat/completions');
    expect(recorded.headers['x-api-key']).toBeUndefined();
  });
});
