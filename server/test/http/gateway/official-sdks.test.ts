/**
 * SPEC §6 through the clients people actually use: the official `openai` and `@anthropic-ai/sdk` packages
 * and the Vercel AI SDK's OpenAI-compatible provider, each pointed at byok's base URL with a byok token.
 * The fake providers record what reached them: the client's body unchanged, the resolved key, never the token.
 */
import Anthropic from '@anthropic-ai/sdk';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { countWords, startFakeProviders, type FakeProviders, type RecordedRequest } from '../../fakes/fake-provider';
import { sweepThenClose } from '../../support/canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { startTestServer, type TestServer } from '../../support/test-server';
import {
  acceptedKey,
  clearGlobalKey,
  globalKeyState,
  ledgerRows,
  setByok,
  setGlobalKey,
  setWorkspaceKey,
  waitForLedger,
  workspaceKeyState,
  type UsageRow,
} from '../ai/ai-helpers';
import { anthropicClient, createToken, everythingSent, openaiClient, recordingFetch, revokeToken } from './gateway-helpers';
import { must } from '../../support/must';

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string };
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let boundToken: string;
let unboundToken: string;
let workspaceOpenAiKey: string;
let globalAnthropicKey: string;
const byokTokens: string[] = [];

const lastChat = (fake: { requests: RecordedRequest[] }): RecordedRequest => {
  const chats = fake.requests.filter((request) => request.method === 'POST');
  return must(chats.at(-1), 'a recorded chat request');
};

/** Rows so far, once every request in progress has handed its row to the ledger (a row lands just after its response). */
async function ledgerCount(): Promise<number> {
  await server.app.services.ai.drain();
  return (await ledgerRows(server)).length;
}

async function newLedgerRows(before: number, count = 1): Promise<UsageRow[]> {
  const rows = await waitForLedger(server, (all) => all.length >= before + count);
  return rows.slice(before);
}

beforeAll(async () => {
  fakes = await startFakeProviders({ OPENAI: { chunkDelayMs: 15 }, ANTHROPIC: { chunkDelayMs: 15 } });
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'owner');
  member = await signUpUser(server, 'member');
  outsider = await signUpUser(server, 'outsider');
  await addMember(server, owner, member);
  await setByok(server, admin.token, 'OPENAI', true);
  await setByok(server, admin.token, 'ANTHROPIC', true);
  await setGlobalKey(server, admin.token, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
  globalAnthropicKey = acceptedKey(fakes, 'ANTHROPIC');
  await setGlobalKey(server, admin.token, 'ANTHROPIC', globalAnthropicKey);
  workspaceOpenAiKey = acceptedKey(fakes, 'OPENAI');
  await setWorkspaceKey(server, owner.token, owner.workspaceId, 'OPENAI', workspaceOpenAiKey);
  boundToken = (await createToken(server, member.token, owner.workspaceId, 'bound')).token;
  unboundToken = (await createToken(server, member.token, null, 'unbound')).token;
  byokTokens.push(boundToken, unboundToken);
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

describe('openai SDK → POST /v1/chat/completions', () => {
  it('plain answer with the workspace key; headers say who paid; one exact ledger row', async () => {
    const before = await ledgerCount();
    const { data, response } = await openaiClient(server, boundToken)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'four words right here' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Echo: four words right here');
    expect(response.headers.get('x-byok-key-source')).toBe('WORKSPACE');
    expect(response.headers.get('x-byok-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const sent = lastChat(fakes.OPENAI);
    expect(sent.apiKey).toBe(workspaceOpenAiKey);
    for (const token of byokTokens) expect(everythingSent(sent)).not.toContain(token);
    const [row] = await newLedgerRows(before);
    expect(row).toMatchObject({
      workspace_id: owner.workspaceId,
      user_id: member.id,
      provider: 'OPENAI',
      model: 'gpt-4o-mini',
      key_source: 'WORKSPACE',
      input_tokens: 4,
      output_tokens: countWords('Echo: four words right here'),
      outcome: 'OK',
      streamed: false,
    });
  });

  it('an unbound token names the workspace with X-Byok-Workspace', async () => {
    const answer = await openaiClient(server, unboundToken, { workspaceId: owner.workspaceId }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'unbound' }],
    });
    expect(answer.choices[0]?.message.content).toBe('Echo: unbound');
  });

  it('streamed answer: byok asks for usage, the client that did not ask never sees it; the ledger is exact', async () => {
    const before = await ledgerCount();
    const stream = await openaiClient(server, boundToken).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'stream these five words' }],
      stream: true,
    });
    let text = '';
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('Echo: stream these five words');
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    expect(lastChat(fakes.OPENAI).body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const [row] = await newLedgerRows(before);
    expect(row).toMatchObject({ key_source: 'WORKSPACE', input_tokens: 4, output_tokens: 5, outcome: 'OK', streamed: true });
  });

  it('a client that asks for stream usage gets it', async () => {
    const stream = await openaiClient(server, boundToken).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count me' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const usages = [];
    for await (const chunk of stream) if (chunk.usage) usages.push(chunk.usage);
    expect(usages).toEqual([expect.objectContaining({ prompt_tokens: 2, completion_tokens: 3 })]);
  });

  it('tools, tool_choice, JSON mode, sampling options and image parts reach the provider unchanged', async () => {
    const body = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system' as const, content: 'Answer in JSON.' },
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: 'what is in this picture' },
            { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' as const } },
          ],
        },
      ],
      tools: [
        {
          type: 'function' as const,
          function: { name: 'lookup', description: 'Looks a thing up', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } },
        },
      ],
      tool_choice: 'auto' as const,
      response_format: { type: 'json_object' as const },
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      max_completion_tokens: 50,
      user: 'end-user-42',
    };
    await openaiClient(server, boundToken).chat.completions.create(body);
    expect(lastChat(fakes.OPENAI).body).toEqual(body);
  });

  it('GET /v1/models lists what the workspace can use, in OpenAI format', async () => {
    const ids = [];
    for await (const model of openaiClient(server, boundToken).models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-4o-mini', 'anthropic/claude-sonnet-4-20250514']));
  });
});

