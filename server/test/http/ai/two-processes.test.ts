/**
 * R3 across processes: two server processes share one database. A BYOK switch made through one is used
 * by the very next AI request on the other — no cache, no restart. The second server is a real child
 * process (`node src/main.ts`), so no in-process state can make this pass by accident.
 */
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { assertNoLeaks, collectLeaks } from '../../support/canaries';
import { startChildServer, type ChildServer } from '../../support/child-server';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { startTestServer, type GraphQLResult, type RequestAuth, type TestServer } from '../../support/test-server';
import { acceptedKey, input, removeWorkspaceKey, setByok, setGlobalKey, setWorkspaceKey, streamCompletion, type CompletionPayload } from './ai-helpers';
import { must } from '../../support/must';

let fakes: FakeProviders;
let database: TestDatabase;
let first: TestServer;
let second: ChildServer;
let admin: { token: string };
let owner: TestUser;
let globalKey: string;
let workspaceKey: string;
const secondResponses: string[] = [];

/** GraphQL against the child process (responses kept for the leak sweep). */
async function graphqlOnSecond<T>(query: string, variables: Record<string, unknown>, auth: RequestAuth): Promise<GraphQLResult<T>> {
  const response = await fetch(`${second.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${auth.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  secondResponses.push(text);
  const body = JSON.parse(text) as { data: T | null; errors?: GraphQLResult<T>['errors'] };
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers, text };
}

async function completeOnSecond(): Promise<CompletionPayload> {
  const result = await graphqlOnSecond<{ complete: CompletionPayload }>(
    `mutation($w: ID!, $i: CompletionInput!) { complete(workspaceId: $w, input: $i) { text keySource inputTokens outputTokens costMicroUsd latencyMs model } }`,
    { w: owner.workspaceId, i: input('OPENAI') },
    { token: owner.token },
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.complete;
}

const lastChatKey = (): string | null => {
  const chats = fakes.OPENAI.requests.filter((request) => request.method === 'POST');
  return chats[chats.length - 1]?.apiKey ?? null;
};

beforeAll(async () => {
  fakes = await startFakeProviders();
  database = await createTestDatabase();
  first = await startTestServer({ database, env: fakes.env });
  // Same database and encryption key as the first process; its own port, data folder and memory.
  second = await startChildServer(first.env);
  admin = await signInAdmin(first);
  owner = await signUpUser(first, 'owner');
  globalKey = acceptedKey(fakes, 'OPENAI');
  workspaceKey = acceptedKey(fakes, 'OPENAI');
  await setByok(first, admin.token, 'OPENAI', true);
  await setGlobalKey(first, admin.token, 'OPENAI', globalKey);
  await setWorkspaceKey(first, owner.token, owner.workspaceId, 'OPENAI', workspaceKey);
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

it('the second process serves the workspace key that was set through the first', async () => {
  expect(await completeOnSecond()).toMatchObject({ keySource: 'WORKSPACE' });
  expect(lastChatKey()).toBe(workspaceKey);
});

it('BYOK disabled on process 1 → the next request on process 2 uses the global key', async () => {
  await setByok(first, admin.token, 'OPENAI', false);
  expect(await completeOnSecond()).toMatchObject({ keySource: 'GLOBAL' });
  expect(lastChatKey()).toBe(globalKey);
});

it('BYOK re-enabled on process 2 → the next request on process 1 uses the workspace key again (stream too)', async () => {
  const toggled = await graphqlOnSecond(`mutation { updateIntegration(provider: OPENAI, byokEnabled: true) { byokEnabled } }`, {}, { token: admin.token });
  expect(toggled.errors).toBeUndefined();
  const streamed = await streamCompletion(first, { token: owner.token }, { workspaceId: owner.workspaceId, input: input('OPENAI') });
  expect(streamed.events.at(-1)).toMatchObject({ event: 'done', data: { keySource: 'WORKSPACE' } });
  expect(lastChatKey()).toBe(workspaceKey);
});

it('the workspace key removed on process 1 → process 2 falls back to the global key at once', async () => {
  await removeWorkspaceKey(first, owner.token, owner.workspaceId, 'OPENAI');
  expect(await completeOnSecond()).toMatchObject({ keySource: 'GLOBAL' });
  expect(lastChatKey()).toBe(globalKey);
});

describe('hot-path caches: a change on process 1 is honoured by process 2 within 1 s (p99), measured', () => {
  const ROUNDS = 5;
  const delays: Record<string, number[]> = {};

  /** A gateway request on the child: its status and which key paid. */
  async function gatewayOnSecond(token: string): Promise<{ status: number; keySource: string | null }> {
    const response = await fetch(`${second.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'cache' }] }),
    });
    secondResponses.push(await response.text());
    return { status: response.status, keySource: response.headers.get('x-byok-key-source') };
  }

  /** Time from the change having committed (the mutation answered) until process 2 honours it. */
  async function measure(label: string, change: () => Promise<void>, honoured: () => Promise<boolean>): Promise<void> {
    await change();
    const committed = performance.now();
    while (!(await honoured())) {
      if (performance.now() - committed > 5000) throw new Error(`${label}: process 2 still serves the old state after 5 s`);
    }
    (delays[label] ??= []).push(performance.now() - committed);
  }

  async function boundToken(user: TestUser, workspaceId: string): Promise<{ id: string; token: string }> {
    const result = await first.graphql<{ createApiToken: { token: string; apiToken: { id: string } } }>(
      `mutation($w: ID) { createApiToken(name: "cache", workspaceId: $w) { token apiToken { id } } }`,
      { w: workspaceId },
      { token: user.token },
    );
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return { id: result.data.createApiToken.apiToken.id, token: result.data.createApiToken.token };
  }

  beforeAll(async () => {
    if (database.kind === 'postgres') {
      // On Postgres the caches are on (the feed proved itself); on PGlite they stay off and this measures no cache.
      const deadline = Date.now() + 5000;
      while (!first.app.services.changeFeed?.live && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(first.app.services.changeFeed?.live).toBe(true);
    }
    await setWorkspaceKey(first, owner.token, owner.workspaceId, 'OPENAI', workspaceKey);
  });

  afterAll(() => {
    const lines = Object.entries(delays).map(
      ([label, values]) => `${label}: max ${Math.max(...values).toFixed(1)} ms over ${values.length} (${values.map((value) => value.toFixed(1)).join(', ')})`,
    );
    process.stdout.write(`cross-process invalidation delays (${database.kind}):\n${lines.join('\n')}\n`);
  });

  it('a BYOK switch', async () => {
    const { token } = await boundToken(owner, owner.workspaceId);
    for (let round = 0; round < ROUNDS; round += 1) {
      expect((await gatewayOnSecond(token)).keySource).toBe('WORKSPACE');
      await measure(
        'BYOK switch',
        () => setByok(first, admin.token, 'OPENAI', false),
        async () => (await gatewayOnSecond(token)).keySource === 'GLOBAL',
      );
      await setByok(first, admin.token, 'OPENAI', true);
    }
    expect(Math.max(...must(delays['BYOK switch'], 'the BYOK switch delays'))).toBeLessThan(1000);
  });

  it('a key change', async () => {
    const { token } = await boundToken(owner, owner.workspaceId);
    for (let round = 0; round < ROUNDS; round += 1) {
      await gatewayOnSecond(token);
      const replacement = acceptedKey(fakes, 'OPENAI');
      await measure(
        'key change',
        () => setWorkspaceKey(first, owner.token, owner.workspaceId, 'OPENAI', replacement).then(() => undefined),
        async () => (await gatewayOnSecond(token)).status === 200 && lastChatKey() === replacement,
      );
    }
    expect(Math.max(...must(delays['key change'], 'the key change delays'))).toBeLessThan(1000);
  });

  it('a removed member', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const member = await signUpUser(first, `member${round}`);
      expect(
        (
          await first.graphql(
            `mutation($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e) { role } }`,
            { w: owner.workspaceId, e: member.email },
            { token: owner.token },
          )
        ).errors,
      ).toBeUndefined();
      const { token } = await boundToken(member, owner.workspaceId);
      expect((await gatewayOnSecond(token)).status).toBe(200);
      await measure(
        'removed member',
        async () => {
          const removed = await first.graphql(
            `mutation($w: ID!, $u: ID!) { removeWorkspaceMember(workspaceId: $w, userId: $u) }`,
            { w: owner.workspaceId, u: member.id },
            { token: owner.token },
          );
          expect(removed.errors).toBeUndefined();
        },
        async () => (await gatewayOnSecond(token)).status === 404,
      );
    }
    expect(Math.max(...must(delays['removed member'], 'the removed member delays'))).toBeLessThan(1000);
  });

  it('a revoked token', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const created = await boundToken(owner, owner.workspaceId);
      expect((await gatewayOnSecond(created.token)).status).toBe(200);
      await measure(
        'revoked token',
        async () => {
          expect((await first.graphql(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: created.id }, { token: owner.token })).errors).toBeUndefined();
        },
        async () => (await gatewayOnSecond(created.token)).status === 401,
      );
    }
    expect(Math.max(...must(delays['revoked token'], 'the revoked token delays'))).toBeLessThan(1000);
  });
});

it('both processes wrote their ledger rows to the shared database (the child flushed on its way out)', async () => {
  await second.stop();
  await first.app.services.usageLedger.flush();
  const rows = (await first.app.dataSource.query(`SELECT key_source, streamed FROM usage_records ORDER BY occurred_at, id`)) as Array<{
    key_source: string;
    streamed: boolean;
  }>;
  expect(rows.slice(0, 4)).toEqual([
    { key_source: 'WORKSPACE', streamed: false },
    { key_source: 'GLOBAL', streamed: false },
    { key_source: 'WORKSPACE', streamed: true },
    { key_source: 'GLOBAL', streamed: false },
  ]);
  // Then the gateway requests of the cache measurements, most of them served by the child.
  expect(rows.length).toBeGreaterThan(20);
  expect(await collectLeaks({ logs: second.output, responses: secondResponses, database: first.app.dataSource })).toEqual([]);
});
