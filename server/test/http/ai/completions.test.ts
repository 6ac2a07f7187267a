/**
 * `complete` end to end against the fake providers: which key reaches the provider for every branch of
 * R2/R3, R8's failure handling, input validation, and the ledger row each request leaves (R11).
 */
import { estimateCostMicroUsd, PROVIDER_IDS, type ProviderId } from '@byok/shared';
import { maskKeyLikeOpenAI, type FakeProvider, type FakeProviders } from '../../fakes/fake-provider';
import type { TestUser } from '../../support/factories';
import type { TestServer } from '../../support/test-server';
import { startWorld, type World } from '../../support/world';
import {
  acceptedKey,
  clearGlobalKey,
  codeOf,
  complete,
  fakeOf,
  globalKeyState,
  input,
  ledgerRows,
  MODELS,
  removeWorkspaceKey,
  setByok,
  setGlobalKey,
  setWorkspaceKey,
  workspaceKeyState,
} from './ai-helpers';
import { must } from '../../support/must';

let world: World;
let fakes: FakeProviders;
let server: TestServer;
let admin: { id: string; token: string };
let ownerA: TestUser;
let memberA: TestUser;
let ownerB: TestUser;

/** Keys the fake saw on chat requests (key verification's GET /v1/models is not an AI request). */
const chatKeys = (fake: FakeProvider): Array<string | null> => fake.requests.filter((request) => request.method === 'POST').map((request) => request.apiKey);

const lastRow = async () => {
  const rows = await ledgerRows(server);
  return must(rows.at(-1), 'a ledger row');
};

beforeAll(async () => {
  world = await startWorld({ everyFake: { chunkDelayMs: 1 }, env: { PROVIDER_COMPLETION_TIMEOUT_MS: '1500' } });
  ({ fakes, server, admin, owner: ownerA, member: memberA } = world);
  ownerB = await world.signUp('owner-b');
});

afterAll(async () => {
  try {
    // The masked echo of a rejected key (OpenAI's 401 text) must not have survived either.
    for (const text of [...server.responses, ...server.logs]) expect(text).not.toMatch(/\*{4}/);
  } finally {
    await world.close();
  }
});

