import { fingerprintKey } from '@byok/shared';
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { sweepThenClose } from '../../support/canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import {
  acceptedKey,
  auditRowsSince,
  lastAuditId,
  removeWorkspaceKey,
  setWorkspaceKey,
  updateIntegration,
  verifyGlobalKey,
  verifyWorkspaceKey,
  type AuditRow,
} from '../../support/byok';
import { errorCode, expectData, startTestServer, TEST_ADMIN_EMAIL, type TestServer } from '../../support/test-server';

let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };
let owner: TestUser;

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: fakes.env });
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'audited');
});

afterAll(async () => {
  await sweepThenClose(
    server,
    () => server.close(),
    () => fakes.close(),
  );
});

/** Runs `change` and returns exactly the audit rows it wrote. */
async function eventsOf(change: () => Promise<unknown>): Promise<AuditRow[]> {
  const before = await lastAuditId(server);
  await change();
  return auditRowsSince(server, before);
}

const asAdmin = { actor_user_id: expect.any(String), actor_email: TEST_ADMIN_EMAIL };

describe('R10: every change writes exactly its audit event', () => {
  it('BYOK toggled on and off, with the number of workspaces that switch', async () => {
    expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true }));
    expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI')));
    expect(await eventsOf(async () => expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: false })))).toEqual([
      expect.objectContaining({
        ...asAdmin,
        action: 'INTEGRATION_BYOK_DISABLED',
        provider: 'OPENAI',
        workspace_id: null,
        fingerprint: null,
        outcome: 'SUCCESS',
        details: {
          byokEnabled: false,
          workspacesAffected: 1,
          impact: { toOwnKey: 0, toWorkingPlatformKey: 0, toRejectedPlatformKey: 0, toNoKey: 1, platformKeyStatusAfter: null },
        },
      }),
    ]);
    expect(await eventsOf(async () => expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true })))).toEqual([
      expect.objectContaining({
        action: 'INTEGRATION_BYOK_ENABLED',
        details: { byokEnabled: true, workspacesAffected: 1, impact: expect.objectContaining({ toOwnKey: 1 }) },
      }),
    ]);
  });

  it('global key set, replaced, verified and cleared, each with its fingerprint', async () => {
    const first = acceptedKey(fakes, 'ANTHROPIC');
    const second = acceptedKey(fakes, 'ANTHROPIC');
    expect(await eventsOf(async () => expectData(await updateIntegration(server, admin, 'ANTHROPIC', { globalKey: first })))).toEqual([
      expect.objectContaining({
        ...asAdmin,
        action: 'GLOBAL_KEY_SET',
        provider: 'ANTHROPIC',
        fingerprint: fingerprintKey(first),
        details: { status: 'VALID', replaced: false },
      }),
    ]);
    expect(await eventsOf(async () => expectData(await updateIntegration(server, admin, 'ANTHROPIC', { globalKey: second })))).toEqual([
      expect.objectContaining({
        action: 'GLOBAL_KEY_SET',
        fingerprint: fingerprintKey(second),
        details: { status: 'VALID', replaced: true, previousFingerprint: fingerprintKey(first) },
      }),
    ]);
    expect(await eventsOf(async () => expectData(await verifyGlobalKey(server, admin, 'ANTHROPIC')))).toEqual([
      expect.objectContaining({
        action: 'GLOBAL_KEY_VERIFIED',
        fingerprint: fingerprintKey(second),
        outcome: 'SUCCESS',
        details: { origin: 'STORED', status: 'VALID' },
      }),
    ]);
    expect(await eventsOf(async () => expectData(await updateIntegration(server, admin, 'ANTHROPIC', { clearGlobalKey: true })))).toEqual([
      expect.objectContaining({
        action: 'GLOBAL_KEY_CLEARED',
        fingerprint: fingerprintKey(second),
        details: { environmentKeyTakesOver: false, impact: expect.objectContaining({ toNoKey: expect.any(Number) }) },
      }),
    ]);
    // Clearing when nothing is stored changes nothing and records nothing.
    expect(await eventsOf(async () => expectData(await updateIntegration(server, admin, 'ANTHROPIC', { clearGlobalKey: true })))).toEqual([]);
  });

  it('one "Save changes" with a toggle and a key writes both events, together', async () => {
    const key = acceptedKey(fakes, 'ANTHROPIC');
    const events = await eventsOf(async () => expectData(await updateIntegration(server, admin, 'ANTHROPIC', { byokEnabled: true, globalKey: key })));
    expect(events.map((event) => event.action)).toEqual(['INTEGRATION_BYOK_ENABLED', 'GLOBAL_KEY_SET']);
  });

  it('workspace key set, replaced, verified and removed, by the owner, with fingerprints', async () => {
    const first = acceptedKey(fakes, 'ANTHROPIC');
    const second = acceptedKey(fakes, 'ANTHROPIC');
    const byOwner = { actor_user_id: owner.id, actor_email: owner.email, workspace_id: owner.workspaceId, provider: 'ANTHROPIC' };
    expect(await eventsOf(async () => expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'ANTHROPIC', first)))).toEqual([
      expect.objectContaining({
        ...byOwner,
        action: 'WORKSPACE_KEY_SET',
        fingerprint: fingerprintKey(first),
        outcome: 'SUCCESS',
        details: { status: 'VALID' },
      }),
    ]);
    expect(await eventsOf(async () => expectData(await setWorkspaceKey(server, owner, owner.workspaceId, 'ANTHROPIC', second)))).toEqual([
      expect.objectContaining({
        ...byOwner,
        action: 'WORKSPACE_KEY_REPLACED',
        fingerprint: fingerprintKey(second),
        details: { status: 'VALID', previousFingerprint: fingerprintKey(first) },
      }),
    ]);
    expect(await eventsOf(async () => expectData(await verifyWorkspaceKey(server, owner, owner.workspaceId, 'ANTHROPIC')))).toEqual([
      expect.objectContaining({ ...byOwner, action: 'WORKSPACE_KEY_VERIFIED', fingerprint: fingerprintKey(second), outcome: 'SUCCESS' }),
    ]);
    // An admin troubleshooting is recorded as the admin.
    expect(await eventsOf(async () => expectData(await verifyWorkspaceKey(server, admin, owner.workspaceId, 'ANTHROPIC')))).toEqual([
      expect.objectContaining({ ...asAdmin, action: 'WORKSPACE_KEY_VERIFIED', workspace_id: owner.workspaceId }),
    ]);
    expect(await eventsOf(async () => expectData(await removeWorkspaceKey(server, owner, owner.workspaceId, 'ANTHROPIC')))).toEqual([
      expect.objectContaining({ ...byOwner, action: 'WORKSPACE_KEY_REMOVED', fingerprint: fingerprintKey(second) }),
    ]);
  });

  it('refused changes (forbidden, bad format) write nothing', async () => {
    const member = await signUpUser(server, 'audit-member');
    await addMember(server, owner, member);
    expect(
      await eventsOf(async () => {
        expect(errorCode(await setWorkspaceKey(server, member, owner.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI')))).toBe('FORBIDDEN');
        expect(errorCode(await setWorkspaceKey(server, owner, owner.workspaceId, 'OPENAI', 'sk-short'))).toBe('INVALID_KEY_FORMAT');
        expect(errorCode(await updateIntegration(server, owner, 'OPENAI', { byokEnabled: false }))).toBe('FORBIDDEN');
      }),
    ).toEqual([]);
  });
});

describe('R10: the trail is append-only in the database itself', () => {
  it.each([
    ['UPDATE', `UPDATE audit_events SET action = 'TAMPERED'`],
    ['DELETE', `DELETE FROM audit_events`],
    ['TRUNCATE', `TRUNCATE audit_events`],
  ])('rejects %s', async (_label, sql) => {
    const before = await server.app.dataSource.query(`SELECT count(*)::int AS count, max(action) AS action FROM audit_events`);
    await expect(server.app.dataSource.query(sql)).rejects.toThrow(/append-only/);
    expect(await server.app.dataSource.query(`SELECT count(*)::int AS count, max(action) AS action FROM audit_events`)).toEqual(before);
  });
});

interface EventsPage {
  auditEvents: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: { id: string } }>;
    nodes: Array<{
      id: string;
      action: string;
      provider: string | null;
      workspaceId: string | null;
      workspaceName: string | null;
      targetUserEmail: string | null;
      fingerprint: string | null;
      outcome: string;
      details: Record<string, unknown>;
      actor: { userId: string | null; email: string | null } | null;
    }>;
  };
}

