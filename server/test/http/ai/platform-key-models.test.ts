/**
 * R21: an admin limits which models the platform's key serves, by default and per workspace. The policy is one
 * entry of the AI pipeline's key policies, so every AI path inherits it: the conformance part below iterates over
 * every registered path (test/support/ai-paths.ts). A workspace's own keys are never restricted.
 */
import { PROVIDERS, type ProviderId } from '@byok/shared';
import type { FakeProviders } from '../../fakes/fake-provider';
import { createToken } from '../gateway/gateway-helpers';
import { AI_PATH_DRIVERS, AI_PATHS } from '../../support/ai-paths';
import type { TestUser } from '../../support/factories';
import { must } from '../../support/must';
import { errorCode, expectData, type TestServer } from '../../support/test-server';
import { startWorld, type World } from '../../support/world';
import { acceptedKey, setWorkspaceKey } from './ai-helpers';

let world: World;
let fakes: FakeProviders;
let server: TestServer;
let admin: { token: string; id: string };
/** Paid by the platform's keys. */
let platformPaid: TestUser;
/** Pays with its own keys. */
let ownKeys: TestUser;
let member: TestUser;
const tokens = { platformPaid: '', ownKeys: '' };

const ALLOWED: Record<'OPENAI' | 'ANTHROPIC', string> = { OPENAI: 'gpt-4o-mini', ANTHROPIC: 'claude-3-5-haiku-20241022' };
const DENIED: Record<'OPENAI' | 'ANTHROPIC', string> = { OPENAI: 'gpt-4o', ANTHROPIC: 'claude-sonnet-4-20250514' };

const SET = `mutation($w: ID, $p: Provider!, $m: [String!], $d: Boolean) {
  setPlatformKeyModels(workspaceId: $w, provider: $p, models: $m, useDefault: $d) { provider models inherited }
}`;
type ModelsView = { provider: ProviderId; models: string[] | null; inherited: boolean };

function setModels(token: string, workspaceId: string | null, provider: ProviderId, models: string[] | null, useDefault?: boolean) {
  return server.graphql<{ setPlatformKeyModels: ModelsView }>(SET, { w: workspaceId, p: provider, m: models, d: useDefault ?? null }, { token });
}

async function workspaceModels(token: string, workspaceId: string): Promise<ModelsView[]> {
  const data = expectData(
    await server.graphql<{ workspace: { platformKeyModels: ModelsView[] } }>(
      `query($id: ID!) { workspace(id: $id) { platformKeyModels { provider models inherited } } }`,
      { id: workspaceId },
      { token },
    ),
  );
  return data.workspace.platformKeyModels;
}

const modelsOf = (views: ModelsView[], provider: ProviderId): ModelsView =>
  must(
    views.find((view) => view.provider === provider),
    `the ${provider} entry`,
  );

beforeAll(async () => {
  world = await startWorld({ byok: ['OPENAI', 'ANTHROPIC'], platformKeys: ['OPENAI', 'ANTHROPIC'] });
  ({ fakes, server, admin, owner: platformPaid, member } = world);
  ownKeys = await world.signUp('own-keys');
  for (const provider of ['OPENAI', 'ANTHROPIC'] as const) {
    await setWorkspaceKey(server, ownKeys.token, ownKeys.workspaceId, provider, acceptedKey(fakes, provider));
  }
  tokens.platformPaid = (await createToken(server, platformPaid.token, null)).token;
  tokens.ownKeys = (await createToken(server, ownKeys.token, null)).token;
});

afterAll(() => world.close());