describe.each(PROVIDER_IDS)('%s: which key reaches the provider (R2, R3)', (provider: ProviderId) => {
  let fake: FakeProvider;
  let globalKey: string;
  let keyA: string;

  beforeAll(() => {
    fake = fakeOf(fakes, provider);
    globalKey = acceptedKey(fakes, provider);
    keyA = acceptedKey(fakes, provider);
  });
  beforeEach(() => fake.reset());

  it('no key anywhere → PROVIDER_NOT_CONFIGURED naming who can fix it; the provider is never called; the ledger records it', async () => {
    const before = (await ledgerRows(server)).length;
    const off = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(codeOf(off)).toBe('PROVIDER_NOT_CONFIGURED');
    expect(off.errors?.[0]?.message).toMatch(/platform admin/);
    expect(off.errors?.[0]?.message).not.toMatch(/owner/);

    await setByok(server, admin.token, provider, true);
    const on = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(codeOf(on)).toBe('PROVIDER_NOT_CONFIGURED');
    expect(on.errors?.[0]?.message).toMatch(/workspace owner/);
    expect(fake.requests).toEqual([]);

    const rows = (await ledgerRows(server)).slice(before);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ workspace_id: ownerA.workspaceId, user_id: memberA.id, provider, model: MODELS[provider], key_source: 'NONE' });
      expect(row).toMatchObject({ outcome: 'PROVIDER_NOT_CONFIGURED', input_tokens: 0, output_tokens: 0, streamed: false });
    }
  });

  it('BYOK on + workspace key → the workspace key; a workspace without one → the global key', async () => {
    await setGlobalKey(server, admin.token, provider, globalKey);
    await setWorkspaceKey(server, ownerA.token, ownerA.workspaceId, provider, keyA);
    fake.reset();

    const a = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider, 'from a'));
    expect(a.errors).toBeUndefined();
    expect(a.data?.complete).toMatchObject({ text: 'Echo: from a', keySource: 'WORKSPACE', inputTokens: 2, outputTokens: 3 });
    const b = await complete(server, { token: ownerB.token }, ownerB.workspaceId, input(provider, 'from b'));
    expect(b.data?.complete).toMatchObject({ text: 'Echo: from b', keySource: 'GLOBAL' });
    expect(chatKeys(fake)).toEqual([keyA, globalKey]);
  });

  it('BYOK off → the global key for every workspace at once, even one that has a key; on again → its key again', async () => {
    await setByok(server, admin.token, provider, false);
    const a = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    const b = await complete(server, { token: ownerB.token }, ownerB.workspaceId, input(provider));
    expect([a.data?.complete.keySource, b.data?.complete.keySource]).toEqual(['GLOBAL', 'GLOBAL']);
    expect(chatKeys(fake)).toEqual([globalKey, globalKey]);
    // The workspace key is kept (inactive), not deleted.
    expect(await workspaceKeyState(server, ownerA.token, ownerA.workspaceId, provider)).toMatchObject({ status: 'VALID' });

    await setByok(server, admin.token, provider, true);
    fake.reset();
    const again = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(again.data?.complete.keySource).toBe('WORKSPACE');
    expect(chatKeys(fake)).toEqual([keyA]);
  });

  it('removing the workspace key → the global key on the next request', async () => {
    await removeWorkspaceKey(server, ownerA.token, ownerA.workspaceId, provider);
    const a = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(a.data?.complete.keySource).toBe('GLOBAL');
    expect(chatKeys(fake)).toEqual([globalKey]);
  });

  it('BYOK off and no global key → PROVIDER_NOT_CONFIGURED even though a workspace key is stored', async () => {
    await setWorkspaceKey(server, ownerA.token, ownerA.workspaceId, provider, keyA);
    await clearGlobalKey(server, admin.token, provider);
    await setByok(server, admin.token, provider, false);
    fake.reset();
    const a = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(codeOf(a)).toBe('PROVIDER_NOT_CONFIGURED');
    expect(fake.requests).toEqual([]);
    expect(await lastRow()).toMatchObject({ key_source: 'NONE', outcome: 'PROVIDER_NOT_CONFIGURED' });
  });

  it('records a successful request with tokens and the estimated cost', async () => {
    await setGlobalKey(server, admin.token, provider, globalKey);
    const result = await complete(server, { token: ownerB.token }, ownerB.workspaceId, input(provider, 'one two three four'));
    const payload = must(result.data, 'the completion').complete;
    const expectedCost = estimateCostMicroUsd({ provider, model: MODELS[provider], inputTokens: 4, outputTokens: 5 }).costMicroUsd;
    expect(payload).toMatchObject({ inputTokens: 4, outputTokens: 5, costMicroUsd: expectedCost, keySource: 'GLOBAL' });
    expect(expectedCost).toBeGreaterThan(0);
    const row = await lastRow();
    expect(row).toMatchObject({ workspace_id: ownerB.workspaceId, user_id: ownerB.id, key_source: 'GLOBAL', outcome: 'OK', input_tokens: 4, output_tokens: 5 });
    expect(Number(row.cost_micro_usd)).toBe(expectedCost);
    expect(row.latency_ms).toBeGreaterThanOrEqual(0);
  });
});

