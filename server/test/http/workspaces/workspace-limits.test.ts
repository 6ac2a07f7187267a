import { countRows } from '../../support/database-rows';
import { addMember, signUpUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, type TestServer } from '../../support/test-server';

const CREATE = `mutation($name: String!) { createWorkspace(name: $name) { id } }`;

describe('workspaces one user may own (MAX_WORKSPACES_PER_USER)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { MAX_WORKSPACES_PER_USER: '3' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses to create past the cap with BAD_USER_INPUT and writes nothing; membership elsewhere does not count', async () => {
    const user = await signUpUser(server, 'capped'); // sign-up created the first owned workspace
    const other = await signUpUser(server, 'other');
    await addMember(server, other, user); // a workspace the user belongs to but does not own
    for (const name of ['second', 'third']) expectData(await server.graphql(CREATE, { name }, { token: user.token }));

    const before = await countRows(server, ['workspaces', 'memberships', 'audit_events']);
    const refused = await server.graphql(CREATE, { name: 'fourth' }, { token: user.token });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toBe('You already own 3 workspaces, the most one account can own');
    expect(await countRows(server, ['workspaces', 'memberships', 'audit_events'])).toEqual(before);

    // Concurrent creates cannot slip past the cap together.
    const fresh = await signUpUser(server, 'racer');
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((name) => server.graphql(CREATE, { name }, { token: fresh.token })));
    expect(results.filter((result) => !result.errors).length).toBe(2);
    const [{ owned }] = (await server.app.dataSource.query(`SELECT count(*)::int AS owned FROM memberships WHERE user_id = $1 AND role = 'OWNER'`, [
      fresh.id,
    ])) as [{ owned: number }];
    expect(owned).toBe(3);
  });
});
