/**
 * Integration tier: the key store's resolution on a real database with real migrations, called directly (no
 * HTTP, no GraphQL). The environment's global key and the BYOK switch decide which key a request gets.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Viewer } from '../../src/auth/viewer';
import { loadConfig } from '../../src/config/config';
import { loadSecretBox } from '../../src/crypto/encryption-keys';
import { createLogger } from '../../src/logging/logger';
import { createDataSource } from '../../src/wiring/create-data-source';
import { createServices, type Services } from '../../src/wiring/services';
import { canaryKey } from '../support/canaries';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let database: TestDatabase;
let services: Services;
let admin: Viewer;
let workspaceId: string;
const environmentKey = canaryKey('OPENAI');

beforeAll(async () => {
  database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-integration-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      BYOK_DATA_DIR: dataDir,
      BYOK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: 'admin@example.test',
      ADMIN_PASSWORD: 'correct horse battery staple',
      OPENAI_API_KEY: environmentKey,
      OPENAI_BASE_URL: 'http://127.0.0.1:9',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    },
    dataDir,
  );
  const logger = createLogger('silent');
  const dataSource = createDataSource(database.url, { poolSize: database.kind === 'embedded' ? 1 : 4 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  services = createServices({ config, logger, dataSource, secretBox: loadSecretBox(config, logger) });
  await services.auth.ensureAdmin();
  const adminSession = await services.auth.signIn('admin@example.test', 'correct horse battery staple', null);
  const authenticated = await services.auth.authenticate(adminSession.token);
  if (!authenticated) throw new Error('the admin could not authenticate');
  admin = authenticated;
  const owner = await services.auth.signUp('owner@example.test', 'another long passphrase', 'Owner');
  const [workspace] = await services.workspaces.listForUser(owner.user.id);
  if (!workspace) throw new Error('sign-up created no workspace');
  workspaceId = workspace.id;
});

afterAll(async () => {
  await services?.close();
  await services?.dataSource.destroy();
  await database?.drop();
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
