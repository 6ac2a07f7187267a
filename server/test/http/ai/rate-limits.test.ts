/**
 * Request-rate limits (issue #12, SPEC §4/§7): per workspace and per API token, on every AI path, answered as
 * RATE_LIMITED with retryAfterSeconds; an admin's per-workspace override wins over RATE_LIMIT_WORKSPACE_RPM.
 * Across processes: rate-limits-processes.test.ts.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { anthropicClient, createToken, openaiClient } from '../gateway/gateway-helpers';
import { sweepThenClose } from '../../support/canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { expectData, startTestServer, type GraphQLResult, type TestServer } from '../../support/test-server';
import { acceptedKey, complete, input, ledgerRows, setByok, setGlobalKey, streamCompletion } from './ai-helpers';
import { must } from '../../support/must';

const WORKSPACE_RPM = 4;
const TOKEN_RPM = 2;

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };

const RATE_LIMIT_FIELDS = 'requestsPerMinute inherited apiTokenRequestsPerMinute';

function setWorkspaceRateLimit(who: { token: string }, workspaceId: string, requestsPerMinute: number | null) {
  return server.graphql<{ setWorkspaceRateLimit: { id: string; rateLimit: { requestsPerMinute: number | null; inherited: boolean } } }>(
    `mutation($w: ID!, $rpm: Int) { setWorkspaceRateLimit(workspaceId: $w, requestsPerMinute: $rpm) { id rateLimit { ${RATE_LIMIT_FIELDS} } } }`,
    { w: workspaceId, rpm: requestsPerMinute },
    { token: who.token },
  );
}

/** Runs `count` GraphQL completions one after another; returns each one's error code (undefined = answered). */
async function completions(who: { token: string }, workspaceId: string, count: number): Promise<Array<GraphQLResult<unknown>>> {
  const results: Array<GraphQLResult<unknown>> = [];
  for (let index = 0; index < count; index += 1) results.push(await complete(server, { token: who.token }, workspaceId, input('OPENAI')));
  return results;
}

const codes = (results: Array<GraphQLResult<unknown>>): Array<string | undefined> => results.map((result) => result.errors?.[0]?.extensions?.code);

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: { ...fakes.env, RATE_LIMIT_WORKSPACE_RPM: String(WORKSPACE_RPM), RATE_LIMIT_TOKEN_RPM: String(TOKEN_RPM) } });
  admin = await signInAdmin(server);
  await setByok(server, admin.token, 'OPENAI', true);
  await setGlobalKey(server, admin.token, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
  await setGlobalKey(server, admin.token, 'ANTHROPIC', acceptedKey(fakes, 'ANTHROPIC'));
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

describe('per workspace (RATE_LIMIT_WORKSPACE_RPM)', () => {
  it('GraphQL complete: the request over the limit gets RATE_LIMITED with retryAfterSeconds, and the provider is not called', async () => {
    const owner = await signUpUser(server, 'rl-graphql');
    fakes.OPENAI.reset();
    const results = await completions(owner, owner.workspaceId, WORKSPACE_RPM + 1);
    expect(codes(results)).toEqual([...Array<undefined>(WORKSPACE_RPM).fill(undefined), 'RATE_LIMITED']);
    const refused = must(results.at(-1)?.errors?.[0], 'the refusal of the last request');
    expect(refused.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'WORKSPACE', requestsPerMinute: WORKSPACE_RPM });
    expect(refused.extensions?.retryAfterSeconds).toEqual(expect.any(Number));
    expect(refused.extensions?.retryAfterSeconds as number).toBeGreaterThanOrEqual(1);
    expect(refused.extensions?.retryAfterSeconds as number).toBeLessThanOrEqual(60);
    expect(refused.message).toMatch(/This workspace has reached its limit of 4 AI requests per minute/);
    expect(fakes.OPENAI.requests.filter((request) => request.path.includes('chat'))).toHaveLength(WORKSPACE_RPM);
    // The refusal is in the ledger like any other failure.
    const rows = (await ledgerRows(server)).filter((row) => row.workspace_id === owner.workspaceId);
    expect(rows.map((row) => row.outcome).sort()).toEqual(['OK', 'OK', 'OK', 'OK', 'RATE_LIMITED']);
  });

  it('the limit is per workspace: another workspace, and other members of the limited one, are counted apart / together', async () => {
    const owner = await signUpUser(server, 'rl-shared');
    const member = await signUpUser(server, 'rl-shared-member');
    await addMember(server, owner, member);
    const other = await signUpUser(server, 'rl-other');
    expect(codes(await completions(owner, owner.workspaceId, 2))).toEqual([undefined, undefined]);
    expect(codes(await completions(member, owner.workspaceId, 3))).toEqual([undefined, undefined, 'RATE_LIMITED']);
    expect(codes(await completions(other, other.workspaceId, 1))).toEqual([undefined]);
  });

  it('the streaming route counts too: RATE_LIMITED arrives as its error event with retryAfterSeconds', async () => {
    const owner = await signUpUser(server, 'rl-stream');
    await completions(owner, owner.workspaceId, WORKSPACE_RPM);
    const response = await streamCompletion(server, { token: owner.token }, { workspaceId: owner.workspaceId, input: input('OPENAI') });
    expect(response.events).toEqual([
      {
        event: 'error',
        data: expect.objectContaining({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number), message: expect.stringMatching(/per minute/) }),
      },
    ]);
  });
});

