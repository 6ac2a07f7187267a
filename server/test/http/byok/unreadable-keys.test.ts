import { randomBytes } from 'node:crypto';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { complete, input } from '../ai/ai-helpers';
import { createToken } from '../gateway/gateway-helpers';
import { sweepThenClose } from '../../support/canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { acceptedKey, integrations, setWorkspaceKey, updateIntegration, verifyWorkspaceKey } from '../../support/byok';
import { expectData, startTestServer, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

// KEY_UNREADABLE (SPEC §3): a stored key the configured encryption keys cannot open fails closed with its own code,
// is marked UNREADABLE for those who may see its status, is counted at start, and keeps /readyz from saying ready.

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };
let owner: TestUser;
let member: TestUser;
let bystander: TestUser;

const PROVIDERS_QUERY = `query($id: ID!) { workspace(id: $id) { providers { provider source sourceKeyStatus customKey { status lastError } } } }`;

interface ProviderEntry {
  provider: string;
  source: string;
  sourceKeyStatus: string | null;
  customKey: { status: string; lastError: string | null } | null;
}

async function openaiEntry(who: { token: string }, workspaceId: string): Promise<ProviderEntry> {
  const result = await server.graphql<{ workspace: { providers: ProviderEntry[] } }>(PROVIDERS_QUERY, { id: workspaceId }, { token: who.token });
  // A member's customKey is FORBIDDEN (R6); the rest of the entry still answers.
  return must(
    must(result.data, 'the workspace answer').workspace.providers.find((entry) => entry.provider === 'OPENAI'),
    'the OpenAI entry',
  );
}

const logsSince = (index: number): string[] => server.logs.slice(index);

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
  expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true, globalKey: acceptedKey(fakes, 'OPENAI') }));
  owner = await signUpUser(server, 'unreadable-owner');
  member = await signUpUser(server, 'unreadable-member');
  bystander = await signUpUser(server, 'unreadable-bystander');
  await addMember(server, owner, member);
  expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI')));
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

