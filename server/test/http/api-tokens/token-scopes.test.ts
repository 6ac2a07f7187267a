/**
 * What an API token may do (SPEC §10; docs/api.md "What an API token may do"): a workspace-bound token acts only
 * on its workspace, on every route (GraphQL, the usage CSV, the SSE route, /v1), and never as a platform admin;
 * no API token — bound or not, an admin's or not — changes tokens, memberships, workspaces, keys, webhooks, notices
 * or platform settings: every mutation but the allow-list answers FORBIDDEN and writes nothing.
 *
 * The world: alice owns workspace A (her sign-up) and workspace B, and is a member of bob's workspace C; the
 * platform admin is a member of A. Tokens: alice's bound to A and unbound, the admin's bound to A and unbound.
 */
import type { GraphQLSchema } from 'graphql';
import { API_TOKEN_MUTATIONS } from '../../../src/auth/policies';
import { USAGE_EXPORT_PATH } from '../../../src/modules/usage/usage-export.route';
import { buildAppSchema } from '../../../src/wiring/schema';
import { acceptedKey, complete, input, ledgerRows, setByok, setGlobalKey, setWorkspaceKey, streamCompletion } from '../ai/ai-helpers';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { createToken } from '../gateway/gateway-helpers';
import { sweepThenClose } from '../../support/canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { must } from '../../support/must';
import { errorCode, expectData, startTestServer, TEST_ADMIN_EMAIL, type GraphQLResult, type TestServer } from '../../support/test-server';

const TOKENS = ['aliceBoundToA', 'aliceUnbound', 'adminBoundToA', 'adminUnbound'] as const;
type TokenName = (typeof TOKENS)[number];

let fakes: FakeProviders;
let server: TestServer;
let admin: { id: string; token: string };
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let dave: TestUser;
let workspaceA: string;
let workspaceB: string;
let workspaceC: string;
let aliceSpareTokenId: string;
let webhookId: string;
const tokens = {} as Record<TokenName, string>;

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
  [alice, bob, carol, dave] = [
    await signUpUser(server, 'alice'),
    await signUpUser(server, 'bob'),
    await signUpUser(server, 'carol'),
    await signUpUser(server, 'dave'),
  ];
  workspaceA = alice.workspaceId;
  workspaceC = bob.workspaceId;
  workspaceB = expectData(
    await server.graphql<{ createWorkspace: { id: string } }>(`mutation { createWorkspace(name: "alice's second") { id } }`, {}, { token: alice.token }),
  ).createWorkspace.id;
  await addMember(server, alice, dave);
  await addMember(server, bob, alice);
  expectData(
    await server.graphql(
      `mutation($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e) { role } }`,
      { w: workspaceA, e: TEST_ADMIN_EMAIL },
      { token: alice.token },
    ),
  );
  await setByok(server, admin.token, 'OPENAI', true);
  await setGlobalKey(server, admin.token, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
  await setWorkspaceKey(server, alice.token, workspaceA, 'OPENAI', acceptedKey(fakes, 'OPENAI'));

  tokens.aliceBoundToA = (await createToken(server, alice.token, workspaceA, 'bound to A')).token;
  tokens.aliceUnbound = (await createToken(server, alice.token, null, 'unbound')).token;
  tokens.adminBoundToA = (await createToken(server, admin.token, workspaceA, 'admin bound to A')).token;
  tokens.adminUnbound = (await createToken(server, admin.token, null, 'admin unbound')).token;
  aliceSpareTokenId = (await createToken(server, alice.token, workspaceB, 'bound to B')).id;
  webhookId = expectData(
    await server.graphql<{ createWebhook: { webhook: { id: string } } }>(
      `mutation { createWebhook(url: "https://hooks.example.com/token-scopes", events: [KEY_INVALID]) { webhook { id } } }`,
      {},
      { token: admin.token },
    ),
  ).createWebhook.webhook.id;
}, 90_000);

