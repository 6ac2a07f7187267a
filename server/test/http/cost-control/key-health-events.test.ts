/**
 * R14: every key-health and cost event leaves an audit record (actor `system` when nobody acted) and a notice
 * for exactly those who can act on it; notices are dismissable per person and disappear once stale.
 */
import { startFakeProviders, type FakeProviders } from '../../fakes/fake-provider';
import { assertNoLeaks } from '../../support/canaries';
import { addMember, signInAdmin, signUpUser, type TestUser } from '../../support/factories';
import { errorCode, expectData, startTestServer, type RequestAuth, type TestServer } from '../../support/test-server';
import { auditRowsSince, lastAuditId, verifyGlobalKey, verifyWorkspaceKey } from '../../support/byok';
import { acceptedKey, complete, input, setByok, setGlobalKey, setWorkspaceKey } from '../ai/ai-helpers';
import { must } from '../../support/must';

const PRICE_OVERRIDES = JSON.stringify({ OPENAI: { 'gpt-4o-mini': { inputPerMillionUsd: 1000, outputPerMillionUsd: 1000 } } });
const COST = 7000;
const ask = () => input('OPENAI', 'hello there world', { maxTokens: 8 });

interface NoticeData {
  id: string;
  type: string;
  severity: string;
  message: string;
  workspaceId: string | null;
  workspaceName: string | null;
  provider: string | null;
}
const NOTICES = `query($w: ID) { notices(workspaceId: $w) { id type severity message workspaceId workspaceName provider createdAt } }`;

let fakes: FakeProviders;
let server: TestServer;
let admin: { id: string; token: string };
let owner: TestUser;
let member: TestUser;
let bystander: TestUser;

async function notices(auth: RequestAuth | undefined, workspaceId: string | null): Promise<NoticeData[]> {
  return expectData(await server.graphql<{ notices: NoticeData[] }>(NOTICES, { w: workspaceId }, auth)).notices;
}

const dismiss = (auth: RequestAuth | undefined, id: string) =>
  server.graphql<{ dismissNotice: boolean }>(`mutation($id: ID!) { dismissNotice(id: $id) }`, { id }, auth);

async function eventRows(type: string): Promise<Array<{ id: string; data: Record<string, unknown>; workspace_id: string | null }>> {
  return server.app.dataSource.query(`SELECT id, data, workspace_id FROM events WHERE type = $1 ORDER BY created_at`, [type]);
}

beforeAll(async () => {
  fakes = await startFakeProviders();
  server = await startTestServer({ env: { ...fakes.env, BYOK_PRICE_OVERRIDES: PRICE_OVERRIDES } });
  admin = await signInAdmin(server);
  owner = await signUpUser(server, 'owner');
  member = await signUpUser(server, 'member');
  bystander = await signUpUser(server, 'bystander');
  await addMember(server, owner, member);
});

afterAll(async () => {
  try {
    await assertNoLeaks(server);
  } finally {
    await server.close();
    await fakes.close();
  }
});

