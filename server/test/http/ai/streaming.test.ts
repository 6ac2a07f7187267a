/**
 * POST /api/v1/completions/stream: the same completion as Server-Sent Events — auth like GraphQL, errors,
 * R8 over the stream, cancellation reaching the provider, and the ledger row of each request.
 */
import { estimateCostMicroUsd, PROVIDER_IDS, PROVIDERS, type ProviderId, type WireFamily } from '@byok/shared';
import type { FakeProviders } from '../../fakes/fake-provider';
import type { TestUser } from '../../support/factories';
import type { TestServer } from '../../support/test-server';
import { startWorld, type World } from '../../support/world';
import {
  acceptedKey,
  complete,
  fakeOf,
  input,
  ledgerRows,
  MODELS,
  parseEvents,
  setByok,
  setGlobalKey,
  STREAM_PATH,
  streamCompletion,
  waitForLedger,
} from './ai-helpers';
import { must } from '../../support/must';

let world: World;
let fakes: FakeProviders;
let server: TestServer;
let admin: { id: string; token: string };
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
const keys = {} as Record<ProviderId, string>;

/** Usage a wire format has reported by the first delta: [input, output] tokens of the cancelled request below. */
const USAGE_BEFORE_THE_END: Record<WireFamily, [number, number]> = { 'openai-compatible': [0, 0], anthropic: [64, 1], gemini: [64, 0] };
const LONG = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen';
const PROMPT = `${LONG} ${LONG} ${LONG} ${LONG}`;

beforeAll(async () => {
  world = await startWorld({ everyFake: { chunkDelayMs: 2 }, byok: PROVIDER_IDS, platformKeys: PROVIDER_IDS, workspaceKeys: PROVIDER_IDS });
  ({ fakes, server, admin, owner, member } = world);
  Object.assign(keys, world.keys.workspace);
  outsider = await world.signUp('outsider');
});
beforeEach(() => {
  for (const fake of fakes.all) fake.reset();
});
afterAll(() => world.close());