describe('failures (R8)', () => {
  const provider = 'OPENAI';
  let fake: FakeProvider;
  let globalKey: string;
  let keyA: string;

  beforeAll(async () => {
    fake = fakes.OPENAI;
    globalKey = acceptedKey(fakes, provider);
    keyA = acceptedKey(fakes, provider);
    await setByok(server, admin.token, provider, true);
    await setGlobalKey(server, admin.token, provider, globalKey);
    await setWorkspaceKey(server, ownerA.token, ownerA.workspaceId, provider, keyA);
  });
  beforeEach(() => fake.reset());

  it.each([
    ['401', (key: string) => fake.validKeys.delete(key), (key: string) => fake.validKeys.add(key)],
    ['403', (key: string) => fake.forbiddenKeys.add(key), (key: string) => fake.forbiddenKeys.delete(key)],
  ])('a workspace key rejected with %s → WORKSPACE_KEY_REJECTED, the key INVALID, and never a call with the global key', async (status, reject, restore) => {
    reject(keyA);
    try {
      const first = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
      expect(codeOf(first)).toBe('WORKSPACE_KEY_REJECTED');
      expect(first.errors?.[0]?.message).toMatch(/workspace's own OpenAI key was rejected/);
      expect(first.errors?.[0]?.message).toMatch(/workspace owner can replace it/);
      expect(first.data).toBeNull();
      expect(first.text).not.toContain(maskKeyLikeOpenAI(keyA));
      expect(first.text).not.toContain(keyA.slice(-4));

      const state = await workspaceKeyState(server, ownerA.token, ownerA.workspaceId, provider);
      expect(state?.status).toBe('INVALID');
      expect(state?.lastError).toContain(status);
      expect(state?.lastError).not.toContain(keyA.slice(-4));

      // Still the workspace key next time (INVALID is no reason to switch payer), still no fallback.
      const second = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
      expect(codeOf(second)).toBe('WORKSPACE_KEY_REJECTED');
      expect(chatKeys(fake)).toEqual([keyA, keyA]);
      expect(fake.keysSeen()).not.toContain(globalKey);
      expect(await lastRow()).toMatchObject({ key_source: 'WORKSPACE', outcome: 'WORKSPACE_KEY_REJECTED', input_tokens: 0, output_tokens: 0 });
    } finally {
      restore(keyA);
    }

    // Accepted again: the next successful call marks it VALID and clears the error.
    const ok = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(ok.data?.complete.keySource).toBe('WORKSPACE');
    expect(await workspaceKeyState(server, ownerA.token, ownerA.workspaceId, provider)).toEqual({ status: 'VALID', lastError: null });
  });

  it('a rejected global key → GLOBAL_KEY_REJECTED naming the admin, the global key INVALID, then VALID after a success', async () => {
    fake.validKeys.delete(globalKey);
    try {
      const result = await complete(server, { token: ownerB.token }, ownerB.workspaceId, input(provider));
      expect(codeOf(result)).toBe('GLOBAL_KEY_REJECTED');
      expect(result.errors?.[0]?.message).toMatch(/platform's OpenAI key was rejected.*platform admin/);
      expect(chatKeys(fake)).toEqual([globalKey]);
      const state = await globalKeyState(server, admin.token, provider);
      expect(state?.status).toBe('INVALID');
      expect(state?.lastError).toContain('401');
      expect(await lastRow()).toMatchObject({ workspace_id: ownerB.workspaceId, key_source: 'GLOBAL', outcome: 'GLOBAL_KEY_REJECTED' });
    } finally {
      fake.validKeys.add(globalKey);
    }
    expect((await complete(server, { token: ownerB.token }, ownerB.workspaceId, input(provider))).data?.complete.keySource).toBe('GLOBAL');
    expect(await globalKeyState(server, admin.token, provider)).toMatchObject({ status: 'VALID', lastError: null });
  });

  it('429 → RATE_LIMITED with retryAfterSeconds when the provider gives one, and no retry', async () => {
    fake.failNext({ type: 'status', status: 429, retryAfterSeconds: 12 });
    const limited = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toBe(12);
    expect(limited.errors?.[0]?.message).toMatch(/Try again in 12 s/);

    fake.failNext({ type: 'status', status: 429 });
    const bare = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(codeOf(bare)).toBe('RATE_LIMITED');
    expect(bare.errors?.[0]?.extensions).not.toHaveProperty('retryAfterSeconds');
    expect(chatKeys(fake)).toEqual([keyA, keyA]);
    // A rate limit says nothing bad about the key.
    expect((await workspaceKeyState(server, ownerA.token, ownerA.workspaceId, provider))?.status).toBe('VALID');
    expect(await lastRow()).toMatchObject({ key_source: 'WORKSPACE', outcome: 'RATE_LIMITED' });
  });

  it('5xx once → one retry with the same key after a short pause, then success', async () => {
    fake.failNext({ type: 'status', status: 503 });
    const result = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(result.data?.complete.keySource).toBe('WORKSPACE');
    expect(chatKeys(fake)).toEqual([keyA, keyA]);
    expect(fake.requests[1]?.at - fake.requests[0]?.at).toBeGreaterThanOrEqual(200);
    expect(await lastRow()).toMatchObject({ outcome: 'OK', input_tokens: 3 });
  });

  it('5xx twice → PROVIDER_UNAVAILABLE after exactly two attempts; a dropped connection is retried too', async () => {
    fake.failNext({ type: 'status', status: 500 }, 2);
    const result = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(codeOf(result)).toBe('PROVIDER_UNAVAILABLE');
    expect(result.errors?.[0]?.message).toMatch(/OpenAI is not responding/);
    expect(chatKeys(fake)).toEqual([keyA, keyA]);
    expect(await lastRow()).toMatchObject({ key_source: 'WORKSPACE', outcome: 'PROVIDER_UNAVAILABLE' });
    expect((await workspaceKeyState(server, ownerA.token, ownerA.workspaceId, provider))?.status).toBe('VALID');

    fake.reset();
    fake.failNext({ type: 'reset' });
    expect((await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider))).data?.complete.text).toBe('Echo: hello there world');
    expect(chatKeys(fake)).toHaveLength(2);
  });

  it('a provider that never answers → PROVIDER_UNAVAILABLE within the time budget (no retry once it is spent)', async () => {
    fake.failNext({ type: 'hang' });
    const started = Date.now();
    const result = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(codeOf(result)).toBe('PROVIDER_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(chatKeys(fake)).toEqual([keyA]);
    await fake.idle();
  });

  it("a provider 400 → BAD_USER_INPUT with the provider's (sanitized) reason, no retry", async () => {
    fake.failNext({ type: 'status', status: 400 });
    const result = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toBe('OpenAI refused the request: OpenAI answered 400: Bad request.');
    expect(chatKeys(fake)).toEqual([keyA]);
    expect(await lastRow()).toMatchObject({ outcome: 'BAD_USER_INPUT', key_source: 'WORKSPACE' });
  });

  it('an UNVERIFIED key (provider was down when it was saved) becomes VALID after a successful request', async () => {
    const key = acceptedKey(fakes, 'ANTHROPIC');
    await setByok(server, admin.token, 'ANTHROPIC', true);
    fakes.ANTHROPIC.failNext({ type: 'status', status: 503 });
    expect(await setWorkspaceKey(server, ownerB.token, ownerB.workspaceId, 'ANTHROPIC', key)).toEqual({ status: 'UNVERIFIED' });
    const result = await complete(server, { token: ownerB.token }, ownerB.workspaceId, input('ANTHROPIC'));
    expect(result.data?.complete.keySource).toBe('WORKSPACE');
    expect(await workspaceKeyState(server, ownerB.token, ownerB.workspaceId, 'ANTHROPIC')).toEqual({ status: 'VALID', lastError: null });
  });

  it('a success on a key already VALID writes no status (hot path), one that was UNVERIFIED writes exactly once', async () => {
    const key = acceptedKey(fakes, 'ANTHROPIC');
    await setByok(server, admin.token, 'ANTHROPIC', true);
    fakes.ANTHROPIC.failNext({ type: 'status', status: 503 });
    expect(await setWorkspaceKey(server, ownerB.token, ownerB.workspaceId, 'ANTHROPIC', key)).toEqual({ status: 'UNVERIFIED' });
    const markKeyStatus = jest.spyOn(server.app.services.keyResolution, 'markKeyStatus');
    try {
      for (let index = 0; index < 3; index += 1) {
        const result = await complete(server, { token: ownerB.token }, ownerB.workspaceId, input('ANTHROPIC'));
        expect(result.data?.complete.keySource).toBe('WORKSPACE');
      }
      expect(markKeyStatus).toHaveBeenCalledTimes(1);
      expect(markKeyStatus.mock.calls[0]?.[1]).toBe('VALID');
    } finally {
      markKeyStatus.mockRestore();
    }
  });

  it('sends maxTokens (default 1024) and the model to the provider', async () => {
    await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider));
    expect(fake.requests[0]?.body).toMatchObject({ model: MODELS.OPENAI, max_completion_tokens: 1024 });
    fake.reset();
    const short = await complete(server, { token: memberA.token }, ownerA.workspaceId, input(provider, 'a b c d e', { maxTokens: 2 }));
    expect(fake.requests[0]?.body).toMatchObject({ max_completion_tokens: 2 });
    expect(short.data?.complete).toMatchObject({ text: 'Echo: a', outputTokens: 2 });
  });
});

