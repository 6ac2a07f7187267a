import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { sweepThenClose } from '../../support/canaries';
import { signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { acceptedKey, auditRowsSince, byokCounts, lastAuditId, setWorkspaceKey, updateIntegration, verifyGlobalKey } from '../../support/byok';
import { errorCode, expectData, startTestServer, type TestServer } from '../../support/test-server';

interface Preview {
  byokEnabled: boolean;
  clearGlobalKey: boolean;
  platformKeyStatusAfter: string | null;
  workspacesMoving: number;
  toOwnKey: number;
  toWorkingPlatformKey: number;
  toRejectedPlatformKey: number;
  toNoKey: number;
  workspaces: Array<{ id: string; name: string; outcome: string }>;
}

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };
let withKeyA: TestUser;
let withKeyB: TestUser;
let withoutKey: TestUser;

async function preview(changes: { byokEnabled?: boolean; clearGlobalKey?: boolean }): Promise<Preview> {
  const result = await server.graphql<{ integrationChangePreview: Preview }>(
    `query($b: Boolean, $c: Boolean) { integrationChangePreview(provider: OPENAI, byokEnabled: $b, clearGlobalKey: $c) {
       byokEnabled clearGlobalKey platformKeyStatusAfter workspacesMoving toOwnKey toWorkingPlatformKey toRejectedPlatformKey toNoKey
       workspaces { id name outcome } } }`,
    { b: changes.byokEnabled ?? null, c: changes.clearGlobalKey ?? null },
    admin,
  );
  return expectData(result).integrationChangePreview;
}

const countsOf = (value: Preview) => ({
  toOwnKey: value.toOwnKey,
  toWorkingPlatformKey: value.toWorkingPlatformKey,
  toRejectedPlatformKey: value.toRejectedPlatformKey,
  toNoKey: value.toNoKey,
  platformKeyStatusAfter: value.platformKeyStatusAfter,
});

async function workspaceCount(): Promise<number> {
  return (await byokCounts(server)).workspaces;
}

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
  withKeyA = await signUpUser(server, 'alpha');
  withKeyB = await signUpUser(server, 'bravo');
  withoutKey = await signUpUser(server, 'charlie');
  expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true }));
  for (const owner of [withKeyA, withKeyB]) expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI')));
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

describe('Query.integrationChangePreview', () => {
  it('BYOK off with no platform key: the workspaces with their own key are left with no key, by name; nothing is written', async () => {
    const before = await byokCounts(server);
    const result = await preview({ byokEnabled: false });
    expect(result).toMatchObject({
      byokEnabled: false,
      clearGlobalKey: false,
      platformKeyStatusAfter: null,
      workspacesMoving: 2,
      toNoKey: 2,
      toWorkingPlatformKey: 0,
    });
    expect(result.workspaces.map((workspace) => workspace.id).sort()).toEqual([withKeyA.workspaceId, withKeyB.workspaceId].sort());
    expect(result.workspaces.every((workspace) => workspace.outcome === 'NO_KEY')).toBe(true);
    expect(await byokCounts(server)).toEqual(before);
  });

  it('records the same numbers in the audit event of the change, and turning it back on moves them to their own keys', async () => {
    const shown = await preview({ byokEnabled: false });
    const since = await lastAuditId(server);
    expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: false }));
    const [event] = await auditRowsSince(server, since);
    expect(event).toMatchObject({ action: 'INTEGRATION_BYOK_DISABLED', details: { impact: countsOf(shown) } });

    const back = await preview({ byokEnabled: true });
    expect(back).toMatchObject({ workspacesMoving: 2, toOwnKey: 2 });
    const again = await lastAuditId(server);
    expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true }));
    expect((await auditRowsSince(server, again))[0]).toMatchObject({ action: 'INTEGRATION_BYOK_ENABLED', details: { impact: countsOf(back) } });
  });

  it('BYOK off with a working platform key: they move to it', async () => {
    expectData(await updateIntegration(server, admin, 'OPENAI', { globalKey: acceptedKey(fakes, 'OPENAI') }));
    expect(await preview({ byokEnabled: false })).toMatchObject({ platformKeyStatusAfter: 'VALID', workspacesMoving: 2, toWorkingPlatformKey: 2, toNoKey: 0 });
  });

  it('BYOK off with a platform key the provider rejects: they move to a rejected key', async () => {
    fakes.OPENAI.validKeys.clear();
    expect(expectData(await verifyGlobalKey(server, admin, 'OPENAI')).verifyGlobalKey.globalKey?.status).toBe('INVALID');
    expect(await preview({ byokEnabled: false })).toMatchObject({ platformKeyStatusAfter: 'INVALID', toRejectedPlatformKey: 2, toWorkingPlatformKey: 0 });
  });

  it('clearing the platform key: every workspace without its own key is left with none, and the audit event says so', async () => {
    const total = await workspaceCount();
    const shown = await preview({ clearGlobalKey: true });
    expect(shown).toMatchObject({ clearGlobalKey: true, platformKeyStatusAfter: null, workspacesMoving: total - 2, toNoKey: total - 2 });
    expect(shown.workspaces.map((workspace) => workspace.id)).toContain(withoutKey.workspaceId);
    expect(shown.workspaces.map((workspace) => workspace.id)).not.toContain(withKeyA.workspaceId);
    // Both at once: everyone is left with no key.
    expect(await preview({ byokEnabled: false, clearGlobalKey: true })).toMatchObject({ workspacesMoving: total, toNoKey: total });

    const since = await lastAuditId(server);
    expectData(await updateIntegration(server, admin, 'OPENAI', { clearGlobalKey: true }));
    expect((await auditRowsSince(server, since))[0]).toMatchObject({ action: 'GLOBAL_KEY_CLEARED', details: { impact: countsOf(shown) } });
    // Nothing stored any more: clearing again would change nothing.
    expect(await preview({ clearGlobalKey: true })).toMatchObject({ clearGlobalKey: false, workspacesMoving: 0 });
  });

  it('is for platform admins only', async () => {
    const result = await server.graphql(`{ integrationChangePreview(provider: OPENAI, byokEnabled: false) { workspacesMoving } }`, {}, withKeyA);
    expect(errorCode(result)).toBe('FORBIDDEN');
  });
});
