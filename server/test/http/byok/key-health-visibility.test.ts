import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { sweepThenClose } from '../../support/canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { acceptedKey, setWorkspaceKey, updateIntegration } from '../../support/byok';
import { errorCode, expectData, startTestServer, type TestServer } from '../../support/test-server';

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };
let owner: TestUser;
let member: TestUser;

const complete = (user: TestUser) =>
  server.graphql(
    `mutation($w: ID!) { complete(workspaceId: $w, input: { provider: OPENAI, model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }) { keySource } }`,
    { w: owner.workspaceId },
    user,
  );

const health = async (user: { token: string }) =>
  expectData(
    await server.graphql<{ workspace: { providers: Array<{ provider: string; source: string; sourceKeyStatus: string | null }> } }>(
      `query($id: ID!) { workspace(id: $id) { providers { provider source sourceKeyStatus } } }`,
      { id: owner.workspaceId },
      user,
    ),
  ).workspace.providers.find((entry) => entry.provider === 'OPENAI');

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'healthy');
  member = await signUpUser(server, 'teammate');
  await addMember(server, owner, member);
  expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true }));
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

describe('WorkspaceProvider.sourceKeyStatus', () => {
  it('is null with no key, VALID for a working workspace key, INVALID once traffic was rejected — for members too', async () => {
    expect(await health(member)).toEqual({ provider: 'OPENAI', source: 'NONE', sourceKeyStatus: null });
    const key = acceptedKey(fakes, 'OPENAI');
    expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI', key));
    expect(await health(member)).toMatchObject({ source: 'WORKSPACE', sourceKeyStatus: 'VALID' });

    // Revoked at the provider: the member's next request is rejected and marks the key INVALID (R8).
    fakes.OPENAI.validKeys.delete(key);
    expect(errorCode(await complete(member))).toBe('WORKSPACE_KEY_REJECTED');
    expect(await health(member)).toMatchObject({ source: 'WORKSPACE', sourceKeyStatus: 'INVALID' });
    expect(await health(owner)).toMatchObject({ sourceKeyStatus: 'INVALID' });
    expect(await health(admin)).toMatchObject({ sourceKeyStatus: 'INVALID' });
  });

  it("reports the platform key's status when the workspace is on it", async () => {
    expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: false, globalKey: acceptedKey(fakes, 'OPENAI') }));
    expect(await health(member)).toMatchObject({ source: 'GLOBAL', sourceKeyStatus: 'VALID' });
  });
});