describe('KEY_INVALID: a workspace key', () => {
  let key: string;

  beforeAll(async () => {
    await setByok(server, admin.token, 'OPENAI', true);
    key = acceptedKey(fakes, 'OPENAI');
    await setWorkspaceKey(server, owner.token, owner.workspaceId, 'OPENAI', key);
  });

  it('rejected by real traffic: one audit record by `system`, one owner notice; members, admins and others see none', async () => {
    const auditBefore = await lastAuditId(server);
    fakes.OPENAI.validKeys.delete(key);
    expect(errorCode(await complete(server, { token: member.token }, owner.workspaceId, ask()))).toBe('WORKSPACE_KEY_REJECTED');
    // A second rejection of the same key is not a new event.
    expect(errorCode(await complete(server, { token: member.token }, owner.workspaceId, ask()))).toBe('WORKSPACE_KEY_REJECTED');

    const audit = (await auditRowsSince(server, auditBefore)).filter((row) => row.action === 'WORKSPACE_KEY_INVALID');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: null, actor_email: null, workspace_id: owner.workspaceId, provider: 'OPENAI', outcome: 'FAILURE' });
    expect(audit[0]?.details).toMatchObject({ trigger: 'AI_REQUEST' });
    expect(await eventRows('KEY_INVALID')).toHaveLength(1);

    const ownerNotices = await notices({ token: owner.token }, owner.workspaceId);
    expect(ownerNotices).toHaveLength(1);
    expect(ownerNotices[0]).toMatchObject({ type: 'KEY_INVALID', severity: 'CRITICAL', workspaceId: owner.workspaceId, provider: 'OPENAI' });
    expect(ownerNotices[0]?.message).toMatch(/replace it in API keys/);
    expect(await notices({ token: member.token }, owner.workspaceId)).toEqual([]);
    expect(await notices({ token: admin.token }, null)).toEqual([]);
    // The bystander owns a workspace too: it only has BYOK's "now available" notice, nothing about this key.
    expect((await notices({ token: bystander.token }, bystander.workspaceId)).map((notice) => notice.type)).toEqual(['BYOK_TOGGLED']);
    expect(errorCode(await server.graphql(NOTICES, { w: owner.workspaceId }, { token: bystander.token }))).toBe('NOT_FOUND');
    expect(errorCode(await server.graphql(NOTICES, { w: owner.workspaceId }))).toBe('UNAUTHENTICATED');
  });

  it('Admin → Workspaces can list the workspaces with a broken key', async () => {
    const listed = expectData(
      await server.graphql<{ adminWorkspaces: { nodes: Array<{ id: string }> } }>(
        `{ adminWorkspaces(filter: BROKEN_KEY) { nodes { id } } }`,
        {},
        { token: admin.token },
      ),
    );
    expect(listed.adminWorkspaces.nodes.map((node) => node.id)).toEqual([owner.workspaceId]);
  });

  it('is dismissable by the owner only; the notice goes once the key is replaced', async () => {
    const notice = must((await notices({ token: owner.token }, owner.workspaceId))[0], "the owner's notice");
    expect(errorCode(await dismiss({ token: member.token }, notice.id))).toBe('NOT_FOUND');
    expect(errorCode(await dismiss({ token: admin.token }, notice.id))).toBe('NOT_FOUND');
    expect(errorCode(await dismiss(undefined, notice.id))).toBe('UNAUTHENTICATED');
    expect(await notices({ token: owner.token }, owner.workspaceId)).toHaveLength(1);
    expect(expectData(await dismiss({ token: owner.token }, notice.id)).dismissNotice).toBe(true);
    expect(await notices({ token: owner.token }, owner.workspaceId)).toEqual([]);

    // Rejected again (a fresh event), then replaced: the notice is no longer shown, undismissed or not.
    key = acceptedKey(fakes, 'OPENAI');
    await setWorkspaceKey(server, owner.token, owner.workspaceId, 'OPENAI', key);
    fakes.OPENAI.validKeys.delete(key);
    await complete(server, { token: member.token }, owner.workspaceId, ask());
    expect(await notices({ token: owner.token }, owner.workspaceId)).toHaveLength(1);
    key = acceptedKey(fakes, 'OPENAI');
    await setWorkspaceKey(server, owner.token, owner.workspaceId, 'OPENAI', key);
    expect(await notices({ token: owner.token }, owner.workspaceId)).toEqual([]);
  });

  it('rejected on verification (by an admin troubleshooting): audited with the admin as actor', async () => {
    const auditBefore = await lastAuditId(server);
    fakes.OPENAI.validKeys.delete(key);
    expectData(await verifyWorkspaceKey(server, admin.token, owner.workspaceId, 'OPENAI'));
    const audit = (await auditRowsSince(server, auditBefore)).filter((row) => row.action === 'WORKSPACE_KEY_INVALID');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: admin.id });
    expect(audit[0]?.details).toMatchObject({ trigger: 'VERIFICATION' });
    expect((await notices({ token: owner.token }, owner.workspaceId)).map((notice) => notice.type)).toEqual(['KEY_INVALID']);
    await setByok(server, admin.token, 'OPENAI', false);
  });
});

