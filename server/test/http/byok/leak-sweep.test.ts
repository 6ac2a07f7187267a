import { PROVIDER_IDS, PROVIDERS } from '@byok/shared';
import { STREAM_PATH } from '../ai/ai-helpers';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { assertNoLeaks, sweepThenClose, canaryKey, collectLeaks, leakSourcesOf, registeredCanaries } from '../../support/canaries';
import { signInAdmin, signUpUser } from '../../support/factories';
import { acceptedKey, setWorkspaceKey, updateIntegration } from '../../support/byok';
import { expectData, startTestServer, type TestServer } from '../../support/test-server';

// The controls below prove the sweep can fail: each plants one canary form in a copy of one source.
let fakes: FakeProviders;
let server: TestServer;
let storedKey = '';
let ownerToken = '';
let workspaceId = '';

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  const admin = await signInAdmin(server);
  const owner = await signUpUser(server, 'sweep');
  ownerToken = owner.token;
  workspaceId = owner.workspaceId;
  // Every registered provider stores a global and a workspace key and answers through `complete` and the stream,
  // so each adapter's request, response and error paths are inside the sweep.
  for (const provider of PROVIDER_IDS) {
    expectData(await updateIntegration(server, admin, provider, { byokEnabled: true, globalKey: acceptedKey(fakes, provider) }));
    const workspaceKey = acceptedKey(fakes, provider);
    expectData(await setWorkspaceKey(server, owner, owner.workspaceId, provider, workspaceKey));
    storedKey ||= workspaceKey;
    const input = { provider, model: PROVIDERS[provider].models[0], messages: [{ role: 'user', content: 'sweep me' }] };
    expectData(
      await server.graphql(
        `mutation($w: ID!, $input: CompletionInput!) { complete(workspaceId: $w, input: $input) { text } }`,
        { w: owner.workspaceId, input },
        { token: owner.token },
      ),
    );
    const streamed = await server.fetch(STREAM_PATH, {
      method: 'POST',
      auth: { token: owner.token },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspaceId: owner.workspaceId, input }),
    });
    expect(streamed.text).toContain('event: done');
    // A key the provider rejects: the error path's messages are swept too.
    fakes[provider].validKeys.delete(workspaceKey);
    const rejected = await server.graphql(
      `mutation($w: ID!, $input: CompletionInput!) { complete(workspaceId: $w, input: $input) { text } }`,
      { w: owner.workspaceId, input },
      { token: owner.token },
    );
    expect(rejected.errors?.[0]?.extensions?.code).toBe('WORKSPACE_KEY_REJECTED');
    fakes[provider].validKeys.add(workspaceKey);
  }
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

it('passes on the real server after keys were stored and verified', async () => {
  expect(registeredCanaries().length).toBeGreaterThanOrEqual(2);
  // The fakes did see the keys: they are deliberately outside the sweep.
  for (const fake of fakes.all) expect(fake.keysSeen().length).toBeGreaterThan(0);
  expect(fakes[PROVIDER_IDS[0]].keysSeen()).toContain(storedKey);
  await expect(assertNoLeaks(server)).resolves.toBeUndefined();
});

it('passes after gateway traffic (SPEC §6), including a provider 401 that echoes the rejected key', async () => {
  const created = expectData(
    await server.graphql<{ createApiToken: { token: string } }>(
      `mutation($w: ID!) { createApiToken(name: "sweep", workspaceId: $w) { token } }`,
      { w: workspaceId },
      { token: ownerToken },
    ),
  );
  const send = (path: string, body?: unknown) =>
    server.fetch(path, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${created.createApiToken.token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'sweep me' }] };
  expect((await send('/v1/chat/completions', chat)).status).toBe(200);
  expect((await send('/v1/chat/completions', { ...chat, stream: true })).status).toBe(200);
  expect((await send('/v1/models')).status).toBe(200);
  fakes.OPENAI.failNext({ type: 'status', status: 401 });
  const rejected = await send('/v1/chat/completions', chat);
  expect(rejected.headers.get('x-byok-error-code')).toBe('WORKSPACE_KEY_REJECTED');
  fakes.OPENAI.failNext({ type: 'status', status: 401 });
  expect((await send('/v1/chat/completions', { ...chat, stream: true })).headers.get('x-byok-error-code')).toBe('WORKSPACE_KEY_REJECTED');
  expect((await send('/v1/chat/completions', { model: 'gpt-4o-mini' })).headers.get('x-byok-error-code')).toBe('BAD_USER_INPUT');
  await server.app.services.ai.drain();
  await expect(assertNoLeaks(server)).resolves.toBeUndefined();
});