describe.each(PROVIDER_IDS)('%s', (provider) => {
  it('streams deltas, then done with the key source, usage and cost; the ledger row says streamed', async () => {
    const response = await streamCompletion(server, { token: member.token }, { workspaceId: owner.workspaceId, input: input(provider, LONG) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');

    const deltas = response.events.filter((event) => event.event === 'delta');
    expect(deltas.length).toBeGreaterThan(10);
    const done = must(response.events.at(-1), 'the last event');
    expect(done.event).toBe('done');
    expect(deltas.map((event) => event.data.text).join('')).toBe(`Echo: ${LONG}`);
    const usage = fakeOf(fakes, provider).totalUsage();
    expect(usage).toEqual({ inputTokens: 16, outputTokens: 17 });
    expect(done.data).toEqual({
      text: `Echo: ${LONG}`,
      model: MODELS[provider],
      keySource: 'WORKSPACE',
      inputTokens: 16,
      outputTokens: 17,
      costMicroUsd: estimateCostMicroUsd({ provider, model: MODELS[provider], inputTokens: 16, outputTokens: 17 }).costMicroUsd,
      latencyMs: expect.any(Number),
    });
    expect(fakeOf(fakes, provider).keysSeen()).toEqual([keys[provider]]);
    const rows = await ledgerRows(server);
    expect(rows[rows.length - 1]).toMatchObject({
      workspace_id: owner.workspaceId,
      user_id: member.id,
      key_source: 'WORKSPACE',
      outcome: 'OK',
      streamed: true,
    });
    expect(rows[rows.length - 1]).toMatchObject({ input_tokens: 16, output_tokens: 17, latency_ms: done.data.latencyMs });
  });

  it('client disconnect aborts the provider request; the ledger records CANCELLED with the prompt and the output relayed so far (R20)', async () => {
    const fake = fakeOf(fakes, provider);
    const before = (await ledgerRows(server)).length;
    const controller = new AbortController();
    const response = await fetch(`${server.url}${STREAM_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
      body: JSON.stringify({ workspaceId: owner.workspaceId, input: input(provider, PROMPT) }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = must(response.body, 'the response body').getReader();
    let received = '';
    while (!received.includes('event: delta')) {
      const { value } = await reader.read();
      received += new TextDecoder().decode(value);
    }
    controller.abort();
    await reader.cancel().catch(() => undefined);

    await fake.idle();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.aborted).toBe(true);
    expect(fake.totalUsage()).toEqual({ inputTokens: 0, outputTokens: 0 });
    const rows = await waitForLedger(server, (all) => all.length > before);
    const row = must(rows.at(-1), "the cancelled request's row");
    expect(row).toMatchObject({ outcome: 'CANCELLED', streamed: true, key_source: 'WORKSPACE', workspace_id: owner.workspaceId });
    // Anthropic and Gemini report the prompt's tokens at the start; OpenAI-compatible streams only at the very end: then
    // byok bills its own estimate (about four characters a token) and marks the row estimated.
    const [reportedInput, reportedOutput] = USAGE_BEFORE_THE_END[PROVIDERS[provider].wire];
    expect(row.estimated).toBe(true);
    expect(row.input_tokens).toBe(reportedInput > 0 ? reportedInput : Math.ceil(PROMPT.length / 4));
    // The output relayed before the client went: at least the first piece the client got, never the whole answer.
    expect(row.output_tokens).toBeGreaterThanOrEqual(Math.max(reportedOutput, 1));
    expect(row.output_tokens).toBeLessThan(Math.ceil(`Echo: ${PROMPT}`.length / 4));
  });
});

it('authenticates like GraphQL: session cookie and API token work too', async () => {
  const cookie = await streamCompletion(server, { cookie: `byok_session=${owner.token}` }, { workspaceId: owner.workspaceId, input: input('OPENAI') });
  expect(cookie.status).toBe(200);
  expect(cookie.events.at(-1)?.event).toBe('done');

  const token = await server.graphql<{ createApiToken: { token: string } }>(`mutation { createApiToken(name: "sse") { token } }`, {}, { token: owner.token });
  const apiToken = await streamCompletion(
    server,
    { token: must(token.data, 'the created API token').createApiToken.token },
    { workspaceId: owner.workspaceId, input: input('OPENAI') },
  );
  expect(apiToken.events.at(-1)?.event).toBe('done');
});

describe('errors before the stream opens are JSON with the matching HTTP status, and leave no ledger row', () => {
  it.each<[string, number, string, () => { auth?: { token?: string; cookie?: string }; body: unknown; headers?: Record<string, string> }]>([
    ['anonymous', 401, 'UNAUTHENTICATED', () => ({ body: { workspaceId: owner.workspaceId, input: input('OPENAI') } })],
    ['an unknown token', 401, 'UNAUTHENTICATED', () => ({ auth: { token: 'byok_nope' }, body: { workspaceId: owner.workspaceId, input: input('OPENAI') } })],
    ['an outsider', 404, 'NOT_FOUND', () => ({ auth: { token: outsider.token }, body: { workspaceId: owner.workspaceId, input: input('OPENAI') } })],
    [
      'a platform admin who is not a member',
      403,
      'FORBIDDEN',
      () => ({ auth: { token: admin.token }, body: { workspaceId: owner.workspaceId, input: input('OPENAI') } }),
    ],
    [
      'bad input',
      400,
      'BAD_USER_INPUT',
      () => ({ auth: { token: member.token }, body: { workspaceId: owner.workspaceId, input: { ...input('OPENAI'), maxTokens: 0 } } }),
    ],
    ['no input', 400, 'BAD_USER_INPUT', () => ({ auth: { token: member.token }, body: { workspaceId: owner.workspaceId } })],
    ['no workspaceId', 400, 'BAD_USER_INPUT', () => ({ auth: { token: member.token }, body: { input: input('OPENAI') } })],
    [
      'an unknown provider',
      400,
      'BAD_USER_INPUT',
      () => ({ auth: { token: member.token }, body: { workspaceId: owner.workspaceId, input: { ...input('OPENAI'), provider: 'NOT_A_PROVIDER' } } }),
    ],
    [
      'a form post carrying the cookie (CSRF)',
      415,
      'BAD_REQUEST',
      () => ({ auth: { cookie: `byok_session=${owner.token}` }, body: 'workspaceId=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    ],
    ['text/plain', 415, 'BAD_REQUEST', () => ({ auth: { token: member.token }, body: '{}', headers: { 'content-type': 'text/plain' } })],
    ['malformed JSON', 400, 'BAD_REQUEST', () => ({ auth: { token: member.token }, body: '{"workspaceId":', headers: { 'content-type': 'application/json' } })],
  ])('%s → %i %s', async (_name, status, code, request) => {
    const before = (await ledgerRows(server)).length;
    const { auth, body, headers } = request();
    const response = await streamCompletion(server, auth, body, headers ?? { 'content-type': 'application/json' });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code, message: expect.any(String) } });
    expect(fakes.OPENAI.requests).toEqual([]);
    expect(await ledgerRows(server)).toHaveLength(before);
  });
});

describe('errors after the stream opened arrive as an error event', () => {
  it('a rejected workspace key → WORKSPACE_KEY_REJECTED, no fallback to the global key', async () => {
    fakes.OPENAI.validKeys.delete(keys.OPENAI);
    try {
      const response = await streamCompletion(server, { token: member.token }, { workspaceId: owner.workspaceId, input: input('OPENAI') });
      expect(response.status).toBe(200);
      expect(response.events).toEqual([
        { event: 'error', data: { code: 'WORKSPACE_KEY_REJECTED', message: expect.stringMatching(/workspace owner/), keySource: 'WORKSPACE' } },
      ]);
      expect(fakes.OPENAI.keysSeen()).toEqual([keys.OPENAI]);
      expect(response.text).not.toMatch(/\*{4}/);
    } finally {
      fakes.OPENAI.validKeys.add(keys.OPENAI);
    }
    const rows = await ledgerRows(server);
    expect(rows[rows.length - 1]).toMatchObject({ outcome: 'WORKSPACE_KEY_REJECTED', streamed: true, key_source: 'WORKSPACE' });
  });

  it('429 → RATE_LIMITED with retryAfterSeconds', async () => {
    fakes.ANTHROPIC.failNext({ type: 'status', status: 429, retryAfterSeconds: 30 });
    const response = await streamCompletion(server, { token: member.token }, { workspaceId: owner.workspaceId, input: input('ANTHROPIC') });
    expect(response.events).toEqual([
      { event: 'error', data: { code: 'RATE_LIMITED', message: expect.any(String), retryAfterSeconds: 30, keySource: expect.any(String) } },
    ]);
    expect(fakes.ANTHROPIC.requests).toHaveLength(1);
  });

  it('5xx before the first byte is retried once, then the stream succeeds', async () => {
    fakes.OPENAI.failNext({ type: 'status', status: 502 });
    const response = await streamCompletion(server, { token: member.token }, { workspaceId: owner.workspaceId, input: input('OPENAI') });
    expect(response.events.at(-1)).toMatchObject({ event: 'done', data: { text: 'Echo: hello there world' } });
    expect(fakes.OPENAI.keysSeen()).toEqual([keys.OPENAI, keys.OPENAI]);
  });

  it('nothing configured → PROVIDER_NOT_CONFIGURED', async () => {
    const other = await world.signUp('other');
    await setByok(server, admin.token, 'OPENAI', false);
    const integrations = await server.graphql(
      `mutation { updateIntegration(provider: OPENAI, clearGlobalKey: true) { provider } }`,
      {},
      { token: admin.token },
    );
    expect(integrations.errors).toBeUndefined();
    try {
      const response = await streamCompletion(server, { token: other.token }, { workspaceId: other.workspaceId, input: input('OPENAI') });
      expect(response.events).toEqual([{ event: 'error', data: { code: 'PROVIDER_NOT_CONFIGURED', message: expect.stringMatching(/platform admin/) } }]);
      expect(fakes.OPENAI.requests).toEqual([]);
    } finally {
      await setByok(server, admin.token, 'OPENAI', true);
      await setGlobalKey(server, admin.token, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
    }
  });
});

it('parses as standard SSE: one data line per event, events separated by a blank line', async () => {
  const response = await streamCompletion(server, { token: member.token }, { workspaceId: owner.workspaceId, input: input('OPENAI', 'line one\nline two') });
  for (const block of response.text.split('\n\n').filter((part) => part !== '')) {
    expect(block.split('\n')).toHaveLength(2);
  }
  expect(parseEvents(response.text).at(-1)?.data.text).toBe('Echo: line one\nline two');
});

it('a GraphQL client that hangs up also cancels the provider call (ledger: CANCELLED)', async () => {
  const before = (await ledgerRows(server)).length;
  fakes.OPENAI.failNext({ type: 'delay', ms: 3000 });
  const controller = new AbortController();
  const pending = fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
    body: JSON.stringify({
      query: `mutation($w: ID!, $i: CompletionInput!) { complete(workspaceId: $w, input: $i) { text } }`,
      variables: { w: owner.workspaceId, i: input('OPENAI') },
    }),
    signal: controller.signal,
  }).catch((error: unknown) => error);
  while (fakes.OPENAI.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  controller.abort();
  await pending;
  await fakes.OPENAI.idle();
  expect(fakes.OPENAI.requests[0]?.aborted).toBe(true);
  const rows = await waitForLedger(server, (all) => all.length > before);
  // The provider was asked: the prompt is billed at byok's estimate (R20), no output.
  expect(rows[rows.length - 1]).toMatchObject({
    outcome: 'CANCELLED',
    streamed: false,
    input_tokens: Math.ceil('hello there world'.length / 4),
    output_tokens: 0,
    estimated: true,
  });
  // A client hanging up is not a server fault.
  expect(server.logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);
});

it('the GraphQL and streaming answers agree', async () => {
  const graphql = await complete(server, { token: member.token }, owner.workspaceId, input('ANTHROPIC', 'same words'));
  const stream = await streamCompletion(server, { token: member.token }, { workspaceId: owner.workspaceId, input: input('ANTHROPIC', 'same words') });
  const { latencyMs: _a, ...fromGraphql } = must(graphql.data, 'the GraphQL answer').complete;
  const { latencyMs: _b, ...fromStream } = must(stream.events.at(-1), 'the last streamed event').data;
  expect(fromStream).toEqual(fromGraphql);
});
