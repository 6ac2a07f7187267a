import { hashToken } from '../../../src/crypto/tokens';
import { countRows } from '../../support/database-rows';
import { signUpUser, type TestUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

const CREATE = `mutation($name: String!) { createApiToken(name: $name) { token apiToken { id name prefix createdAt lastUsedAt revokedAt } } }`;
const LIST = `{ apiTokens { id name prefix createdAt lastUsedAt revokedAt } }`;
const REVOKE = `mutation($id: ID!) { revokeApiToken(id: $id) }`;
const ME = `{ me { id } }`;

interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

describe('API tokens', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    alice = await signUpUser(server, 'alice');
    bob = await signUpUser(server, 'bob');
  });
  afterAll(async () => {
    await server.close();
  });

  const create = async (user: TestUser, name: string): Promise<{ token: string; apiToken: ApiToken }> =>
    expectData(await server.graphql<{ createApiToken: { token: string; apiToken: ApiToken } }>(CREATE, { name }, { token: user.token })).createApiToken;
  const list = async (token: string): Promise<ApiToken[]> => expectData(await server.graphql<{ apiTokens: ApiToken[] }>(LIST, {}, { token })).apiTokens;
  const meAs = async (token: string): Promise<{ id: string } | null> => expectData(await server.graphql<{ me: { id: string } | null }>(ME, {}, { token })).me;

  it('createApiToken returns a byok_ token with at least 128 random bits, once, and stores only its SHA-256', async () => {
    const created = await create(alice, '  CI pipeline ');
    expect(created.token).toMatch(/^byok_[A-Za-z0-9_-]+$/);
    expect(Buffer.from(created.token.slice('byok_'.length), 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(created.apiToken).toMatchObject({ name: 'CI pipeline', prefix: created.token.slice(0, 9), lastUsedAt: null, revokedAt: null });
    expect(created.token.startsWith(created.apiToken.prefix)).toBe(true);
    const [row] = (await server.app.dataSource.query(`SELECT token_hash, prefix FROM api_tokens WHERE id = $1`, [created.apiToken.id])) as Array<{
      token_hash: string;
      prefix: string;
    }>;
    expect(row).toEqual({ token_hash: hashToken(created.token), prefix: created.apiToken.prefix });
    // Two tokens never collide.
    expect((await create(alice, 'second')).token).not.toBe(created.token);
  });

  it('a token authenticates GraphQL exactly like a session, and the list shows name, prefix, created and last used', async () => {
    const created = await create(alice, 'reporting');
    expect((await list(alice.token)).find((token) => token.id === created.apiToken.id)?.lastUsedAt).toBeNull();
    expect(await meAs(created.token)).toEqual({ id: alice.id });
    const workspaces = expectData(await server.graphql<{ workspaces: Array<{ id: string }> }>(`{ workspaces { id } }`, {}, { token: created.token }));
    expect(workspaces.workspaces.map((workspace) => workspace.id)).toEqual([alice.workspaceId]);
    const listed = must(
      (await list(alice.token)).find((token) => token.id === created.apiToken.id),
      'the created token in the list',
    );
    expect(listed).toMatchObject({ name: 'reporting', prefix: created.apiToken.prefix, createdAt: created.apiToken.createdAt, revokedAt: null });
    expect(Date.parse(must(listed.lastUsedAt, 'lastUsedAt'))).toBeGreaterThanOrEqual(Date.parse(listed.createdAt));
    // The list is the viewer's own, newest first, and usable with the token itself.
    const viaToken = await list(created.token);
    expect(viaToken.map((token) => token.name)).toEqual(['reporting', 'second', 'CI pipeline']);
    expect(await list(bob.token)).toEqual([]);
  });

  it('a revoked token is rejected at once; revoking twice is harmless', async () => {
    const created = await create(alice, 'short-lived');
    expect(await meAs(created.token)).toEqual({ id: alice.id });
    expect(expectData(await server.graphql<{ revokeApiToken: boolean }>(REVOKE, { id: created.apiToken.id }, { token: alice.token }))).toEqual({
      revokeApiToken: true,
    });
    expect(await meAs(created.token)).toBeNull();
    expect(errorCode(await server.graphql(`{ workspaces { id } }`, {}, { token: created.token }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await server.graphql(CREATE, { name: 'from a revoked token' }, { token: created.token }))).toBe('UNAUTHENTICATED');
    const listed = must(
      (await list(alice.token)).find((token) => token.id === created.apiToken.id),
      'the created token in the list',
    );
    expect(listed.revokedAt).not.toBeNull();
    expect(expectData(await server.graphql<{ revokeApiToken: boolean }>(REVOKE, { id: created.apiToken.id }, { token: alice.token })).revokeApiToken).toBe(
      true,
    );
  });

  it("cannot revoke someone else's token: NOT_FOUND, the same as an unknown id, and the token keeps working", async () => {
    const created = await create(alice, 'alice-only');
    const before = await countRows(server);
    const foreign = await server.graphql(REVOKE, { id: created.apiToken.id }, { token: bob.token });
    const unknown = await server.graphql(REVOKE, { id: '00000000-0000-4000-8000-000000000000' }, { token: bob.token });
    for (const result of [foreign, unknown]) {
      expect(result.data).toBeNull();
      expect(errorCode(result)).toBe('NOT_FOUND');
    }
    expect(foreign.errors?.[0]?.message).toBe(must(unknown.errors?.[0], 'the error for an unknown token').message);
    expect(await countRows(server)).toEqual(before);
    expect(await meAs(created.token)).toEqual({ id: alice.id });
  });

  it('anonymous callers cannot create, list or revoke tokens', async () => {
    const before = await countRows(server);
    expect(errorCode(await server.graphql(CREATE, { name: 'x' }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await server.graphql(LIST))).toBe('UNAUTHENTICATED');
    expect(errorCode(await server.graphql(REVOKE, { id: '00000000-0000-4000-8000-000000000000' }))).toBe('UNAUTHENTICATED');
    expect(await countRows(server)).toEqual(before);
  });

  it("creating and revoking a token are audit events (SPEC §13), on the bound workspace's trail; never the token itself", async () => {
    const created = expectData(
      await server.graphql<{ createApiToken: { token: string; apiToken: ApiToken } }>(
        `mutation($w: ID) { createApiToken(name: "audited", workspaceId: $w) { token apiToken { id name prefix createdAt lastUsedAt revokedAt } } }`,
        { w: alice.workspaceId },
        { token: alice.token },
      ),
    ).createApiToken;
    for (let i = 0; i < 2; i += 1) expectData(await server.graphql(REVOKE, { id: created.apiToken.id }, { token: alice.token }));
    const rows = (await server.app.dataSource.query(
      `SELECT action, actor_user_id, workspace_id, target_user_id, details FROM audit_events WHERE details->>'apiTokenId' = $1 ORDER BY id`,
      [created.apiToken.id],
    )) as Array<Record<string, unknown>>;
    // Revoking twice records one revocation.
    expect(rows).toEqual(
      ['API_TOKEN_CREATED', 'API_TOKEN_REVOKED'].map((action) => ({
        action,
        actor_user_id: alice.id,
        workspace_id: alice.workspaceId,
        target_user_id: alice.id,
        details: { apiTokenId: created.apiToken.id, tokenName: 'audited' },
      })),
    );
    expect(JSON.stringify(rows)).not.toContain(created.token.slice('byok_'.length, 'byok_'.length + 8));
    const trail = expectData(
      await server.graphql<{ auditEvents: { nodes: Array<{ action: string }> } }>(
        `query($w: ID!) { auditEvents(workspaceId: $w, first: 5) { nodes { action } } }`,
        { w: alice.workspaceId },
        { token: alice.token },
      ),
    );
    expect(trail.auditEvents.nodes.slice(0, 2).map((node) => node.action)).toEqual(['API_TOKEN_REVOKED', 'API_TOKEN_CREATED']);
  });

  it('a forged or altered token is rejected', async () => {
    const created = await create(alice, 'to-alter');
    const last = created.token.at(-1) === 'A' ? 'B' : 'A';
    expect(await meAs(`${created.token.slice(0, -1)}${last}`)).toBeNull();
    expect(await meAs('byok_')).toBeNull();
    expect(await meAs(`byok_${'A'.repeat(300)}`)).toBeNull();
  });

  it('a session token cannot be used as an API token and vice versa (prefixes are checked)', async () => {
    const created = await create(alice, 'prefix-check');
    expect(await meAs(created.token.replace(/^byok_/, 'byoks_'))).toBeNull();
    expect(await meAs(alice.token.replace(/^byoks_/, 'byok_'))).toBeNull();
  });
});