describe('KEY_UNREADABLE: a server started with the wrong encryption key', () => {
  const rightKey = (): string => must(server.env.BYOK_ENCRYPTION_KEY, 'BYOK_ENCRYPTION_KEY');
  let originalKey: string;

  it('counts the stored keys it cannot open at start (one log line, counts only) and is not ready', async () => {
    originalKey = rightKey();
    const from = server.logs.length;
    await server.restart({ BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'), BYOK_PREVIOUS_ENCRYPTION_KEYS: '' });
    const lines = logsSince(from).filter((line) => line.includes('stored provider keys'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('2 of 2 stored provider keys cannot be opened with the configured encryption keys');
    expect(JSON.parse(must(lines[0], 'the unreadable-keys log line'))).toMatchObject({
      level: 'error',
      unreadableKeys: 2,
      storedKeys: 2,
      sealedWithMissingEncryptionKey: 2,
    });

    const ready = await server.fetch('/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'stored keys unreadable', unreadableKeys: 2 });
    // Liveness is not readiness: the process itself is fine.
    expect((await server.fetch('/healthz')).status).toBe(200);
  });

  it('an AI request on the workspace key fails closed with KEY_UNREADABLE (not "Internal server error"), without calling the provider', async () => {
    fakes.OPENAI.reset();
    const result = await complete(server, { token: member.token }, owner.workspaceId, input('OPENAI'));
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'KEY_UNREADABLE', keySource: 'WORKSPACE', provider: 'OPENAI' });
    expect(result.errors?.[0]?.message).toMatch(/cannot be read by the server.*setting the key again/);
    expect(fakes.OPENAI.requests).toHaveLength(0);
  });

  it('the key is marked UNREADABLE: the owner sees it with the fix, a member sees that requests fail', async () => {
    expect(await openaiEntry(owner, owner.workspaceId)).toMatchObject({
      source: 'WORKSPACE',
      sourceKeyStatus: 'UNREADABLE',
      customKey: { status: 'UNREADABLE', lastError: expect.stringContaining('Set it again') },
    });
    const seenByMember = await openaiEntry(member, owner.workspaceId);
    expect(seenByMember).toMatchObject({ source: 'WORKSPACE', sourceKeyStatus: 'UNREADABLE', customKey: null });
    // Verification cannot run on a key nobody can read: the same code, not a 500.
    const verify = await verifyWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI');
    expect(verify.errors?.[0]?.extensions?.code).toBe('KEY_UNREADABLE');
  });

  it("the platform's key too: KEY_UNREADABLE for its workspaces (an admin's fix), shown to admins in Integrations", async () => {
    const result = await complete(server, { token: bystander.token }, bystander.workspaceId, input('OPENAI'));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'KEY_UNREADABLE', keySource: 'GLOBAL' });
    expect(result.errors?.[0]?.message).toContain('A platform admin can fix this');
    const openai = must(
      expectData(await integrations(server, admin)).integrations.find((entry) => entry.provider === 'OPENAI'),
      'the OpenAI integration',
    );
    expect(openai.globalKey?.status).toBe('UNREADABLE');
    expect((await openaiEntry(bystander, bystander.workspaceId)).sourceKeyStatus).toBe('UNREADABLE');
  });

  it('the gateway answers with the code in the provider-native shape, and tells SDKs not to retry', async () => {
    const { token } = await createToken(server, owner.token, owner.workspaceId);
    const response = await server.fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-byok-error-code')).toBe('KEY_UNREADABLE');
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'KEY_UNREADABLE' } });
  });

  it('setting the keys again fixes it: requests work, the status is fresh, and the server is ready again', async () => {
    expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI')));
    expect(expectData(await complete(server, { token: member.token }, owner.workspaceId, input('OPENAI'))).complete.keySource).toBe('WORKSPACE');
    expect((await openaiEntry(owner, owner.workspaceId)).customKey?.status).toBe('VALID');
    // The platform's key still cannot be opened: not ready yet.
    expect(JSON.parse((await server.fetch('/readyz')).text)).toEqual({ status: 'stored keys unreadable', unreadableKeys: 1 });
    expectData(await updateIntegration(server, admin, 'OPENAI', { globalKey: acceptedKey(fakes, 'OPENAI') }));
    const ready = await server.fetch('/readyz');
    expect([ready.status, JSON.parse(ready.text)]).toEqual([200, { status: 'ready' }]);
  });

  it('a key that only a misconfigured process could not open heals on the next request with the right encryption key', async () => {
    // Both keys now sealed under the "wrong" key; a process started with the original key alone cannot open them.
    const current = rightKey();
    await server.restart({ BYOK_ENCRYPTION_KEY: originalKey });
    expect((await complete(server, { token: member.token }, owner.workspaceId, input('OPENAI'))).errors?.[0]?.extensions?.code).toBe('KEY_UNREADABLE');
    expect((await openaiEntry(owner, owner.workspaceId)).customKey?.status).toBe('UNREADABLE');
    const from = server.logs.length;
    await server.restart({ BYOK_ENCRYPTION_KEY: current });
    expect(logsSince(from).filter((line) => line.includes('stored provider keys'))).toEqual([expect.stringContaining('all can be opened')]);
    expectData(await complete(server, { token: member.token }, owner.workspaceId, input('OPENAI')));
    expect((await openaiEntry(owner, owner.workspaceId)).customKey?.status).toBe('VALID');
  });
});

describe('KEY_UNREADABLE: a damaged row under a configured encryption key', () => {
  it('fails closed with KEY_UNREADABLE and is counted at start, but the server stays ready (row damage, not configuration)', async () => {
    const [row] = (await server.app.dataSource.query(`SELECT id, ciphertext FROM provider_keys WHERE workspace_id = $1`, [owner.workspaceId])) as Array<{
      id: string;
      ciphertext: string;
    }>;
    const { id, ciphertext } = must(row, 'the workspace key row');
    const parts = ciphertext.split('.');
    const body = Buffer.from(must(parts[3], 'the sealed part of the ciphertext'), 'base64url');
    body[0] ^= 0x01;
    parts[3] = body.toString('base64url');
    await server.app.dataSource.query(`UPDATE provider_keys SET ciphertext = $2 WHERE id = $1`, [id, parts.join('.')]);

    const result = await complete(server, { token: member.token }, owner.workspaceId, input('OPENAI'));
    expect(result.errors?.[0]?.extensions?.code).toBe('KEY_UNREADABLE');
    expect((await openaiEntry(owner, owner.workspaceId)).customKey?.status).toBe('UNREADABLE');

    const from = server.logs.length;
    await server.restart();
    expect(logsSince(from).find((line) => line.includes('stored provider keys'))).toContain('1 of 2 stored provider keys cannot be opened');
    expect((await server.fetch('/readyz')).status).toBe(200);
  });
});
