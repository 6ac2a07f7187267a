import { randomUUID } from 'node:crypto';
import { PROVIDER_IDS } from '@byok/shared';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { sweepThenClose, canaryKey, findLeaks } from '../../support/canaries';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { acceptedKey, byokCounts, removeWorkspaceKey, setWorkspaceKey, updateIntegration, verifyWorkspaceKey, workspaceProviders } from '../../support/byok';
import { errorCode, expectData, startTestServer, type GraphQLResult, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };
let owner: TestUser;

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'r12');
  expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true, globalKey: acceptedKey(fakes, 'OPENAI') }));
  expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI')));
});

beforeEach(() => {
  for (const fake of fakes.all) fake.reset();
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

/** Runs a bad call and checks its code, that nothing was written, that no provider was called, and that no canary came back. */
async function expectRefused(call: () => Promise<GraphQLResult<unknown>>, code: string): Promise<void> {
  const before = await byokCounts(server);
  const result = await call();
  expect(errorCode(result)).toBe(code);
  expect(findLeaks(result.text, 'refused call')).toEqual([]);
  expect(await byokCounts(server)).toEqual(before);
  expect(fakes.OPENAI.requests.length + fakes.ANTHROPIC.requests.length).toBe(0);
}

describe('R12: bad input gets a clear code and changes nothing', () => {
  it.each([
    ['an unknown provider', 'NOT_A_PROVIDER'],
    ['a lower-case provider', 'openai'],
    ['an empty provider', ''],
    ['a provider that is not a string', 7],
  ])('rejects %s in variables (BAD_USER_INPUT)', async (_label, provider) => {
    await expectRefused(
      () =>
        server.graphql(
          `mutation($w: ID!, $p: Provider!, $k: String!) { setWorkspaceKey(workspaceId: $w, provider: $p, apiKey: $k) { status } }`,
          {
            w: owner.workspaceId,
            p: provider,
            k: acceptedKey(fakes, 'OPENAI'),
          },
          owner,
        ),
      'BAD_USER_INPUT',
    );
  });

  it('rejects an unknown provider written in the document (GRAPHQL_VALIDATION_FAILED)', async () => {
    await expectRefused(
      () => server.graphql(`mutation { updateIntegration(provider: NOT_A_PROVIDER, byokEnabled: true) { provider } }`, {}, admin),
      'GRAPHQL_VALIDATION_FAILED',
    );
  });

  it('rejects a missing or null key', async () => {
    await expectRefused(
      () =>
        server.graphql(
          `mutation($w: ID!, $k: String!) { setWorkspaceKey(workspaceId: $w, provider: OPENAI, apiKey: $k) { status } }`,
          { w: owner.workspaceId, k: null },
          owner,
        ),
      'BAD_USER_INPUT',
    );
    await expectRefused(
      () => server.graphql(`mutation($w: ID!) { setWorkspaceKey(workspaceId: $w, provider: OPENAI) { status } }`, { w: owner.workspaceId }, owner),
      'GRAPHQL_VALIDATION_FAILED',
    );
  });

  it.each([
    ['empty', ''],
    ['whitespace only', ' \t\n '],
    ['surrounded by whitespace and with a space inside', ` ${canaryKey('OPENAI').replace(/(.{10})/, '$1 ')} `],
    ['huge (200 000 characters)', `sk-${'x'.repeat(200_000)}`],
  ])('rejects a key that is %s (INVALID_KEY_FORMAT), for workspaces and for the global key', async (_label, apiKey) => {
    await expectRefused(() => setWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI', apiKey), 'INVALID_KEY_FORMAT');
    await expectRefused(() => updateIntegration(server, admin, 'OPENAI', { globalKey: apiKey, byokEnabled: false }), 'INVALID_KEY_FORMAT');
  });

  it.each([
    ['a well-formed id of no workspace', () => randomUUID()],
    ['a malformed id', () => 'not-a-workspace'],
    ['an empty id', () => ''],
    ['an injection attempt', () => `' OR '1'='1`],
    ['a huge id', () => 'a'.repeat(10_000)],
  ])('answers NOT_FOUND for %s, for every workspace-key operation', async (_label, makeId) => {
    const workspaceId = makeId();
    await expectRefused(() => setWorkspaceKey(server, owner, workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI')), 'NOT_FOUND');
    await expectRefused(() => verifyWorkspaceKey(server, owner, workspaceId, 'OPENAI'), 'NOT_FOUND');
    await expectRefused(() => removeWorkspaceKey(server, owner, workspaceId, 'OPENAI'), 'NOT_FOUND');
    await expectRefused(() => workspaceProviders(server, owner, workspaceId), 'NOT_FOUND');
    // Admins may read any workspace, but one that does not exist is still NOT_FOUND.
    await expectRefused(() => verifyWorkspaceKey(server, admin, workspaceId, 'OPENAI'), 'NOT_FOUND');
  });

  it('rejects a new global key together with clearGlobalKey', async () => {
    await expectRefused(() => updateIntegration(server, admin, 'OPENAI', { globalKey: acceptedKey(fakes, 'OPENAI'), clearGlobalKey: true }), 'BAD_USER_INPUT');
  });

  it('an empty "Save changes" is a no-op that returns the current state', async () => {
    const before = await byokCounts(server);
    const result = expectData(await updateIntegration(server, admin, 'OPENAI', {}));
    expect(result.updateIntegration).toMatchObject({ provider: 'OPENAI', byokEnabled: true, globalKey: { origin: 'STORED' } });
    expect(await byokCounts(server)).toEqual(before);
  });

  it('resolveForRequest refuses a malformed workspace id instead of querying with it', async () => {
    await expect(server.app.services.keyResolution.resolveForRequest('nope', 'OPENAI')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('Query.adminWorkspaces', () => {
  interface Page {
    adminWorkspaces: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: Array<{ cursor: string; node: { id: string; name: string } }>;
      nodes: Array<{
        id: string;
        name: string;
        viewerRole: string | null;
        providers: Array<{ provider: string; source: string; customKey: { status: string } | null }>;
      }>;
    };
  }
  const QUERY = `query($search: String, $first: Int, $after: String) {
    adminWorkspaces(search: $search, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } }
      nodes { id name viewerRole providers { provider source customKey { status } } }
    }
  }`;
  const names = ['Zeta Labs', 'alpha 50% off', 'Alpha_Beta', 'alphaXbeta', 'ALPHA team', 'omega'];

  beforeAll(async () => {
    for (const name of names) expectData(await server.graphql(`mutation($n: String!) { createWorkspace(name: $n) { id } }`, { n: name }, owner));
  });

  it('matches part of the name in any case, with % and _ taken literally', async () => {
    const search = async (term: string): Promise<string[]> =>
      expectData(await server.graphql<Page>(QUERY, { search: term, first: 100 }, admin)).adminWorkspaces.nodes.map((node) => node.name);
    expect(await search('alpha')).toEqual(['alpha 50% off', 'ALPHA team', 'Alpha_Beta', 'alphaXbeta']);
    expect(await search('50%')).toEqual(['alpha 50% off']);
    expect(await search('a_b')).toEqual(['Alpha_Beta']);
    expect(await search('%')).toEqual(['alpha 50% off']);
    expect(await search('\\')).toEqual([]);
  });

  it('pages by name without gaps or repeats, with a total', async () => {
    const all = expectData(await server.graphql<Page>(QUERY, { first: 100 }, admin)).adminWorkspaces;
    expect(all.totalCount).toBe(all.nodes.length);
    const lower = all.nodes.map((node) => node.name.toLowerCase());
    expect(lower).toEqual([...lower].sort());
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page['adminWorkspaces'] = expectData(await server.graphql<Page>(QUERY, { first: 3, after }, admin)).adminWorkspaces;
      seen.push(...page.nodes.map((node) => node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.nodes.map((node) => node.id));
  });

  it("shows each workspace's key source and key status to the admin", async () => {
    const all = expectData(await server.graphql<Page>(QUERY, { first: 100 }, admin)).adminWorkspaces.nodes;
    const withKey = must(
      all.find((node) => node.id === owner.workspaceId),
      'the workspace with a key',
    );
    expect(withKey.viewerRole).toBeNull();
    // OpenAI has the workspace's own key; every other provider in the registry has none at all.
    const expected: Array<{ provider: string; source: string; customKey: { status: string } | null }> = PROVIDER_IDS.map((provider) => ({
      provider,
      source: 'NONE',
      customKey: null,
    }));
    expected[PROVIDER_IDS.indexOf('OPENAI')] = { provider: 'OPENAI', source: 'WORKSPACE', customKey: { status: 'VALID' } };
    expect(withKey.providers).toEqual(expected);
    expect(all.filter((node) => node.id !== owner.workspaceId).every((node) => node.providers[0]?.source === 'GLOBAL')).toBe(true);
  });

  it.each([
    [{ first: 0 }],
    [{ first: 101 }],
    [{ after: 'garbage' }],
    [{ after: Buffer.from('["x","not-a-uuid"]').toString('base64url') }],
    [{ search: 'x'.repeat(201) }],
  ])('refuses %j with BAD_USER_INPUT', async (variables) => {
    expect(errorCode(await server.graphql(QUERY, variables, admin))).toBe('BAD_USER_INPUT');
  });
});