it('fails when a canary is in a response', async () => {
  const sources = leakSourcesOf(server);
  await expect(assertNoLeaks({ ...sources, responses: [...sources.responses, JSON.stringify({ data: { key: storedKey } })] })).rejects.toThrow(
    /response #\d+: raw of canary/,
  );
});

it('fails when the hex form of a canary is in a response', async () => {
  const sources = leakSourcesOf(server);
  const hex = Buffer.from(storedKey).toString('hex').toUpperCase();
  await expect(assertNoLeaks({ ...sources, responses: [...sources.responses, `{"debug":"${hex}"}`] })).rejects.toThrow(/hex of canary/);
});

it('fails when the base64 form of a canary is in a log line (which the logger does not redact)', async () => {
  const sources = leakSourcesOf(server);
  const line = JSON.stringify({ level: 'debug', message: 'x', blob: Buffer.from(storedKey).toString('base64') });
  await expect(assertNoLeaks({ ...sources, logs: [...sources.logs, line] })).rejects.toThrow(/log line #\d+: base64 of canary/);
});

it('fails when a canary marker sits in any database column (checked inside a rolled-back transaction)', async () => {
  const planted = canaryKey('ANTHROPIC');
  const marker = planted.slice('sk-ant-'.length, 'sk-ant-'.length + 22);
  const rollback = new Error('rollback');
  await expect(
    server.app.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE workspaces SET name = $1 WHERE id = (SELECT id FROM workspaces LIMIT 1)`, [`team ${marker}`]);
      const leaks = await collectLeaks({ ...leakSourcesOf(server), database: manager });
      expect(leaks).toEqual([expect.objectContaining({ where: expect.stringMatching(/^database workspaces\.name/), form: 'marker' })]);
      await expect(assertNoLeaks({ ...leakSourcesOf(server), database: manager })).rejects.toThrow(/database workspaces\.name/);
      throw rollback;
    }),
  ).rejects.toBe(rollback);
});

it('fails when a canary is in a jsonb column', async () => {
  const rollback = new Error('rollback');
  await expect(
    server.app.dataSource.transaction(async (manager) => {
      // A table created later (e.g. by another issue's migration) is swept too: the sweep reads information_schema.
      await manager.query(`CREATE TABLE leak_probe_public (details jsonb)`);
      await manager.query(`INSERT INTO leak_probe_public VALUES ($1)`, [JSON.stringify({ apiKey: Buffer.from(storedKey).toString('base64url') })]);
      await expect(assertNoLeaks({ ...leakSourcesOf(server), database: manager })).rejects.toThrow(/database leak_probe_public\.details.*base64url/s);
      throw rollback;
    }),
  ).rejects.toBe(rollback);
});

it('never passes vacuously: the ciphertext column is the only one exempt, and it does not hold the key in clear', async () => {
  const [row] = (await server.app.dataSource.query(`SELECT ciphertext FROM provider_keys WHERE scope = 'WORKSPACE'`)) as Array<{ ciphertext: string }>;
  expect(row?.ciphertext).not.toContain(storedKey);
  expect(row?.ciphertext).toMatch(/^v1\.[0-9a-f]{12}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
});