afterAll(async () => {
  if (!server) return;
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

const as = (name: TokenName) => ({ token: tokens[name] });
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

// ----- Refused mutations ---------------------------------------------------------------------------------------

interface RefusedMutation {
  /** The schema's mutation field. */
  field: string;
  /** What this case tries, e.g. "bound to workspace B". */
  attempt: string;
  document: string;
  variables?: () => Record<string, unknown>;
}

/**
 * Every mutation outside the allow-list, with arguments that a session of the token's user would get through
 * wherever that user may act (alice owns A and B; the admin is an admin): the refusal is the token's, not the
 * arguments'. The coverage test below fails on a mutation of the schema that is neither here nor allowed.
 */
const REFUSED: RefusedMutation[] = [
  { field: 'createApiToken', attempt: 'unbound', document: `mutation { createApiToken(name: "minted") { token } }` },
  {
    field: 'createApiToken',
    attempt: 'bound to workspace B',
    document: `mutation($w: ID) { createApiToken(name: "minted", workspaceId: $w) { token } }`,
    variables: () => ({ w: workspaceB }),
  },
  {
    field: 'revokeApiToken',
    attempt: "alice's token bound to B",
    document: `mutation($id: ID!) { revokeApiToken(id: $id) }`,
    variables: () => ({ id: aliceSpareTokenId }),
  },
  {
    field: 'addWorkspaceMember',
    attempt: 'to workspace A',
    document: `mutation($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e) { role } }`,
    variables: () => ({ w: workspaceA, e: carol.email }),
  },
  {
    field: 'addWorkspaceMember',
    attempt: 'to workspace B',
    document: `mutation($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e) { role } }`,
    variables: () => ({ w: workspaceB, e: carol.email }),
  },
  {
    field: 'removeWorkspaceMember',
    attempt: 'dave from workspace A',
    document: `mutation($w: ID!, $u: ID!) { removeWorkspaceMember(workspaceId: $w, userId: $u) }`,
    variables: () => ({ w: workspaceA, u: dave.id }),
  },
  { field: 'createWorkspace', attempt: 'a new workspace', document: `mutation { createWorkspace(name: "made by a token") { id } }` },
  {
    field: 'setWorkspaceKey',
    attempt: 'on workspace A',
    document: `mutation($w: ID!, $k: String!) { setWorkspaceKey(workspaceId: $w, provider: OPENAI, apiKey: $k) { status } }`,
    variables: () => ({ w: workspaceA, k: acceptedKey(fakes, 'OPENAI') }),
  },
  {
    field: 'verifyWorkspaceKey',
    attempt: 'on workspace A',
    document: `mutation($w: ID!) { verifyWorkspaceKey(workspaceId: $w, provider: OPENAI) { status } }`,
    variables: () => ({ w: workspaceA }),
  },
  {
    field: 'removeWorkspaceKey',
    attempt: 'on workspace A',
    document: `mutation($w: ID!) { removeWorkspaceKey(workspaceId: $w, provider: OPENAI) }`,
    variables: () => ({ w: workspaceA }),
  },
  { field: 'updateIntegration', attempt: 'BYOK off', document: `mutation { updateIntegration(provider: OPENAI, byokEnabled: false) { byokEnabled } }` },
  {
    field: 'updateIntegration',
    attempt: 'a new global key',
    document: `mutation($k: String!) { updateIntegration(provider: OPENAI, globalKey: $k) { provider } }`,
    variables: () => ({ k: acceptedKey(fakes, 'OPENAI') }),
  },
  { field: 'verifyGlobalKey', attempt: 'OPENAI', document: `mutation { verifyGlobalKey(provider: OPENAI) { provider } }` },
  {
    field: 'createWebhook',
    attempt: 'a new endpoint',
    document: `mutation { createWebhook(url: "https://hooks.example.com/from-a-token", events: [BUDGET_THRESHOLD]) { secret } }`,
  },
  { field: 'deleteWebhook', attempt: 'the existing one', document: `mutation($id: ID!) { deleteWebhook(id: $id) }`, variables: () => ({ id: webhookId }) },
  {
    field: 'sendTestWebhookEvent',
    attempt: 'the existing one',
    document: `mutation($id: ID!) { sendTestWebhookEvent(id: $id) { id } }`,
    variables: () => ({ id: webhookId }),
  },
  {
    field: 'setPlatformKeyBudget',
    attempt: 'a cap on workspace A',
    document: `mutation($w: ID) { setPlatformKeyBudget(workspaceId: $w, monthlyLimitMicroUsd: 0) { inherited } }`,
    variables: () => ({ w: workspaceA }),
  },
  { field: 'setPlatformKeyBudget', attempt: 'the default cap', document: `mutation { setPlatformKeyBudget(monthlyLimitMicroUsd: 0) { inherited } }` },
  {
    field: 'setWorkspaceRateLimit',
    attempt: 'on workspace A',
    document: `mutation($w: ID!) { setWorkspaceRateLimit(workspaceId: $w, requestsPerMinute: 1) { id } }`,
    variables: () => ({ w: workspaceA }),
  },
  {
    field: 'setPlatformKeyModels',
    attempt: 'the models of workspace A',
    document: `mutation($w: ID) { setPlatformKeyModels(workspaceId: $w, provider: OPENAI, models: ["gpt-4o-mini"]) { inherited } }`,
    variables: () => ({ w: workspaceA }),
  },
  { field: 'dismissNotice', attempt: 'any notice', document: `mutation($id: ID!) { dismissNotice(id: $id) }`, variables: () => ({ id: NO_SUCH_ID }) },
  {
    field: 'signIn',
    attempt: 'a new session',
    document: `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`,
    variables: () => ({ e: alice.email, p: alice.password }),
  },
  {
    field: 'signUp',
    attempt: 'a new account',
    document: `mutation { signUp(email: "made-by-a-token@example.com", password: "a-long-password-1", name: "Token") { token } }`,
  },
];

/** Tables a mutation can write, as one comparable value (api_tokens without last_used_at, which reading updates). */
const WRITABLE_TABLES = [
  'users',
  'workspaces',
  'memberships',
  'sessions',
  'sign_in_attempts',
  'audit_events',
  'events',
  'notices',
  'notice_dismissals',
  'provider_keys',
  'provider_settings',
  'workspace_policies',
  'webhooks',
  'webhook_deliveries',
];

async function databaseState(): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const table of WRITABLE_TABLES) {
    [state[table]] = (await server.app.dataSource.query(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${table}" t`,
    )) as unknown[];
  }
  state.api_tokens = await server.app.dataSource.query(`SELECT id, user_id, workspace_id, name, revoked_at FROM api_tokens ORDER BY id`);
  return state;
}

