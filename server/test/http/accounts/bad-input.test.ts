import { countRows } from '../../support/database-rows';
import { signUpUser, type TestUser } from '../../support/factories';
import { errorCode, startTestServer, type TestServer } from '../../support/test-server';

// R12: bad input gets a clear error code, never a stack trace or SQL, and leaves no row half-written.

const SIGN_UP = `mutation($email: String!, $password: String!, $name: String!) { signUp(email: $email, password: $password, name: $name) { token } }`;
const SIGN_IN = `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }`;
const CREATE_WORKSPACE = `mutation($name: String!) { createWorkspace(name: $name) { id } }`;
const ADD_MEMBER = `mutation($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e) { role } }`;
const REMOVE_MEMBER = `mutation($w: ID!, $u: ID!) { removeWorkspaceMember(workspaceId: $w, userId: $u) }`;
const WORKSPACE = `query($id: ID!) { workspace(id: $id) { id } }`;
const CREATE_TOKEN = `mutation($name: String!) { createApiToken(name: $name) { token } }`;
const REVOKE_TOKEN = `mutation($id: ID!) { revokeApiToken(id: $id) }`;

const HUGE = 'x'.repeat(200_000); // under the 256 kB body limit, so it reaches the resolvers
const MEGABYTE = 'x'.repeat(1024 * 1024);

type Auth = 'owner' | 'anonymous';
interface Case {
  name: string;
  query: string;
  variables: (context: { owner: TestUser; existing: TestUser }) => Record<string, unknown>;
  auth?: Auth;
  code: string;
}

const validSignUp = { email: 'new-user@example.com', password: 'long-enough-password', name: 'New user' };

