import { countRows } from '../../support/database-rows';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, type GraphQLResult, type TestServer } from '../../support/test-server';
import { must } from '../../support/must';

const WORKSPACE = `query($id: ID!) { workspace(id: $id) { id name viewerRole members { role user { id email } } } }`;
const WORKSPACES = `{ workspaces { id name viewerRole } }`;
const CREATE = `mutation($name: String!) { createWorkspace(name: $name) { id name viewerRole members { role user { id } } } }`;
const ADD = `mutation($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e) { role user { id email name isAdmin } } }`;
const REMOVE = `mutation($w: ID!, $u: ID!) { removeWorkspaceMember(workspaceId: $w, userId: $u) }`;

interface WorkspaceData {
  id: string;
  name: string;
  viewerRole: 'OWNER' | 'MEMBER' | null;
  members: Array<{ role: 'OWNER' | 'MEMBER'; user: { id: string; email: string } }>;
}

const auditActions = async (server: TestServer, workspaceId: string): Promise<Array<{ action: string; actor_user_id: string; target_user_id: string }>> =>
  (await server.app.dataSource.query(`SELECT action, actor_user_id, target_user_id FROM audit_events WHERE workspace_id = $1 ORDER BY id`, [
    workspaceId,
  ])) as Array<{ action: string; actor_user_id: string; target_user_id: string }>;

