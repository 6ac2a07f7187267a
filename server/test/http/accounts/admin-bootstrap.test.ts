import { signUpUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

const SIGN_IN = `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { token user { email isAdmin } } }`;
const NO_ADMIN_CONFIGURED = { ADMIN_EMAIL: '', ADMIN_PASSWORD: '' };

const admins = async (server: TestServer): Promise<string[]> =>
  ((await server.app.dataSource.query(`SELECT email FROM users WHERE is_admin ORDER BY email`)) as Array<{ email: string }>).map((row) => row.email);

const signInAs = async (server: TestServer, email: string, password: string): Promise<{ email: string; isAdmin: boolean }> =>
  expectData(await server.graphql<{ signIn: { user: { email: string; isAdmin: boolean } } }>(SIGN_IN, { email, password })).signIn.user;

describe('first platform admin', () => {
  describe('from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it('is created at the first start with the configured password, and nothing is generated', async () => {
      expect(server.app.generatedAdmin).toEqual({ email: TEST_ADMIN_EMAIL, generatedPassword: null });
      expect(await admins(server)).toEqual([TEST_ADMIN_EMAIL]);
      expect(await signInAs(server, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).toEqual({ email: TEST_ADMIN_EMAIL, isAdmin: true });
    });

    it('is not duplicated (nor its password reset) by a restart', async () => {
      await server.restart({ ADMIN_PASSWORD: 'a-different-password' });
      expect(server.app.generatedAdmin).toBeNull();
      expect(await admins(server)).toEqual([TEST_ADMIN_EMAIL]);
      expect(await signInAs(server, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).toMatchObject({ isAdmin: true });
    });

    it('an existing admin means nothing is generated when the variables are later unset', async () => {
      await server.restart(NO_ADMIN_CONFIGURED);
      expect(server.app.generatedAdmin).toBeNull();
      expect(await admins(server)).toEqual([TEST_ADMIN_EMAIL]);
    });

    it('the configured password never reaches a log line', () => {
      expect(server.logs.length).toBeGreaterThan(0);
      expect(server.logs.join('\n')).not.toContain(TEST_ADMIN_PASSWORD);
    });
  });

  describe('when unset and no admin exists', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ env: NO_ADMIN_CONFIGURED });
    });
    afterAll(async () => {
      await server.close();
    });

    it('creates admin@byok.local with a generated password returned once, and never logged', async () => {
      const generated = server.app.generatedAdmin;
      expect(generated?.email).toBe('admin@byok.local');
      const password = must(generated?.generatedPassword, 'the generated admin password');
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/); // 18 random bytes
      expect(await admins(server)).toEqual(['admin@byok.local']);
      expect(await signInAs(server, 'admin@byok.local', password)).toEqual({ email: 'admin@byok.local', isAdmin: true });
      expect(server.logs.join('\n')).not.toContain(password);
      const [row] = (await server.app.dataSource.query(`SELECT password_hash FROM users WHERE email = 'admin@byok.local'`)) as Array<{ password_hash: string }>;
      expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

      // The second start finds the admin: nothing new is generated and the first password still works.
      await server.restart();
      expect(server.app.generatedAdmin).toBeNull();
      expect(await admins(server)).toEqual(['admin@byok.local']);
      expect(await signInAs(server, 'admin@byok.local', password)).toMatchObject({ isAdmin: true });
      expect(server.logs.join('\n')).not.toContain(password);
    });

    it('ADMIN_EMAIL naming an existing account makes it an admin and leaves its password alone', async () => {
      const user = await signUpUser(server, 'promoted');
      await server.restart({ ADMIN_EMAIL: user.email, ADMIN_PASSWORD: 'not-the-users-password' });
      expect(server.app.generatedAdmin).toBeNull();
      expect(await admins(server)).toEqual(['admin@byok.local', user.email].sort());
      expect(await signInAs(server, user.email, user.password)).toEqual({ email: user.email, isAdmin: true });
      expect(errorCode(await server.graphql(SIGN_IN, { email: user.email, password: 'not-the-users-password' }))).toBe('UNAUTHENTICATED');
    });
  });
});