const CASES: Case[] = [
  // sign-up: empty, malformed, too long, huge, duplicate
  { name: 'signUp with an empty email', query: SIGN_UP, variables: () => ({ ...validSignUp, email: '' }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with an invalid email', query: SIGN_UP, variables: () => ({ ...validSignUp, email: 'not-an-email' }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with a huge email', query: SIGN_UP, variables: () => ({ ...validSignUp, email: `${HUGE}@example.com` }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with an empty password', query: SIGN_UP, variables: () => ({ ...validSignUp, password: '' }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with a 7-character password', query: SIGN_UP, variables: () => ({ ...validSignUp, password: '1234567' }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with a 257-character password', query: SIGN_UP, variables: () => ({ ...validSignUp, password: 'p'.repeat(257) }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with a huge password', query: SIGN_UP, variables: () => ({ ...validSignUp, password: HUGE }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with an empty name', query: SIGN_UP, variables: () => ({ ...validSignUp, name: '' }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with a blank name', query: SIGN_UP, variables: () => ({ ...validSignUp, name: '   ' }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with a 101-character name', query: SIGN_UP, variables: () => ({ ...validSignUp, name: 'n'.repeat(101) }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with a huge name', query: SIGN_UP, variables: () => ({ ...validSignUp, name: HUGE }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with a control character in the name', query: SIGN_UP, variables: () => ({ ...validSignUp, name: 'a\u0000b' }), code: 'BAD_USER_INPUT' },
  {
    name: 'signUp with an email already taken (other case)',
    query: SIGN_UP,
    variables: ({ existing }) => ({ ...validSignUp, email: existing.email.toUpperCase() }),
    code: 'BAD_USER_INPUT',
  },
  // wrong types, null, missing, unknown fields and arguments
  { name: 'signUp with a number for a String', query: SIGN_UP, variables: () => ({ ...validSignUp, email: 42 }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with an object for a String', query: SIGN_UP, variables: () => ({ ...validSignUp, name: { a: 1 } }), code: 'BAD_USER_INPUT' },
  { name: 'signUp with null for a non-null argument', query: SIGN_UP, variables: () => ({ ...validSignUp, name: null }), code: 'BAD_USER_INPUT' },
  {
    name: 'signUp with a missing variable',
    query: SIGN_UP,
    variables: () => ({ email: validSignUp.email, password: validSignUp.password }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'signUp with an unknown argument',
    query: `mutation { signUp(email: "x@example.com", password: "long-enough", name: "x", isAdmin: true) { token } }`,
    variables: () => ({}),
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'signUp selecting an unknown field',
    query: `mutation { signUp(email: "x@example.com", password: "long-enough", name: "x") { token user { passwordHash } } }`,
    variables: () => ({}),
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'signUp with an Int literal for a String',
    query: `mutation { signUp(email: 5, password: "long-enough", name: "x") { token } }`,
    variables: () => ({}),
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  { name: 'a document that does not parse', query: `mutation { signUp(`, variables: () => ({}), code: 'GRAPHQL_PARSE_FAILED' },
  {
    name: 'an unknown variable type',
    query: `mutation($e: Strang!) { signIn(email: $e, password: "x") { token } }`,
    variables: () => ({ e: 'x' }),
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  // sign-in never hashes unbounded input and never tells which part was wrong
  { name: 'signIn with a huge password', query: SIGN_IN, variables: ({ existing }) => ({ email: existing.email, password: HUGE }), code: 'UNAUTHENTICATED' },
  { name: 'signIn with a huge email', query: SIGN_IN, variables: () => ({ email: HUGE, password: 'whatever-password' }), code: 'UNAUTHENTICATED' },
  // workspaces
  { name: 'createWorkspace with an empty name', query: CREATE_WORKSPACE, variables: () => ({ name: '' }), auth: 'owner', code: 'BAD_USER_INPUT' },
  { name: 'createWorkspace with a huge name', query: CREATE_WORKSPACE, variables: () => ({ name: HUGE }), auth: 'owner', code: 'BAD_USER_INPUT' },
  { name: 'createWorkspace with null', query: CREATE_WORKSPACE, variables: () => ({ name: null }), auth: 'owner', code: 'BAD_USER_INPUT' },
  { name: 'createWorkspace with a boolean', query: CREATE_WORKSPACE, variables: () => ({ name: true }), auth: 'owner', code: 'BAD_USER_INPUT' },
  { name: 'createWorkspace anonymously', query: CREATE_WORKSPACE, variables: () => ({ name: 'x' }), auth: 'anonymous', code: 'UNAUTHENTICATED' },
  { name: 'workspace with a malformed ID', query: WORKSPACE, variables: () => ({ id: 'not-a-uuid' }), auth: 'owner', code: 'NOT_FOUND' },
  { name: 'workspace with a number as ID', query: WORKSPACE, variables: () => ({ id: 12345 }), auth: 'owner', code: 'NOT_FOUND' },
  { name: 'workspace with an object as ID', query: WORKSPACE, variables: () => ({ id: { id: 1 } }), auth: 'owner', code: 'BAD_USER_INPUT' },
  { name: 'workspace with a huge ID', query: WORKSPACE, variables: () => ({ id: HUGE }), auth: 'owner', code: 'NOT_FOUND' },
  {
    name: 'addWorkspaceMember with a malformed workspace ID',
    query: ADD_MEMBER,
    variables: ({ existing }) => ({ w: "'; DROP TABLE users; --", e: existing.email }),
    auth: 'owner',
    code: 'NOT_FOUND',
  },
  {
    name: 'addWorkspaceMember with an empty email',
    query: ADD_MEMBER,
    variables: ({ owner }) => ({ w: owner.workspaceId, e: '' }),
    auth: 'owner',
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'addWorkspaceMember with a huge email',
    query: ADD_MEMBER,
    variables: ({ owner }) => ({ w: owner.workspaceId, e: HUGE }),
    auth: 'owner',
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'addWorkspaceMember with an unknown email',
    query: ADD_MEMBER,
    variables: ({ owner }) => ({ w: owner.workspaceId, e: 'nobody@example.com' }),
    auth: 'owner',
    code: 'NOT_FOUND',
  },
  {
    name: 'addWorkspaceMember adding the owner again',
    query: ADD_MEMBER,
    variables: ({ owner }) => ({ w: owner.workspaceId, e: owner.email }),
    auth: 'owner',
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'removeWorkspaceMember with a malformed user ID',
    query: REMOVE_MEMBER,
    variables: ({ owner }) => ({ w: owner.workspaceId, u: 'x' }),
    auth: 'owner',
    code: 'NOT_FOUND',
  },
  // API tokens
  { name: 'createApiToken with an empty name', query: CREATE_TOKEN, variables: () => ({ name: '' }), auth: 'owner', code: 'BAD_USER_INPUT' },
  { name: 'createApiToken with a huge name', query: CREATE_TOKEN, variables: () => ({ name: HUGE }), auth: 'owner', code: 'BAD_USER_INPUT' },
  { name: 'revokeApiToken with a malformed ID', query: REVOKE_TOKEN, variables: () => ({ id: 'nope' }), auth: 'owner', code: 'NOT_FOUND' },
];

/** No stack frames, no SQL, no driver internals: what a failed request may never show. */
const expectNoInternals = (text: string): void => {
  expect(text).not.toMatch(/stacktrace/i);
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/QueryFailedError|TypeORM|SELECT |INSERT |node_modules/);
};

describe('bad input: a clear error code, no internals, nothing half-written', () => {
  let server: TestServer;
  let owner: TestUser;
  let existing: TestUser;
  let baseline: Record<string, number>;
  beforeAll(async () => {
    server = await startTestServer();
    owner = await signUpUser(server, 'owner');
    existing = await signUpUser(server, 'existing');
    baseline = await countRows(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(CASES.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const result = await server.graphql(entry.query, entry.variables({ owner, existing }), entry.auth === 'owner' ? { token: owner.token } : undefined);
    expect(result.data?.[Object.keys(result.data ?? {})[0] ?? ''] ?? null).toBeNull();
    expect(errorCode(result)).toBe(entry.code);
    expect(result.errors?.[0]?.message.length).toBeGreaterThan(0);
    expect(result.errors?.[0]?.message.length).toBeLessThan(500); // no echo of a huge value
    expectNoInternals(result.text);
    expect(await countRows(server)).toEqual(baseline);
  });

  describe('malformed HTTP bodies', () => {
    const post = (body: string, contentType = 'application/json') =>
      server.fetch('/graphql', { method: 'POST', headers: { 'content-type': contentType }, body, auth: { token: owner.token } });

    it('invalid JSON → 400 BAD_REQUEST', async () => {
      const response = await post('{"query": "mutation { createWorkspace(name: \\"x\\") { id } }"');
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toEqual({ error: { code: 'BAD_REQUEST', message: 'Request body is not valid JSON' } });
      expectNoInternals(response.text);
    });

    it('a 1 MB body → 413 BAD_REQUEST, and the server keeps serving', async () => {
      const response = await post(JSON.stringify({ query: CREATE_WORKSPACE, variables: { name: MEGABYTE } }));
      expect(response.status).toBe(413);
      expect(JSON.parse(response.text)).toEqual({ error: { code: 'BAD_REQUEST', message: 'Request body is larger than 256kb' } });
      expect((await server.fetch('/healthz')).status).toBe(200);
    });

    it.each([
      ['a batched (array) body', JSON.stringify([{ query: '{ me { id } }' }])],
      ['a body without a query', JSON.stringify({})],
      ['a query that is not a string', JSON.stringify({ query: 5 })],
      ['variables that are not an object', JSON.stringify({ query: CREATE_WORKSPACE, variables: '{"name":"x"}' })],
      ['a JSON string body', JSON.stringify('mutation { createWorkspace(name: "x") { id } }')],
    ])('%s → 400 BAD_REQUEST', async (_name, body) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/"code":"BAD_REQUEST"/);
      expectNoInternals(response.text);
    });

    afterAll(async () => {
      expect(await countRows(server)).toEqual(baseline);
    });
  });

  it('concurrent sign-ups for one email: exactly one account is created, the others get BAD_USER_INPUT', async () => {
    const before = await countRows(server);
    const email = 'race@example.com';
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        server.graphql(SIGN_UP, { email: index % 2 ? email.toUpperCase() : email, password: 'long-enough-password', name: 'Racer' }),
      ),
    );
    const succeeded = results.filter((result) => !result.errors);
    expect(succeeded).toHaveLength(1);
    for (const result of results.filter((entry) => entry.errors)) {
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toBe('An account with this email already exists');
    }
    const after = await countRows(server);
    expect(after.users).toBe(before.users + 1);
    expect(after.workspaces).toBe(before.workspaces + 1);
    expect(after.memberships).toBe(before.memberships + 1);
  });

  it('a sign-up that loses the race on the unique email index gets BAD_USER_INPUT and writes nothing', async () => {
    // Another transaction inserts the same email and commits only after sign-up has checked for it: on
    // Postgres sign-up's own insert then fails on the unique index (on PGlite the transactions serialise).
    const email = 'late@example.com';
    const before = await countRows(server);
    const competitor = server.app.dataSource.createQueryRunner();
    await competitor.connect();
    await competitor.startTransaction();
    await competitor.query(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'Competitor', 'not-a-hash')`, [email]);
    const signUp = server.graphql(SIGN_UP, { email, password: 'long-enough-password', name: 'Late' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await competitor.commitTransaction();
    await competitor.release();
    const result = await signUp;
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toBe('An account with this email already exists');
    expectNoInternals(result.text);
    expect(await countRows(server)).toEqual({ ...before, users: before.users + 1 });
  });
});
