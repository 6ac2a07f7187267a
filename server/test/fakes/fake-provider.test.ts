import {
  countWords,
  maskKeyLikeOpenAI,
  startFakeProvider,
  startFakeProviders,
  type FakeProvider,
  type FakeProviderKind,
  type FakeProviders,
} from './fake-provider';
import { PROVIDER_IDS, PROVIDERS } from '@byok/shared';
import { must } from '../support/must';

const OPENAI_KEY = 'sk-proj-validvalidvalidvalid0001';
const ANTHROPIC_KEY = 'sk-ant-api03-validvalidvalid0001';
/** These tests pin the OpenAI Chat Completions dialect (OPENAI) and the Anthropic Messages dialect (ANTHROPIC). */
const openAiWire = (kind: FakeProviderKind): boolean => PROVIDERS[kind].wire === 'openai-compatible';
const FORBIDDEN_KEY = 'sk-forbidden-key-000000000009';
const WRONG_KEY = 'sk-wrongwrongwrongwrongwxyz';

interface SseEvent {
  event: string | null;
  data: string;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice('event: '.length);
        if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
      }
      return { event, data: data.join('\n') };
    });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks a parsed JSON value by keys/indexes so tests can assert on untyped payloads without casts. */
function dig(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = isObject(current) ? current[step] : undefined;
  }
  return current;
}

function headersFor(kind: FakeProviderKind, key: string | null): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (openAiWire(kind)) {
    if (key !== null) headers.authorization = `Bearer ${key}`;
  } else {
    headers['anthropic-version'] = '2023-06-01';
    if (key !== null) headers['x-api-key'] = key;
  }
  return headers;
}

function chatPath(kind: FakeProviderKind): string {
  return openAiWire(kind) ? '/v1/chat/completions' : '/v1/messages';
}

function chatBody(kind: FakeProviderKind, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const messages = [
    { role: 'user', content: 'first question here' },
    { role: 'assistant', content: 'an answer' },
    { role: 'user', content: 'hello there world' },
  ];
  return openAiWire(kind)
    ? { model: 'gpt-4o-mini', messages, ...extra }
    : { model: 'claude-sonnet-4-20250514', max_tokens: 100, system: 'be nice', messages, ...extra };
}

/** Rebuilds the reply from text deltas, whichever dialect the provider speaks. */
function streamedText(kind: FakeProviderKind, events: SseEvent[]): string {
  return events
    .map((event) => {
      if (event.data === '[DONE]') return '';
      const payload: unknown = JSON.parse(event.data);
      const text = openAiWire(kind) ? dig(payload, 'choices', 0, 'delta', 'content') : dig(payload, 'delta', 'text');
      return typeof text === 'string' ? text : '';
    })
    .join('');
}

describe('maskKeyLikeOpenAI', () => {
  it('keeps length, the first 8 and the last 4 characters', () => {
    expect(maskKeyLikeOpenAI('sk-proj-abcdefghijklmnopWXYZ')).toBe('sk-proj-****************WXYZ');
    expect(maskKeyLikeOpenAI('short')).toBe('short');
  });
});