describe.each(TOKENS)('%s', (tokenName) => {
  it.each(REFUSED.map((mutation) => [`${mutation.field} (${mutation.attempt})`, mutation] as const))(
    '%s → FORBIDDEN, nothing written',
    async (_label, mutation) => {
      const before = await databaseState();
      const result = await server.graphql(mutation.document, mutation.variables?.() ?? {}, as(tokenName));
      expect(result.data?.[mutation.field] ?? null).toBeNull();
      expect(result.errors).toHaveLength(1);
      const error = must(result.errors?.[0], 'the refusal');
      expect(error.extensions?.code).toBe('FORBIDDEN');
      expect(error.message).toBe(
        `API tokens cannot call ${mutation.field}; sign in to do this. An API token may only read (within its scope) and make AI requests.`,
      );
      expect(await databaseState()).toEqual(before);
    },
  );
});

describe('the allow-list', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema();
  });

  it('every mutation of the schema is either allowed to API tokens or refused above (a new one is refused by default)', () => {
    const mutations = Object.keys(must(schema.getMutationType(), 'the Mutation type').getFields()).sort();
    const refused = new Set(REFUSED.map((mutation) => mutation.field));
    expect(mutations.filter((field) => !API_TOKEN_MUTATIONS.has(field) && !refused.has(field))).toEqual([]);
    expect([...API_TOKEN_MUTATIONS].filter((field) => !mutations.includes(field))).toEqual([]);
    expect([...refused].filter((field) => !mutations.includes(field))).toEqual([]);
  });

  it('signOut answers true for every token and ends nothing (a token has no session)', async () => {
    const before = await databaseState();
    for (const name of TOKENS) expect(expectData(await server.graphql<{ signOut: boolean }>(`mutation { signOut }`, {}, as(name))).signOut).toBe(true);
    expect(await databaseState()).toEqual(before);
    expect(expectData(await server.graphql<{ me: { id: string } }>(`{ me { id } }`, {}, as('aliceBoundToA'))).me.id).toBe(alice.id);
  });

  it('a session is not limited by the rule: the same document works with a session (control)', async () => {
    const created = expectData(
      await server.graphql<{ createApiToken: { token: string } }>(`mutation { createApiToken(name: "control") { token } }`, {}, { token: alice.token }),
    );
    expect(created.createApiToken.token).toMatch(/^byok_/);
  });
});