describe('workspaces and membership', () => {
  let server: TestServer;
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let admin: { token: string; id: string };
  beforeAll(async () => {
    server = await startTestServer();
    owner = await signUpUser(server, 'owner');
    member = await signUpUser(server, 'member');
    outsider = await signUpUser(server, 'outsider');
    admin = await signInAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  const workspaceAs = (token: string, id: string): Promise<GraphQLResult<{ workspace: WorkspaceData | null }>> =>
    server.graphql<{ workspace: WorkspaceData | null }>(WORKSPACE, { id }, { token });
  const workspacesAs = async (token: string): Promise<Array<Pick<WorkspaceData, 'id' | 'name' | 'viewerRole'>>> =>
    expectData(await server.graphql<{ workspaces: Array<Pick<WorkspaceData, 'id' | 'name' | 'viewerRole'>> }>(WORKSPACES, {}, { token })).workspaces;

  it('createWorkspace makes the viewer its owner and lists it among their workspaces only', async () => {
    const before = await countRows(server);
    const created = expectData(
      await server.graphql<{ createWorkspace: WorkspaceData }>(CREATE, { name: '  Research  ' }, { token: owner.token }),
    ).createWorkspace;
    expect(created).toMatchObject({ name: 'Research', viewerRole: 'OWNER', members: [{ role: 'OWNER', user: { id: owner.id } }] });
    const after = await countRows(server);
    expect(after.workspaces).toBe(before.workspaces + 1);
    expect(after.memberships).toBe(before.memberships + 1);
    expect((await workspacesAs(owner.token)).map((workspace) => workspace.id)).toEqual([owner.workspaceId, created.id]);
    expect((await workspacesAs(outsider.token)).map((workspace) => workspace.id)).toEqual([outsider.workspaceId]);
    expect(await auditActions(server, created.id)).toEqual([{ action: 'WORKSPACE_CREATED', actor_user_id: owner.id, target_user_id: owner.id }]);
  });

  it('the owner adds a member by email (any case); the member then sees the workspace as MEMBER', async () => {
    const added = expectData(
      await server.graphql<{ addWorkspaceMember: { role: string; user: { id: string; email: string; isAdmin: boolean } } }>(
        ADD,
        { w: owner.workspaceId, e: ` ${member.email.toUpperCase()} ` },
        { token: owner.token },
      ),
    ).addWorkspaceMember;
    expect(added).toMatchObject({ role: 'MEMBER', user: { id: member.id, email: member.email, isAdmin: false } });
    expect(await workspacesAs(member.token)).toContainEqual({ id: owner.workspaceId, name: "owner's workspace", viewerRole: 'MEMBER' });
    const seen = must(expectData(await workspaceAs(member.token, owner.workspaceId)).workspace, 'the workspace');
    expect(seen.viewerRole).toBe('MEMBER');
    expect(seen.members.map((membership) => [membership.role, membership.user.id])).toEqual([
      ['OWNER', owner.id],
      ['MEMBER', member.id],
    ]);
    expect(await auditActions(server, owner.workspaceId)).toContainEqual({ action: 'MEMBER_ADDED', actor_user_id: owner.id, target_user_id: member.id });
  });

  it('a member can neither add nor remove members (FORBIDDEN), and nothing changes', async () => {
    const before = await countRows(server);
    const add = await server.graphql(ADD, { w: owner.workspaceId, e: outsider.email }, { token: member.token });
    expect(errorCode(add)).toBe('FORBIDDEN');
    expect(add.data).toBeNull();
    const removeOwner = await server.graphql(REMOVE, { w: owner.workspaceId, u: owner.id }, { token: member.token });
    expect(errorCode(removeOwner)).toBe('FORBIDDEN');
    const removeSelf = await server.graphql(REMOVE, { w: owner.workspaceId, u: member.id }, { token: member.token });
    expect(errorCode(removeSelf)).toBe('FORBIDDEN');
    expect(await countRows(server)).toEqual(before);
  });

  it('the owner cannot be removed, not even by themselves', async () => {
    const before = await countRows(server);
    const result = await server.graphql(REMOVE, { w: owner.workspaceId, u: owner.id }, { token: owner.token });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toBe('The workspace owner cannot be removed');
    expect(await countRows(server)).toEqual(before);
  });

  describe('an outsider gets NOT_FOUND, exactly as for a workspace that does not exist', () => {
    const missingId = '00000000-0000-4000-8000-000000000000';

    it('workspace(id)', async () => {
      const existing = await workspaceAs(outsider.token, owner.workspaceId);
      const missing = await workspaceAs(outsider.token, missingId);
      for (const result of [existing, missing]) {
        expect(result.data).toEqual({ workspace: null });
        expect(errorCode(result)).toBe('NOT_FOUND');
      }
      expect(existing.errors?.[0]?.message).toBe(must(missing.errors?.[0], 'the error for a missing workspace').message);
    });

    it('every workspace mutation, with no change', async () => {
      const before = await countRows(server);
      const attempts = [
        [ADD, { w: owner.workspaceId, e: outsider.email }],
        [ADD, { w: missingId, e: outsider.email }],
        [REMOVE, { w: owner.workspaceId, u: member.id }],
        [REMOVE, { w: owner.workspaceId, u: owner.id }],
        [REMOVE, { w: missingId, u: member.id }],
      ] as const;
      const messages = new Set<string>();
      for (const [query, variables] of attempts) {
        const result = await server.graphql(query, variables, { token: outsider.token });
        expect(errorCode(result)).toBe('NOT_FOUND');
        messages.add(must(result.errors?.[0], 'the error').message);
      }
      expect([...messages]).toEqual(['Workspace not found']);
      expect(await countRows(server)).toEqual(before);
    });

    it('workspaces never lists it', async () => {
      expect((await workspacesAs(outsider.token)).map((workspace) => workspace.id)).not.toContain(owner.workspaceId);
    });
  });

  describe('a platform admin who is not a member', () => {
    it('reads any workspace, with viewerRole null and its members', async () => {
      const seen = must(expectData(await workspaceAs(admin.token, owner.workspaceId)).workspace, 'the workspace');
      expect(seen.id).toBe(owner.workspaceId);
      expect(seen.viewerRole).toBeNull();
      expect(seen.members.map((membership) => membership.user.id)).toEqual([owner.id, member.id]);
    });

    it('workspaces lists only the workspaces the admin belongs to', async () => {
      expect(await workspacesAs(admin.token)).toEqual([]);
    });

    it('cannot manage another workspace’s members (FORBIDDEN)', async () => {
      const before = await countRows(server);
      expect(errorCode(await server.graphql(ADD, { w: owner.workspaceId, e: outsider.email }, { token: admin.token }))).toBe('FORBIDDEN');
      expect(errorCode(await server.graphql(REMOVE, { w: owner.workspaceId, u: member.id }, { token: admin.token }))).toBe('FORBIDDEN');
      expect(await countRows(server)).toEqual(before);
    });
  });

  it('anonymous callers get UNAUTHENTICATED for every workspace operation', async () => {
    const before = await countRows(server);
    for (const [query, variables] of [
      [WORKSPACES, {}],
      [WORKSPACE, { id: owner.workspaceId }],
      [CREATE, { name: 'x' }],
      [ADD, { w: owner.workspaceId, e: outsider.email }],
      [REMOVE, { w: owner.workspaceId, u: member.id }],
    ] as const) {
      expect(errorCode(await server.graphql(query, variables))).toBe('UNAUTHENTICATED');
    }
    expect(await countRows(server)).toEqual(before);
  });

  it('adding someone already a member is BAD_USER_INPUT and writes nothing', async () => {
    const before = await countRows(server);
    const result = await server.graphql(ADD, { w: owner.workspaceId, e: member.email }, { token: owner.token });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(await countRows(server)).toEqual(before);
  });

  it('the owner removes a member, who then gets NOT_FOUND for the workspace; removing again is NOT_FOUND', async () => {
    expect(
      expectData(await server.graphql<{ removeWorkspaceMember: boolean }>(REMOVE, { w: owner.workspaceId, u: member.id }, { token: owner.token })),
    ).toEqual({
      removeWorkspaceMember: true,
    });
    expect(errorCode(await workspaceAs(member.token, owner.workspaceId))).toBe('NOT_FOUND');
    expect((await workspacesAs(member.token)).map((workspace) => workspace.id)).toEqual([member.workspaceId]);
    expect(errorCode(await server.graphql(REMOVE, { w: owner.workspaceId, u: member.id }, { token: owner.token }))).toBe('NOT_FOUND');
    expect(await auditActions(server, owner.workspaceId)).toContainEqual({ action: 'MEMBER_REMOVED', actor_user_id: owner.id, target_user_id: member.id });
    // They can be added back.
    await addMember(server, owner, member);
    expect(expectData(await workspaceAs(member.token, owner.workspaceId)).workspace?.viewerRole).toBe('MEMBER');
  });

  it('a member of one workspace is an outsider to the owner’s other workspaces', async () => {
    const second = expectData(await server.graphql<{ createWorkspace: WorkspaceData }>(CREATE, { name: 'Private' }, { token: owner.token })).createWorkspace;
    expect(errorCode(await workspaceAs(member.token, second.id))).toBe('NOT_FOUND');
    expect(errorCode(await server.graphql(ADD, { w: second.id, e: outsider.email }, { token: member.token }))).toBe('NOT_FOUND');
  });
});