describe('per API token (RATE_LIMIT_TOKEN_RPM) on the gateway, through the official SDKs', () => {
  let owner: TestUser;
  let first: string;
  let second: string;

  beforeAll(async () => {
    owner = await signUpUser(server, 'rl-tokens');
    first = (await createToken(server, owner.token, owner.workspaceId, 'first')).token;
    second = (await createToken(server, owner.token, owner.workspaceId, 'second')).token;
  });

  const chat = (token: string) => openaiClient(server, token).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });

  async function failure(run: () => Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
    try {
      await run();
    } catch (error) {
      if (error instanceof OpenAI.APIError) return error;
      throw error;
    }
    throw new Error('expected the request to fail');
  }

  it('/v1/chat/completions: over the token limit → HTTP 429 the OpenAI SDK raises as RateLimitError, with Retry-After and the byok code', async () => {
    for (let index = 0; index < TOKEN_RPM; index += 1) await chat(first);
    const error = await failure(() => chat(first));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.headers?.get('x-byok-error-code')).toBe('RATE_LIMITED');
    const retryAfter = Number(error.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(error.message).toContain('This API token has reached its limit of 2 AI requests per minute');
  });

  it("another token of the same workspace still works: a token's refusals do not use up the workspace's limit", async () => {
    // The workspace has used 2 of its 4 (the first token's refused request was given back).
    await chat(second);
    await chat(second);
    const error = await failure(() => chat(second));
    // Both limits are now reached; the token's is reported (it is the caller's own).
    expect(error.status).toBe(429);
    expect(error.code).toBe('RATE_LIMITED');
  });

  it('/v1/messages: the Anthropic SDK gets its RateLimitError too', async () => {
    const fresh = await signUpUser(server, 'rl-anthropic');
    const token = (await createToken(server, fresh.token, fresh.workspaceId, 'claude')).token;
    const client = anthropicClient(server, token);
    const message = () => client.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    for (let index = 0; index < TOKEN_RPM; index += 1) await message();
    let caught: unknown = null;
    try {
      await message();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Anthropic.RateLimitError);
    const error = caught as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error.headers?.get('x-byok-error-code')).toBe('RATE_LIMITED');
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('a session (no API token) is limited per workspace only', async () => {
    const fresh = await signUpUser(server, 'rl-session');
    expect(codes(await completions(fresh, fresh.workspaceId, TOKEN_RPM + 1))).toEqual([undefined, undefined, undefined]);
  });
});