// ----- A bound token's scope -------------------------------------------------------------------------------------

const WORKSPACES = `{ workspaces { id } }`;
const WORKSPACE = `query($id: ID!) { workspace(id: $id) { id name viewerRole } }`;
const WORKSPACE_DETAIL = `query($id: ID!) { workspace(id: $id) { id viewerRole members { role } providers { provider source customKey { status } } usage { totals { requests } } } }`;

const code = (result: GraphQLResult<unknown>): string | undefined => errorCode(result);
const expectNotFound = (result: GraphQLResult<Record<string, unknown>>, field: string): void => {
  expect(code(result)).toBe('NOT_FOUND');
  expect(result.data?.[field] ?? null).toBeNull();
};

describe("a token bound to A, of A's owner who also owns B and is a member of C", () => {
  const bound = () => as('aliceBoundToA');

  it('workspaces lists only A (her session lists A, B and C)', async () => {
    const viaSession = expectData(await server.graphql<{ workspaces: Array<{ id: string }> }>(WORKSPACES, {}, { token: alice.token }));
    expect(viaSession.workspaces.map((workspace) => workspace.id).sort()).toEqual([workspaceA, workspaceB, workspaceC].sort());
    const viaToken = expectData(await server.graphql<{ workspaces: Array<{ id: string }> }>(WORKSPACES, {}, bound()));
    expect(viaToken.workspaces.map((workspace) => workspace.id)).toEqual([workspaceA]);
  });

  it('workspace(B) and workspace(C) answer NOT_FOUND, exactly as an unknown workspace does', async () => {
    const unknown = await server.graphql(WORKSPACE, { id: NO_SUCH_ID }, bound());
    for (const id of [workspaceB, workspaceC, workspaceB.toUpperCase()]) {
      const result = await server.graphql(WORKSPACE, { id }, bound());
      expectNotFound(result, 'workspace');
      expect(result.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
    }
  });

  it("B's audit trail, notices and usage are not reachable; neither is the whole audit log", async () => {
    expectNotFound(await server.graphql(`query($w: ID!) { auditEvents(workspaceId: $w) { totalCount } }`, { w: workspaceB }, bound()), 'auditEvents');
    expectNotFound(await server.graphql(`query($w: ID!) { notices(workspaceId: $w) { id } }`, { w: workspaceB }, bound()), 'notices');
    expectNotFound(await server.graphql(WORKSPACE_DETAIL, { id: workspaceB }, bound()), 'workspace');
    expect(code(await server.graphql(`{ auditEvents { totalCount } }`, {}, bound()))).toBe('FORBIDDEN');
  });

  it("apiTokens lists only the tokens bound to A (not the unbound one, nor B's)", async () => {
    const listed = expectData(
      await server.graphql<{ apiTokens: Array<{ name: string; workspaceId: string | null }> }>(`{ apiTokens { name workspaceId } }`, {}, bound()),
    );
    expect(listed.apiTokens.map((token) => token.name)).toEqual(['bound to A']);
    const viaSession = expectData(await server.graphql<{ apiTokens: Array<{ name: string }> }>(`{ apiTokens { name } }`, {}, { token: alice.token }));
    expect(viaSession.apiTokens.map((token) => token.name)).toEqual(expect.arrayContaining(['bound to A', 'unbound', 'bound to B']));
  });

  it("cannot export B's usage CSV (404, as for a stranger) nor every workspace's (403); A's exports", async () => {
    const exportOf = (workspaceId: string | null, auth: { token: string }) =>
      server.fetch(`${USAGE_EXPORT_PATH}${workspaceId ? `?workspaceId=${workspaceId}` : ''}`, { auth });
    expect((await exportOf(workspaceB, { token: alice.token })).status).toBe(200);
    const refused = await exportOf(workspaceB, bound());
    expect(refused.status).toBe(404);
    expect(JSON.parse(refused.text)).toEqual({ error: { code: 'NOT_FOUND', message: 'Workspace not found' } });
    expect((await exportOf(null, bound())).status).toBe(403);
    const own = await exportOf(workspaceA, bound());
    expect(own.status).toBe(200);
    expect(own.text.split('\r\n')[0]).toMatch(/^date,workspace_id,/);
  });

  it('cannot make an AI request on B: GraphQL, the SSE route and /v1 refuse it, and no ledger row is written', async () => {
    const message = 'This API token is bound to another workspace';
    const viaGraphql = await complete(server, bound(), workspaceB, input('OPENAI'));
    expect(code(viaGraphql)).toBe('FORBIDDEN');
    expect(viaGraphql.errors?.[0]?.message).toBe(message);
    const viaStream = await streamCompletion(server, bound(), { workspaceId: workspaceB, input: input('OPENAI') });
    expect(viaStream.status).toBe(403);
    expect(JSON.parse(viaStream.text)).toMatchObject({ error: { code: 'FORBIDDEN', message } });
    const viaGateway = await server.fetch('/v1/chat/completions', {
      method: 'POST',
      auth: bound(),
      headers: { 'content-type': 'application/json', 'x-byok-workspace': workspaceB },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'spend B' }] }),
    });
    expect(viaGateway.status).toBe(403);
    expect(viaGateway.headers.get('x-byok-error-code')).toBe('FORBIDDEN');
    expect((await ledgerRows(server)).filter((row) => row.workspace_id === workspaceB)).toEqual([]);
  });

  it('still reads A (role, members, keys, usage, audit trail, notices) and makes AI requests on A by every route', async () => {
    const detail = expectData(
      await server.graphql<{ workspace: { id: string; viewerRole: string; providers: Array<{ provider: string; customKey: { status: string } | null }> } }>(
        WORKSPACE_DETAIL,
        { id: workspaceA },
        bound(),
      ),
    );
    expect(detail.workspace).toMatchObject({ id: workspaceA, viewerRole: 'OWNER' });
    expect(detail.workspace.providers.find((entry) => entry.provider === 'OPENAI')?.customKey).toEqual({ status: 'VALID' });
    expectData(await server.graphql(`query($w: ID!) { auditEvents(workspaceId: $w) { totalCount } }`, { w: workspaceA }, bound()));
    expectData(await server.graphql(`query($w: ID!) { notices(workspaceId: $w) { id } }`, { w: workspaceA }, bound()));

    const before = (await ledgerRows(server)).filter((row) => row.workspace_id === workspaceA).length;
    expect(expectData(await complete(server, bound(), workspaceA, input('OPENAI'))).complete.keySource).toBe('WORKSPACE');
    const viaStream = await streamCompletion(server, bound(), { workspaceId: workspaceA, input: input('OPENAI') });
    expect(viaStream.status).toBe(200);
    expect(viaStream.events.at(-1)?.event).toBe('done');
    const viaGateway = await server.fetch('/v1/chat/completions', {
      method: 'POST',
      auth: bound(),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'spend A' }] }),
    });
    expect(viaGateway.status).toBe(200);
    expect(viaGateway.headers.get('x-byok-key-source')).toBe('WORKSPACE');
    const rows = (await ledgerRows(server)).filter((row) => row.workspace_id === workspaceA);
    expect(rows).toHaveLength(before + 3);
    expect(rows.every((row) => row.user_id === alice.id)).toBe(true);
  });
});

