import { hashToken } from '../../../src/crypto/tokens';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { expectData, startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

// Passwords and tokens never appear after creation: not in a later response, a log line, or any text
// column of the database. The sweep runs a realistic mix of calls first, then greps everything.

interface Secret {
  label: string;
  value: string;
  /** Index in server.responses of the one response allowed to contain it (the one that created it). */
  shownIn: number | null;
}

interface TextColumn {
  table_name: string;
  column_name: string;
}

describe('secrets never leak: passwords, session tokens, API tokens', () => {
  let server: TestServer;
  const secrets: Secret[] = [];
  const remember = (label: string, value: string, shownIn: number | null): void => {
    secrets.push({ label, value, shownIn });
  };
  /** Runs a call and returns the index of the response it produced. */
  const lastResponseIndex = (): number => server.responses.length - 1;

  let users: TestUser[];

  beforeAll(async () => {
    server = await startTestServer();
    remember('admin password', TEST_ADMIN_PASSWORD, null);

    users = [];
    for (const label of ['alice', 'bob', 'carol']) {
      const user = await signUpUser(server, label);
      // signUpUser made two calls: signUp (shows the token) then workspaces.
      remember(`${label} password`, user.password, null);
      remember(`${label} sign-up session token`, user.token, server.responses.length - 2);
      users.push(user);
    }
    const [alice, bob, carol] = users as [TestUser, TestUser, TestUser];

    const signIn = async (user: TestUser, label: string): Promise<string> => {
      const token = expectData(
        await server.graphql<{ signIn: { token: string } }>(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token user { id } } }`, {
          e: user.email,
          p: user.password,
        }),
      ).signIn.token;
      remember(label, token, lastResponseIndex());
      return token;
    };
    const aliceSecond = await signIn(alice, 'alice second session token');
    const bobSecond = await signIn(bob, 'bob second session token');

    const admin = await signInAdmin(server);
    remember('admin session token', admin.token, lastResponseIndex());

    const createToken = async (owner: TestUser, name: string): Promise<{ token: string; id: string }> => {
      const created = expectData(
        await server.graphql<{ createApiToken: { token: string; apiToken: { id: string } } }>(
          `mutation($n: String!) { createApiToken(name: $n) { token apiToken { id name prefix } } }`,
          { n: name },
          { token: owner.token },
        ),
      ).createApiToken;
      remember(`${owner.email} API token ${name}`, created.token, lastResponseIndex());
      return { token: created.token, id: created.apiToken.id };
    };
    const aliceApi = await createToken(alice, 'ci');
    const bobApi = await createToken(bob, 'reports');
    const revoked = await createToken(carol, 'to-revoke');

    // Failed attempts carry secrets too: a mistyped password is close to the real one.
    const wrongPassword = `${alice.password}-typo`;
    remember('mistyped password', wrongPassword, null);
    await server.graphql(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, { e: alice.email, p: wrongPassword });
    const rejectedSignUpPassword = 'a-password-for-a-taken-email';
    remember('password of a rejected sign-up', rejectedSignUpPassword, null);
    await server.graphql(`mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token } }`, {
      e: bob.email,
      p: rejectedSignUpPassword,
      n: 'Duplicate',
    });
    const tooShort = 'short7!';
    remember('too-short password', tooShort, null);
    await server.graphql(`mutation($e: String!, $p: String!, $n: String!) { signUp(email: $e, password: $p, name: $n) { token } }`, {
      e: 'short@example.com',
      p: tooShort,
      n: 'Short',
    });

    // Everyday traffic after creation, with every kind of credential.
    await addMember(server, alice, bob);
    const reads = `{ me { id email name isAdmin } workspaces { id name viewerRole members { role user { id email name } } } apiTokens { id name prefix createdAt lastUsedAt revokedAt } }`;
    for (const token of [alice.token, aliceSecond, bob.token, bobSecond, carol.token, admin.token, aliceApi.token, bobApi.token, revoked.token]) {
      await server.graphql(reads, {}, { token });
      await server.graphql(reads, {}, { cookie: `byok_session=${token}` });
    }
    await server.graphql(`{ workspace(id: "${alice.workspaceId}") { id members { user { email } } } }`, {}, { token: admin.token });
    await server.graphql(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: revoked.id }, { token: carol.token });
    await server.graphql(reads, {}, { token: revoked.token });
    await server.graphql(`mutation { signOut }`, {}, { token: bobSecond });
    await server.graphql(reads, {}, { token: bobSecond });
    // Errors that involve a credential: a forged token, a garbled header, a session id used as an API token.
    await server.graphql(reads, {}, { token: `${aliceApi.token}x` });
    await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${alice.token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
      body: '{"query": "{ me { id } ',
    });
    await server.fetch('/healthz');
    await server.fetch('/readyz');
  });

  afterAll(async () => {
    await server.close();
  });

  it('the sweep is real: secrets were created and shown exactly once', () => {
    expect(secrets.length).toBe(16);
    for (const { shownIn, value } of secrets) {
      if (shownIn !== null) expect(server.responses[shownIn]).toContain(value);
    }
  });

  it('no response after creation contains a password or token', () => {
    expect(server.responses.length).toBeGreaterThan(40);
    for (const secret of secrets) {
      server.responses.forEach((response, index) => {
        if (index === secret.shownIn) return;
        if (response.includes(secret.value)) throw new Error(`${secret.label} appears in response #${index}`);
      });
    }
  });

  it('no log line contains a password or token', () => {
    expect(server.logs.some((line) => line.includes('sign-in failed'))).toBe(true); // the log was written to
    const logText = server.logs.join('\n');
    for (const secret of secrets) {
      if (logText.includes(secret.value)) throw new Error(`${secret.label} appears in the server log`);
    }
  });

  it('no text column of any table contains a password or token', async () => {
    const columns = (await server.app.dataSource.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')
        ORDER BY table_name, column_name`,
    )) as TextColumn[];
    const scanned = new Set(columns.map((column) => `${column.table_name}.${column.column_name}`));
    for (const expected of [
      'users.email',
      'users.password_hash',
      'sessions.token_hash',
      'api_tokens.token_hash',
      'api_tokens.prefix',
      'audit_events.details',
    ]) {
      expect(scanned).toContain(expected);
    }

    const stored: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const rows = (await server.app.dataSource.query(`SELECT "${column}"::text AS value FROM "${table}" WHERE "${column}" IS NOT NULL`)) as Array<{
        value: string;
      }>;
      for (const row of rows) stored.push(`${table}.${column}: ${row.value}`);
    }
    const dump = stored.join('\n');
    // Controls: the scan sees what is really stored (emails, digests of tokens, argon2id hashes).
    const user = must(users[0], 'the first user');
    expect(dump).toContain(user.email);
    expect(dump).toContain(hashToken(user.token));
    expect(dump).toMatch(/\$argon2id\$/);
    for (const secret of secrets) {
      if (dump.includes(secret.value)) throw new Error(`${secret.label} is stored in plaintext`);
    }
  });
});