describe('KEY_INVALID: the platform key', () => {
  it('by traffic and by verification: audited, and a notice for admins only', async () => {
    const globalKey = acceptedKey(fakes, 'ANTHROPIC');
    await setGlobalKey(server, admin.token, 'ANTHROPIC', globalKey);
    fakes.ANTHROPIC.validKeys.delete(globalKey);
    const auditBefore = await lastAuditId(server);
    expect(errorCode(await complete(server, { token: bystander.token }, bystander.workspaceId, input('ANTHROPIC')))).toBe('GLOBAL_KEY_REJECTED');
    const audit = (await auditRowsSince(server, auditBefore)).filter((row) => row.action === 'GLOBAL_KEY_INVALID');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: null, workspace_id: null, provider: 'ANTHROPIC' });
    const adminNotices = await notices({ token: admin.token }, null);
    expect(adminNotices.map((notice) => [notice.type, notice.provider])).toEqual([['KEY_INVALID', 'ANTHROPIC']]);
    expect(adminNotices[0]?.message).toMatch(/Settings → Integrations/);
    expect((await notices({ token: bystander.token }, bystander.workspaceId)).filter((notice) => notice.type === 'KEY_INVALID')).toEqual([]);
    expect(await notices({ token: bystander.token }, null)).toEqual([]);

    // Verification of a key that is already INVALID is no new event; a fresh key rejected on verification is.
    expectData(await verifyGlobalKey(server, admin.token, 'ANTHROPIC'));
    expect(await eventRows('KEY_INVALID')).toHaveLength(4);
    const replacement = acceptedKey(fakes, 'ANTHROPIC');
    await setGlobalKey(server, admin.token, 'ANTHROPIC', replacement);
    // The old key's notice went with it.
    expect(await notices({ token: admin.token }, null)).toEqual([]);
    fakes.ANTHROPIC.validKeys.delete(replacement);
    expectData(await verifyGlobalKey(server, admin.token, 'ANTHROPIC'));
    const [latest] = await notices({ token: admin.token }, null);
    expect(latest).toMatchObject({ type: 'KEY_INVALID', provider: 'ANTHROPIC' });
    expect(expectData(await dismiss({ token: admin.token }, must(latest, "the admin's notice").id)).dismissNotice).toBe(true);
    expect(await notices({ token: admin.token }, null)).toEqual([]);
  });
});