describe("an admin's per-workspace override (setWorkspaceRateLimit)", () => {
  it('wins over the default: a higher limit, no limit (0), and back to the default (null)', async () => {
    const higher = await signUpUser(server, 'rl-higher');
    const updated = expectData(await setWorkspaceRateLimit(admin, higher.workspaceId, 6)).setWorkspaceRateLimit;
    expect(updated).toEqual({ id: higher.workspaceId, rateLimit: { requestsPerMinute: 6, inherited: false, apiTokenRequestsPerMinute: TOKEN_RPM } });
    expect(codes(await completions(higher, higher.workspaceId, 7))).toEqual([...Array<undefined>(6).fill(undefined), 'RATE_LIMITED']);

    const lower = await signUpUser(server, 'rl-lower');
    expectData(await setWorkspaceRateLimit(admin, lower.workspaceId, 1));
    expect(codes(await completions(lower, lower.workspaceId, 2))).toEqual([undefined, 'RATE_LIMITED']);

    const unlimited = await signUpUser(server, 'rl-unlimited');
    expectData(await setWorkspaceRateLimit(admin, unlimited.workspaceId, 0));
    expect(codes(await completions(unlimited, unlimited.workspaceId, WORKSPACE_RPM + 2))).toEqual(Array<undefined>(WORKSPACE_RPM + 2).fill(undefined));

    const back = expectData(await setWorkspaceRateLimit(admin, unlimited.workspaceId, null)).setWorkspaceRateLimit;
    expect(back.rateLimit).toEqual({ requestsPerMinute: WORKSPACE_RPM, inherited: true, apiTokenRequestsPerMinute: TOKEN_RPM });
    // The default applies again. Requests made without a limit were not counted (no store round trip for them).
    expect(codes(await completions(unlimited, unlimited.workspaceId, WORKSPACE_RPM + 1))).toEqual([
      ...Array<undefined>(WORKSPACE_RPM).fill(undefined),
      'RATE_LIMITED',
    ]);
  });

  it('the owner reads the limits; is audited with the previous value', async () => {
    const owner = await signUpUser(server, 'rl-read');
    const read = await server.graphql<{ workspace: { rateLimit: unknown } }>(
      `query($id: ID!) { workspace(id: $id) { rateLimit { ${RATE_LIMIT_FIELDS} } } }`,
      { id: owner.workspaceId },
      { token: owner.token },
    );
    expect(expectData(read).workspace.rateLimit).toEqual({ requestsPerMinute: WORKSPACE_RPM, inherited: true, apiTokenRequestsPerMinute: TOKEN_RPM });
    expectData(await setWorkspaceRateLimit(admin, owner.workspaceId, 9));
    expectData(await setWorkspaceRateLimit(admin, owner.workspaceId, 12));
    const [event] = (await server.app.dataSource.query(
      `SELECT action, actor_user_id, details FROM audit_events WHERE workspace_id = $1 AND action = 'WORKSPACE_RATE_LIMIT_SET' ORDER BY id DESC LIMIT 1`,
      [owner.workspaceId],
    )) as Array<{ action: string; actor_user_id: string; details: Record<string, unknown> }>;
    expect(event).toMatchObject({ actor_user_id: admin.id, details: { requestsPerMinute: 12, previousRequestsPerMinute: 9, inherited: false } });
  });

  it('is for platform admins only: the owner, a member and anonymous callers are refused, and nothing changes', async () => {
    const owner = await signUpUser(server, 'rl-owner');
    const member = await signUpUser(server, 'rl-member');
    await addMember(server, owner, member);
    expect(codes([await setWorkspaceRateLimit(owner, owner.workspaceId, 0)])).toEqual(['FORBIDDEN']);
    expect(codes([await setWorkspaceRateLimit(member, owner.workspaceId, 0)])).toEqual(['FORBIDDEN']);
    expect(codes([await setWorkspaceRateLimit({ token: '' }, owner.workspaceId, 0)])).toEqual(['UNAUTHENTICATED']);
    const rows = (await server.app.dataSource.query(`SELECT 1 FROM workspace_policies WHERE policy = 'REQUEST_RATE_LIMIT' AND workspace_id = $1`, [
      owner.workspaceId,
    ])) as unknown[];
    expect(rows).toEqual([]);
  });

  it('bad values are BAD_USER_INPUT naming the field; an unknown workspace is NOT_FOUND', async () => {
    const owner = await signUpUser(server, 'rl-bad');
    for (const value of [-1, 1_000_001]) {
      const result = await setWorkspaceRateLimit(admin, owner.workspaceId, value);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'requestsPerMinute' });
    }
    expect(codes([await setWorkspaceRateLimit(admin, '00000000-0000-4000-8000-000000000000', 5)])).toEqual(['NOT_FOUND']);
  });
});