const EVENTS = `query($w: ID, $first: Int, $after: String, $action: String) {
  auditEvents(workspaceId: $w, first: $first, after: $after, action: $action) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
    nodes { id action provider workspaceId workspaceName targetUserEmail fingerprint outcome details actor { userId email } }
  }
}`;

describe('Query.auditEvents', () => {
  let team: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    team = await signUpUser(server, 'team');
    member = await signUpUser(server, 'teammate');
    await addMember(server, team, member);
    expectData(await updateIntegration(server, admin, 'OPENAI', { byokEnabled: true }));
    for (let index = 0; index < 3; index += 1) expectData(await setWorkspaceKey(server, team, team.workspaceId, 'OPENAI', acceptedKey(fakes, 'OPENAI')));
  });

  it("shows an owner their workspace's trail, newest first, paged by cursor without gaps or repeats", async () => {
    const all = expectData(await server.graphql<EventsPage>(EVENTS, { w: team.workspaceId, first: 100 }, { token: team.token })).auditEvents;
    expect(all.nodes.map((node) => node.action)).toEqual([
      'WORKSPACE_KEY_REPLACED',
      'WORKSPACE_KEY_REPLACED',
      'WORKSPACE_KEY_SET',
      'MEMBER_ADDED',
      'WORKSPACE_CREATED',
    ]);
    expect(all.totalCount).toBe(5);
    const { workspace } = expectData(
      await server.graphql<{ workspace: { name: string } }>(`query($id: ID!) { workspace(id: $id) { name } }`, { id: team.workspaceId }, { token: team.token }),
    );
    expect(all.nodes.every((node) => node.workspaceId === team.workspaceId && node.workspaceName === workspace.name)).toBe(true);
    expect(all.nodes[0]).toMatchObject({
      provider: 'OPENAI',
      outcome: 'SUCCESS',
      actor: { userId: team.id, email: team.email },
      fingerprint: expect.stringMatching(/^fp:/),
    });
    expect(all.nodes[3]).toMatchObject({ action: 'MEMBER_ADDED', targetUserEmail: member.email });

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: EventsPage['auditEvents'] = expectData(
        await server.graphql<EventsPage>(EVENTS, { w: team.workspaceId, first: 2, after }, { token: team.token }),
      ).auditEvents;
      expect(page.edges.map((edge) => edge.cursor)).toEqual(page.nodes.map((node) => node.id));
      seen.push(...page.nodes.map((node) => node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.nodes.map((node) => node.id));
  });

  it('filters by action', async () => {
    const page = expectData(
      await server.graphql<EventsPage>(EVENTS, { w: team.workspaceId, action: 'WORKSPACE_KEY_REPLACED' }, { token: team.token }),
    ).auditEvents;
    expect(page.totalCount).toBe(2);
    expect(new Set(page.nodes.map((node) => node.action))).toEqual(new Set(['WORKSPACE_KEY_REPLACED']));
  });

  it('shows admins everything, or one workspace', async () => {
    const everything = expectData(await server.graphql<EventsPage>(EVENTS, { first: 100 }, admin)).auditEvents;
    expect(everything.nodes.some((node) => node.action === 'GLOBAL_KEY_SET')).toBe(true);
    expect(new Set(everything.nodes.map((node) => node.workspaceId)).size).toBeGreaterThan(2);
    const one = expectData(await server.graphql<EventsPage>(EVENTS, { w: team.workspaceId }, admin)).auditEvents;
    expect(one.totalCount).toBe(5);
  });

  it('hides global events and other workspaces from owners, and everything from members', async () => {
    expect(errorCode(await server.graphql(EVENTS, {}, { token: team.token }))).toBe('FORBIDDEN');
    expect(errorCode(await server.graphql(EVENTS, { w: owner.workspaceId }, { token: team.token }))).toBe('NOT_FOUND');
    expect(errorCode(await server.graphql(EVENTS, { w: team.workspaceId }, { token: member.token }))).toBe('FORBIDDEN');
  });

  it.each([
    [{ first: 0 }, 'BAD_USER_INPUT'],
    [{ first: 101 }, 'BAD_USER_INPUT'],
    [{ first: -5 }, 'BAD_USER_INPUT'],
    [{ after: 'not-a-cursor' }, 'BAD_USER_INPUT'],
    [{ after: '1; DROP TABLE audit_events' }, 'BAD_USER_INPUT'],
    [{ action: '' }, 'BAD_USER_INPUT'],
    [{ w: 'not-a-uuid' }, 'NOT_FOUND'],
  ])('refuses %j with %s', async (variables, code) => {
    expect(errorCode(await server.graphql(EVENTS, { w: team.workspaceId, ...variables }, admin))).toBe(code);
  });
});