describe('BUDGET_THRESHOLD', () => {
  it('80% and 100% each fire once a month: audit by `system`, a notice for the owner and one for admins', async () => {
    await setGlobalKey(server, admin.token, 'OPENAI', acceptedKey(fakes, 'OPENAI'));
    const capped = await signUpUser(server, 'capped');
    expectData(
      await server.graphql(
        `mutation($w: ID) { setPlatformKeyBudget(workspaceId: $w, monthlyLimitMicroUsd: ${10 * COST}) { monthlyLimitMicroUsd } }`,
        { w: capped.workspaceId },
        {
          token: admin.token,
        },
      ),
    );
    const auditBefore = await lastAuditId(server);
    for (let index = 0; index < 7; index += 1) expectData(await complete(server, { token: capped.token }, capped.workspaceId, ask()));
    expect(await notices({ token: capped.token }, capped.workspaceId)).toEqual([]);
    expectData(await complete(server, { token: capped.token }, capped.workspaceId, ask()));
    let ownerNotices = await notices({ token: capped.token }, capped.workspaceId);
    expect(ownerNotices.map((notice) => [notice.type, notice.severity])).toEqual([['BUDGET_THRESHOLD', 'WARNING']]);
    expect(ownerNotices[0]?.message).toMatch(/80%/);
    expectData(await complete(server, { token: capped.token }, capped.workspaceId, ask()));
    expect(await notices({ token: capped.token }, capped.workspaceId)).toHaveLength(1);
    expectData(await complete(server, { token: capped.token }, capped.workspaceId, ask()));
    expect(errorCode(await complete(server, { token: capped.token }, capped.workspaceId, ask()))).toBe('BUDGET_EXCEEDED');

    ownerNotices = await notices({ token: capped.token }, capped.workspaceId);
    expect(ownerNotices.map((notice) => notice.severity)).toEqual(['CRITICAL', 'WARNING']);
    expect(ownerNotices[0]?.message).toMatch(/whole monthly allowance/);
    const adminNotices = (await notices({ token: admin.token }, null)).filter((notice) => notice.type === 'BUDGET_THRESHOLD');
    expect(adminNotices).toHaveLength(2);
    expect(adminNotices[0]).toMatchObject({ workspaceId: capped.workspaceId, workspaceName: "capped's workspace" });
    const audit = (await auditRowsSince(server, auditBefore)).filter((row) => row.action === 'PLATFORM_KEY_BUDGET_THRESHOLD');
    expect(audit.map((row) => [row.actor_user_id, row.workspace_id, row.details.thresholdPercent])).toEqual([
      [null, capped.workspaceId, 80],
      [null, capped.workspaceId, 100],
    ]);
    const events = await eventRows('BUDGET_THRESHOLD');
    expect(events.map((event) => event.data.thresholdPercent)).toEqual([80, 100]);
  });
});

describe('BYOK_TOGGLED', () => {
  it('off: a notice for owners with a key for that provider; on: for owners without one; the older one is then hidden', async () => {
    await setByok(server, admin.token, 'ANTHROPIC', true);
    await setWorkspaceKey(server, owner.token, owner.workspaceId, 'ANTHROPIC', acceptedKey(fakes, 'ANTHROPIC'));
    for (const notice of await notices({ token: owner.token }, owner.workspaceId)) expectData(await dismiss({ token: owner.token }, notice.id));
    for (const notice of await notices({ token: bystander.token }, bystander.workspaceId)) expectData(await dismiss({ token: bystander.token }, notice.id));

    await setByok(server, admin.token, 'ANTHROPIC', false);
    const ownerNotices = await notices({ token: owner.token }, owner.workspaceId);
    expect(ownerNotices.map((notice) => [notice.type, notice.provider, notice.severity])).toEqual([['BYOK_TOGGLED', 'ANTHROPIC', 'WARNING']]);
    expect(ownerNotices[0]?.message).toMatch(/turned off workspace keys for Anthropic/);
    expect(await notices({ token: bystander.token }, bystander.workspaceId)).toEqual([]);
    expect(await notices({ token: member.token }, owner.workspaceId)).toEqual([]);

    await setByok(server, admin.token, 'ANTHROPIC', true);
    // An owner without an Anthropic key is told they can add one; the owner who has one needs no notice now.
    const shown = await notices({ token: bystander.token }, bystander.workspaceId);
    expect(shown.map((notice) => [notice.type, notice.provider, notice.severity])).toEqual([['BYOK_TOGGLED', 'ANTHROPIC', 'INFO']]);
    expect(await notices({ token: owner.token }, owner.workspaceId)).toEqual([]);
    const events = await eventRows('BYOK_TOGGLED');
    expect(events.slice(-2).map((event) => [event.data.provider, event.data.byokEnabled])).toEqual([
      ['ANTHROPIC', false],
      ['ANTHROPIC', true],
    ]);
    // The switch's own audit record names the admin who acted.
    const [switched] = await server.app.dataSource.query(
      `SELECT actor_user_id FROM audit_events WHERE action = 'INTEGRATION_BYOK_DISABLED' ORDER BY id DESC LIMIT 1`,
    );
    expect(switched.actor_user_id).toBe(admin.id);
  });
});