describe('@anthropic-ai/sdk → POST /v1/messages', () => {
  it('plain answer with the platform key (the workspace has no Anthropic key of its own)', async () => {
    const before = await ledgerCount();
    const { data, response } = await anthropicClient(server, boundToken)
      .messages.create({
        model: 'claude-sonnet-4-20250514',
        max_tokens: 100,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'hello from anthropic' }],
      })
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text', text: 'Echo: hello from anthropic' });
    expect(response.headers.get('x-byok-key-source')).toBe('GLOBAL');
    const sent = lastChat(fakes.ANTHROPIC);
    expect(sent.apiKey).toBe(globalAnthropicKey);
    // The SDK's own API version goes through: it shapes the answer the SDK expects.
    expect(sent.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const token of byokTokens) expect(everythingSent(sent)).not.toContain(token);
    const [row] = await newLedgerRows(before);
    expect(row).toMatchObject({ provider: 'ANTHROPIC', key_source: 'GLOBAL', input_tokens: 5, output_tokens: 4, outcome: 'OK', streamed: false });
  });

  it('streamed answer through the SDK stream helper; usage recorded exactly', async () => {
    const before = await ledgerCount();
    const stream = anthropicClient(server, boundToken).messages.stream({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'stream from anthropic please' }],
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    expect(text).toBe('Echo: stream from anthropic please');
    expect(final.usage).toMatchObject({ input_tokens: 4, output_tokens: 5 });
    const [row] = await newLedgerRows(before);
    expect(row).toMatchObject({ provider: 'ANTHROPIC', key_source: 'GLOBAL', input_tokens: 4, output_tokens: 5, outcome: 'OK', streamed: true });
  });

  it('tool definitions reach the provider unchanged', async () => {
    const body = {
      model: 'claude-sonnet-4-20250514',
      max_tokens: 64,
      temperature: 0.5,
      tools: [{ name: 'lookup', description: 'Looks a thing up', input_schema: { type: 'object' as const, properties: { q: { type: 'string' } } } }],
      tool_choice: { type: 'auto' as const },
      messages: [{ role: 'user' as const, content: 'use the tool' }],
    };
    await anthropicClient(server, boundToken).messages.create(body);
    expect(lastChat(fakes.ANTHROPIC).body).toEqual(body);
  });

  it('GET /v1/models answers in Anthropic format when anthropic-version is sent', async () => {
    const ids = [];
    for await (const model of anthropicClient(server, boundToken).models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['claude-sonnet-4-20250514', 'openai/gpt-4o-mini']));
  });
});

describe('Vercel AI SDK (@ai-sdk/openai-compatible) → byok', () => {
  const provider = () =>
    createOpenAICompatible({ name: 'byok', baseURL: `${server.url}/v1`, apiKey: boundToken, includeUsage: true, fetch: recordingFetch(server) });

  it('generateText', async () => {
    const result = await generateText({ model: provider()('gpt-4o-mini'), prompt: 'vercel says hi', maxRetries: 0 });
    expect(result.text).toBe('Echo: vercel says hi');
    expect(result.usage.inputTokens).toBe(3);
  });

  it('streamText', async () => {
    const result = streamText({ model: provider()('gpt-4o-mini'), prompt: 'vercel streams too', maxRetries: 0 });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('Echo: vercel streams too');
    expect((await result.usage).outputTokens).toBe(4);
  });
});

