import { hashToken } from '../../../src/crypto/tokens';
import { countRows } from '../../support/database-rows';
import { signUpUser, type TestUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, type GraphQLResult, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

const SIGN_UP = `mutation($email: String!, $password: String!, $name: String!) {
  signUp(email: $email, password: $password, name: $name) { token user { id email name isAdmin } }
}`;
const SIGN_IN = `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { token user { id email } } }`;
const SIGN_OUT = `mutation { signOut }`;
const ME = `{ me { id email } }`;

type SignInData = { signIn: { token: string; user: { id: string; email: string } } };

const sessionCookieOf = (result: { headers: Headers }): string | undefined =>
  result.headers.getSetCookie().find((cookie) => cookie.startsWith('byok_session='));

describe('accounts: sign-up, sign-in, sign-out, sessions', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The shortest lifetime config allows; expiry is then forced through SQL.
    server = await startTestServer({ env: { SESSION_TTL_SECONDS: '60' } });
  });
  afterAll(async () => {
    await server.close();
  });

  const signIn = (email: string, password: string): Promise<GraphQLResult<SignInData>> => server.graphql<SignInData>(SIGN_IN, { email, password });
  const meOf = async (auth: { token?: string; cookie?: string }): Promise<{ id: string; email: string } | null> =>
    expectData(await server.graphql<{ me: { id: string; email: string } | null }>(ME, {}, auth)).me;

  describe('sign-up', () => {
    it('creates the user, a workspace they own and a session, and normalises the email', async () => {
      const before = await countRows(server);
      const result = expectData(
        await server.graphql<{ signUp: { token: string; user: { id: string; email: string; name: string; isAdmin: boolean } } }>(SIGN_UP, {
          email: '  Alice.Smith@Example.COM ',
          password: 'correct horse battery',
          name: ' Alice ',
        }),
      );
      expect(result.signUp.user).toMatchObject({ email: 'alice.smith@example.com', name: 'Alice', isAdmin: false });
      expect(result.signUp.token).toMatch(/^byoks_[A-Za-z0-9_-]{43}$/);
      expect(await countRows(server)).toEqual({
        ...before,
        users: before.users + 1,
        workspaces: before.workspaces + 1,
        memberships: before.memberships + 1,
        sessions: before.sessions + 1,
        audit_events: before.audit_events + 1,
      });
      const workspaces = expectData(
        await server.graphql<{ workspaces: Array<{ name: string; viewerRole: string; members: Array<{ role: string; user: { id: string } }> }> }>(
          `{ workspaces { name viewerRole members { role user { id } } } }`,
          {},
          { token: result.signUp.token },
        ),
      );
      expect(workspaces.workspaces).toEqual([
        { name: "Alice's workspace", viewerRole: 'OWNER', members: [{ role: 'OWNER', user: { id: result.signUp.user.id } }] },
      ]);
    });
  });

  describe('sign-in and me', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await signUpUser(server, 'bob');
    });

    it('signs in with the email in any case and surrounding spaces, with a new session each time', async () => {
      const first = expectData(await signIn(`  ${user.email.toUpperCase()}  `, user.password));
      const second = expectData(await signIn(user.email, user.password));
      expect(first.signIn.user).toEqual({ id: user.id, email: user.email });
      expect(first.signIn.token).not.toBe(second.signIn.token);
      expect(first.signIn.token).not.toBe(user.token);
      expect(await meOf({ token: first.signIn.token })).toEqual({ id: user.id, email: user.email });
      expect(await meOf({ token: second.signIn.token })).toEqual({ id: user.id, email: user.email });
    });

    it('me is null and guarded fields are UNAUTHENTICATED without a valid token', async () => {
      expect(await meOf({})).toBeNull();
      expect(await meOf({ token: 'byoks_not-a-real-session-token-at-all' })).toBeNull();
      expect(await meOf({ token: 'garbage' })).toBeNull();
      const anonymous = await server.graphql(`{ workspaces { id } }`);
      expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
      expect(anonymous.errors?.[0]?.message).toBe('Sign in to continue');
    });

    it('gives the same error for an unknown email and a wrong password, and writes no session', async () => {
      const before = await countRows(server);
      const unknown = await signIn(`nobody-${user.email}`, user.password);
      const wrong = await signIn(user.email, `${user.password}-wrong`);
      const empty = await signIn('', '');
      for (const result of [unknown, wrong, empty]) {
        expect(result.data).toBeNull();
        expect(result.errors).toHaveLength(1);
        expect(result.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
        expect(result.errors?.[0]?.message).toBe('Email or password is incorrect');
      }
      const after = await countRows(server);
      expect(after.sessions).toBe(before.sessions);
      expect(after.users).toBe(before.users);
    });

    it('signOut ends exactly the session it was called with', async () => {
      const a = expectData(await signIn(user.email, user.password)).signIn.token;
      const b = expectData(await signIn(user.email, user.password)).signIn.token;
      const before = await countRows(server);
      expect(expectData(await server.graphql<{ signOut: boolean }>(SIGN_OUT, {}, { token: a })).signOut).toBe(true);
      expect((await countRows(server)).sessions).toBe(before.sessions - 1);
      expect(await meOf({ token: a })).toBeNull();
      expect(errorCode(await server.graphql(`{ workspaces { id } }`, {}, { token: a }))).toBe('UNAUTHENTICATED');
      expect(errorCode(await server.graphql(SIGN_OUT, {}, { token: a }))).toBe('UNAUTHENTICATED');
      expect(await meOf({ token: b })).toEqual({ id: user.id, email: user.email });
    });

    it('signOut without a session is UNAUTHENTICATED', async () => {
      const result = await server.graphql(SIGN_OUT);
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
    });
  });

  describe('session expiry', () => {
    it('an expired session no longer authenticates', async () => {
      const user = await signUpUser(server, 'carol');
      const token = expectData(await signIn(user.email, user.password)).signIn.token;
      expect(await meOf({ token })).not.toBeNull();
      const [rows] = (await server.app.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1 RETURNING id`, [
        hashToken(token),
      ])) as [Array<{ id: string }>, number];
      expect(rows).toHaveLength(1);
      // Written behind the server's back: its session cache hears of it through NOTIFY, within a second (SPEC §6).
      const deadline = Date.now() + 2000;
      while ((await meOf({ token })) !== null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await meOf({ token })).toBeNull();
      expect(errorCode(await server.graphql(`{ workspaces { id } }`, {}, { token }))).toBe('UNAUTHENTICATED');
      // The other session of the same user is unaffected.
      expect(await meOf({ token: user.token })).not.toBeNull();
    });

    it('sessions last SESSION_TTL_SECONDS', async () => {
      const user = await signUpUser(server, 'dave');
      const started = Date.now();
      const token = expectData(await signIn(user.email, user.password)).signIn.token;
      const [session] = (await server.app.dataSource.query(`SELECT expires_at FROM sessions WHERE token_hash = $1`, [hashToken(token)])) as Array<{
        expires_at: Date;
      }>;
      const lifetimeSeconds = (new Date(must(session, 'the session row').expires_at).getTime() - started) / 1000;
      expect(lifetimeSeconds).toBeGreaterThan(55);
      expect(lifetimeSeconds).toBeLessThan(65);
    });

    it('expired sessions are deleted when the server starts', async () => {
      const user = await signUpUser(server, 'erin');
      await server.app.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 hour' WHERE user_id = $1`, [user.id]);
      const countFor = async (): Promise<number> =>
        must(
          ((await server.app.dataSource.query(`SELECT count(*)::int AS count FROM sessions WHERE user_id = $1`, [user.id])) as Array<{ count: number }>)[0],
          'the session count',
        ).count;
      expect(await countFor()).toBe(1);
      await server.restart();
      expect(await countFor()).toBe(0);
      expect(await meOf({ token: user.token })).toBeNull();
    });
  });

  describe('bearer token and session cookie', () => {
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      alice = await signUpUser(server, 'alice2');
      bob = await signUpUser(server, 'bob2');
    });

    it('signIn and signUp set an httpOnly SameSite=Lax session cookie holding the session token', async () => {
      const signedIn = await signIn(alice.email, alice.password);
      const cookie = sessionCookieOf(signedIn);
      expect(cookie).toBeDefined();
      const token = expectData(signedIn).signIn.token;
      expect(cookie?.startsWith(`byok_session=${token};`)).toBe(true);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; Expires=/);
      expect(cookie).not.toMatch(/; Secure/); // Only in production, which serves HTTPS behind a proxy.
      const signedUp = await server.graphql(SIGN_UP, { email: `cookie-${Date.now()}@example.com`, password: 'password-123', name: 'Cookie' });
      expect(sessionCookieOf(signedUp)).toMatch(/^byok_session=byoks_.+; HttpOnly/);
    });

    it('the cookie alone authenticates GraphQL', async () => {
      const token = expectData(await signIn(alice.email, alice.password)).signIn.token;
      expect(await meOf({ cookie: `byok_session=${token}` })).toEqual({ id: alice.id, email: alice.email });
      expect(await meOf({ cookie: `byok_session=byoks_forged` })).toBeNull();
    });

    it('Authorization: Bearer wins over the cookie, even when the bearer token is invalid', async () => {
      expect(await meOf({ token: bob.token, cookie: `byok_session=${alice.token}` })).toEqual({ id: bob.id, email: bob.email });
      expect(await meOf({ token: 'byoks_invalid', cookie: `byok_session=${alice.token}` })).toBeNull();
    });

    it('signOut through the cookie ends that session and clears the cookie', async () => {
      const token = expectData(await signIn(alice.email, alice.password)).signIn.token;
      const cookie = `byok_session=${token}`;
      const result = await server.graphql<{ signOut: boolean }>(SIGN_OUT, {}, { cookie });
      expect(expectData(result).signOut).toBe(true);
      expect(sessionCookieOf(result)).toMatch(/^byok_session=;.*Expires=Thu, 01 Jan 1970/);
      expect(await meOf({ cookie })).toBeNull();
    });
  });

  describe('CSRF prevention', () => {
    let user: TestUser;
    let cookie: string;
    beforeAll(async () => {
      user = await signUpUser(server, 'frank');
      cookie = `byok_session=${user.token}`;
    });

    const expectCsrfBlocked = (response: { status: number; text: string }): void => {
      expect(response.status).toBe(400);
      const body = JSON.parse(response.text) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.data).toBeUndefined();
      expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
      expect(body.errors[0]?.message).toMatch(/Cross-Site Request Forgery/);
    };

    it('rejects a cookie-authenticated "simple" POST (text/plain or a form) without running the mutation', async () => {
      const before = await countRows(server);
      const body = JSON.stringify({ query: `mutation { createWorkspace(name: "csrf") { id } }` });
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        expectCsrfBlocked(await server.fetch('/graphql', { method: 'POST', headers: { 'content-type': contentType, cookie }, body }));
      }
      expect(await countRows(server)).toEqual(before);
    });

    it('rejects a GET query without a preflight header, and serves it with one', async () => {
      const url = `/graphql?query=${encodeURIComponent(ME)}`;
      expectCsrfBlocked(await server.fetch(url, { headers: { cookie } }));
      const allowed = await server.fetch(url, { headers: { cookie, 'apollo-require-preflight': 'true' } });
      expect(allowed.status).toBe(200);
      expect(JSON.parse(allowed.text)).toEqual({ data: { me: { id: user.id, email: user.email } } });
    });

    it('never runs a mutation over GET', async () => {
      const before = await countRows(server);
      const response = await server.fetch(`/graphql?query=${encodeURIComponent('mutation { createWorkspace(name: "via-get") { id } }')}`, {
        headers: { cookie, 'apollo-require-preflight': 'true' },
      });
      expect(response.status).toBe(405);
      expect(await countRows(server)).toEqual(before);
    });
  });
});
