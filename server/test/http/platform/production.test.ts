import { ConfigError, loadConfig } from '../../../src/config/config';
import { signUpUser } from '../../support/factories';
import { errorCode, startTestServer, type TestServer } from '../../support/test-server';

describe('NODE_ENV=production', () => {
  let server: TestServer;
  beforeAll(async () => {
    // startTestServer always sets BYOK_ENCRYPTION_KEY, which production requires.
    server = await startTestServer({ env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('turns introspection off', async () => {
    for (const query of [`{ __schema { queryType { name } } }`, `{ __type(name: "User") { fields { name } } }`]) {
      const result = await server.graphql(query);
      expect(result.data ?? null).toBeNull();
      expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(result.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
    }
  });

  it('does not suggest field names in validation errors', async () => {
    const result = await server.graphql(`{ me { emial } }`);
    expect(errorCode(result)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.text).not.toMatch(/Did you mean/);
    expect(result.text).not.toMatch(/"email"/);
  });

  it('marks the session cookie Secure', async () => {
    const user = await signUpUser(server, 'prod');
    const signedIn = await server.graphql(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, {
      e: user.email,
      p: user.password,
    });
    const cookie = signedIn.headers.getSetCookie().find((value) => value.startsWith('byok_session='));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });

  it('still answers unexpected failures with a bare INTERNAL_SERVER_ERROR', async () => {
    const user = await signUpUser(server, 'prod-failure');
    await server.app.dataSource.query(`ALTER TABLE memberships RENAME TO memberships_moved_away`);
    try {
      const result = await server.graphql(`{ workspaces { id } }`, {}, { token: user.token });
      expect(result.errors).toEqual([expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
      expect(result.text).not.toMatch(/memberships|relation|stacktrace/);
    } finally {
      await server.app.dataSource.query(`ALTER TABLE memberships_moved_away RENAME TO memberships`);
    }
  });

  it('refuses to start without BYOK_ENCRYPTION_KEY', () => {
    const { BYOK_ENCRYPTION_KEY: _key, ...withoutKey } = server.env;
    expect(() => loadConfig(withoutKey)).toThrow(ConfigError);
    expect(() => loadConfig(withoutKey)).toThrow(/BYOK_ENCRYPTION_KEY is required in production/);
  });
});