describe('errors surface as each SDK’s own error types, with the byok code', () => {
  const chat = (client: OpenAI) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
  const message = (client: Anthropic, model = 'claude-sonnet-4-20250514') =>
    client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });

  async function openaiFailure(run: () => Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
    try {
      await run();
    } catch (error) {
      if (error instanceof OpenAI.APIError) return error;
      throw error;
    }
    throw new Error('expected the request to fail');
  }

  async function anthropicFailure(run: () => Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
    try {
      await run();
    } catch (error) {
      if (error instanceof Anthropic.APIError) return error;
      throw error;
    }
    throw new Error('expected the request to fail');
  }

  it('UNAUTHENTICATED: unknown token → AuthenticationError', async () => {
    const error = await openaiFailure(() => chat(openaiClient(server, 'byok_not-a-real-token')));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.headers?.get('x-byok-error-code')).toBe('UNAUTHENTICATED');
    const anthropicError = await anthropicFailure(() => message(anthropicClient(server, 'byok_not-a-real-token')));
    expect(anthropicError).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(anthropicError.headers?.get('x-byok-error-code')).toBe('UNAUTHENTICATED');
  });

  it('BAD_USER_INPUT: an unbound token without X-Byok-Workspace, or no model → BadRequestError', async () => {
    const error = await openaiFailure(() => chat(openaiClient(server, unboundToken)));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.code).toBe('BAD_USER_INPUT');
    const noModel = await anthropicFailure(() => message(anthropicClient(server, boundToken), ''));
    expect(noModel).toBeInstanceOf(Anthropic.BadRequestError);
    expect(noModel.headers?.get('x-byok-error-code')).toBe('BAD_USER_INPUT');
  });

  it('a body over 10 MB: 413 for a valid token, 401 first for a bad one; nothing reaches the provider and the server keeps serving', async () => {
    // The body is read while the token is checked: a refused request must still be refused as before.
    const huge = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(10 * 1024 * 1024 + 1) }] });
    const chatsBefore = fakes.OPENAI.requests.length;
    const send = (token: string): Promise<Response> =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: huge,
      });
    const tooLarge = await send(boundToken);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('x-byok-error-code')).toBe('BAD_USER_INPUT');
    await tooLarge.text();
    const refused = await send('byok_not-a-real-token');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-byok-error-code')).toBe('UNAUTHENTICATED');
    await refused.text();
    expect(fakes.OPENAI.requests.length).toBe(chatsBefore);
    expect((await chat(openaiClient(server, boundToken))).choices[0]?.message.content).toContain('Echo');
  });

  it("BAD_USER_INPUT: the provider's own refusal comes back in its shape, with the byok code", async () => {
    const error = await openaiFailure(() =>
      openaiClient(server, boundToken).chat.completions.create({ model: 'gpt-4o-mini' } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain("Missing required parameter: 'messages'");
  });

  it('NOT_FOUND: an outsider naming the workspace → NotFoundError', async () => {
    const outsiderToken = (await createToken(server, outsider.token, null)).token;
    byokTokens.push(outsiderToken);
    const error = await openaiFailure(() => chat(openaiClient(server, outsiderToken, { workspaceId: owner.workspaceId })));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('NOT_FOUND');
  });

  it('FORBIDDEN: a token bound to another workspace → PermissionDeniedError', async () => {
    const error = await openaiFailure(() => chat(openaiClient(server, boundToken, { workspaceId: member.workspaceId })));
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(error.code).toBe('FORBIDDEN');
  });

  it('RATE_LIMITED: the provider limits the key → RateLimitError with retry-after', async () => {
    fakes.OPENAI.failNext({ type: 'status', status: 429, retryAfterSeconds: 7 });
    const error = await openaiFailure(() => chat(openaiClient(server, boundToken)));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.headers?.get('retry-after')).toBe('7');
    fakes.ANTHROPIC.failNext({ type: 'status', status: 429, retryAfterSeconds: 3 });
    const anthropicError = await anthropicFailure(() => message(anthropicClient(server, boundToken)));
    expect(anthropicError).toBeInstanceOf(Anthropic.RateLimitError);
    expect(anthropicError.headers?.get('retry-after')).toBe('3');
  });

  it('PROVIDER_UNAVAILABLE: the provider is down → InternalServerError (retryable)', async () => {
    fakes.OPENAI.failNext({ type: 'status', status: 503 });
    const error = await openaiFailure(() => chat(openaiClient(server, boundToken)));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.headers?.get('x-should-retry')).toBe('true');
  });

  it('WORKSPACE_KEY_REJECTED: marks the key INVALID, is not retried and never falls back to the platform key', async () => {
    const before = await ledgerCount();
    fakes.OPENAI.failNext({ type: 'status', status: 401 });
    const error = await openaiFailure(() => chat(openaiClient(server, boundToken)));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.code).toBe('WORKSPACE_KEY_REJECTED');
    expect(error.headers?.get('x-should-retry')).toBe('false');
    expect(lastChat(fakes.OPENAI).apiKey).toBe(workspaceOpenAiKey);
    expect(await workspaceKeyState(server, owner.token, owner.workspaceId, 'OPENAI')).toMatchObject({ status: 'INVALID' });
    const [row] = await newLedgerRows(before);
    expect(row).toMatchObject({ key_source: 'WORKSPACE', outcome: 'WORKSPACE_KEY_REJECTED' });
    // The next request still uses (only) the workspace's key; its success marks it VALID again.
    await chat(openaiClient(server, boundToken));
    expect(lastChat(fakes.OPENAI).apiKey).toBe(workspaceOpenAiKey);
    // The status is written just after the answer went out.
    await server.app.services.ai.drain();
    expect(await workspaceKeyState(server, owner.token, owner.workspaceId, 'OPENAI')).toMatchObject({ status: 'VALID' });
  });

  it('GLOBAL_KEY_REJECTED: marks the platform key INVALID → Anthropic InternalServerError', async () => {
    fakes.ANTHROPIC.failNext({ type: 'status', status: 403 });
    const error = await anthropicFailure(() => message(anthropicClient(server, boundToken)));
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.headers?.get('x-byok-error-code')).toBe('GLOBAL_KEY_REJECTED');
    await server.app.services.ai.drain();
    expect(await globalKeyState(server, admin.token, 'ANTHROPIC')).toMatchObject({ status: 'INVALID' });
    await message(anthropicClient(server, boundToken));
  });

  it('PROVIDER_NOT_CONFIGURED: no key for the provider → PermissionDeniedError', async () => {
    await clearGlobalKey(server, admin.token, 'ANTHROPIC');
    try {
      const error = await anthropicFailure(() => message(anthropicClient(server, boundToken)));
      expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
      expect(error.headers?.get('x-byok-error-code')).toBe('PROVIDER_NOT_CONFIGURED');
    } finally {
      await setGlobalKey(server, admin.token, 'ANTHROPIC', globalAnthropicKey);
    }
  });

  it('BUDGET_EXCEEDED: a workspace at its platform-key cap → RateLimitError that is not retried; its own key still works', async () => {
    const setCap = (limit: number | null) =>
      server.graphql(
        `mutation($w: ID, $l: Float) { setPlatformKeyBudget(workspaceId: $w, monthlyLimitMicroUsd: $l) { inherited } }`,
        { w: owner.workspaceId, l: limit },
        { token: admin.token },
      );
    expect((await setCap(0)).errors).toBeUndefined();
    try {
      const error = await anthropicFailure(() => message(anthropicClient(server, boundToken)));
      expect(error).toBeInstanceOf(Anthropic.RateLimitError);
      expect(error.headers?.get('x-byok-error-code')).toBe('BUDGET_EXCEEDED');
      expect(error.headers?.get('x-should-retry')).toBe('false');
      // OpenAI goes on the workspace's own key: never capped.
      await chat(openaiClient(server, boundToken));
    } finally {
      await setCap(null);
    }
  });

  it('a revoked token stops working at once', async () => {
    const created = await createToken(server, member.token, owner.workspaceId, 'to-revoke');
    byokTokens.push(created.token);
    await chat(openaiClient(server, created.token));
    await revokeToken(server, member.token, created.id);
    const error = await openaiFailure(() => chat(openaiClient(server, created.token)));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

describe('cancellation', () => {
  it('a client that aborts mid-stream aborts the provider request; the ledger says CANCELLED', async () => {
    const before = await ledgerCount();
    const controller = new AbortController();
    const stream = await openaiClient(server, boundToken).chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a long answer with many many words in it to cancel midway' }], stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    try {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) seen += 1;
        if (seen === 2) controller.abort();
      }
    } catch {
      // Depending on timing the SDK ends the iteration or throws its abort error: both are a cancelled stream.
    }
    expect(seen).toBe(2);
    const [row] = await newLedgerRows(before);
    expect(row).toMatchObject({ outcome: 'CANCELLED', key_source: 'WORKSPACE', streamed: true });
    await fakes.OPENAI.idle();
    expect(lastChat(fakes.OPENAI).aborted).toBe(true);
  });
});
