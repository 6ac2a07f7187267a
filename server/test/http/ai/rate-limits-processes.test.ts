/**
 * Request-rate limits hold across server processes (issue #12): two processes — the test's own server and a real
 * child process (`node src/main.ts`) — share one database, and their counters live in Postgres (the default) or
 * in Redis (REDIS_URL). Requests spread over both, one after another and all at once, are admitted exactly up to
 * the limit.
 *
 * The Redis case needs a Redis server (REDIS_TEST_URL, default redis://127.0.0.1:6379). `.ci/run` starts one and
 * sets BYOK_REQUIRE_REDIS=1, which turns "not reachable" into a failure; elsewhere that case is skipped, loudly.
 */
import net from 'node:net';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { createToken } from '../gateway/gateway-helpers';
import { assertNoLeaks } from '../../support/canaries';
import { startChildServer, type ChildServer } from '../../support/child-server';
import { signInAdmin, signUpUser } from '../../support/factories';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { startTestServer, type TestServer } from '../../support/test-server';
import { acceptedKey, setGlobalKey } from './ai-helpers';

const WORKSPACE_RPM = 6;
const TOKEN_RPM = 4;
const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

function redisReachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.write('PING\r\n');
    });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    const fail = (): void => {
      socket.destroy();
      resolve(false);
    };
    socket.once('error', fail);
    socket.once('timeout', fail);
  });
}

describe.each([
  { store: 'Postgres', env: {} as Record<string, string> },
  { store: 'Redis', env: { REDIS_URL: REDIS_TEST_URL } },
])('across two server processes, counters in $store', ({ store, env }) => {
  let fakes: FakeProviders;
  let database: TestDatabase;
  let first: TestServer;
  let second: ChildServer;
  let admin: { token: string };
  let skipped = false;
  const secondResponses: string[] = [];

  beforeAll(async () => {
    if (store === 'Redis' && !(await redisReachable(REDIS_TEST_URL))) {
      if (process.env.BYOK_REQUIRE_REDIS === '1') throw new Error(`Redis is required (BYOK_REQUIRE_REDIS=1) but does not answer at ${REDIS_TEST_URL}`);
      skipped = true;
      process.stderr.write(
        `SKIPPED: the Redis rate-limit tests need a Redis server at ${REDIS_TEST_URL} (set REDIS_TEST_URL, or BYOK_REQUIRE_REDIS=1 to fail)\n`,
      );
      return;
    }
    fakes = await startFakeProviders();
    database = await createTestDatabase();
    first = await startTestServer({
      database,
      env: { ...fakes.env, ...env, RATE_LIMIT_WORKSPACE_RPM: String(WORKSPACE_RPM), RATE_LIMIT_TOKEN_RPM: String(TOKEN_RPM) },
    });
    second = await startChildServer(first.env);
    admin = await signInAdmin(first);
    await setGlobalKey(first, admin.token, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
  }, 240_000); // two server starts, one in a child process, on a loaded machine

  afterAll(async () => {
    await second?.stop();
    if (first) {
      await assertNoLeaks({
        logs: [...first.logs, ...(second?.output ?? [])],
        responses: [...first.responses, ...secondResponses],
        database: first.app.dataSource,
      });
      await first.close();
    }
    await database?.drop();
    await fakes?.close();
  });

  /** One gateway request on process 1 or 2; returns its HTTP status and byok error code. */
  async function chat(process: 1 | 2, token: string): Promise<{ status: number; code: string | null; retryAfter: string | null }> {
    const url = process === 1 ? first.url : second.url;
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await response.text();
    (process === 1 ? first.responses : secondResponses).push(text);
    return { status: response.status, code: response.headers.get('x-byok-error-code'), retryAfter: response.headers.get('retry-after') };
  }

  async function boundToken(label: string): Promise<{ token: string; ownerToken: string; workspaceId: string }> {
    const owner = await signUpUser(first, label);
    return { token: (await createToken(first, owner.token, owner.workspaceId)).token, ownerToken: owner.token, workspaceId: owner.workspaceId };
  }

  it('the store in use is the one configured', () => {
    if (skipped) return;
    expect(first.app.services.requestRateLimits.storeKind).toBe(store === 'Redis' ? 'REDIS' : 'POSTGRES');
  });

  it('a token alternating between the processes gets exactly its limit, then RATE_LIMITED with Retry-After on either', async () => {
    if (skipped) return;
    const { token } = await boundToken(`rl2-${store}-token`);
    const answers = [];
    for (let index = 0; index < TOKEN_RPM + 2; index += 1) answers.push(await chat(index % 2 === 0 ? 1 : 2, token));
    expect(answers.map((answer) => answer.status)).toEqual([...Array<number>(TOKEN_RPM).fill(200), 429, 429]);
    expect(answers.slice(TOKEN_RPM).map((answer) => answer.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    for (const answer of answers.slice(TOKEN_RPM)) expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('parallel requests from several tokens of one workspace, spread over both processes: exactly the workspace limit is admitted', async () => {
    if (skipped) return;
    const { token, ownerToken, workspaceId } = await boundToken(`rl2-${store}-burst`);
    const tokens = [token, ...(await Promise.all([1, 2, 3].map(async (index) => (await createToken(first, ownerToken, workspaceId, `t${index}`)).token)))];
    fakes.OPENAI.reset();
    // 4 tokens × 3 requests = 12 at once, each token under its own limit of 4: only the workspace's 6 can bind.
    const answers = await Promise.all(tokens.flatMap((each, tokenIndex) => [0, 1, 2].map((index) => chat((tokenIndex + index) % 2 === 0 ? 1 : 2, each))));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(WORKSPACE_RPM);
    expect(answers.filter((answer) => answer.status === 429 && answer.code === 'RATE_LIMITED')).toHaveLength(12 - WORKSPACE_RPM);
    // Refused requests never reached the provider.
    expect(fakes.OPENAI.requests.filter((request) => request.method === 'POST')).toHaveLength(WORKSPACE_RPM);
  });

  it("an admin's override set through process 1 binds requests on process 2", async () => {
    if (skipped) return;
    const { token, workspaceId } = await boundToken(`rl2-${store}-override`);
    const set = await first.graphql(
      `mutation($w: ID!) { setWorkspaceRateLimit(workspaceId: $w, requestsPerMinute: 2) { id } }`,
      { w: workspaceId },
      { token: admin.token },
    );
    expect(set.errors).toBeUndefined();
    const answers = [await chat(2, token), await chat(2, token), await chat(2, token)];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
  });
});
