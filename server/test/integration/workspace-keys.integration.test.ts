/**
 * Integration tier: WorkspaceKeysService's policy on top of the key store (R4, R6): only the owner sets and
 * removes, the owner or a platform admin verifies, no new key while BYOK is off (also when it is switched off
 * during the live check), and removing works while BYOK is off.
 */
import type { ProviderId, WorkspaceRole } from '@byok/shared';
import type { Viewer } from '../../src/auth/viewer';
import type { WorkspaceAccess } from '../../src/modules/provider-keys/workspace-keys.service';
import { assertNoLeaks, canaryKey } from '../support/canaries';
import { startIntegrationApp, type IntegrationApp } from '../support/integration-services';

let app: IntegrationApp;
let owner: { viewer: Viewer; workspaceId: string };
let member: Viewer;
let outsider: Viewer;
const outputs: unknown[] = [];
const provider: ProviderId = 'OPENAI';

const accepted = (): string => {
  const key = canaryKey(provider);
  app.fakes[provider].validKeys.add(key);
  return key;
};

const as = (viewer: Viewer, role: WorkspaceRole | null): WorkspaceAccess => ({ viewer, role });

async function counts(): Promise<{ keys: number; audit: number; requests: number }> {
  const [row] = (await app.services.dataSource.query(
    `SELECT (SELECT count(*) FROM provider_keys)::int AS keys, (SELECT count(*) FROM audit_events)::int AS audit`,
  )) as Array<{ keys: number; audit: number }>;
  return { keys: row?.keys ?? -1, audit: row?.audit ?? -1, requests: app.fakes[provider].requests.length };
}

async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    outputs.push(await call);
  } catch (error) {
    outputs.push((error as Error).message);
    return (error as { code?: string }).code;
  }
  return undefined;
}

const setByok = async (byokEnabled: boolean): Promise<void> => {
  outputs.push(await app.services.integrations.update(app.admin, provider, { byokEnabled }));
};

beforeAll(async () => {
  app = await startIntegrationApp();
  owner = await app.signUp('Policy owner');
  const joining = await app.signUp('Policy member');
  await app.services.workspaces.addMember(owner.viewer, owner.workspaceId, joining.viewer.email);
  member = joining.viewer;
  outsider = (await app.signUp('Policy outsider')).viewer;
});

afterAll(async () => {
  try {
    await assertNoLeaks(app.leakSources(outputs));
  } finally {
    await app?.close();
  }
});

it('refuses a new workspace key while BYOK is off (BYOK_DISABLED), before asking the provider', async () => {
  const before = await counts();
  expect(await codeOf(app.services.workspaceKeys.setWorkspaceKey(owner.workspaceId, as(owner.viewer, 'OWNER'), provider, accepted()))).toBe('BYOK_DISABLED');
  expect(await counts()).toEqual(before);
});

it('lets only the owner set a key: a member is FORBIDDEN, a non-member NOT_FOUND, an admin FORBIDDEN', async () => {
  await setByok(true);
  const before = await counts();
  const { workspaceKeys } = app.services;
  expect(await codeOf(workspaceKeys.setWorkspaceKey(owner.workspaceId, as(member, 'MEMBER'), provider, accepted()))).toBe('FORBIDDEN');
  expect(await codeOf(workspaceKeys.setWorkspaceKey(owner.workspaceId, as(outsider, null), provider, accepted()))).toBe('NOT_FOUND');
  expect(await codeOf(workspaceKeys.setWorkspaceKey(owner.workspaceId, as(app.admin, null), provider, accepted()))).toBe('FORBIDDEN');
  expect(await counts()).toEqual(before);

  const view = await workspaceKeys.setWorkspaceKey(owner.workspaceId, as(owner.viewer, 'OWNER'), provider, accepted());
  outputs.push(view);
  expect(view).toMatchObject({ origin: 'STORED', status: 'VALID', active: true });
});

it('lets the owner or a platform admin verify, not a member', async () => {
  const { workspaceKeys } = app.services;
  expect(await codeOf(workspaceKeys.verifyWorkspaceKey(owner.workspaceId, as(member, 'MEMBER'), provider))).toBe('FORBIDDEN');
  const byAdmin = await workspaceKeys.verifyWorkspaceKey(owner.workspaceId, as(app.admin, null), provider);
  const byOwner = await workspaceKeys.verifyWorkspaceKey(owner.workspaceId, as(owner.viewer, 'OWNER'), provider);
  outputs.push(byAdmin, byOwner);
  expect(byAdmin).toMatchObject({ status: 'VALID', active: true });
  expect(byOwner).toMatchObject({ status: 'VALID', active: true });
});

it('refuses a key when BYOK is switched off while the provider is answering', async () => {
  const before = await counts();
  app.fakes[provider].failNext({ type: 'delay', ms: 400 });
  const saving = codeOf(app.services.workspaceKeys.setWorkspaceKey(owner.workspaceId, as(owner.viewer, 'OWNER'), provider, accepted()));
  await new Promise((resolve) => setTimeout(resolve, 100));
  await setByok(false);
  expect(await saving).toBe('BYOK_DISABLED');
  const after = await counts();
  // The switch wrote its own audit event; the key row and its audit trail are unchanged.
  expect(after.keys).toBe(before.keys);
  expect(after.audit).toBe(before.audit + 1);
});

it('shows the kept key as inactive and lets the owner remove it while BYOK is off; a member may not', async () => {
  const { workspaceKeys } = app.services;
  const verified = await workspaceKeys.verifyWorkspaceKey(owner.workspaceId, as(owner.viewer, 'OWNER'), provider);
  outputs.push(verified);
  expect(verified).toMatchObject({ status: 'VALID', active: false });
  expect(await codeOf(workspaceKeys.removeWorkspaceKey(owner.workspaceId, as(member, 'MEMBER'), provider))).toBe('FORBIDDEN');
  expect(await workspaceKeys.removeWorkspaceKey(owner.workspaceId, as(owner.viewer, 'OWNER'), provider)).toBe(true);
  expect(await workspaceKeys.removeWorkspaceKey(owner.workspaceId, as(owner.viewer, 'OWNER'), provider)).toBe(false);
  expect(await codeOf(workspaceKeys.verifyWorkspaceKey(owner.workspaceId, as(owner.viewer, 'OWNER'), provider))).toBe('NOT_FOUND');
});