describe("an admin's token bound to A (the admin is a member of A) is not an admin", () => {
  const bound = () => as('adminBoundToA');

  it('sees A as a member, not B nor C, while the same admin through a session or an unbound token sees them all', async () => {
    expect(expectData(await server.graphql<{ workspaces: Array<{ id: string }> }>(WORKSPACES, {}, bound())).workspaces.map((w) => w.id)).toEqual([workspaceA]);
    expect(expectData(await server.graphql<{ workspace: { viewerRole: string } }>(WORKSPACE, { id: workspaceA }, bound())).workspace.viewerRole).toBe('MEMBER');
    for (const id of [workspaceB, workspaceC]) {
      expectNotFound(await server.graphql(WORKSPACE, { id }, bound()), 'workspace');
      for (const auth of [{ token: admin.token }, as('adminUnbound')]) {
        expect(expectData(await server.graphql<{ workspace: { id: string } }>(WORKSPACE, { id }, auth)).workspace.id).toBe(id);
      }
    }
  });

  it("gets no platform data: every admin query is FORBIDDEN (the admin's unbound token reads them)", async () => {
    const adminQueries = [
      `{ adminWorkspaces(first: 5) { totalCount } }`,
      `{ integrations { provider } }`,
      `{ usageReport { workspaceId } }`,
      `{ platformUsage { totals { requests } } }`,
      `{ auditEvents { totalCount } }`,
      `{ defaultPlatformKeyBudget { inherited } }`,
      `{ webhooks { id } }`,
      `{ integrationChangePreview(provider: OPENAI, byokEnabled: false) { workspacesMoving } }`,
    ];
    for (const document of adminQueries) {
      expect([document, code(await server.graphql(document, {}, bound()))]).toEqual([document, 'FORBIDDEN']);
      expect([document, (await server.graphql(document, {}, as('adminUnbound'))).errors ?? []]).toEqual([document, []]);
    }
  });

  it("A's owner-or-admin fields are withheld (it is only a member of A), and no notices for admins", async () => {
    const result = await server.graphql(WORKSPACE_DETAIL, { id: workspaceA }, bound());
    // usage is non-null: a member's FORBIDDEN nulls the workspace (as in the role matrix).
    expect(code(result)).toBe('FORBIDDEN');
    expect(expectData(await server.graphql<{ notices: unknown[] }>(`{ notices { id } }`, {}, bound())).notices).toEqual([]);
  });

  it("cannot export B's or every workspace's usage, nor make AI requests on B", async () => {
    expect((await server.fetch(`${USAGE_EXPORT_PATH}?workspaceId=${workspaceB}`, { auth: bound() })).status).toBe(404);
    expect((await server.fetch(USAGE_EXPORT_PATH, { auth: bound() })).status).toBe(403);
    expect((await server.fetch(USAGE_EXPORT_PATH, { auth: as('adminUnbound') })).status).toBe(200);
    expect(code(await complete(server, bound(), workspaceB, input('OPENAI')))).toBe('FORBIDDEN');
    expect(expectData(await complete(server, bound(), workspaceA, input('OPENAI'))).complete.keySource).toBe('WORKSPACE');
  });
});
