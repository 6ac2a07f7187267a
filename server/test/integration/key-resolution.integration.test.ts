/**
 * Integration tier: the key store's resolution on a real database with real migrations, called directly (no
 * HTTP, no GraphQL). The environment's global key and the BYOK switch decide which key a request gets.
 */
import type { Viewer } from '../../src/auth/viewer';
import type { Services } from '../../src/wiring/services';
import { canaryKey } from '../support/canaries';
import { startIntegrationApp, type IntegrationApp } from '../support/integration-services';

let app: IntegrationApp;
let services: Services;
let admin: Viewer;
let workspaceId: string;
const environmentKey = canaryKey('OPENAI');

beforeAll(async () => {
  app = await startIntegrationApp({ OPENAI_API_KEY: environmentKey });
  services = app.services;
  admin = app.admin;
  workspaceId = (await app.signUp('Owner')).workspaceId;
});

afterAll(async () => {
  await app?.close();
});

it("uses the environment's global key while BYOK is off, without a stored row", async () => {
  const key = await services.keyResolution.resolveForRequest(workspaceId, 'OPENAI');
  expect(key).toMatchObject({ source: 'GLOBAL', apiKey: environmentKey, keyRef: { scope: 'GLOBAL', id: null, provider: 'OPENAI' } });
});

it('has no key for a provider without any, and says why in terms of the BYOK switch', async () => {
  expect(await services.keyResolution.resolveForRequest(workspaceId, 'ANTHROPIC')).toEqual({ source: 'NONE', reason: 'BYOK_DISABLED_AND_NO_GLOBAL_KEY' });
  await services.integrations.update(admin, 'ANTHROPIC', { byokEnabled: true, globalKey: null, clearGlobalKey: null });
  expect(await services.keyResolution.resolveForRequest(workspaceId, 'ANTHROPIC')).toEqual({ source: 'NONE', reason: 'NO_KEY_CONFIGURED' });
});

it('reports the same resolution to the workspace view as to the request path', async () => {
  const views = (await services.workspaceKeys.workspaceProviders([workspaceId])).get(workspaceId) ?? [];
  const byProvider = new Map(views.map((view) => [view.provider, view]));
  expect(byProvider.get('OPENAI')).toMatchObject({ source: 'GLOBAL', sourceReason: 'BYOK_DISABLED', customKey: null });
  expect(byProvider.get('ANTHROPIC')).toMatchObject({ source: 'NONE', sourceReason: 'NO_KEY_CONFIGURED', byokEnabled: true });
});