describe('setPlatformKeyModels and Workspace.platformKeyModels', () => {
  afterEach(async () => {
    for (const provider of ['OPENAI', 'ANTHROPIC'] as const) {
      expectData(await setModels(admin.token, null, provider, null));
      expectData(await setModels(admin.token, platformPaid.workspaceId, provider, null, true));
    }
  });

  it('all models by default; a default list applies to every workspace without its own; an override wins; useDefault removes it', async () => {
    expect(modelsOf(await workspaceModels(platformPaid.token, platformPaid.workspaceId), 'OPENAI')).toEqual({
      provider: 'OPENAI',
      models: null,
      inherited: true,
    });
    expect(expectData(await setModels(admin.token, null, 'OPENAI', ['gpt-4o-mini'])).setPlatformKeyModels).toEqual({
      provider: 'OPENAI',
      models: ['gpt-4o-mini'],
      inherited: false,
    });
    expect(modelsOf(await workspaceModels(platformPaid.token, platformPaid.workspaceId), 'OPENAI')).toEqual({
      provider: 'OPENAI',
      models: ['gpt-4o-mini'],
      inherited: true,
    });
    // Other providers are untouched.
    expect(modelsOf(await workspaceModels(platformPaid.token, platformPaid.workspaceId), 'ANTHROPIC').models).toBeNull();
    const override = expectData(await setModels(admin.token, platformPaid.workspaceId, 'OPENAI', ['gpt-4o', 'gpt-4.1-mini'])).setPlatformKeyModels;
    expect(override).toEqual({ provider: 'OPENAI', models: ['gpt-4o', 'gpt-4.1-mini'], inherited: false });
    // An override of null means every model, even while the default limits them.
    expect(expectData(await setModels(admin.token, platformPaid.workspaceId, 'OPENAI', null)).setPlatformKeyModels).toEqual({
      provider: 'OPENAI',
      models: null,
      inherited: false,
    });
    const back = expectData(await setModels(admin.token, platformPaid.workspaceId, 'OPENAI', null, true)).setPlatformKeyModels;
    expect(back).toEqual({ provider: 'OPENAI', models: ['gpt-4o-mini'], inherited: true });
    const defaults = expectData(
      await server.graphql<{ defaultPlatformKeyModels: ModelsView[] }>(`{ defaultPlatformKeyModels { provider models inherited } }`, {}, admin),
    ).defaultPlatformKeyModels;
    expect(defaults.map((view) => view.provider)).toEqual(Object.keys(PROVIDERS));
    expect(modelsOf(defaults, 'OPENAI').models).toEqual(['gpt-4o-mini']);
  });

  it('each change is an audit event with the old and new lists', async () => {
    expectData(await setModels(admin.token, platformPaid.workspaceId, 'ANTHROPIC', ['claude-3-5-haiku-20241022']));
    const rows = (await server.app.dataSource.query(
      `SELECT action, provider, workspace_id, details FROM audit_events WHERE action = 'PLATFORM_KEY_MODELS_SET' ORDER BY id DESC LIMIT 1`,
    )) as Array<{ action: string; provider: string; workspace_id: string; details: Record<string, unknown> }>;
    expect(rows[0]).toMatchObject({
      provider: 'ANTHROPIC',
      workspace_id: platformPaid.workspaceId,
      details: { scope: 'WORKSPACE', models: ['claude-3-5-haiku-20241022'], inherited: false, previousModels: null },
    });
  });

  it.each([
    ['a model name with a space', ['gpt 4o']],
    ['a control character', ['gpt-4o\u0000']],
    ['the same model twice', ['gpt-4o', 'gpt-4o']],
    ['201 models', Array.from({ length: 201 }, (_, index) => `model-${index}`)],
  ])('refuses %s with BAD_USER_INPUT and keeps what was set', async (_label, models) => {
    const result = await setModels(admin.token, platformPaid.workspaceId, 'OPENAI', models);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(modelsOf(await workspaceModels(admin.token, platformPaid.workspaceId), 'OPENAI')).toEqual({ provider: 'OPENAI', models: null, inherited: true });
  });

  it('only admins set it; members do not see it', async () => {
    expect(errorCode(await setModels(platformPaid.token, platformPaid.workspaceId, 'OPENAI', ['gpt-4o']))).toBe('FORBIDDEN');
    const seen = await server.graphql(`query($id: ID!) { workspace(id: $id) { id platformKeyModels { provider } } }`, { id: platformPaid.workspaceId }, member);
    expect(errorCode(seen)).toBe('FORBIDDEN');
  });
});

describe.each(AI_PATHS)('the platform key serves only the allowed models on %s', (path) => {
  const driver = AI_PATH_DRIVERS[path];
  const provider = driver.provider as 'OPENAI' | 'ANTHROPIC';

  beforeAll(async () => {
    expectData(await setModels(admin.token, null, provider, [ALLOWED[provider]]));
  });
  afterAll(async () => {
    expectData(await setModels(admin.token, null, provider, null));
  });

  it('an allowed model is served on the platform key', async () => {
    expect(await driver.send(server, tokens.platformPaid, platformPaid.workspaceId, ALLOWED[provider])).toEqual({ ok: true, code: null });
  });

  it('another model is refused with MODEL_NOT_ALLOWED before the provider is called, and recorded', async () => {
    const before = fakes[provider].requests.length;
    expect(await driver.send(server, tokens.platformPaid, platformPaid.workspaceId, DENIED[provider])).toEqual({ ok: false, code: 'MODEL_NOT_ALLOWED' });
    expect(fakes[provider].requests.length).toBe(before);
    await server.app.services.usageLedger.flush();
    const [row] = (await server.app.dataSource.query(`SELECT model, key_source, outcome FROM usage_records ORDER BY id DESC LIMIT 1`)) as unknown[];
    expect(row).toEqual({ model: DENIED[provider], key_source: 'GLOBAL', outcome: 'MODEL_NOT_ALLOWED' });
  });

  it("a workspace's own key is never restricted", async () => {
    expect(await driver.send(server, tokens.ownKeys, ownKeys.workspaceId, DENIED[provider])).toEqual({ ok: true, code: null });
  });
});

describe('GET /v1/models lists only what the workspace may use', () => {
  const listed = async (token: string, workspaceId: string): Promise<string[]> => {
    const response = await server.fetch('/v1/models', { headers: { 'x-byok-workspace': workspaceId }, auth: { token } });
    expect(response.status).toBe(200);
    return (JSON.parse(response.text) as { data: Array<{ id: string }> }).data.map((model) => model.id);
  };

  afterAll(async () => {
    for (const provider of ['OPENAI', 'ANTHROPIC'] as const) expectData(await setModels(admin.token, platformPaid.workspaceId, provider, null, true));
  });

  it('on the platform key, the allowed models (even one the registry does not list); on own keys, all of them', async () => {
    expectData(await setModels(admin.token, platformPaid.workspaceId, 'OPENAI', ['gpt-4o-mini', 'ft:gpt-4o-mini:acme:custom:1']));
    expectData(await setModels(admin.token, platformPaid.workspaceId, 'ANTHROPIC', []));
    const platform = await listed(tokens.platformPaid, platformPaid.workspaceId);
    expect(platform).toEqual(['gpt-4o-mini', 'ft:gpt-4o-mini:acme:custom:1']);
    const own = await listed(tokens.ownKeys, ownKeys.workspaceId);
    expect(own).toEqual(expect.arrayContaining([...PROVIDERS.OPENAI.models, ...PROVIDERS.ANTHROPIC.models.map((model) => `anthropic/${model}`)]));
  });
});