describe('authorization and validation happen before anything is resolved or recorded', () => {
  const valid = input('OPENAI');
  const long = 'x'.repeat(32_001);

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown role', { ...valid, messages: [{ role: 'tool', content: 'hi' }] }, 'messages[0].role'],
    ['no messages', { ...valid, messages: [] }, 'messages'],
    ['51 messages', { ...valid, messages: Array.from({ length: 51 }, () => ({ role: 'user', content: 'hi' })) }, 'messages'],
    ['an empty message', { ...valid, messages: [{ role: 'user', content: '' }] }, 'messages[0].content'],
    ['a message over 32k characters', { ...valid, messages: [{ role: 'user', content: long }] }, 'messages[0].content'],
    ['over 100k characters in all', { ...valid, messages: Array.from({ length: 4 }, () => ({ role: 'user', content: 'y'.repeat(30_000) })) }, 'messages'],
    ['no user message', { ...valid, messages: [{ role: 'system', content: 'be nice' }] }, 'messages'],
    ['a model with a slash', { ...valid, model: 'org/model' }, 'model'],
    ['an empty model', { ...valid, model: '' }, 'model'],
    ['a model over 100 characters', { ...valid, model: 'm'.repeat(101) }, 'model'],
    ['maxTokens 0', { ...valid, maxTokens: 0 }, 'maxTokens'],
    ['maxTokens 8193', { ...valid, maxTokens: 8193 }, 'maxTokens'],
  ])('%s → BAD_USER_INPUT on the field', async (_name, bad, field) => {
    fakes.OPENAI.reset();
    const before = (await ledgerRows(server)).length;
    const result = await complete(server, { token: memberA.token }, ownerA.workspaceId, bad);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.field).toBe(field);
    expect(fakes.OPENAI.requests).toEqual([]);
    expect(await ledgerRows(server)).toHaveLength(before);
  });

  it('anonymous, outsiders and a non-member admin are refused without a provider call or a ledger row', async () => {
    fakes.OPENAI.reset();
    const before = (await ledgerRows(server)).length;
    expect(codeOf(await complete(server, undefined, ownerA.workspaceId, valid))).toBe('UNAUTHENTICATED');
    expect(codeOf(await complete(server, { token: ownerB.token }, ownerA.workspaceId, valid))).toBe('NOT_FOUND');
    expect(codeOf(await complete(server, { token: admin.token }, ownerA.workspaceId, valid))).toBe('FORBIDDEN');
    expect(codeOf(await complete(server, { token: admin.token }, '00000000-0000-4000-8000-000000000000', valid))).toBe('NOT_FOUND');
    expect(codeOf(await complete(server, { token: memberA.token }, 'not-a-uuid', valid))).toBe('NOT_FOUND');
    // Outsiders learn nothing from bad input either: NOT_FOUND comes first.
    expect(codeOf(await complete(server, { token: ownerB.token }, ownerA.workspaceId, { ...valid, model: '' }))).toBe('NOT_FOUND');
    expect(fakes.OPENAI.requests).toEqual([]);
    expect(await ledgerRows(server)).toHaveLength(before);
  });
});
