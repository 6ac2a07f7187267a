import { signInAdmin, signUpUser } from '../support/factories';
import { expectData, startTestServer, type TestServer } from '../support/test-server';

describe('foundation smoke', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves health and readiness', async () => {
    expect((await server.fetch('/healthz')).status).toBe(200);
    const ready = await server.fetch('/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ status: 'ready' });
  });

  it('signs up, reads me and workspaces, signs in the admin', async () => {
    const user = await signUpUser(server, 'alice');
    const me = expectData(await server.graphql<{ me: { email: string; isAdmin: boolean } }>(`{ me { email isAdmin } }`, {}, { token: user.token }));
    expect(me.me).toEqual({ email: user.email, isAdmin: false });
    const admin = await signInAdmin(server);
    const adminMe = expectData(await server.graphql<{ me: { isAdmin: boolean } }>(`{ me { isAdmin } }`, {}, { token: admin.token }));
    expect(adminMe.me.isAdmin).toBe(true);
  });
});