describe.each<FakeProviderKind>(['OPENAI', 'ANTHROPIC'])('fake %s provider', (kind) => {
  const validKey = openAiWire(kind) ? OPENAI_KEY : ANTHROPIC_KEY;
  let fake: FakeProvider;

  const call = (path: string, init: { key?: string | null; body?: unknown; method?: string; signal?: AbortSignal } = {}): Promise<Response> =>
    fetch(`${fake.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: headersFor(kind, init.key === undefined ? validKey : init.key),
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });

  beforeAll(async () => {
    fake = await startFakeProvider(kind, { validKeys: [validKey], forbiddenKeys: [FORBIDDEN_KEY] });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('binds to 127.0.0.1 without a /v1 suffix', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lists models for a valid key', async () => {
    const res = await call('/v1/models');
    expect(res.status).toBe(200);
    const body: unknown = await res.json();
    if (openAiWire(kind)) {
      expect(body).toMatchObject({ object: 'list' });
      expect(dig(body, 'data', 0)).toEqual({ id: 'gpt-4o-mini', object: 'model', created: expect.any(Number), owned_by: 'system' });
    } else {
      expect(body).toMatchObject({ has_more: false, first_id: 'claude-sonnet-4-20250514', last_id: 'claude-3-5-haiku-20241022' });
      expect(dig(body, 'data', 0)).toEqual({
        type: 'model',
        id: 'claude-sonnet-4-20250514',
        display_name: 'Claude Sonnet 4',
        created_at: expect.any(String),
      });
    }
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models', apiKey: validKey, aborted: false });
  });

  it('rejects a wrong key with 401 in the real error shape', async () => {
    const res = await call('/v1/models', { key: WRONG_KEY });
    expect(res.status).toBe(401);
    const body: unknown = await res.json();
    if (openAiWire(kind)) {
      expect(body).toEqual({
        error: {
          message: 'Incorrect API key provided: sk-wrong***************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    } else {
      expect(body).toEqual({
        type: 'error',
        error: { type: 'authentication_error', message: 'invalid x-api-key' },
        request_id: expect.stringMatching(/^req_/),
      });
    }
    expect(fake.keysSeen()).toEqual([WRONG_KEY]);
  });

  it('rejects a missing key with 401', async () => {
    const res = await call('/v1/models', { key: null });
    expect(res.status).toBe(401);
    expect(fake.requests[0].apiKey).toBeNull();
    expect(fake.keysSeen()).toEqual([]);
  });

  it('answers a forbidden key with 403', async () => {
    const res = await call('/v1/models', { key: FORBIDDEN_KEY });
    expect(res.status).toBe(403);
    const body: unknown = await res.json();
    if (openAiWire(kind)) expect(dig(body, 'error', 'type')).toBe('invalid_request_error');
    else expect(dig(body, 'error', 'type')).toBe('permission_error');
  });

  it('fails the next request with 429 and Retry-After, then recovers', async () => {
    fake.failNext({ type: 'status', status: 429, retryAfterSeconds: 7 });
    const limited = await call('/v1/models');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    const body: unknown = await limited.json();
    if (openAiWire(kind)) {
      expect(dig(body, 'error')).toMatchObject({ type: 'rate_limit_exceeded', code: 'rate_limit_exceeded', param: null });
    } else {
      expect(dig(body, 'type')).toBe('error');
      expect(dig(body, 'error', 'type')).toBe('rate_limit_error');
    }
    expect((await call('/v1/models')).status).toBe(200);
  });

  it('injects failures before the auth check and honours `times`', async () => {
    fake.failNext({ type: 'status', status: 500 }, 2);
    const first = await call('/v1/models', { key: WRONG_KEY });
    expect(first.status).toBe(500);
    const body: unknown = await first.json();
    expect(dig(body, 'error', 'type')).toBe(openAiWire(kind) ? 'server_error' : 'api_error');
    expect((await call('/v1/models')).status).toBe(500);
    expect((await call('/v1/models')).status).toBe(200);
  });

  it('keeps failing under failAlways until cleared', async () => {
    fake.failAlways({ type: 'status', status: openAiWire(kind) ? 503 : 529 });
    expect((await call('/v1/models')).status).toBe(openAiWire(kind) ? 503 : 529);
    const second = await call('/v1/models');
    expect(second.status).toBe(openAiWire(kind) ? 503 : 529);
    if (!openAiWire(kind)) expect(dig(await second.json(), 'error', 'type')).toBe('overloaded_error');
    fake.failAlways(null);
    expect((await call('/v1/models')).status).toBe(200);
  });

  it('hangs until the client gives up and records the abort', async () => {
    fake.failNext({ type: 'hang' });
    await expect(call('/v1/models', { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    await fake.idle();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].aborted).toBe(true);
  });

  it('resets the socket without a response', async () => {
    fake.failNext({ type: 'reset' });
    await expect(call('/v1/models')).rejects.toThrow();
    await fake.idle();
    expect(fake.requests[0].aborted).toBe(false);
  });

  it('delays then answers normally', async () => {
    fake.failNext({ type: 'delay', ms: 80 });
    const started = Date.now();
    const res = await call('/v1/models');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
  });

  it('answers 404 for unknown paths and 400 for bad JSON', async () => {
    const missing = await call('/v1/nope');
    expect(missing.status).toBe(404);
    const missingBody: unknown = await missing.json();
    if (openAiWire(kind)) expect(dig(missingBody, 'error', 'message')).toBe('Invalid URL (GET /v1/nope)');
    else expect(dig(missingBody, 'error', 'type')).toBe('not_found_error');

    const bad = await fetch(`${fake.url}${chatPath(kind)}`, { method: 'POST', headers: headersFor(kind, validKey), body: '{nope' });
    expect(bad.status).toBe(400);
    expect(dig(await bad.json(), 'error', 'type')).toBe('invalid_request_error');
    expect(fake.requests[1].body).toBe('{nope');
  });

  it('returns a deterministic non-streamed chat reply with exact usage', async () => {
    const res = await call(chatPath(kind), { body: chatBody(kind) });
    expect(res.status).toBe(200);
    const body: unknown = await res.json();
    // Input: "first question here" (3) + "an answer" (2) + "hello there world" (3), plus "be nice" (2) on Anthropic.
    const input = openAiWire(kind) ? 8 : 10;
    if (openAiWire(kind)) {
      expect(body).toMatchObject({
        id: expect.stringMatching(/^chatcmpl-/),
        object: 'chat.completion',
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Echo: hello there world' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: input, completion_tokens: 4, total_tokens: input + 4 },
      });
    } else {
      expect(body).toMatchObject({
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-20250514',
        content: [{ type: 'text', text: 'Echo: hello there world' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: input, output_tokens: 4 },
      });
    }
    expect(fake.totalUsage()).toEqual({ inputTokens: input, outputTokens: 4 });
    expect(fake.requests[0].body).toEqual(chatBody(kind));
  });

  it('truncates the reply to max tokens words', async () => {
    const limit = openAiWire(kind) ? { max_completion_tokens: 2 } : { max_tokens: 2 };
    const body: unknown = await (await call(chatPath(kind), { body: chatBody(kind, limit) })).json();
    if (openAiWire(kind)) {
      expect(dig(body, 'choices', 0, 'message', 'content')).toBe('Echo: hello');
      expect(dig(body, 'choices', 0, 'finish_reason')).toBe('length');
    } else {
      expect(dig(body, 'content', 0, 'text')).toBe('Echo: hello');
      expect(dig(body, 'stop_reason')).toBe('max_tokens');
    }
    expect(fake.totalUsage().outputTokens).toBe(2);
  });

  it('streams word chunks in the real SSE format with final usage', async () => {
    const extra = openAiWire(kind) ? { stream: true, stream_options: { include_usage: true } } : { stream: true };
    const res = await call(chatPath(kind), { body: chatBody(kind, extra) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    const input = openAiWire(kind) ? 8 : 10;
    expect(streamedText(kind, events)).toBe('Echo: hello there world');

    if (openAiWire(kind)) {
      const payloads = events.filter((event) => event.data !== '[DONE]').map((event): unknown => JSON.parse(event.data));
      expect(events[events.length - 1].data).toBe('[DONE]');
      expect(dig(payloads[0], 'object')).toBe('chat.completion.chunk');
      expect(dig(payloads[0], 'choices', 0, 'delta', 'role')).toBe('assistant');
      const pieces = payloads.map((payload) => dig(payload, 'choices', 0, 'delta', 'content')).filter((text) => typeof text === 'string' && text !== '');
      expect(pieces).toEqual(['Echo: ', 'hello ', 'there ', 'world']);
      expect(dig(payloads[payloads.length - 2], 'choices', 0, 'finish_reason')).toBe('stop');
      const last = payloads[payloads.length - 1];
      expect(dig(last, 'choices')).toEqual([]);
      expect(dig(last, 'usage')).toMatchObject({ prompt_tokens: input, completion_tokens: 4, total_tokens: input + 4 });
    } else {
      expect(events.map((event) => event.event)).toEqual([
        'message_start',
        'content_block_start',
        'ping',
        'content_block_delta',
        'content_block_delta',
        'content_block_delta',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      const start: unknown = JSON.parse(events[0].data);
      expect(dig(start, 'message', 'usage')).toMatchObject({ input_tokens: input, output_tokens: 1 });
      const delta: unknown = JSON.parse(events[8].data);
      expect(delta).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 4 } });
    }
    expect(fake.totalUsage()).toEqual({ inputTokens: input, outputTokens: 4 });
  });

  it('sums usage across calls and lists keys in order', async () => {
    const otherKey = `${validKey}-second`;
    fake.validKeys.add(otherKey);
    await (await call(chatPath(kind), { body: chatBody(kind) })).json();
    await (await call('/v1/models', { key: otherKey })).json();
    await (await call(chatPath(kind), { body: chatBody(kind, { stream: true, stream_options: { include_usage: true } }), key: otherKey })).text();
    await (await call('/v1/models', { key: WRONG_KEY })).json();
    await (await call('/v1/models', { key: null })).json();
    const input = openAiWire(kind) ? 8 : 10;
    expect(fake.totalUsage()).toEqual({ inputTokens: input * 2, outputTokens: 8 });
    expect(fake.keysSeen()).toEqual([validKey, otherKey, otherKey, WRONG_KEY]);
    fake.validKeys.delete(otherKey);
  });

  it('stops streaming when the client cancels and does not count usage', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const controller = new AbortController();
    const body = chatBody(kind, {
      stream: true,
      stream_options: openAiWire(kind) ? { include_usage: true } : undefined,
      messages: [{ role: 'user', content: words }],
    });
    const res = await call(chatPath(kind), { body, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    if (!reader) throw new Error('expected a body');
    const firstRead = await reader.read();
    expect(firstRead.done).toBe(false);
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    await fake.idle();
    expect(fake.requests[0].aborted).toBe(true);
    expect(fake.totalUsage()).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it('validates required chat fields the way the provider does', async () => {
    const { model: _model, ...withoutModel } = chatBody(kind);
    expect((await call(chatPath(kind), { body: withoutModel })).status).toBe(400);
    if (!openAiWire(kind)) {
      const { max_tokens: _maxTokens, ...withoutMax } = chatBody(kind);
      const res = await call(chatPath(kind), { body: withoutMax });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
    }
  });
});

describe('fake ANTHROPIC provider version header', () => {
  it('requires anthropic-version', async () => {
    const fake = await startFakeProvider('ANTHROPIC', { validKeys: [ANTHROPIC_KEY] });
    try {
      const res = await fetch(`${fake.url}/v1/models`, { headers: { 'x-api-key': ANTHROPIC_KEY } });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      });
    } finally {
      await fake.close();
    }
  });
});

describe('startFakeProviders', () => {
  let fakes: FakeProviders;
  beforeAll(async () => {
    fakes = await startFakeProviders({ OPENAI: { validKeys: [OPENAI_KEY] }, ANTHROPIC: { validKeys: [ANTHROPIC_KEY] } });
  });
  afterAll(() => fakes.close());

  it('starts one fake per registered provider on distinct ports and exposes env base URLs', async () => {
    expect(fakes.all.map((fake) => fake.kind)).toEqual([...PROVIDER_IDS]);
    for (const id of PROVIDER_IDS) expect(fakes[id].kind).toBe(id);
    expect(new Set(fakes.all.map((fake) => fake.url)).size).toBe(PROVIDER_IDS.length);
    expect(fakes.env).toEqual(Object.fromEntries(PROVIDER_IDS.map((id) => [PROVIDERS[id].baseUrlEnvVar, fakes[id].url])));
    const res = await fetch(`${fakes.env.OPENAI_BASE_URL}/v1/models`, { headers: headersFor('OPENAI', OPENAI_KEY) });
    expect(res.status).toBe(200);
    expect(fakes.ANTHROPIC.requests).toHaveLength(0);
  });

  it('close() releases hung requests', async () => {
    const fake = await startFakeProvider('OPENAI', { validKeys: [OPENAI_KEY] });
    fake.failAlways({ type: 'hang' });
    const pending = fetch(`${fake.url}/v1/models`, { headers: headersFor('OPENAI', OPENAI_KEY) });
    const settled = pending.then(
      () => 'resolved',
      () => 'rejected',
    );
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await fake.close();
    expect(await settled).toBe('rejected');
    expect(fake.requests[0].aborted).toBe(false);
  });
});

describe('countWords', () => {
  it('counts whitespace-separated words', () => {
    expect(countWords('  a  b\n c\t')).toBe(3);
    expect(countWords('')).toBe(0);
  });
});

describe('OpenAI-compatible rules taken from the definition (Mistral)', () => {
  const KEY = 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE';
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider('MISTRAL', { validKeys: [KEY] });
  });
  afterAll(async () => {
    await fake.close();
  });
  const post = (body: unknown): Promise<Response> =>
    fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const messages = [{ role: 'user', content: 'hello there' }];

  it.each([
    ['stream_options', { stream: true, stream_options: { include_usage: true } }],
    ['max_completion_tokens', { max_completion_tokens: 5 }],
  ])('refuses %s with 422 extra_forbidden, as Mistral does', async (field, extra) => {
    const res = await post({ model: 'mistral-small-latest', messages, ...extra });
    expect(res.status).toBe(422);
    expect(dig(await res.json(), 'message', 'detail', 0, 'loc')).toEqual(['body', field]);
  });

  it('always streams usage, on the finishing chunk', async () => {
    const res = await post({ model: 'mistral-small-latest', messages, stream: true, max_tokens: 50 });
    const chunks = parseSse(await res.text()).map((event) => event.data);
    expect(chunks.at(-1)).toBe('[DONE]');
    const last = JSON.parse(must(chunks.at(-2), 'the finishing chunk')) as unknown;
    expect(dig(last, 'choices', 0, 'finish_reason')).toBe('stop');
    expect(dig(last, 'usage', 'prompt_tokens')).toBe(2);
  });
});
